"""Load a folder of customs files into the warehouse's ``raw`` schema, all or nothing.

Why it is built this way: an analyst must be able to trust that the ``raw``
schema is exactly the folder it was loaded from, and a bad file must never
cost the warehouse what it already holds. So the loader reads every file with
DuckDB's own CSV reader into a scratch table, checks structure and codes with
set-based SQL, and reports each problem with its file, line, column and
reason. Only when everything is valid does it replace ``raw.customs_trade`` in
one transaction, so readers see either the old folder or the new one.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from scripts import raw_layout
from scripts.paths import SEEDS_DIR, raw_dir, warehouse_path

MAX_REPORTED_ERRORS = 20


@dataclass(frozen=True)
class RawInputProblem:
    """One reason a raw file was refused, located as precisely as the file allows."""

    source_file: str
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source_file}, line {self.line}, column {self.column!r}: {self.reason}"


class RawInputError(Exception):
    """Raised when raw files are refused; nothing has been written to the warehouse."""

    def __init__(self, problems: list[RawInputProblem], total: int | None = None) -> None:
        self.problems = problems
        total = total if total is not None else len(problems)
        shown = "\n".join(f"  - {p}" for p in problems)
        more = f"\n  ... and {total - len(problems)} more" if total > len(problems) else ""
        super().__init__(f"raw input refused ({total} problem(s)); warehouse unchanged:\n"
                         f"{shown}{more}")  # fmt: skip


@dataclass(frozen=True)
class SourceFile:
    """A CSV to load: where DuckDB reads it, and the name lineage columns record."""

    path: Path
    label: str


@dataclass(frozen=True)
class LoadReport:
    files: int
    rows: int
    dataset_name: str
    is_synthetic: bool


RAW_COLUMNS = list(raw_layout.COLUMNS.values())

CREATE_RAW_TABLES = """
create schema if not exists raw;
create table if not exists raw.customs_trade (
    flow_code varchar,
    year varchar,
    department_code varchar,
    product_code varchar,
    country_code varchar,
    value_keur varchar,
    source_file varchar not null,
    source_line integer not null,
    loaded_at timestamp with time zone not null
);
create table if not exists raw.load_audit (
    source_file varchar not null,
    dataset_name varchar not null,
    is_synthetic boolean not null,
    rows_read bigint not null,
    rows_loaded bigint not null,
    loaded_at timestamp with time zone not null
);
"""


def discover(folder: Path, scratch: Path) -> list[SourceFile]:
    """Every CSV under ``folder``, zip members extracted into ``scratch``, in a stable order."""
    if not folder.is_dir():
        raise FileNotFoundError(f"raw folder {folder} does not exist")
    found: list[SourceFile] = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.suffix.lower() == ".csv":
            found.append(SourceFile(path, relative))
        elif path.suffix.lower() == ".zip":
            try:
                archive = zipfile.ZipFile(path)
            except zipfile.BadZipFile as error:
                problem = RawInputProblem(relative, 0, "-", f"not a zip file ({error})")
                raise RawInputError([problem]) from error
            with archive:
                for member in sorted(archive.namelist()):
                    if member.lower().endswith(".csv"):
                        target = scratch / relative / member
                        target.parent.mkdir(parents=True, exist_ok=True)
                        target.write_bytes(archive.read(member))
                        found.append(SourceFile(target, f"{relative}!{member}"))
    return found


def read_manifest(folder: Path) -> tuple[str, bool]:
    """Name of the data set and whether it is synthetic (real files have no manifest)."""
    manifest = folder / raw_layout.DATASET_MANIFEST
    if not manifest.exists():
        return ("Douanes (DGDDI) departmental files", False)
    content = json.loads(manifest.read_text(encoding="utf-8"))
    return (str(content["name"]), bool(content["synthetic"]))


def read_header(source: SourceFile) -> list[str]:
    """Column names on the first line of a file (only that line is read here)."""
    with source.path.open(encoding="utf-8-sig", errors="replace") as handle:
        first = handle.readline().rstrip("\r\n")
    if not first:
        raise RawInputError([RawInputProblem(source.label, 1, "-", "empty file, no header line")])
    return [name.strip().strip('"') for name in first.split(raw_layout.SEPARATOR)]


def read_into_scratch(con: duckdb.DuckDBPyConnection, files: list[SourceFile]) -> None:
    """Copy every file, as text, into the temporary table ``incoming`` with its line numbers.

    The header is checked against the declared layout first; the rows are then
    read by DuckDB with that exact schema (no sniffing), so a row with too many
    or too few fields is refused with the line DuckDB stopped at.
    """
    published = list(raw_layout.COLUMNS)
    con.execute(
        "create or replace temp table incoming ("
        + ", ".join(f"{c} varchar" for c in RAW_COLUMNS)
        + ", source_file varchar, source_line integer)"
    )
    for source in files:
        found = read_header(source)
        missing = [c for c in published if c not in found]
        if missing:
            raise RawInputError([
                RawInputProblem(source.label, 1, c,
                                f"missing column (expected {published}, found {found})")
                for c in missing
            ])  # fmt: skip
        schema = {f"c{i}": "VARCHAR" for i in range(len(found))}
        selected = ", ".join(f"c{found.index(name)}" for name in published)
        try:
            con.execute(
                f"insert into incoming select {selected}, $label, (ordinality + 1)::integer "
                "from read_csv($path, sep=$sep, header=false, skip=1, auto_detect=false, "
                "columns=$schema, quote='\"', encoding='utf-8') with ordinality",
                {"label": source.label, "path": str(source.path),
                 "sep": raw_layout.SEPARATOR, "schema": schema},
            )  # fmt: skip
        except duckdb.Error as error:
            problem = RawInputProblem(source.label, *_reader_location(error))
            raise RawInputError([problem]) from error


def _reader_location(error: Exception) -> tuple[int, str, str]:
    """Line and reason from a DuckDB CSV reader error (it names the line it stopped at)."""
    message = str(error)
    found = re.search(r"\bLine: (\d+)", message)
    detail = re.search(r"Expected Number of Columns: \d+ Found: \d+", message)
    reason = detail.group(0) if detail else _first_line(error)
    return (int(found.group(1)) if found else 0, "-", reason)


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0]


def _normalised(column: str) -> str:
    """SQL for a code as staging normalises it (trimmed, upper case)."""
    return f"upper(trim({column}))"


def _department_normalised() -> str:
    """Department codes keep their leading zero: '1' and '01' are both Ain."""
    code = _normalised("department_code")
    return f"case when regexp_full_match({code}, '[0-9]') then '0' || {code} else {code} end"


def validation_query() -> str:
    """One row per problem: file, line, published column name, reason."""
    seeds = SEEDS_DIR
    names = {raw: published for published, raw in raw_layout.COLUMNS.items()}
    flows = ", ".join(f"'{code}'" for code in raw_layout.FLOW_CODES)
    unallocated = raw_layout.UNALLOCATED_DEPARTMENT
    key = ", ".join(
        [_normalised("flow_code"), "trim(year)", _department_normalised(),
         _normalised("product_code"), _normalised("country_code")]
    )  # fmt: skip
    return f"""
    with departments as (
        select department_code from read_csv('{seeds}/departments.csv', all_varchar=true)
    ),
    products as (
        select a129_code from read_csv('{seeds}/products_a129.csv', all_varchar=true)
    ),
    countries as (
        select country_code from read_csv('{seeds}/countries.csv', all_varchar=true)
    ),
    keyed as (
        select *,
            row_number() over (
                partition by {key} order by source_file, source_line
            ) as occurrence,
            first_value(source_file || ', line ' || source_line) over (
                partition by {key} order by source_file, source_line
            ) as first_seen
        from incoming
    ),
    problems as (
        select source_file, source_line, '{names["flow_code"]}' as column_name,
            'unknown flow ' || coalesce('''' || flow_code || '''', 'NULL')
            || ' (expected one of {", ".join(raw_layout.FLOW_CODES)})' as reason
        from incoming where {_normalised("flow_code")} not in ({flows}) or flow_code is null
        union all
        select source_file, source_line, '{names["year"]}',
            'year ' || coalesce('''' || year || '''', 'NULL') || ' is not a four-digit year'
        from incoming where not coalesce(regexp_full_match(trim(year), '(19|20)[0-9]{{2}}'), false)
        union all
        select source_file, source_line, '{names["department_code"]}',
            'unknown department code ' || coalesce('''' || department_code || '''', 'NULL')
        from incoming
        where coalesce({_department_normalised()}, '') not in
            (select department_code from departments union all select '{unallocated}')
        union all
        select source_file, source_line, '{names["product_code"]}',
            'unknown A129 product code ' || coalesce('''' || product_code || '''', 'NULL')
        from incoming
        where coalesce({_normalised("product_code")}, '') not in (select a129_code from products)
        union all
        select source_file, source_line, '{names["country_code"]}',
            'unknown country code ' || coalesce('''' || country_code || '''', 'NULL')
        from incoming
        where coalesce({_normalised("country_code")}, '') not in
            (select country_code from countries)
        union all
        select source_file, source_line, '{names["value_keur"]}',
            'value ' || coalesce('''' || value_keur || '''', 'NULL')
            || ' is not a non-negative number of thousands of euros with at most 3 decimals'
        from incoming
        where not coalesce(regexp_full_match(trim(value_keur), '[0-9]+(\\.[0-9]{{1,3}})?'), false)
        union all
        select source_file, source_line, 'key',
            'duplicate key (flow, year, department, product, country), first seen at '
            || first_seen
        from keyed where occurrence > 1
    )
    select source_file, source_line, column_name, reason,
        count(*) over () as total
    from problems
    order by source_file, source_line, column_name
    limit {MAX_REPORTED_ERRORS}
    """


def validate(con: duckdb.DuckDBPyConnection) -> None:
    """Raise RawInputError listing the first problems found in ``incoming``, if any."""
    rows = con.execute(validation_query()).fetchall()
    if rows:
        problems = [RawInputProblem(r[0], r[1], r[2], r[3]) for r in rows]
        raise RawInputError(problems, total=rows[0][4])


def publish(con: duckdb.DuckDBPyConnection, dataset_name: str, is_synthetic: bool) -> int:
    """Replace the raw tables with ``incoming`` in one transaction; return rows loaded."""
    columns = ", ".join(RAW_COLUMNS)
    con.execute("begin transaction")
    try:
        con.execute("delete from raw.customs_trade")
        con.execute("delete from raw.load_audit")
        con.execute(
            f"insert into raw.customs_trade select {columns}, source_file, source_line, "
            "current_timestamp from incoming order by source_file, source_line"
        )
        con.execute(
            "insert into raw.load_audit select f.source_file, ?, ?, f.rows_read, "
            "coalesce(t.rows_loaded, 0), current_timestamp "
            "from (select source_file, count(*) as rows_read from incoming group by all) as f "
            "left join (select source_file, count(*) as rows_loaded from raw.customs_trade "
            "group by all) as t using (source_file)",
            [dataset_name, is_synthetic],
        )
        loaded = con.execute("select count(*) from raw.customs_trade").fetchone()[0]
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return int(loaded)


def load(folder: Path, warehouse: Path) -> LoadReport:
    """Validate every file in ``folder`` and, if all are valid, make them the raw layer."""
    dataset_name, is_synthetic = read_manifest(folder)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="trade-raw-") as scratch:
        files = discover(folder, Path(scratch))
        if not files:
            raise RawInputError([RawInputProblem(str(folder), 0, "-", "no CSV or zip file found")])
        with duckdb.connect(str(warehouse)) as con:
            con.execute(CREATE_RAW_TABLES)
            read_into_scratch(con, files)
            validate(con)
            rows = publish(con, dataset_name, is_synthetic)
    return LoadReport(len(files), rows, dataset_name, is_synthetic)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw-dir", type=Path, default=None, help="folder of customs files")
    parser.add_argument("--warehouse", type=Path, default=None, help="DuckDB file")
    args = parser.parse_args(argv)
    folder = args.raw_dir or raw_dir()
    target = args.warehouse or warehouse_path()
    try:
        report = load(folder, target)
    except RawInputError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"loaded {report.rows} rows from {report.files} files ({report.dataset_name}) "
          f"into {target}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
