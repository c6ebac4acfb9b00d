"""Load the report SQL files (reports/sql/) and run them against the warehouse.

Why the SQL lives in files: the same queries are meant to be reused verbatim
by other front ends (an Evidence project, an analyst's DuckDB shell), so they
are plain DuckDB SQL with bound named parameters ($territory_level,
$territory_code, $year) and never have values pasted into them. The territory
parameters accept null for "every territory": the site renderer runs each
query once per year and splits the rows by territory in Python, which is far
faster than ~120 small queries per file.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from scripts.paths import PROJECT_DIR

SQL_DIR = PROJECT_DIR / "reports" / "sql"
PARAMETER = re.compile(r"\$([a-z_][a-z0-9_]*)")

Row = dict[str, Any]
TerritoryKey = tuple[str, str]


class QueryError(RuntimeError):
    """A report query is missing, or was called without one of its parameters."""


@dataclass(frozen=True)
class Query:
    """One SQL file and the named parameters it binds."""

    name: str
    sql: str
    parameters: frozenset[str]


@cache
def load_query(name: str, sql_dir: Path = SQL_DIR) -> Query:
    """Read ``<sql_dir>/<name>.sql`` and note which ``$parameters`` it uses.

    DuckDB refuses values for parameters a statement does not declare, so
    knowing them lets every caller pass the same territory/year mapping.
    """
    path = sql_dir / f"{name}.sql"
    if not path.is_file():
        raise QueryError(f"report query not found: {path}")
    sql = path.read_text(encoding="utf-8")
    return Query(name=name, sql=sql, parameters=frozenset(PARAMETER.findall(sql)))


def run_query(
    con: duckdb.DuckDBPyConnection, name: str, parameters: Mapping[str, Any] | None = None
) -> list[Row]:
    """Run one report query with its parameters bound; one dict per row."""
    query = load_query(name)
    given = dict(parameters or {})
    missing = sorted(query.parameters - given.keys())
    if missing:
        raise QueryError(f"query {name!r} needs parameter(s) {', '.join(missing)}")
    bound = {key: given[key] for key in query.parameters}
    cursor = con.execute(query.sql, bound) if bound else con.execute(query.sql)
    columns = [column[0] for column in cursor.description]
    return [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]


def run_for_all_territories(
    con: duckdb.DuckDBPyConnection, name: str, year: int
) -> dict[TerritoryKey, list[Row]]:
    """Run a per-territory query once for every territory of ``year``, grouped by territory."""
    rows = run_query(con, name, {"territory_level": None, "territory_code": None, "year": year})
    grouped: dict[TerritoryKey, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[(row["territory_level"], row["territory_code"])].append(row)
    return dict(grouped)


@dataclass(frozen=True)
class YearData:
    """Everything the pages of one year show, fetched with one query per SQL file."""

    year: int
    provenance: list[Row]
    territories: dict[TerritoryKey, Row]
    key_figures: dict[TerritoryKey, Row]
    partners: dict[TerritoryKey, list[Row]]
    products: dict[TerritoryKey, list[Row]]
    flow_links: dict[TerritoryKey, list[Row]]

    @property
    def is_synthetic(self) -> bool:
        """True when any loaded data set is the synthetic sample."""
        return any(row["is_synthetic"] for row in self.provenance)


def available_years(con: duckdb.DuckDBPyConnection) -> list[int]:
    """The years the marts cover, newest first."""
    return [row["year"] for row in run_query(con, "available_years")]


def all_territories(con: duckdb.DuckDBPyConnection) -> dict[TerritoryKey, Row]:
    """Every territory the marts know, keyed by (level, code)."""
    rows = run_query(con, "territories", {"territory_level": None, "territory_code": None})
    return {(row["territory_level"], row["territory_code"]): row for row in rows}


def fetch_year(con: duckdb.DuckDBPyConnection, year: int) -> YearData:
    """All rows the site needs for ``year``, split by territory."""
    key_figures = run_for_all_territories(con, "key_figures", year)
    return YearData(
        year=year,
        provenance=run_query(con, "data_provenance"),
        territories=all_territories(con),
        key_figures={key: rows[0] for key, rows in key_figures.items()},
        partners=run_for_all_territories(con, "partner_balance", year),
        products=run_for_all_territories(con, "product_mix", year),
        flow_links=run_for_all_territories(con, "flow_links", year),
    )
