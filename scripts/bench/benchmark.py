"""Measure what the pipeline costs, how it grows with data, and how far dbt is from DuckDB.

Why a script and not tests: timings depend on the machine and its load, so
they are measured here, reported with the targets they are meant to meet, and
never asserted in the test suite. Each stage runs in a child process so its
wall time, CPU time and peak memory (RSS) are its own; every figure is the
median of several runs. Results go to ``benchmarks/results.json`` and
``benchmarks/results.md``, which README.md quotes.

Usage: trade bench [--runs 3] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

from scripts.paths import PROJECT_DIR, SEEDS_DIR
from scripts.pipeline.build import dbt_command

RESULTS_DIR = PROJECT_DIR / "benchmarks"
BASELINE_SQL = Path(__file__).with_name("baseline.sql")
PY = sys.executable
#: Models that compute the fiche's marts, timed against the hand-written baseline.
CORE_MODELS = (
    "stg_customs__trade_values", "stg_reference__departments", "stg_reference__regions",
    "stg_reference__countries", "stg_reference__products_a129", "stg_reference__products_a38",
    "stg_reference__products_a17", "stg_customs__product_labels", "int_territories",
    "int_territory_trade", "int_territory_flow_totals", "int_territory_flow_links",
    "int_products_a129",
    "territory_trade_balance", "territory_partner_trade", "territory_product_trade",
    "territory_flow_links",
)  # fmt: skip
#: The detail factor of the sample generator that multiplies rows per year the most
#: (products and partners per department, capped by the nomenclatures).
FINE_DETAIL = 8.0
#: Declaration lines per published cell for the declaration-like size: one year
#: at 36 lines a cell is about 20 million lines, what the customs service
#: processes in a month (issue #9).
DECLARATION_LINES = 36


@dataclass(frozen=True)
class Measure:
    wall_s: float
    cpu_s: float
    peak_rss_mib: float


def _tree_sample(pid: int, cpu_ticks: dict[int, int]) -> int:
    """Resident memory (KiB) of a process and all its descendants now, from /proc;
    also records each one's CPU time so far (clock ticks) in ``cpu_ticks``.

    Why: Spark runs in a JVM that dbt's Python starts and never waits for, so
    the JVM's memory and CPU are missing from the rusage os.wait4 returns.
    """
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            stat = Path(f"/proc/{current}/stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            cpu_ticks[current] = int(fields[11]) + int(fields[12])  # utime + stime
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError, ValueError, IndexError):
            continue
    return total


def run_stage(command: list[str], env: dict[str, str] | None = None) -> Measure:
    """Run one stage as a child process and measure it alone.

    Wall time; CPU time and peak memory as the larger of what the rusage of
    os.wait4 says (the child and the descendants it waited for) and what
    sampling the whole process tree every 0.2 s saw.
    """
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL, stderr=errors
        )
        peak_tree = 0
        cpu_ticks: dict[int, int] = {}
        stop = threading.Event()

        def sample() -> None:
            nonlocal peak_tree
            while not stop.wait(0.2):
                peak_tree = max(peak_tree, _tree_sample(process.pid, cpu_ticks))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        stop.set()
        sampler.join()
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            tail = errors.read().decode(errors="replace")[-2000:]
            raise RuntimeError(f"stage failed: {' '.join(command)}\n{tail}")
    peak_kib = max(usage.ru_maxrss, peak_tree)
    cpu_tree = sum(cpu_ticks.values()) / os.sysconf("SC_CLK_TCK")
    return Measure(wall, max(usage.ru_utime + usage.ru_stime, cpu_tree), peak_kib / 1024)


def median(measures: list[Measure]) -> Measure:
    return Measure(
        statistics.median(m.wall_s for m in measures),
        statistics.median(m.cpu_s for m in measures),
        statistics.median(m.peak_rss_mib for m in measures),
    )


@dataclass
class PipelineRun:
    stages: dict[str, Measure]
    dbt_startup_s: float
    dbt_models_s: float
    dbt_tests_s: float
    dbt_core_models_s: float
    raw_rows: int


def spark_stages(work: Path, warehouse: Path) -> dict[str, Measure]:
    """The same raw layer and dbt build on local Spark (dbt-spark's session method).

    The raw tables go to Parquet (DuckDB's COPY) and are registered in Spark;
    then ``dbt build --target spark`` runs every seed, model and test. Each
    dbt command starts its own Spark session, so both include Spark's start-up.
    """
    spark_dir, target = work / "spark", work / "spark-target"
    env = {**os.environ, "TRADE_SPARK_DIR": str(spark_dir)}
    location = json.dumps({"location": str(spark_dir / "raw")})
    return {
        "spark_raw_to_parquet": run_stage([PY, "-m", "scripts.pipeline.spark", "--warehouse",
                                           str(warehouse), "--out", str(spark_dir / "raw"),
                                           "--no-register"], env),
        "spark_register_raw": run_stage(dbt_command(
            "run-operation", "register_raw_tables", "--args", location, "--target", "spark",
            "--target-path", str(target)), env),
        "spark_dbt_build": run_stage(dbt_command(
            "build", "--target", "spark", "--target-path", str(target)), env),
    }  # fmt: skip


def spark_available() -> bool:
    """Whether this Python has dbt-spark and PySpark, and the machine has Java."""
    found = subprocess.run(
        [PY, "-c", "import pyspark, dbt.adapters.spark"], capture_output=True, check=False
    )
    return found.returncode == 0 and shutil.which("java") is not None


def pipeline_once(
    work: Path, first: int, last: int, detail: float, render: bool,
    spark: bool = False, declaration_lines: int = 0,
) -> PipelineRun:  # fmt: skip
    """Every stage once, from an empty folder: sample, load, dbt build, render, Parquet,
    and with ``spark`` the Spark raw layer and dbt build of the same raw rows."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    raw, warehouse, target = work / "raw", work / "trade.duckdb", work / "target"
    env = {**os.environ, "TRADE_WAREHOUSE_PATH": str(warehouse)}
    lines = ["--declaration-lines", str(declaration_lines)] if declaration_lines else []
    stages = {
        "sample": run_stage([PY, "-m", "scripts.sample.generate", "--out", str(raw),
                             "--first-year", str(first), "--last-year", str(last),
                             "--detail", str(detail), *lines]),
        "raw_load": run_stage([PY, "-m", "scripts.ingest.load", "--raw-dir", str(raw),
                               "--warehouse", str(warehouse)]),
        "dbt_build": run_stage(dbt_command("build", "--target-path", str(target)), env),
    }  # fmt: skip
    if render:
        stages["render_all_pages"] = run_stage(
            [PY, "-m", "scripts.report.render", "--warehouse", str(warehouse),
             "--out", str(work / "site")]
        )  # fmt: skip
    stages["parquet_export"] = run_stage(
        [PY, "-m", "scripts.pipeline.parquet", "--warehouse", str(warehouse),
         "--out", str(work / "parquet")]
    )  # fmt: skip
    if spark:
        stages.update(spark_stages(work, warehouse))
    results = json.loads((target / "run_results.json").read_text())
    timing = {r["unique_id"]: r["execution_time"] for r in results["results"]}
    models = sum(t for uid, t in timing.items() if uid.startswith("model."))
    tests = sum(t for uid, t in timing.items() if uid.startswith(("test.", "unit_test.")))
    core = sum(timing.get(f"model.french_trade.{name}", 0.0) for name in CORE_MODELS)
    audit = json.loads(subprocess.run(
        [PY, "-c", "import duckdb, json, sys; print(json.dumps(duckdb.connect(sys.argv[1], "
         "read_only=True).execute('select count(*) from raw.customs_trade').fetchone()[0]))",
         str(warehouse)], capture_output=True, text=True, check=True).stdout)  # fmt: skip
    rows = int(audit)
    return PipelineRun(
        stages=stages,
        # dbt's fixed cost: parsing, connecting and start-up, outside run_results' elapsed time
        dbt_startup_s=stages["dbt_build"].wall_s - results["elapsed_time"],
        dbt_models_s=models,
        dbt_tests_s=tests,
        dbt_core_models_s=core,
        raw_rows=int(rows),
    )


def pipeline(
    work: Path, first: int, last: int, detail: float, runs: int, render: bool,
    spark_runs: int = 0, declaration_lines: int = 0,
) -> dict[str, object]:  # fmt: skip
    """Median of ``runs`` pipeline runs, the first ``spark_runs`` of them with Spark too."""
    all_runs = [pipeline_once(work, first, last, detail, render, spark=i < spark_runs,
                              declaration_lines=declaration_lines)
                for i in range(max(runs, spark_runs))]  # fmt: skip
    stages = {name: asdict(median([r.stages[name] for r in all_runs if name in r.stages]))
              for name in all_runs[0].stages}  # fmt: skip
    return {
        "years": f"{first}-{last}",
        "detail": detail,
        "declaration_lines": declaration_lines,
        "raw_rows": all_runs[0].raw_rows,
        "runs": runs,
        "stages": stages,
        # the DuckDB pipeline's own totals; Spark's stages are reported beside them
        "total_wall_s": sum(m["wall_s"] for n, m in stages.items() if not n.startswith("spark_")),
        "peak_rss_mib": max(
            m["peak_rss_mib"] for n, m in stages.items() if not n.startswith("spark_")
        ),
        "dbt_startup_s": statistics.median(r.dbt_startup_s for r in all_runs),
        "dbt_models_s": statistics.median(r.dbt_models_s for r in all_runs),
        "dbt_tests_s": statistics.median(r.dbt_tests_s for r in all_runs),
        "dbt_core_models_s": statistics.median(r.dbt_core_models_s for r in all_runs),
    }


COMPARISONS = {
    "territory_trade_balance": (
        "territory_level, territory_code, year, exports_eur, imports_eur, balance_eur, "
        "round(export_share_of_region, 12), round(export_share_of_france, 12)"
    ),
    "territory_partner_trade": (
        "territory_level, territory_code, year, country_code, coalesce(exports_eur, 0), "
        "coalesce(imports_eur, 0), total_trade_rank"
    ),
    "territory_product_trade": (
        "territory_level, territory_code, year, flow, product_level, product_code, value_eur, "
        "rank_in_flow"
    ),
    "territory_flow_links": (
        "territory_level, territory_code, year, flow, product_code, country_code, value_eur"
    ),
}  # fmt: skip


BASELINE_TABLES = {
    "territory_trade_balance": "baseline_balance",
    "territory_partner_trade": "baseline_partners",
    "territory_product_trade": "baseline_products",
    "territory_flow_links": "baseline_flow_links",
}


def baseline(warehouse: Path, runs: int) -> dict[str, object]:
    """Time the hand-written SQL in a child process (the parent stays small: child
    processes' peak memory counts the parent's at the moment they start)."""
    result = subprocess.run(
        [PY, "-m", "scripts.bench.benchmark", "--baseline-of", str(warehouse), "--runs", str(runs)],
        cwd=PROJECT_DIR, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(result.stdout)


def run_baseline(warehouse: Path, runs: int) -> dict[str, object]:
    """Time the hand-written SQL and check it gives the marts' numbers."""
    sql = BASELINE_SQL.read_text(encoding="utf-8")
    params = {
        "departments": str(SEEDS_DIR / "departments.csv"),
        "products_a129": str(SEEDS_DIR / "products_a129.csv"),
        "products_a38": str(SEEDS_DIR / "products_a38.csv"),
    }
    code = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    statements = [s for s in code.split(";") if s.strip()]
    timings: list[float] = []
    differences: dict[str, int] = {}
    for _ in range(runs):
        with duckdb.connect(str(warehouse), read_only=True) as con:
            con.execute("set enable_progress_bar = false")
            started = time.perf_counter()
            for statement in statements:
                used = {k: v for k, v in params.items() if f"${k}" in statement}
                con.execute(statement, used)
            timings.append(time.perf_counter() - started)
            for mart, columns in COMPARISONS.items():
                ours, theirs = f"marts.{mart}", BASELINE_TABLES[mart]
                differences[mart] = sum(
                    con.execute(
                        f"select count(*) from (select {columns} from {a} "
                        f"except all select {columns} from {b})"
                    ).fetchone()[0]
                    for a, b in ((ours, theirs), (theirs, ours))
                )
    return {"baseline_s": statistics.median(timings), "rows_differing": differences}


def incremental(work: Path, runs: int) -> dict[str, object]:
    """Add a tenth year to a nine-year warehouse, against a full rebuild of ten years."""
    added, full = [], []
    for _ in range(runs):
        shutil.rmtree(work, ignore_errors=True)
        nine, ten, warehouse = work / "nine", work / "ten", work / "trade.duckdb"
        subprocess.run([PY, "-m", "scripts.sample.generate", "--out", str(ten),
                        "--first-year", "2015", "--last-year", "2024"], check=True,
                       cwd=PROJECT_DIR, stdout=subprocess.DEVNULL)  # fmt: skip
        shutil.copytree(ten, nine)
        shutil.rmtree(nine / "2015")
        env = {**os.environ, "TRADE_WAREHOUSE_PATH": str(warehouse)}
        build = [PY, "-m", "scripts.pipeline.build"]
        run_stage([*build, "--raw-dir", str(nine), "--full-refresh"], env)
        added.append(run_stage([*build, "--raw-dir", str(ten)], env))
        full.append(run_stage([*build, "--raw-dir", str(ten), "--full-refresh"], env))
    return {"add_one_year": asdict(median(added)), "full_rebuild": asdict(median(full))}


def targets(results: dict[str, object]) -> list[dict[str, object]]:
    """The issue's targets, each with the measured value and whether it is met."""
    five = results["five_years"]
    growth = results["growth"]
    stages = five["stages"]
    main_job = sum(stages[s]["wall_s"] for s in ("raw_load", "dbt_build", "render_all_pages")
                   if s in stages) + stages["sample"]["wall_s"]  # fmt: skip
    ratio = five["dbt_core_models_s"] / results["baseline"]["baseline_s"]
    ten_over_one = growth["10 years"]["total_wall_s"] / growth["1 year"]["total_wall_s"]
    render = stages.get("render_all_pages", {}).get("wall_s")
    peak = max(run["peak_rss_mib"] for run in [five, *growth.values()])
    rows = [
        ("main command on the 5-year sample, set-up excluded", main_job, "< 90 s", main_job < 90),
        ("dbt model time / hand-written DuckDB baseline", ratio, "< 3", ratio < 3),
        ("10 years / 1 year, total wall time", ten_over_one, "< 2", ten_over_one < 2),
        ("rendering all pages", render, "< 30 s", render is not None and render < 30),
        ("peak memory of any stage (MiB)", peak, "< 2048", peak < 2048),
    ]
    return [{"target": t, "measured": m, "goal": g, "met": ok} for t, m, g, ok in rows]


#: DuckDB is comfortable on a size while loading and building it stay inside the
#: project's targets for the main job: under 90 s and 2 GiB.
COMFORT_SECONDS = 90.0
COMFORT_MIB = 2048.0


def engines_markdown(results: dict[str, object]) -> list[str]:
    """DuckDB against Spark, size by size: the benchmark's Spark column."""
    runs = {"5 years (default sample)": results["five_years"], **results["growth"]}
    if results.get("declarations"):
        runs[results["declarations"]["label"]] = results["declarations"]
    if not any("spark_dbt_build" in run["stages"] for run in runs.values()):
        return []
    lines = [
        "", "DuckDB against Spark on the same raw rows (Spark: local, dbt-spark session method, "
        "one run; each dbt command includes Spark's start-up). DuckDB is comfortable while "
        f"raw load + dbt build take under {COMFORT_SECONDS:.0f} s and {COMFORT_MIB:.0f} MiB.", "",
        "| data | raw rows | DuckDB raw load s | DuckDB dbt build s | DuckDB peak MiB | "
        "DuckDB comfortable | Spark raw to Parquet + register s | Spark dbt build s | "
        "Spark peak MiB |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]  # fmt: skip
    for label, run in runs.items():
        st = run["stages"]
        if "spark_dbt_build" not in st:
            continue
        duck_s = st["raw_load"]["wall_s"] + st["dbt_build"]["wall_s"]
        duck_mib = max(st["raw_load"]["peak_rss_mib"], st["dbt_build"]["peak_rss_mib"])
        comfortable = duck_s < COMFORT_SECONDS and duck_mib < COMFORT_MIB
        spark_raw = st["spark_raw_to_parquet"]["wall_s"] + st["spark_register_raw"]["wall_s"]
        spark_names = ("spark_raw_to_parquet", "spark_register_raw", "spark_dbt_build")
        spark_mib = max(st[n]["peak_rss_mib"] for n in spark_names)
        lines.append(
            f"| {label} | {run['raw_rows']:,} | {st['raw_load']['wall_s']:.1f} | "
            f"{st['dbt_build']['wall_s']:.1f} | {duck_mib:.0f} | "
            f"{'yes' if comfortable else f'**no** ({duck_s:.0f} s)'} | {spark_raw:.1f} | "
            f"{st['spark_dbt_build']['wall_s']:.1f} | {spark_mib:.0f} |"
        )
    return lines


def markdown(results: dict[str, object]) -> str:
    """The results as the Markdown tables README.md quotes."""
    lines = [f"Measured {results['measured_at']} on {results['machine']}; median of "
             f"{results['runs']} run(s) for the 5-year and 1-year samples, "
             f"{results.get('growth_runs', 1)} for the 10-year, fine-detail and incremental "
             f"measures. Load average (1, 5, 15 min) at start {results['load_average_at_start']}, "
             f"at end {results.get('load_average_at_end')}: other work on the machine inflates "
             "wall times.", "",
             "| target | measured | goal | met |", "| --- | --- | --- | --- |"]  # fmt: skip
    for row in results["targets"]:
        value = "n/a" if row["measured"] is None else f"{row['measured']:.2f}"
        lines.append(f"| {row['target']} | {value} | {row['goal']} | "
                     f"{'yes' if row['met'] else '**no**'} |")  # fmt: skip
    lines += ["", "| data | raw rows | stage | wall s | CPU s | peak RSS MiB |",
              "| --- | --- | --- | --- | --- | --- |"]  # fmt: skip
    runs = {"5 years (default sample)": results["five_years"], **results["growth"]}
    for label, run in runs.items():
        for stage, m in run["stages"].items():
            lines.append(f"| {label} | {run['raw_rows']:,} | {stage} | {m['wall_s']:.1f} | "
                         f"{m['cpu_s']:.1f} | {m['peak_rss_mib']:.0f} |")  # fmt: skip
    five = results["five_years"]
    base = results["baseline"]
    lines += [
        "",
        f"dbt on the 5-year sample: {five['dbt_startup_s']:.1f} s fixed start-up, "
        f"{five['dbt_models_s']:.1f} s of models, {five['dbt_tests_s']:.1f} s of tests "
        "(summed over dbt's 2 threads, from run_results.json).",
        f"The fiche's marts: dbt models {five['dbt_core_models_s']:.1f} s against "
        f"{base['baseline_s']:.1f} s of hand-written SQL in one DuckDB connection; rows "
        f"differing between the two: {base['rows_differing']}.",
    ]
    lines += engines_markdown(results)
    inc = results.get("incremental")
    if inc:
        lines.append("")
        lines.append(
            f"Adding a tenth year to a nine-year warehouse: {inc['add_one_year']['wall_s']:.1f} s; "
            f"full rebuild of ten years: {inc['full_rebuild']['wall_s']:.1f} s."
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measure (median)")
    parser.add_argument("--quick", action="store_true", help="one run, no 10-year growth")
    parser.add_argument(
        "--growth-runs", type=int, default=1,
        help="runs per growth and incremental measure (they are long: 1 by default)",
    )  # fmt: skip
    parser.add_argument(
        "--spark", action=argparse.BooleanOptionalAction, default=None,
        help="also build every size on local Spark (default: when dbt-spark, PySpark and Java "
             "are installed)",
    )  # fmt: skip
    parser.add_argument(
        "--declaration-lines", type=int, default=DECLARATION_LINES,
        help="declaration lines per published cell for the declaration-like size (0: skip it)",
    )  # fmt: skip
    parser.add_argument("--out", type=Path, default=RESULTS_DIR)
    parser.add_argument("--baseline-of", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.baseline_of:
        print(json.dumps(run_baseline(args.baseline_of, args.runs)))
        return 0
    runs = 1 if args.quick else args.runs
    render = (PROJECT_DIR / "scripts" / "render_reports.py").exists()
    with tempfile.TemporaryDirectory(prefix="trade-bench-") as scratch:
        work = Path(scratch)
        results: dict[str, object] = {
            "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
                       f"{platform.python_version()}, DuckDB {duckdb.__version__}",
            "runs": runs,
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        }  # fmt: skip
        spark = spark_available() if args.spark is None else args.spark
        sr = 1 if spark else 0  # Spark: one run per size (each costs minutes)
        results["spark"] = spark
        five = pipeline(work / "five", 2020, 2024, 1.0, runs, render, spark_runs=sr)
        results["five_years"] = five
        results["baseline"] = baseline(work / "five" / "trade.duckdb", runs)
        growth_runs = 1 if args.quick else args.growth_runs
        results["growth_runs"] = growth_runs
        growth = {"1 year": pipeline(work / "one", 2024, 2024, 1.0, runs, render, spark_runs=sr)}
        growth["5 years"] = five
        if not args.quick:
            growth["10 years"] = pipeline(work / "ten", 2015, 2024, 1.0, growth_runs, render,
                                          spark_runs=sr)  # fmt: skip
            growth[f"5 years, detail x{FINE_DETAIL:g}"] = pipeline(
                work / "fine", 2020, 2024, FINE_DETAIL, growth_runs, render, spark_runs=sr
            )
            if args.declaration_lines:
                declarations = pipeline(
                    work / "declarations", 2024, 2024, 1.0, 1, False, spark_runs=sr,
                    declaration_lines=args.declaration_lines,
                )  # fmt: skip
                declarations["label"] = (
                    f"1 year of declaration lines ({args.declaration_lines} a cell)"
                )
                results["declarations"] = declarations
            results["incremental"] = incremental(work / "incremental", growth_runs)
        else:
            growth["10 years"] = pipeline(work / "ten", 2015, 2024, 1.0, 1, render)
        results["growth"] = {k: v for k, v in growth.items() if k != "5 years"}
        results["targets"] = targets(results)
        results["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    (args.out / "results.md").write_text(markdown(results))
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
