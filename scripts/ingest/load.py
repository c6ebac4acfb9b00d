"""Load a folder of customs files into the warehouse's ``raw`` schema, in one transaction.

Why it is built this way: an analyst must be able to trust that the ``raw``
schema is exactly the folder it was loaded from, and a bad file must never
cost the warehouse what it already holds. So the loader

- fingerprints every file and reads only new or changed ones (loading the same
  folder twice changes nothing; adding a year reads only that year's files);
- refuses a structurally broken file whole, and the load with it;
- checks every row with set-based SQL (``scripts/ingest/checks.py``); by default
  any invalid row refuses the load, listing file, line, column and reason;
  with ``quarantine=True`` invalid rows go to ``raw.quarantine`` and valid rows
  load;
- replaces the rows of changed files, removes those of vanished files, and
  writes ``raw.load_audit`` (rows read = rows loaded + rows quarantined, per
  file) in a single transaction, so readers see the old state or the new one.
  The files are read straight into the raw tables within that transaction
  (each row written once) and checked there; a refusal rolls it all back;
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
import contextlib
import hashlib
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from scripts.ingest import (
    check_sql,
    checks,
    files,
    headers,
    incoming,
    layout,
    readers,
    sources,
    text,
)
from scripts.ingest.checks import find_problems
from scripts.ingest.consent import (
    MAX_REPORTED_PROBLEMS,
    NO_CONSENT,
    Consent,
    LoadRefused,
    Removal,
    count_rows_before,
    refuse_without_consent,
)
from scripts.ingest.consent import removals as find_removals
from scripts.ingest.files import (
    RawInputError,
    RawInputProblem,
    SourceFile,
    Unchanged,
    discover,
    read_into_raw,
    read_manifest,
)
from scripts.ingest.publish import publish as _publish
from scripts.ingest.raw_schema import RAW_TABLES, is_outdated, prepare_raw_schema, raw_columns
from scripts.paths import SEEDS_DIR, raw_dir, warehouse_path

#: Names other modules and the tests use from the loader, wherever they are defined.
__all__ = ["NO_CONSENT", "RAW_TABLES", "Consent", "LoadRefused", "LoadReport", "RawInputError",
           "RawInputProblem", "Removal", "load"]  # fmt: skip


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
    #: Wall seconds of each phase (see ``PHASES``), for the benchmark's breakdown.
    seconds: dict[str, float] = field(default_factory=dict, compare=False)
    #: CPU seconds of each phase, DuckDB's threads included (wall time alone misleads on a
    #: busy machine, where a phase waits for a core).
    cpu_seconds: dict[str, float] = field(default_factory=dict, compare=False)

    def removal_lines(self) -> list[str]:
        """One line per file that lost rows, for the command's output."""
        return [f"rows removed: {removal}" for removal in self.removals]


#: The loader's phases, timed: find and decode the files, read them into the raw tables
#: (DuckDB's CSV reader, in the load's transaction), check every row, quarantine, write
#: the audit and commit.
PHASES = ("prepare", "read", "check", "publish")


class PhaseClock:
    """Wall and CPU seconds of the loader's phases, each from the end of the previous one."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def done(self, phase: str) -> None:
        """Record ``phase`` as ending now."""
        wall, cpu = time.perf_counter(), time.process_time()
        self.wall[phase], self.cpu[phase] = wall - self._wall, cpu - self._cpu
        self._wall, self._cpu = wall, cpu


def memory_limit() -> str:
    """DuckDB's memory ceiling, shared with profiles.yml (TRADE_DUCKDB_MEMORY_LIMIT)."""
    return os.environ.get("TRADE_DUCKDB_MEMORY_LIMIT", "1GB")


#: The code and reference data that decide how a file is read and checked.
READING_INPUTS = (
    *(Path(module.__file__) for module in (files, sources, text, headers, readers, layout,
                                           check_sql, checks, incoming)),
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
    return _fingerprint(source.sha256, reading)


def _fingerprint(sha256: str, reading: str) -> str:
    return hashlib.sha256(f"{sha256}:{reading}".encode()).hexdigest()


def _audit(con: duckdb.DuckDBPyConnection, dataset_name: str) -> list[tuple]:
    """Every file the audit records for ``dataset_name``: label, SHA-256, read
    fingerprint, whether it vanished."""
    return con.execute(
        "select source_file, file_sha256, read_fingerprint, coalesce(file_vanished, false) "
        "from raw.load_audit where dataset_name = ?", [dataset_name],
    ).fetchall()  # fmt: skip


#: The audit's columns the plan compares (added in place to older raw layers).
_AUDIT_COLUMNS = {"load_audit.read_fingerprint", "load_audit.file_vanished"}


def _already_loaded(warehouse: Path, dataset_name: str, reading: str) -> Unchanged:
    """Whether a table is loaded in ``warehouse`` with the same bytes, read the same way:
    asked before any file is prepared, so that only new or changed files are decoded
    and written to scratch (``_plan`` then reads exactly the others)."""
    loaded: dict[str, str] = {}
    if warehouse.exists():
        with duckdb.connect(str(warehouse), read_only=True) as con:
            # a raw layer the load will drop or migrate first: prepare every file
            found = raw_columns(con)
            if not is_outdated(found) and found >= _AUDIT_COLUMNS:
                loaded = {row[0]: row[2] for row in _audit(con, dataset_name) if not row[3]}
    return lambda label, sha256: loaded.get(label) == _fingerprint(sha256, reading)


def _plan(
    con: duckdb.DuckDBPyConnection, files: list[SourceFile], dataset_name: str, reading: str
) -> tuple[list[SourceFile], list[str], dict[str, str]]:
    """Files to read (new, changed, or read differently), files whose rows must go
    (changed or vanished), and the vanished ones with their last SHA-256.

    A different data set (say real files after the sample) replaces everything.
    A file already recorded as vanished is not vanishing again; if it comes
    back it is read as a new file.
    """
    audit = _audit(con, dataset_name)
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


def _load_into(
    con: duckdb.DuckDBPyConnection,
    files: list[SourceFile],
    dataset_name: str,
    is_synthetic: bool,
    default_unit: str,
    quarantine: bool,
    consent: Consent,
    clock: PhaseClock,
) -> tuple[int, int, int, int, list[Removal]]:
    """Plan, read, check and publish, in the open transaction; return files read and
    removed, rows loaded and quarantined, and the files that lose rows. ``clock`` times
    each phase. Any exception leaves the transaction for the caller to roll back."""
    reading = reading_fingerprint(dataset_name, is_synthetic, default_unit)
    to_read, to_remove, vanished = _plan(con, files, dataset_name, reading)
    if any(not f.prepared for f in to_read):  # the plan and _already_loaded disagree
        raise RuntimeError("a file to read was not prepared: " + ", ".join(
            f.label for f in to_read if not f.prepared))  # fmt: skip
    read = [[f.label, f.sha256, file_fingerprint(f, reading)] for f in to_read]
    incoming.create_work_tables(con, read, to_remove, vanished)
    count_rows_before(con)
    incoming.delete_removed_rows(con)
    incoming.create_views(con)
    read_into_raw(con, to_read, default_unit)
    incoming.count_read_rows(con)
    clock.done("read")
    problem_count = find_problems(con)
    fatal = int(con.execute("select count(*) from problems where fatal").fetchone()[0])
    if fatal or (problem_count and not quarantine):
        # a label annex is never half loaded: its problems refuse the load in any mode
        rows = con.execute(
            "select source_file, source_line, column_name, reason from problems "
            "where fatal or not $quarantine order by source_file, source_line, column_name "
            "limit $limit",
            {"quarantine": quarantine, "limit": MAX_REPORTED_PROBLEMS},
        ).fetchall()
        raise RawInputError([RawInputProblem(*row) for row in rows],
                            total=fatal if quarantine else problem_count)  # fmt: skip
    removed_rows = find_removals(con, dataset_name)
    refuse_without_consent(con, removed_rows, quarantine, consent)
    clock.done("check")
    _publish(con, dataset_name, is_synthetic)
    loaded, quarantined = con.execute(
        "select (select count(*) from raw.customs_trade) "
        "+ (select count(*) from raw.customs_national_trade), "
        "(select count(distinct (source_file, source_line)) from raw.quarantine)"
    ).fetchone()
    removed = len(set(to_remove) - {f.label for f in to_read})
    return len(to_read), removed, int(loaded), int(quarantined), removed_rows


def _open(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """A connection to ``warehouse`` set for a load."""
    con = duckdb.connect(str(warehouse))
    con.execute("set enable_progress_bar = false")
    con.execute("set memory_limit = ?", [memory_limit()])
    # Every row carries its file and line, and nothing reads raw by its physical
    # order: DuckDB may then read and write in parallel without keeping the order
    # (about twice as fast on two cores, and less memory).
    con.execute("set preserve_insertion_order = false")
    return con


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
    clock = PhaseClock()
    unchanged = _already_loaded(
        warehouse, dataset_name, reading_fingerprint(dataset_name, is_synthetic, default_unit)
    )
    with tempfile.TemporaryDirectory(prefix="trade-raw-") as scratch:
        files = discover(folder, Path(scratch), unchanged)
        clock.done("prepare")
        if not files:
            raise RawInputError([RawInputProblem(str(folder), 0, "-", "no CSV or zip file found")])
        with _open(warehouse) as con:
            prepare_raw_schema(con)
            # One transaction from the first row read to the audit: the rows go straight
            # into raw (written once), and a refusal or a failure rolls all of it back.
            # DuckDB writes a large insert's row groups to the file as it goes, and a
            # rollback frees them: the rows need not fit in memory.
            con.execute("begin transaction")
            try:
                files_read, files_removed, loaded, quarantined, removals = _load_into(
                    con, files, dataset_name, is_synthetic, default_unit, quarantine,
                    Consent(allow_removals, accept_quarantined), clock,
                )  # fmt: skip
                con.execute("commit")
            except BaseException:
                with contextlib.suppress(duckdb.Error):  # a lost connection rolls back alone
                    con.execute("rollback")
                raise
            clock.done("publish")
    return LoadReport(
        files=len(files),
        files_read=files_read,
        files_removed=files_removed,
        rows_loaded=loaded,
        rows_quarantined=quarantined,
        dataset_name=dataset_name,
        is_synthetic=is_synthetic,
        removals=tuple(removals),
        seconds=clock.wall,
        cpu_seconds=clock.cpu,
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
    for name, times in (("seconds", report.seconds), ("cpu seconds", report.cpu_seconds)):
        print(f"{name}: " + json.dumps({k: round(v, 3) for k, v in times.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
