"""Measure what the pipeline costs, how it grows with data, and how far dbt is from DuckDB.

Why a script and not tests: timings depend on the machine and its load, so
they are measured here, reported with the targets they are meant to meet
(issue #17), and never asserted in the test suite. Each stage runs in a child
process so its wall time, CPU time and peak memory are its own. Results go to
``benchmarks/results.json`` and ``benchmarks/results.md`` (docs/benchmarks.md
says how to read them).

Usage: trade bench [--runs 3] [--skip STEP ...] [--spark all|one|none] [--quick]
[--report-only]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import duckdb

from scripts.bench import compare, loader, runs
from scripts.bench.measure import load_average, median
from scripts.bench.report import markdown, targets
from scripts.bench.runs import Size
from scripts.paths import PROJECT_DIR

RESULTS_DIR = PROJECT_DIR / "benchmarks"
#: The detail factor giving at least the estimated lines a year of a real regional file
#: (report.ESTIMATED_LINES_PER_YEAR; the generator caps products and partners at the
#: nomenclatures).
DENSE_DETAIL = 4.0
#: Years of the loader's throughput input at DENSE_DETAIL: about 22 million raw lines.
LOADER_YEARS = (2017, 2024)


#: The measures, in the order they run (the most telling first, so that a run cut short
#: still answers the main questions): name -> what it measures.
STEPS = {
    "five": "the 5-year sample's pipeline (the main command) and dbt against DuckDB",
    "one": "the 1-year sample's pipeline (with 5 and 10 years: the cost of a year)",
    "loader": "the loader on about 20 million raw lines, against DuckDB's bare reader",
    "incremental": "adding one year to a nine-year warehouse, against a full rebuild",
    "ten": "the 10-year sample's pipeline",
    "dense": "one year at the estimated density of a real regional file",
}


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs",
        type=int,
        default=3,
        help="runs of the 1- and 5-year pipelines (median); other sizes once",
    )
    parser.add_argument(
        "--skip",
        nargs="*",
        default=[],
        choices=sorted(STEPS),
        metavar="STEP",
        help="measures to leave out: "
        + "; ".join(f"{name}: {what}" for name, what in STEPS.items()),
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke test: one run, only five and one, the loader on one year "
        "and the incremental build on three years",
    )
    parser.add_argument(
        "--spark",
        choices=("all", "one", "none"),
        default=None,
        help="build every size on local Spark too, or only the size of the one step (1 year) "
        "(default: all when dbt-spark, PySpark and Java are installed)",
    )
    parser.add_argument(
        "--dense-detail",
        type=float,
        default=DENSE_DETAIL,
        help="detail factor of the real-density size and the loader's input",
    )
    parser.add_argument("--out", type=Path, default=RESULTS_DIR)
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="rewrite results.md from results.json without measuring",
    )
    return parser.parse_args(argv)  # fmt: skip


def on_spark(step: str, spark: str) -> bool:
    """Whether ``step`` builds its raw rows on Spark too under ``--spark``: every size with
    ``all``, only the ``one`` step's size (1 year) with ``one`` (Spark's dbt build of ten
    years takes minutes)."""
    return spark == "all" or (spark == "one" and step == "one")


def _step(name: str, args: argparse.Namespace, work: Path, results: dict[str, Any]) -> None:
    """Run one measure and store its figures in ``results``."""
    spark = results["spark"]
    count = results["runs"]
    if name == "five":
        size = Size("5 years (default sample)", 2020, 2024)
        results["five_years"] = runs.pipeline(work / "five", size, count, on_spark(name, spark))
        whole = [runs.main_command(work / "main-command") for _ in range(count)]
        results["five_years"]["main_command"] = asdict(median(whole))
        warehouse, target = work / "five" / "trade.duckdb", work / "five" / "target"
        results["gap"] = {**compare.baseline(warehouse, count),
                          **compare.dbt_sql(warehouse, target, work / "gap"),
                          **compare.dbt_sequential(warehouse, work / "sequential")}  # fmt: skip
    elif name in ("one", "ten"):
        size = Size("1 year", 2024, 2024) if name == "one" else Size("10 years", 2015, 2024)
        run = runs.pipeline(work / name, size, count if name == "one" else 1, on_spark(name, spark))
        results.setdefault("growth", {})[size.label] = run
    elif name == "dense":
        size = Size(f"1 year, detail x{args.dense_detail:g}", 2024, 2024, args.dense_detail)
        results["dense"] = runs.pipeline(work / "dense", size, 1, on_spark(name, spark))
    elif name == "loader":
        first, detail = (2024, 1.0) if args.quick else (LOADER_YEARS[0], args.dense_detail)
        results["loader"] = loader.throughput(work / "loader", first, LOADER_YEARS[1], detail)
    else:
        first = 2022 if args.quick else 2015
        results["incremental"] = runs.incremental(work / "incremental", first, 2024)


def _save(results: dict[str, Any], out: Path, started: float) -> None:
    """Write results.json and results.md as they stand (after every measure)."""
    results["targets"] = targets(results)
    results["load_average_at_end"] = load_average()
    results["duration_s"] = time.perf_counter() - started
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    (out / "results.md").write_text(markdown(results))


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    if args.report_only:
        results = json.loads((args.out / "results.json").read_text())
        (args.out / "results.md").write_text(markdown(results))
        print(markdown(results))
        return 0
    started = time.perf_counter()
    spark = args.spark or ("all" if runs.spark_available() else "none")
    results: dict[str, Any] = {
        "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
                   f"{platform.python_version()}, DuckDB {duckdb.__version__}",
        "command": ("trade bench " + " ".join(sys.argv[1:] if argv is None else argv)).strip(),
        "load_average_at_start": load_average(), "runs": 1 if args.quick else args.runs,
        "spark": "one" if args.quick and spark == "all" else spark, "growth": {},
    }  # fmt: skip
    skipped = set(args.skip) | ({"ten", "dense"} if args.quick else set())
    with tempfile.TemporaryDirectory(prefix="trade-bench-") as scratch:
        for name in (n for n in STEPS if n not in skipped):
            print(f"[{time.strftime('%H:%M:%S')}] {name}: {STEPS[name]}", flush=True)
            try:
                _step(name, args, Path(scratch), results)
            except (RuntimeError, subprocess.CalledProcessError, OSError, ValueError) as error:
                # one failed measure must not cost the others: it is reported instead
                results.setdefault("errors", {})[name] = str(error)[-1500:]
            _save(results, args.out, started)
    print(markdown(results))
    return 0
