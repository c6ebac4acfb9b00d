"""Which years an incremental build changes, for dbt to recompute and test only those.

Why: a build that adds a year or revises one changes the rows of that year,
and of the later years that compare with it (up to the var ``five_year_lag``
of dbt_project.yml). The other years' rows were computed and tested at an
earlier build, by the same project from the same raw rows (a project change
or a vanished year makes the build a full refresh, see ``state.py``), so
computing and testing them again only costs time: most of a one-year build
over ten years. The build passes the changed years to dbt in
``TRADE_CHANGED_YEARS`` (``macros/changed_years.sql``): the marts incremental
by year recompute only them, and the tests that judge each row or each year
alone read only them (``macros/tested_years.sql``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import duckdb
import yaml

from scripts.paths import PROJECT_DIR

#: The raw tables of trade, each row with its year; a change to any other raw
#: table (the label annexes) may change every year's rows: every year is rebuilt.
TRADE_TABLES = ("customs_trade", "customs_national_trade")
LABEL_TABLES = ("customs_labels", "product_labels")

YearSignatures = dict[int, tuple[int, str]]
#: The trade years' signatures and the label tables' one.
RawSignatures = tuple[YearSignatures, str]


@cache
def five_year_lag() -> int:
    """How many years back the furthest comparison of a mart looks (var ``five_year_lag``)."""
    with (PROJECT_DIR / "dbt_project.yml").open(encoding="utf-8") as project:
        return int(yaml.safe_load(project)["vars"]["five_year_lag"])


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = 'raw'"
    ).fetchall()
    return {row[0] for row in rows}


def signatures(warehouse: Path) -> RawSignatures:
    """Each year's raw trade signature (rows, latest load) and one of the label tables.

    The trade tables' years passed the loader's checks: four digits.
    """
    if not warehouse.exists():
        return {}, "no warehouse"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        present = _tables(con)
        years: YearSignatures = {}
        for table in (t for t in TRADE_TABLES if t in present):
            rows = con.execute(
                f"select cast(trim(year) as integer), count(*), cast(max(loaded_at) as varchar) "
                f"from raw.{table} group by 1"
            ).fetchall()  # fmt: skip
            for year, count, latest in rows:
                before = years.get(year, (0, ""))
                years[year] = (before[0] + count, max(before[1], latest or ""))
        labels = [
            con.execute(f"select count(*), cast(max(loaded_at) as varchar) from raw.{t}").fetchone()
            for t in LABEL_TABLES
            if t in present
        ]
    return years, repr(labels)


def changed_years(before: RawSignatures, after: RawSignatures) -> list[int]:
    """The years whose rows a build from ``before`` to ``after`` may change, or [] for all.

    A year counts when its signature changed (new, revised or emptied), with
    the ``five_year_lag`` years after it that the data holds. An empty list
    means every year: the label annexes changed, or no trade year did.
    """
    (years_before, labels_before), (years_after, labels_after) = before, after
    if labels_before != labels_after:
        return []
    changed = {y for y in years_before.keys() | years_after.keys()
               if years_before.get(y) != years_after.get(y)}  # fmt: skip
    lag = five_year_lag()
    affected = {y + step for y in changed for step in range(lag + 1)}
    return sorted(affected & set(years_after))
