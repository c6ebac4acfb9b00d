"""The loader's checks and staging read codes and numbers by one rule.

The rule is var ``code_rules`` in dbt_project.yml: staging applies it through
the macros of macros/normalize_codes.sql, the checks through scripts/rules.py.
Here both SQL texts run in DuckDB on the same edge codes: the macros rendered
with Jinja (dbt's template language) and the project's vars, the Python
functions called as the checks call them. No warehouse is built.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import duckdb
import jinja2
import pytest
import yaml

from scripts.ingest import check_sql
from scripts.paths import PROJECT_DIR

#: Published code -> the code the warehouse keys on, as INSEE and the customs write them.
DEPARTMENT_CASES = {
    "1": "01",
    " 1 ": "01",
    "01": "01",
    "9": "09",
    "00": "00",
    "75": "75",
    "2a": "2A",
    " 2B": "2B",
    "971": "971",
    "9A": "9A",
    "a": "A",
    "": "",
    "   ": "",
    None: None,
}
PRODUCT_AND_COUNTRY_CASES = {"c10a": "C10A", " us ": "US", "Gb": "GB", "": "", None: None}
#: Published number -> plain digits and a point (what the checks' NUMBER pattern then judges).
NUMBER_CASES = {
    "1 234,567": "1234.567",
    "1\u00a0234,5": "1234.5",
    "12\u202f345": "12345",
    " 7 ": "7",
    "0,401": "0.401",
    "1234.5": "1234.5",
    "": "",
    None: None,
}


def _dbt_macro(name: str) -> str:
    """SQL of one macro of macros/normalize_codes.sql for the column ``code``, as dbt renders it."""
    with (PROJECT_DIR / "dbt_project.yml").open(encoding="utf-8") as project:
        project_vars: dict[str, Any] = yaml.safe_load(project)["vars"]
    macros = (PROJECT_DIR / "macros" / "normalize_codes.sql").read_text(encoding="utf-8")
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined)
    environment.globals["var"] = lambda key: project_vars[key]
    return environment.from_string(macros + "{{ " + name + "('code') }}").render().strip()


def _applied(sql: str, codes: list[str | None]) -> list[str | None]:
    """The SQL expression applied to each code, in order."""
    con = duckdb.connect()
    con.execute("create table cases(position integer, code varchar)")
    con.executemany("insert into cases values (?, ?)", list(enumerate(codes)))
    return [row[0] for row in con.execute(f"select {sql} from cases order by position").fetchall()]


@pytest.mark.parametrize(
    ("macro", "python_sql", "cases"),
    [
        ("normalize_department_code", check_sql.department_normalised("code"), DEPARTMENT_CASES),
        ("normalize_code", check_sql.normalised("code"), PRODUCT_AND_COUNTRY_CASES),
        ("decimal_text", check_sql.decimal_text("code"), NUMBER_CASES),
    ],
)
def test_staging_and_the_checks_read_codes_alike(
    macro: str, python_sql: str, cases: dict[str | None, str | None]
) -> None:
    codes = list(cases)
    from_dbt = _applied(_dbt_macro(macro), codes)
    from_checks = _applied(python_sql, codes)
    assert from_dbt == from_checks
    assert dict(zip(codes, from_dbt, strict=True)) == cases


def test_parse_decimal_reads_the_same_text_as_the_checks() -> None:
    parsed = _applied(f"cast({_dbt_macro('parse_decimal')} as varchar)", ["1 234,567", "", "0,4"])
    assert parsed == ["1234.567", None, "0.400"]


def test_parse_decimal_casts_plain_text_as_decimal_text_would() -> None:
    # parse_decimal casts text with no separator and no decimal mark as it is,
    # skipping decimal_text: both ways must give the same number for any text.
    numbers = [*NUMBER_CASES, "55128", "0", "12.5", "-3", "1 2", "7,", "\u00a0", "1\u202f000,25"]
    full = f"cast(nullif({_dbt_macro('decimal_text')}, '') as decimal(18, 3))"
    assert _applied(_dbt_macro("parse_decimal"), numbers) == _applied(full, numbers)
    assert _applied(_dbt_macro("parse_decimal"), ["55128", "1\u202f000,25", None]) == [
        Decimal("55128"),
        Decimal("1000.25"),
        None,
    ]
