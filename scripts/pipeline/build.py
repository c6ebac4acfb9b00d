"""The main job: raw customs files -> DuckDB raw layer -> dbt build -> report pages.

Why one script: a new user runs one command (``make build``) and gets the
whole warehouse from the embedded synthetic sample, and CI, the tests and the
benchmark run the very same steps. The warehouse is built into a new file
next to the target and moved into place only when every step has passed, so a
failed build (a refused raw file, a failing dbt test) leaves the previous
warehouse exactly as it was, and a reader never sees a half-built one. dbt
starts first, in its own process, and parses the project while the sample is
generated and the raw files load (scripts/pipeline/dbt_child.py).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from scripts.ingest import layout as raw_layout
from scripts.ingest import load as load_raw
from scripts.paths import PROJECT_DIR, SAMPLE_RAW_DIR, raw_dir, warehouse_path
from scripts.pipeline import changed_years
from scripts.pipeline import dbt_child as early_dbt
from scripts.pipeline import parquet as export_parquet
from scripts.pipeline import state as build_state
from scripts.report import render as render_reports
from scripts.sample import generate as generate_sample

SITE_DIR = PROJECT_DIR / "site"


class BuildError(RuntimeError):
    """A pipeline step failed; the previous warehouse file is untouched."""


def ensure_sample(folder: Path, years: range) -> None:
    """Generate the synthetic sample unless the folder already holds this exact one."""
    manifest = folder / raw_layout.DATASET_MANIFEST
    if manifest.exists():
        content = json.loads(manifest.read_text(encoding="utf-8"))
        if (
            content.get("seed") == generate_sample.SEED
            and content.get("years") == list(years)
            and content.get("detail") == 1.0
            and not content.get("declaration_lines")  # a benchmark's declaration-level files
            and content.get("generator_version") == generate_sample.generator_version()
        ):
            return
    print(f"generating the synthetic sample for {years.start}-{years.stop - 1} ...")
    generate_sample.write_sample(folder, years)


def dbt_command(*args: str) -> list[str]:
    """A dbt command line for this project, using the dbt installed beside this Python."""
    dbt = Path(sys.executable).parent / "dbt"
    project = ["--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)]
    return [str(dbt), *args, *project]


#: What the main job's ``dbt build`` leaves out: the unit tests. Their inputs are
#: fixed rows written in the YAML, so they say the same of every build; they are
#: the test suite's (tests/test_warehouse.py runs them all) and run with a plain
#: ``dbt build``, as dbt's documentation advises for development and CI.
MAIN_JOB_EXCLUDES = ("--exclude-resource-type", "unit_test")

#: What an incremental build runs: the nodes built from the customs' raw tables
#: (the dbt source ``customs``) and their tests. The others, the seeds and what
#: is built from them alone (reference staging, territories) with their tests,
#: are exactly those of the last build: a build is incremental only when the
#: project's fingerprint, seeds included, has not changed (scripts/pipeline/state.py).
INCREMENTAL_SELECTION = ("--select", "source:customs+")


def building_path(target: Path) -> Path:
    """The file a build of ``target`` writes, moved onto ``target`` once every step has passed."""
    return target.with_name(target.name + ".building")


def start_dbt(target: Path, dbt_args: list[str] | None = None) -> early_dbt.DbtChild:
    """Start dbt for a build of ``target``: it imports dbt and parses while the raw files load.

    See scripts/pipeline/dbt_child.py; :func:`build_warehouse` tells it to build. The
    project's fingerprint, which the build records, is taken first: a file edited while
    the child parses then differs from the recorded one, and the next build refreshes
    every year instead of keeping years computed from a parse of the older file.
    """
    fingerprint = build_state.project_fingerprint(dbt_args=dbt_args)
    parse = dbt_command("parse")[1:]
    return early_dbt.DbtChild.start(parse, building_path(target), dbt_args or [], PROJECT_DIR,
                                    fingerprint)  # fmt: skip


def dbt_build(
    warehouse: Path,
    extra_args: list[str] | None = None,
    years: list[int] | None = None,
    child: early_dbt.DbtChild | None = None,
) -> None:
    """Run ``dbt build`` (seeds, models, data tests) against ``warehouse`` in a child process.

    A child process guarantees that dbt's DuckDB connection is closed (and its
    write-ahead log checkpointed) before the file is moved into place.
    ``years``, when given, are the only years whose rows changed: the marts
    incremental by year recompute only them, and the tests that judge each row
    or year alone read only them (macros/changed_years.sql); otherwise every
    year is computed and tested. ``child``, from :func:`start_dbt` for this
    ``warehouse``, is a dbt that has already parsed the project; without it a
    new ``dbt`` process starts and parses.
    """
    listed = ",".join(map(str, years)) if years else None  # None: unset
    command = dbt_command("build", *MAIN_JOB_EXCLUDES, *(extra_args or []))
    if child is not None:
        if child.key[0] != warehouse:
            raise ValueError(f"the dbt child was started for {child.key[0]}, not {warehouse}")
        status = child.build(command[1:], {"TRADE_CHANGED_YEARS": listed})
    else:
        env = {**os.environ, "TRADE_WAREHOUSE_PATH": str(warehouse)}
        env.pop("TRADE_CHANGED_YEARS", None)
        if listed:
            env["TRADE_CHANGED_YEARS"] = listed
        status = subprocess.run(command, cwd=PROJECT_DIR, env=env, check=False).returncode
    if status != 0:
        raise BuildError("dbt build failed (see the failing models or tests above)")


def _load(folder: Path, building: Path, quarantine: bool, consent: load_raw.Consent
          ) -> load_raw.LoadReport:  # fmt: skip
    """Load the raw files of ``folder`` into ``building`` and say what was loaded or removed."""
    started = time.perf_counter()
    report = load_raw.load(folder, building, quarantine=quarantine,
                           allow_removals=consent.allow_removals,
                           accept_quarantined=consent.accept_quarantined)  # fmt: skip
    for line in report.removal_lines():
        print(line)
    print(f"raw layer: {report.rows_loaded:,} rows, {report.files_read} of {report.files} "
          f"files read, {report.rows_quarantined:,} rows quarantined "
          f"({report.dataset_name}) in {time.perf_counter() - started:.1f} s")  # fmt: skip
    return report


def build_warehouse(
    folder: Path,
    target: Path,
    dbt_args: list[str] | None = None,
    quarantine: bool = False,
    full_refresh: bool = False,
    consent: load_raw.Consent = load_raw.NO_CONSENT,
    dbt: early_dbt.DbtChild | None = None,
) -> load_raw.LoadReport:
    """Load ``folder`` and run dbt into a copy of the warehouse, then swap it in atomically.

    Starting from a copy of the current warehouse lets the loader read only new
    or changed files, and dbt recompute only the years they touch (see
    scripts/pipeline/state.py for when it must recompute every year);
    ``full_refresh`` starts from an empty file instead. ``consent`` lifts the
    loader's refusals (removing every row of a file, a strict load over
    quarantined rows); without it such a build stops before dbt runs. dbt
    starts first (``dbt``, from :func:`start_dbt` with the same ``target`` and
    ``dbt_args``, or started here) so that it parses the project during the
    load; a build that stops before dbt runs stops it too.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    building = building_path(target)
    if dbt is None or dbt.key != (building, tuple(dbt_args or [])):
        dbt = start_dbt(target, dbt_args)
    for leftover in (building, building.with_name(building.name + ".wal")):
        leftover.unlink(missing_ok=True)
    try:
        if target.exists() and not full_refresh:
            shutil.copyfile(target, building)
        fingerprint = dbt.fingerprint  # taken before dbt read the project
        previous = build_state.last_build(building)
        raw_before_load = build_state.raw_signature(building)
        years_before_load = changed_years.signatures(building)
        report = _load(folder, building, quarantine, consent)
        years_after_load = changed_years.signatures(building)
        reason = build_state.full_refresh_reason(
            previous, fingerprint, raw_before_load, report.files_removed,
            build_state.vanished_years(building),
            requested=full_refresh,
        )  # fmt: skip
        years = [] if reason else changed_years.changed_years(years_before_load, years_after_load)
        print(
            f"dbt: {'every year rebuilt (' + reason + ')' if reason else 'incremental build'}"
            + (f"; years recomputed and tested: {', '.join(map(str, years))}" if years else "")
        )
        mode = ["--full-refresh"] if reason else list(INCREMENTAL_SELECTION)
        dbt_build(building, [*(dbt_args or []), *mode], years, dbt)
        build_state.record_build(building, fingerprint, reason)
        os.replace(building, target)
    finally:
        try:
            dbt.cancel()
        finally:  # (a second interruption while the child stops must not leave the file)
            building.unlink(missing_ok=True)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--raw-dir", type=Path, default=None,
        help="folder of customs files (default: TRADE_RAW_DIR or the synthetic sample)",
    )  # fmt: skip
    parser.add_argument("--first-year", type=int, default=generate_sample.DEFAULT_FIRST_YEAR)
    parser.add_argument("--last-year", type=int, default=generate_sample.DEFAULT_LAST_YEAR)
    parser.add_argument(
        "--quarantine",
        action="store_true",
        help="load valid rows and keep invalid ones in raw.quarantine instead of failing",
    )
    parser.add_argument(
        "--no-reports", action="store_true", help="skip rendering the report pages (site/)"
    )
    parser.add_argument(
        "--parquet",
        action="store_true",
        help="also write every mart to Parquet (exports/parquet/, with a manifest)",
    )
    parser.add_argument(
        "--full-refresh", action="store_true",
        help="rebuild from an empty warehouse instead of reading only new or changed files",
    )  # fmt: skip
    load_raw.add_consent_options(parser)
    args = parser.parse_args(argv)

    folder = (args.raw_dir or raw_dir()).resolve()
    target = warehouse_path()
    try:
        with start_dbt(target) as dbt:  # it parses during the sample's generation and the load
            if folder == SAMPLE_RAW_DIR.resolve():
                ensure_sample(folder, range(args.first_year, args.last_year + 1))
            build_warehouse(
                folder,
                target,
                quarantine=args.quarantine,
                full_refresh=args.full_refresh,
                consent=load_raw.Consent(args.allow_removals, args.accept_quarantined),
                dbt=dbt,
            )
    except (load_raw.RawInputError, BuildError, FileNotFoundError) as error:
        print(f"build failed: {error}", file=sys.stderr)
        return 1
    print(f"warehouse ready: {target}")
    if args.parquet:
        export_parquet.main(["--warehouse", str(target)])
    if not args.no_reports:
        try:
            report = render_reports.render_site(target, SITE_DIR)
        except render_reports.RenderError as error:
            print(f"report pages failed: {error}", file=sys.stderr)
            return 1
        print(f"report pages: {report.page_count} territories ({report.year}) in "
              f"{SITE_DIR / 'index.html'}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
