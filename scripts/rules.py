"""The code rule of dbt_project.yml (var ``code_rules``), for the Python side.

Why: how a code or a published number is read is one fact, and staging
(``macros/normalize_codes.sql``) and the loader's checks
(``scripts/ingest/checks.py``) must judge the same text the same way, or a
row the checks let through would be read otherwise by the models. The rule
lives once, in dbt_project.yml's vars; the macro reads it with ``var()``,
this module with ``yaml``, and both write the same SQL from it
(tests/test_code_rules.py runs the two on a table of edge codes).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml

from scripts.paths import PROJECT_DIR


@cache
def code_rules() -> dict[str, Any]:
    """The ``code_rules`` var of dbt_project.yml, read once."""
    with (PROJECT_DIR / "dbt_project.yml").open(encoding="utf-8") as project:
        return dict(yaml.safe_load(project)["vars"]["code_rules"])


def code_sql(column: str) -> str:
    """SQL for a product, country or flow code as staging reads it: trimmed, in the rule's case."""
    return f"{code_rules()['code_case']}(trim({column}))"


def department_code_sql(column: str) -> str:
    """SQL for a department code: digits shorter than the rule's width get leading zeros.

    '1' and '01' are both Ain; '2a' is Corsica's '2A'; '971' stays as it is.
    """
    code = code_sql(column)
    width = int(code_rules()["department_code_width"])
    return (
        f"case when length({code}) between 1 and {width - 1} "
        f"and translate({code}, '0123456789', '') = '' "
        f"then lpad({code}, {width}, '0') else {code} end"
    )


def decimal_text_sql(column: str) -> str:
    """SQL for a published number as plain digits and a point: '1 234,5' -> '1234.5'.

    French files write a decimal comma and may group thousands with a space:
    a plain, a no-break (U+00A0) or a narrow no-break one (U+202F, what
    French typography and recent spreadsheet locales use).
    """
    rules = code_rules()
    text = f"trim({column})"
    for separator in rules["digit_group_separators"]:
        text = f"replace({text}, chr({int(separator)}), '')"
    return f"replace({text}, '{rules['decimal_mark']}', '.')"
