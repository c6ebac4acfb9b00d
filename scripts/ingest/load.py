"""Load a folder of customs files into the warehouse's ``raw`` schema, in one transaction.

Why it is built this way: an analyst must be able to trust that the ``raw``
schema is exactly the folder it was loaded from, and a bad file must never
cost the warehouse what it already holds. So the loader

- fingerprints every file and reads only new or changed ones (loading the same
  folder twice changes nothing; adding a year reads only that year's files);
- refuses a structurally broken file whole, before writing anything;
- checks every row with set-based SQL (``scripts/ingest/checks.py``); by default
  any invalid row refuses the load, listing file, line, column and reason;
  with ``quarantine=True`` invalid rows go to ``raw.quarantine`` and valid rows
  load;
- replaces the rows of changed files, removes those of vanished files, and
  writes ``raw.load_audit`` (rows read = rows loaded + rows quarantined, per
  file) in a single transaction, so readers see the old state or the new one;
- never removes rows without a word: each file whose rows shrink is reported
  with the rows it loses (``rows_removed`` in the audit; a vanished file keeps
  an audit row, ``file_vanished``, saying so), and losing *all* the rows of a
  file needs ``allow_removals`` (a department's file replaced by its header
  alone would otherwise empty that department). A file with fewer rows than
  before is only reported: the customs' rolling files drop their oldest quarter
  or month at each release, and revisions may drop lines. Replacing the
  synthetic sample by another data set needs no consent;
- in strict mode refuses rows an earlier quarantine load set aside for files
  it keeps, unless ``accept_quarantined``: strict means no row of the folder is
  left out of ``raw``.

The audit counts what was written: rows loaded are the file's rows in the raw
table, rows quarantined its rows in ``raw.quarantine`` (a row of a cross table
is one partner-country cell), and the load stops if they do not add up to the
rows read. A file's fingerprint is its bytes plus everything else that decides
how it is read and checked (the manifest's unit and name, the loader's code,
the reference seeds the checks use): a change to any of them reads it again.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from scripts.ingest import checks, files, layout
from scripts.ingest.checks import find_problems
from scripts.ingest.files import (
    INCOMING_TABLES,
    RawInputError,
    RawInputProblem,
    SourceFile,
    discover,
    read_into_scratch,
    read_manifest,
)
from scripts.ingest.layout import LABEL_COLUMNS, NATIONAL_COLUMNS, RAW_COLUMNS
from scripts.paths import SEEDS_DIR, raw_dir, warehouse_path

__all__ = ["LoadReport", "RawInputError", "RawInputProblem", "load"]

MAX_REPORTED_PROBLEMS = 20

CREATE_RAW_TABLES = """
create schema if not exists raw;
create table if not exists raw.customs_trade (
    flow_code varchar,
    year varchar,
    department_code varchar,
    product_code varchar,
    country_code varchar,
    value varchar,
    value_unit varchar not null,
    source_file varchar not null,
    source_line integer not null,
    loaded_at timestamp with time zone not null,
    month varchar,
    line_number varchar,
    quarter varchar,
    region_code varchar,
    cpf4_code varchar,
    mass_kg varchar
);
create table if not exists raw.customs_national_trade (
    flow_code varchar,
    month varchar,
    year varchar,
    cpf6_code varchar,
    product_code varchar,
    nc8_code varchar,
    country_code varchar,
    value varchar,
    mass_kg varchar,
    supplementary_unit varchar,
    source_file varchar not null,
    source_line integer not null,
    loaded_at timestamp with time zone not null
);
create table if not exists raw.customs_labels (
    annex varchar not null,
    code varchar,
    label varchar,
    valid_from varchar,
    valid_to varchar,
    region_code varchar,
    region_label varchar,
    supplementary_unit_flag varchar,
    supplementary_unit_label varchar,
    source_file varchar not null,
    source_line integer not null,
    loaded_at timestamp with time zone not null
);
create table if not exists raw.product_labels (
    product_code varchar,
    product_label varchar,
    source_file varchar not null,
    source_line integer not null,
    loaded_at timestamp with time zone not null
);
create table if not exists raw.quarantine (
    source_file varchar not null,
    source_line integer not null,
    column_name varchar not null,
    reason varchar not null,
    flow_code varchar,
    year varchar,
    department_code varchar,
    product_code varchar,
    country_code varchar,
    value varchar,
    value_unit varchar,
    quarantined_at timestamp with time zone not null,
    month varchar,
    line_number varchar,
    quarter varchar,
    region_code varchar,
    cpf4_code varchar,
    mass_kg varchar,
    cpf6_code varchar,
    nc8_code varchar,
    supplementary_unit varchar,
    target_table varchar
);
create table if not exists raw.load_audit (
    source_file varchar not null,
    file_sha256 varchar not null,
    dataset_name varchar not null,
    is_synthetic boolean not null,
    rows_read bigint not null,
    rows_loaded bigint not null,
    rows_quarantined bigint not null,
    loaded_at timestamp with time zone not null,
    rows_removed bigint default 0,
    file_vanished boolean default false,
    read_fingerprint varchar
);
"""

#: Columns added after the first release (declaration-level files). They come last in
#: CREATE_RAW_TABLES too, so that a new warehouse and an upgraded one have the same
#: column order; every insert names its columns all the same.
ADDED_RAW_COLUMNS = """
alter table raw.customs_trade add column if not exists month varchar;
alter table raw.customs_trade add column if not exists line_number varchar;
alter table raw.quarantine add column if not exists month varchar;
alter table raw.quarantine add column if not exists line_number varchar;
alter table raw.customs_trade add column if not exists quarter varchar;
alter table raw.customs_trade add column if not exists region_code varchar;
alter table raw.customs_trade add column if not exists cpf4_code varchar;
alter table raw.customs_trade add column if not exists mass_kg varchar;
alter table raw.quarantine add column if not exists quarter varchar;
alter table raw.quarantine add column if not exists region_code varchar;
alter table raw.quarantine add column if not exists cpf4_code varchar;
alter table raw.quarantine add column if not exists mass_kg varchar;
alter table raw.quarantine add column if not exists cpf6_code varchar;
alter table raw.quarantine add column if not exists nc8_code varchar;
alter table raw.quarantine add column if not exists supplementary_unit varchar;
alter table raw.quarantine add column if not exists target_table varchar;
alter table raw.load_audit add column if not exists rows_removed bigint default 0;
alter table raw.load_audit add column if not exists file_vanished boolean default false;
alter table raw.load_audit add column if not exists read_fingerprint varchar;
"""


#: Every table the loader writes (build_log belongs to the main job).
RAW_TABLES = ("customs_trade", "customs_national_trade", "customs_labels", "quarantine",
              "load_audit", "product_labels")  # fmt: skip


@dataclass(frozen=True)
class Removal:
    """Rows of one file that a load removes from ``raw``, and why."""

    source_file: str
    rows_before: int
    rows_after: int
    why: str  # "file vanished", "file changed" or "data set replaced"
    #: Whether removing them needs ``allow_removals`` (all its rows, not the synthetic sample).
    needs_consent: bool

    @property
    def rows_removed(self) -> int:
        return self.rows_before - self.rows_after

    def __str__(self) -> str:
        return (f"{self.source_file}: {self.rows_removed:,} of its {self.rows_before:,} rows "
                f"removed ({self.why})")  # fmt: skip


class LoadRefused(RawInputError):
    """A refusal that the user can lift with an option, which the message names."""

    def __init__(self, problems: list[RawInputProblem], total: int, hints: list[str]) -> None:
        super().__init__(problems, total=total)
        self.args = ("\n".join([str(self.args[0]), *hints]),)


ALLOW_REMOVALS_HINT = (
    "Removing every row of a file needs consent: re-run with --allow-removals "
    "(trade load or trade build) to remove them, or put the file back."
)
QUARANTINE_HINT = (
    "A strict load refuses the rows an earlier --quarantine load set aside: fix the file(s) "
    "and load again, re-run with --quarantine, or keep them aside and load strictly all the "
    "same with --accept-quarantined."
)


@dataclass(frozen=True)
class LoadReport:
    """What one load did."""

    files: int
    files_read: int
    files_removed: int
    rows_loaded: int
    rows_quarantined: int
    dataset_name: str
    is_synthetic: bool
    #: Files whose rows this load removed, in whole or in part.
    removals: tuple[Removal, ...] = ()

    def removal_lines(self) -> list[str]:
        """One line per file that lost rows, for the command's output."""
        return [f"rows removed: {removal}" for removal in self.removals]


def memory_limit() -> str:
    """DuckDB's memory ceiling, shared with profiles.yml (TRADE_DUCKDB_MEMORY_LIMIT)."""
    return os.environ.get("TRADE_DUCKDB_MEMORY_LIMIT", "1GB")


def _prepare_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw tables; drop them first if an older layout of them is found.

    The raw layer is always rebuilt from the folder, so dropping an outdated
    one loses nothing that the folder does not hold. Columns added since (the
    month and line number of declaration lines) are added in place instead:
    the rows already loaded stay valid (NULL: not declaration lines) and an
    unchanged file need not be read again.
    """
    found = {row[0] for row in con.execute(
        "select table_name || '.' || column_name from information_schema.columns "
        "where table_schema = 'raw'"
    ).fetchall()}  # fmt: skip
    current = {"customs_trade.value_unit", "load_audit.rows_quarantined", "quarantine.value_unit"}
    if found and not current <= found:
        for table in RAW_TABLES:
            con.execute(f"drop table if exists raw.{table}")
    con.execute(CREATE_RAW_TABLES)
    con.execute(ADDED_RAW_COLUMNS)


#: The code and reference data that decide how a file is read and checked.
READING_INPUTS = (
    Path(files.__file__), Path(layout.__file__), Path(checks.__file__),
    *(SEEDS_DIR / name for name in checks.SEED_FILES.values()),
)  # fmt: skip


def reading_fingerprint(dataset_name: str, is_synthetic: bool, default_unit: str) -> str:
    """SHA-256 of everything besides a file's bytes that changes how it is read.

    The manifest's unit above all (a unit corrected after a load must re-read
    the files it applies to), and the loader's code and seeds, whose change
    may read or judge the same bytes differently.
    """
    digest = hashlib.sha256(json.dumps([dataset_name, is_synthetic, default_unit]).encode())
    for path in READING_INPUTS:
        digest.update(b"\0" + path.read_bytes())
    return digest.hexdigest()


def file_fingerprint(source: SourceFile, reading: str) -> str:
    """A file's fingerprint: its bytes' SHA-256 and the reading fingerprint."""
    return hashlib.sha256(f"{source.sha256}:{reading}".encode()).hexdigest()


def _plan(
    con: duckdb.DuckDBPyConnection, files: list[SourceFile], dataset_name: str, reading: str
) -> tuple[list[SourceFile], list[str], dict[str, str]]:
    """Files to read (new, changed, or read differently), files whose rows must go
    (changed or vanished), and the vanished ones with their last SHA-256.

    A different data set (say real files after the sample) replaces everything.
    A file already recorded as vanished is not vanishing again; if it comes
    back it is read as a new file.
    """
    audit = con.execute(
        "select source_file, file_sha256, read_fingerprint, coalesce(file_vanished, false) "
        "from raw.load_audit where dataset_name = ?", [dataset_name],
    ).fetchall()  # fmt: skip
    loaded = {label: fingerprint for label, _, fingerprint, gone in audit if not gone}
    last_sha = {label: sha for label, sha, _, gone in audit if not gone}
    gone_before = {label for label, _, _, gone in audit if gone}
    other_sets = con.execute(
        "select distinct source_file from raw.load_audit where dataset_name <> ?", [dataset_name]
    ).fetchall()
    to_read = [f for f in files if loaded.get(f.label) != file_fingerprint(f, reading)]
    present = {f.label for f in files}
    vanished = {label: sha for label, sha in last_sha.items() if label not in present}
    to_remove = list(vanished)
    to_remove += [f.label for f in to_read if f.label in loaded or f.label in gone_before]
    to_remove += [row[0] for row in other_sets]
    return to_read, to_remove, vanished


def _removals(con: duckdb.DuckDBPyConnection, dataset_name: str) -> list[Removal]:
    """Files that would have fewer rows in ``raw`` after this load, from what ``raw`` holds.

    Fills ``scratch.removals`` (the audit's ``rows_removed``). Rows after the
    load are the incoming rows that load (not those quarantined).
    """
    con.execute(
        "create or replace table scratch.removals as "
        "with before as (select source_file, count(*) as rows_before from ("
        "select source_file from raw.customs_trade union all "
        "select source_file from raw.customs_national_trade union all "
        "select source_file from raw.customs_labels union all "
        "select source_file from raw.product_labels) "
        "where source_file in (select source_file from removed_files) group by source_file), "
        "after as (select source_file, count(*) as rows_after from ("
        "select source_file, source_line from incoming union all "
        "select source_file, source_line from incoming_national) as i "
        "where not exists (select 1 from problems as p where p.source_file = i.source_file "
        "and p.source_line = i.source_line) group by source_file "
        "union all select source_file, count(*) from incoming_annex group by source_file "
        "union all select source_file, count(*) from incoming_labels group by source_file) "
        "select b.source_file, b.rows_before, coalesce(a.rows_after, 0) as rows_after, "
        "b.rows_before - coalesce(a.rows_after, 0) as rows_removed, "
        "case when b.source_file in (select source_file from read_files) then 'file changed' "
        "when b.source_file in (select source_file from vanished_files) then 'file vanished' "
        "else 'data set replaced' end as why, "
        "not (coalesce(old.is_synthetic, false) and old.dataset_name <> $name) as consent "
        "from before as b left join after as a using (source_file) "
        "left join raw.load_audit as old using (source_file) "
        "where b.rows_before > coalesce(a.rows_after, 0)",
        {"name": dataset_name},
    )
    rows = con.execute(
        "select source_file, rows_before, rows_after, why, consent and rows_after = 0 "
        "from removals order by source_file"
    ).fetchall()
    return [Removal(label, int(before), int(after), why, bool(consent))
            for label, before, after, why, consent in rows]  # fmt: skip


def _quarantined_and_kept(con: duckdb.DuckDBPyConnection) -> list[RawInputProblem]:
    """One problem per kept file that still has rows in ``raw.quarantine``, with its first."""
    rows = con.execute(
        "select source_file, count(distinct source_line), min(source_line), "
        "arg_min(column_name || ': ' || reason, (source_line, column_name)) "
        "from raw.quarantine where source_file not in (select source_file from removed_files) "
        "group by source_file order by source_file"
    ).fetchall()
    return [
        RawInputProblem(label, int(first), "-", f"{count:,} row(s) of this file are in "
                        f"raw.quarantine from an earlier --quarantine load (first: {reason})")
        for label, count, first, reason in rows
    ]  # fmt: skip


def _publish(
    con: duckdb.DuckDBPyConnection,
    to_read: list[SourceFile],
    to_remove: list[str],
    dataset_name: str,
    is_synthetic: bool,
) -> None:
    """Apply the plan in one transaction; roll back on any error."""
    columns = ", ".join(RAW_COLUMNS)
    con.execute("begin transaction")
    try:
        for table in RAW_TABLES:
            con.execute(
                f"delete from raw.{table} where source_file in (select * from removed_files)"
            )
        con.execute(
            "insert into raw.product_labels select product_code, product_label, source_file, "
            "source_line, current_timestamp from incoming_labels order by source_file, source_line"
        )
        labels = ", ".join(LABEL_COLUMNS)
        con.execute(
            f"insert into raw.customs_labels ({labels}, source_file, source_line, loaded_at) "
            f"select {labels}, source_file, source_line, current_timestamp from incoming_annex "
            "order by source_file, source_line"
        )
        clean = ("where not exists (select 1 from problems as p where p.source_file = "
                 "i.source_file and p.source_line = i.source_line) order by source_file, "
                 "source_line")  # fmt: skip
        con.execute(
            f"insert into raw.customs_trade ({columns}, source_file, source_line, loaded_at) "
            f"select {columns}, source_file, source_line, current_timestamp "
            f"from incoming as i {clean}"
        )
        national = ", ".join(NATIONAL_COLUMNS)
        con.execute(
            f"insert into raw.customs_national_trade ({national}, source_file, source_line, "
            f"loaded_at) select {national}, source_file, source_line, current_timestamp "
            f"from incoming_national as i {clean}"
        )
        quarantined = list(dict.fromkeys([*RAW_COLUMNS, *NATIONAL_COLUMNS]))
        for table, target, present in (
            ("incoming", "customs_trade", RAW_COLUMNS),
            ("incoming_national", "customs_national_trade", NATIONAL_COLUMNS),
        ):
            values = ", ".join(f"i.{c}" if c in present else "null" for c in quarantined)
            con.execute(
                "insert into raw.quarantine (source_file, source_line, column_name, reason, "
                f"{', '.join(quarantined)}, quarantined_at, target_table) select p.source_file, "
                f"p.source_line, p.column_name, p.reason, {values}, current_timestamp, "
                f"'{target}' from problems as p join {table} as i using (source_file, "
                "source_line) order by p.source_file, p.source_line, p.column_name"
            )
        con.execute(
            "insert into raw.load_audit (source_file, file_sha256, dataset_name, is_synthetic, "
            "rows_read, rows_loaded, rows_quarantined, loaded_at, rows_removed, file_vanished) "
            "select v.source_file, v.sha256, $name, $synthetic, 0, 0, 0, current_timestamp, "
            "coalesce(r.rows_removed, 0), true from vanished_files as v "
            "left join removals as r using (source_file)",
            {"name": dataset_name, "synthetic": is_synthetic},
        )
        _write_audit(con, dataset_name, is_synthetic)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise


@dataclass(frozen=True)
class Consent:
    """What a load may do that it refuses by default."""

    allow_removals: bool = False
    accept_quarantined: bool = False


#: The default: refuse both.
NO_CONSENT = Consent()


def _count_by_file(tables: tuple[str, ...], counted: str = "count(*)") -> str:
    """SQL counting the rows of the files being read, per file, over ``tables``."""
    rows = " union all ".join(
        f"select * from (select source_file, {counted} as n from {t} where source_file in "
        "(select source_file from read_files) group by source_file)" for t in tables
    )  # fmt: skip
    return f"(select source_file, sum(n) as n from ({rows}) group by source_file)"


def _write_audit(con: duckdb.DuckDBPyConnection, dataset_name: str, is_synthetic: bool) -> None:
    """One audit row per file read, counted from what was written, not from intentions.

    Rows read are the rows the reader produced; rows loaded are the file's
    rows in the raw tables; rows quarantined its rows in ``raw.quarantine``
    (a line there once per problem: counted once, or once per country cell of
    a cross table). A file whose rows do not add up stops the load.
    """
    read = _count_by_file(INCOMING_TABLES)
    loaded = _count_by_file(tuple(f"raw.{t}" for t in RAW_TABLES
                                  if t not in {"quarantine", "load_audit"}))  # fmt: skip
    quarantined = _count_by_file(
        ("raw.quarantine",), "count(distinct source_line || '|' || coalesce(country_code, ''))"
    )
    con.execute(
        "insert into raw.load_audit (source_file, file_sha256, dataset_name, is_synthetic, "
        "rows_read, rows_loaded, rows_quarantined, loaded_at, read_fingerprint, rows_removed, "
        "file_vanished) "
        "select f.source_file, f.sha256, $name, $synthetic, coalesce(r.n, 0), coalesce(l.n, 0), "
        "coalesce(q.n, 0), current_timestamp, f.fingerprint, coalesce(removed.rows_removed, 0), "
        f"false from read_files as f "
        f"left join {read} as r using (source_file) left join {loaded} as l using (source_file) "
        f"left join {quarantined} as q using (source_file) "
        "left join removals as removed using (source_file)",
        {"name": dataset_name, "synthetic": is_synthetic},
    )
    unbalanced = con.execute(
        "select source_file, rows_read, rows_loaded, rows_quarantined from raw.load_audit "
        "where source_file in (select source_file from read_files) "
        "and rows_read <> rows_loaded + rows_quarantined order by source_file limit 5"
    ).fetchall()
    if unbalanced:
        raise RuntimeError(f"loader error, nothing written: rows read <> loaded + quarantined "
                           f"(file, read, loaded, quarantined): {unbalanced}")  # fmt: skip


def _load_into(
    con: duckdb.DuckDBPyConnection,
    files: list[SourceFile],
    dataset_name: str,
    is_synthetic: bool,
    default_unit: str,
    quarantine: bool,
    consent: Consent,
) -> tuple[int, int, int, int, list[Removal]]:
    """Plan, read, check and publish; return files read and removed, rows loaded and
    quarantined, and the files that lose rows."""
    _prepare_raw_schema(con)
    reading = reading_fingerprint(dataset_name, is_synthetic, default_unit)
    to_read, to_remove, vanished = _plan(con, files, dataset_name, reading)
    read_into_scratch(con, to_read, default_unit)
    con.execute("create or replace table scratch.read_files "
                "(source_file varchar, sha256 varchar, fingerprint varchar)")  # fmt: skip
    if to_read:
        rows = [[f.label, f.sha256, file_fingerprint(f, reading)] for f in to_read]
        con.executemany("insert into scratch.read_files values (?, ?, ?)", rows)
    con.execute("create or replace table scratch.vanished_files (source_file varchar, sha256 text)")
    if vanished:
        con.executemany("insert into scratch.vanished_files values (?, ?)",
                        [list(item) for item in vanished.items()])  # fmt: skip
    con.execute("create or replace table scratch.removed_files (source_file varchar)")
    if to_remove:
        con.executemany("insert into scratch.removed_files values (?)", [[x] for x in to_remove])
    for kept, table in (("kept", "customs_trade"), ("kept_national", "customs_national_trade"),
                        ("kept_annex", "customs_labels")):  # fmt: skip
        con.execute(
            f"create or replace temp view {kept} as select * from raw.{table} "
            "where source_file not in (select source_file from scratch.removed_files)"
        )
    problem_count = find_problems(con)
    fatal = int(con.execute("select count(*) from scratch.problems where fatal").fetchone()[0])
    if fatal or (problem_count and not quarantine):
        # a label annex is never half loaded: its problems refuse the load in any mode
        rows = con.execute(
            "select source_file, source_line, column_name, reason from scratch.problems "
            "where fatal or not $quarantine order by source_file, source_line, column_name "
            "limit $limit",
            {"quarantine": quarantine, "limit": MAX_REPORTED_PROBLEMS},
        ).fetchall()
        raise RawInputError([RawInputProblem(*row) for row in rows],
                            total=fatal if quarantine else problem_count)  # fmt: skip
    removals = _removals(con, dataset_name)
    _refuse_without_consent(con, removals, quarantine, consent)
    _publish(con, to_read, to_remove, dataset_name, is_synthetic)
    loaded, quarantined = con.execute(
        "select (select count(*) from raw.customs_trade) "
        "+ (select count(*) from raw.customs_national_trade), "
        "(select count(distinct (source_file, source_line)) from raw.quarantine)"
    ).fetchone()
    removed = len(set(to_remove) - {f.label for f in to_read})
    return len(to_read), removed, int(loaded), int(quarantined), removals


def _refuse_without_consent(
    con: duckdb.DuckDBPyConnection, removals: list[Removal], quarantine: bool, consent: Consent
) -> None:
    """Refuse a load that would empty files, or load strictly over quarantined rows,
    unless the user said so (the message names the option)."""
    problems: list[RawInputProblem] = []
    hints: list[str] = []
    if not quarantine and not consent.accept_quarantined:
        kept = _quarantined_and_kept(con)
        problems += kept
        hints += [QUARANTINE_HINT] if kept else []
    emptied = [r for r in removals if r.needs_consent]
    if emptied and not consent.allow_removals:
        problems += [RawInputProblem(r.source_file, 0, "-", f"this load would remove all "
                                     f"{r.rows_before:,} rows of the file ({r.why})")
                     for r in emptied]  # fmt: skip
        hints.append(ALLOW_REMOVALS_HINT)
    if problems:
        raise LoadRefused(problems[:MAX_REPORTED_PROBLEMS], total=len(problems), hints=hints)


def load(
    folder: Path,
    warehouse: Path,
    quarantine: bool = False,
    allow_removals: bool = False,
    accept_quarantined: bool = False,
) -> LoadReport:
    """Bring the raw layer of ``warehouse`` in line with ``folder``.

    With ``quarantine=False`` (the default, used by the main job) any invalid
    row refuses the whole load, and so do rows an earlier quarantine load set
    aside for files kept (unless ``accept_quarantined``); with
    ``quarantine=True`` invalid rows are kept aside in ``raw.quarantine`` and
    the valid ones load. A load that would remove every row of a file is
    refused unless ``allow_removals``.
    """
    dataset_name, is_synthetic, default_unit = read_manifest(folder)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="trade-raw-") as scratch:
        files = discover(folder, Path(scratch))
        if not files:
            raise RawInputError([RawInputProblem(str(folder), 0, "-", "no CSV or zip file found")])
        with duckdb.connect(str(warehouse)) as con:
            con.execute("set enable_progress_bar = false")
            con.execute("set memory_limit = ?", [memory_limit()])
            # Work tables live in a scratch database file of their own, not in
            # memory (DuckDB pages them out: loads larger than memory fit) and
            # not in the warehouse (a refused load leaves its file untouched).
            warehouse_db = con.execute("select current_database()").fetchone()[0]
            con.execute(f"attach '{Path(scratch) / 'scratch.duckdb'}' as scratch")
            # the warehouse first: what is created unqualified (schema raw) goes there
            con.execute(f"set search_path = '\"{warehouse_db}\".main,scratch.main'")
            files_read, files_removed, loaded, quarantined, removals = _load_into(
                con, files, dataset_name, is_synthetic, default_unit, quarantine,
                Consent(allow_removals, accept_quarantined),
            )  # fmt: skip
    return LoadReport(
        files=len(files),
        files_read=files_read,
        files_removed=files_removed,
        rows_loaded=loaded,
        rows_quarantined=quarantined,
        dataset_name=dataset_name,
        is_synthetic=is_synthetic,
        removals=tuple(removals),
    )


def add_consent_options(parser: argparse.ArgumentParser) -> None:
    """The options lifting the loader's refusals, shared by ``trade load`` and ``trade build``."""
    parser.add_argument(
        "--allow-removals", action="store_true",
        help="let the load remove every row of a file (a vanished file, or one emptied)",
    )  # fmt: skip
    parser.add_argument(
        "--accept-quarantined", action="store_true",
        help="load strictly although rows an earlier --quarantine load set aside stay there",
    )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw-dir", type=Path, default=None, help="folder of customs files")
    parser.add_argument("--warehouse", type=Path, default=None, help="DuckDB file")
    parser.add_argument(
        "--quarantine", action="store_true",
        help="keep invalid rows aside in raw.quarantine and load the valid ones",
    )  # fmt: skip
    add_consent_options(parser)
    args = parser.parse_args(argv)
    folder = args.raw_dir or raw_dir()
    target = args.warehouse or warehouse_path()
    try:
        report = load(folder, target, quarantine=args.quarantine,
                      allow_removals=args.allow_removals,
                      accept_quarantined=args.accept_quarantined)  # fmt: skip
    except RawInputError as error:
        print(f"load failed: {error}", file=sys.stderr)
        return 1
    for line in report.removal_lines():
        print(line)
    print(f"{report.rows_loaded:,} rows in raw ({report.files_read} of {report.files} files "
          f"read, {report.rows_quarantined:,} rows quarantined) from {report.dataset_name} "
          f"into {target}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
