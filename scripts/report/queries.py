"""Load the report SQL files (reports/queries/) and run them against the warehouse.

Why the SQL lives in files: the Evidence project in reports/ and this site
renderer run the very same queries, read from the same files, so a figure on
an Evidence page and on a rendered page cannot drift apart. The files are
written for Evidence, which pastes its values into the SQL text: a route
parameter of the templated page in quotes (``'${params.territory_code}'``)
and the year picked in the page's dropdown (``${inputs.year.value}``).

Here nothing is pasted: :func:`translate` turns each of those into a DuckDB
named parameter (``$territory_code``, ``$year``) that is bound at execution.
The territory parameters accept null for "every territory": the site renderer
runs each query once per year and splits the rows by territory in Python,
which is far faster than ~120 small queries per file.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from scripts.paths import PROJECT_DIR

SQL_DIR = PROJECT_DIR / "reports" / "queries"
# '${params.name}' (quotes included) or ${params.name}, and ${inputs.name.value}.
EVIDENCE_PARAMETER = re.compile(
    r"(?P<quote>'?)\$\{\s*(?:params\.(?P<param>[a-z_][a-z0-9_]*)"
    r"|inputs\.(?P<input>[a-z_][a-z0-9_]*)\.value)\s*\}(?P=quote)"
)
DUCKDB_PARAMETER = re.compile(r"\$([a-z_][a-z0-9_]*)")

Row = dict[str, Any]
TerritoryKey = tuple[str, str]


class QueryError(RuntimeError):
    """A report query is missing, malformed, or was called without one of its parameters."""


@dataclass(frozen=True)
class Query:
    """One SQL file: its text as Evidence reads it, and the DuckDB statement made from it."""

    name: str
    evidence_sql: str
    sql: str
    parameters: frozenset[str]


def translate(evidence_sql: str, name: str = "query") -> tuple[str, frozenset[str]]:
    """Evidence's interpolations -> DuckDB named parameters, and the names they use.

    ``'${params.territory_code}'`` and ``${inputs.year.value}`` become
    ``$territory_code`` and ``$year``; the quotes Evidence needs around a
    pasted string go, since a bound value needs none. Anything else Evidence
    would interpolate (another query's name, an arbitrary expression) has no
    meaning outside Evidence and is refused, and so is a bare ``$name``: the
    files speak Evidence's syntax only.
    """
    if DUCKDB_PARAMETER.search(evidence_sql):
        raise QueryError(
            f"{name}: write parameters the Evidence way ('${{params.x}}', "
            "${inputs.x.value}), not as $x"
        )

    def to_duckdb(match: re.Match[str]) -> str:
        return "$" + (match["param"] or match["input"])

    sql = EVIDENCE_PARAMETER.sub(to_duckdb, evidence_sql)
    if "${" in sql:
        leftover = sql[sql.index("${") :].split("\n", 1)[0]
        raise QueryError(f"{name}: unsupported Evidence interpolation: {leftover}")
    return sql, frozenset(DUCKDB_PARAMETER.findall(sql))


@cache
def load_query(name: str, sql_dir: Path = SQL_DIR) -> Query:
    """Read ``<sql_dir>/<name>.sql`` and translate it into a DuckDB statement.

    DuckDB refuses values for parameters a statement does not declare, so
    knowing them lets every caller pass the same territory/year mapping.
    """
    path = sql_dir / f"{name}.sql"
    if not path.is_file():
        raise QueryError(f"report query not found: {path}")
    evidence_sql = path.read_text(encoding="utf-8")
    sql, parameters = translate(evidence_sql, path.name)
    return Query(name=name, evidence_sql=evidence_sql, sql=sql, parameters=parameters)


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
    con: duckdb.DuckDBPyConnection,
    name: str,
    year: int,
    key_columns: Sequence[str] = ("territory_level", "territory_code"),
) -> dict[TerritoryKey, list[Row]]:
    """Run a per-territory query once for every territory of ``year``, grouped by territory."""
    rows = run_query(con, name, {"territory_level": None, "territory_code": None, "year": year})
    level, code = key_columns
    grouped: dict[TerritoryKey, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[(row[level], row[code])].append(row)
    return dict(grouped)


@dataclass(frozen=True)
class YearData:
    """Everything the pages of one year show, fetched with one query per SQL file."""

    year: int
    #: The year's row of marts.trade_periods: its label, completeness, France's source.
    period: Row
    provenance: list[Row]
    territories: dict[TerritoryKey, Row]
    key_figures: dict[TerritoryKey, Row]
    partners: dict[TerritoryKey, list[Row]]
    products: dict[TerritoryKey, list[Row]]
    flow_links: dict[TerritoryKey, list[Row]]
    members: dict[TerritoryKey, list[Row]]
    # The "exposure and dependency" section (issue #8) and the index's department table.
    evolution: dict[TerritoryKey, list[Row]] = field(default_factory=dict)
    partner_groups: dict[TerritoryKey, list[Row]] = field(default_factory=dict)
    us_products: dict[TerritoryKey, list[Row]] = field(default_factory=dict)
    concentration: dict[TerritoryKey, list[Row]] = field(default_factory=dict)
    import_dependency: dict[TerritoryKey, list[Row]] = field(default_factory=dict)
    specialisation: dict[TerritoryKey, list[Row]] = field(default_factory=dict)
    top_movers: dict[TerritoryKey, list[Row]] = field(default_factory=dict)
    rankings: dict[TerritoryKey, list[Row]] = field(default_factory=dict)
    departments: list[Row] = field(default_factory=list)

    @property
    def is_synthetic(self) -> bool:
        """True when any loaded data set is the synthetic sample."""
        return any(row["is_synthetic"] for row in self.provenance)


def periods(con: duckdb.DuckDBPyConnection) -> dict[int, Row]:
    """Each year's period (label, completeness, France's source), by year, newest first."""
    return {row["year"]: row for row in run_query(con, "available_years")}


def available_years(con: duckdb.DuckDBPyConnection) -> list[int]:
    """The years the marts cover, newest first."""
    return list(periods(con))


def all_territories(con: duckdb.DuckDBPyConnection) -> dict[TerritoryKey, Row]:
    """Every territory the marts know, keyed by (level, code)."""
    rows = run_query(con, "territories")
    return {(row["territory_level"], row["territory_code"]): row for row in rows}


def fetch_year(con: duckdb.DuckDBPyConnection, year: int) -> YearData:
    """All rows the site needs for ``year``, split by territory."""
    key_figures = run_for_all_territories(con, "key_figures", year)
    return YearData(
        year=year,
        period=periods(con)[year],
        provenance=run_query(con, "data_provenance"),
        territories=all_territories(con),
        key_figures={key: rows[0] for key, rows in key_figures.items()},
        partners=run_for_all_territories(con, "partner_balance", year),
        products=run_for_all_territories(con, "product_mix", year),
        flow_links=run_for_all_territories(con, "flow_links", year),
        members=run_for_all_territories(
            con, "members", year, key_columns=("parent_level", "parent_code")
        ),
        evolution=run_for_all_territories(con, "trade_evolution", year),
        partner_groups=run_for_all_territories(con, "partner_group_exposure", year),
        us_products=run_for_all_territories(con, "us_exposure_products", year),
        concentration=run_for_all_territories(con, "concentration", year),
        import_dependency=run_for_all_territories(con, "import_dependency", year),
        specialisation=run_for_all_territories(con, "specialisation", year),
        top_movers=run_for_all_territories(con, "top_movers", year),
        rankings=run_for_all_territories(con, "department_rankings", year),
        departments=run_query(con, "department_indicators", {"year": year}),
    )
