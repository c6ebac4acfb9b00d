"""Decide whether dbt may build incrementally, and remember what each build was made from.

Why: the models that are incremental by year (macros/incremental_by_year.sql)
keep the years whose raw rows have not changed. That is right only while the
code that computed those years is the code of today and every change of the
raw rows shows in a year's signature (latest load time and row count). So
every build records in ``raw.build_log``, inside the warehouse file, a
fingerprint of what computes the marts (the dbt project's files, the dbt
arguments, dbt's and the engines' versions) and a signature of the raw layer
as that build left it. The next build runs dbt with ``--full-refresh`` when
the fingerprint differs or is missing, when the raw layer was changed outside
the main job in between (``scripts.ingest.load`` run by hand), when the load
removed the rows of vanished files, or when a year the models hold has no raw
row any more.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import duckdb

from scripts.paths import PROJECT_DIR

#: What the incremental models' code and reference data come from.
PROJECT_INPUTS = ("models", "macros", "seeds", "dbt_project.yml")
#: Packages whose version can change what the models compute.
ENGINE_PACKAGES = ("dbt-core", "dbt-duckdb", "duckdb")
#: dbt options that say where dbt writes its files, not what it computes.
PATH_OPTIONS = ("--target-path", "--log-path")

CREATE_BUILD_LOG = """
create table if not exists raw.build_log (
    build_number integer not null,
    built_at timestamp with time zone not null,
    project_fingerprint varchar not null,
    raw_signature varchar not null,
    full_refresh boolean not null,
    reason varchar not null
)
"""


@dataclass(frozen=True)
class BuildRecord:
    """What the last successful build of a warehouse was made from."""

    project_fingerprint: str
    raw_signature: str


def _computing_arguments(dbt_args: list[str]) -> list[str]:
    """The dbt arguments without the options that only move dbt's output files."""
    kept, skip = [], False
    for argument in dbt_args:
        if skip:
            skip = False
        elif argument in PATH_OPTIONS:
            skip = True
        elif not argument.startswith(tuple(f"{o}=" for o in PATH_OPTIONS)):
            kept.append(argument)
    return kept


def project_fingerprint(project_dir: Path = PROJECT_DIR, dbt_args: list[str] | None = None) -> str:
    """SHA-256 over every file the dbt build depends on, its arguments and engine versions."""
    digest = hashlib.sha256()
    for name in PROJECT_INPUTS:
        root = project_dir / name
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in files:
            if path.exists() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(project_dir).as_posix().encode())
                digest.update(b"\0")
                digest.update(path.read_bytes())
                digest.update(b"\0")
    for argument in _computing_arguments(dbt_args or []):
        digest.update(f"arg:{argument}\0".encode())
    for package in ENGINE_PACKAGES:
        try:
            digest.update(f"{package}=={metadata.version(package)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package} missing\0".encode())
    return digest.hexdigest()


def _has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(con.execute(
        "select count(*) from information_schema.tables where table_schema = ? "
        "and table_name = ?", [schema, table],
    ).fetchone()[0])  # fmt: skip


def _log_has_signature(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether raw.build_log has the raw_signature column (logs of the first shape lack it)."""
    return bool(con.execute(
        "select count(*) from information_schema.columns where table_schema = 'raw' "
        "and table_name = 'build_log' and column_name = 'raw_signature'"
    ).fetchone()[0])  # fmt: skip


def raw_signature(warehouse: Path) -> str:
    """A signature of the raw layer that any load, reload or removal changes.

    Read from ``raw.load_audit``, which has a row per loaded file of every raw
    table (departmental and national trade, label annexes), so a change to
    the national file alone counts as much as one to a departmental file.
    """
    if not warehouse.exists():
        return "no warehouse"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        if not _has_table(con, "raw", "load_audit"):
            return "no raw layer"
        files, rows, latest = con.execute(
            "select count(*), coalesce(sum(rows_loaded), 0), max(loaded_at) from raw.load_audit"
        ).fetchone()
    return f"{rows} rows, {files} files, latest load {latest}"


def last_build(warehouse: Path) -> BuildRecord | None:
    """The last successful build recorded in ``warehouse``, if any."""
    if not warehouse.exists():
        return None
    with duckdb.connect(str(warehouse), read_only=True) as con:
        if not _has_table(con, "raw", "build_log") or not _log_has_signature(con):
            return None
        row = con.execute(
            "select project_fingerprint, raw_signature from raw.build_log "
            "order by build_number desc limit 1"
        ).fetchone()
    return BuildRecord(row[0], row[1]) if row else None


def vanished_years(warehouse: Path) -> list[int]:
    """Years the built trade staging holds that the raw layer no longer has.

    Read from ``raw.customs_trade`` itself, not from the years the build counts
    in both trade tables: a departmental year may vanish while the national
    file still holds it, and the staging would keep its rows.
    """
    with duckdb.connect(str(warehouse), read_only=True) as con:
        if not _has_table(con, "staging", "stg_customs__trade_values"):
            return []
        rows = con.execute(
            "select distinct year from staging.stg_customs__trade_values except "
            "select distinct cast(trim(year) as integer) from raw.customs_trade order by 1"
        ).fetchall()
    return [row[0] for row in rows]


def full_refresh_reason(
    previous: BuildRecord | None,
    fingerprint: str,
    raw_before_load: str,
    files_removed: int,
    years_gone: list[int],
    requested: bool,
) -> str | None:
    """Why dbt must rebuild every year, or None when an incremental build is right."""
    if requested:
        return "full refresh requested"
    if previous is None:
        return "no earlier build recorded in this warehouse"
    if previous.project_fingerprint != fingerprint:
        return "the dbt project, its arguments or dbt's version changed since the last build"
    if previous.raw_signature != raw_before_load:
        return "the raw layer was changed outside the main job since the last build"
    if files_removed:
        return f"{files_removed} raw file(s) vanished since the last build"
    if years_gone:
        return f"year(s) {', '.join(map(str, years_gone))} no longer in the raw files"
    return None


def record_build(warehouse: Path, fingerprint: str, reason: str | None) -> None:
    """Append this build to ``raw.build_log`` (called once dbt has passed)."""
    signature = raw_signature(warehouse)
    with duckdb.connect(str(warehouse)) as con:
        if _has_table(con, "raw", "build_log") and not _log_has_signature(con):
            con.execute("drop table raw.build_log")  # an earlier shape: start the log afresh
        con.execute(CREATE_BUILD_LOG)
        con.execute(
            "insert into raw.build_log select coalesce(max(build_number), 0) + 1, "
            "current_timestamp, ?, ?, ?, ? from raw.build_log",
            [fingerprint, signature, reason is not None,
             reason or "incremental: only changed years"],
        )  # fmt: skip
