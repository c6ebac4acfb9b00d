"""The measured runs: the whole pipeline on a sample size, and adding a year to a warehouse.

Why apart from the command: each function here is one experiment with its
own set-up (a fresh folder, a generated sample), run in child processes by
``scripts.bench.measure.run_stage``; the command only chooses the sizes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from scripts.bench.measure import PY, Measure, median, run_stage
from scripts.paths import PROJECT_DIR
from scripts.pipeline.build import MAIN_JOB_EXCLUDES, dbt_command

#: The marts of the fiche that the hand-written baseline computes too.
FICHE_MARTS = ("territory_trade_balance", "territory_partner_trade", "territory_product_trade",
               "territory_flow_links")  # fmt: skip
PROJECT = "french_trade"


def fiche_models(manifest: dict) -> list[str]:
    """The models the fiche's marts are computed from (themselves included), parents first.

    Read from dbt's manifest, so the set follows the project: every model the
    baseline's work replaces, and nothing else.
    """
    parents = manifest["parent_map"]
    ordered: list[str] = []

    def visit(node: str) -> None:
        if node in ordered or not node.startswith("model."):
            return
        for parent in parents.get(node, []):
            visit(parent)
        ordered.append(node)

    for mart in FICHE_MARTS:
        visit(f"model.{PROJECT}.{mart}")
    return ordered


@dataclass(frozen=True)
class Size:
    """A sample size: its label, years and the generator's detail factor."""

    label: str
    first: int
    last: int
    detail: float = 1.0


def dbt_timing(target: Path, build_wall_s: float) -> dict[str, float]:
    """dbt's time split from its run_results.json: fixed start-up, models, tests.

    Models and tests are summed over dbt's threads; the start-up (parsing,
    connecting) is the command's wall time outside dbt's own elapsed time.
    """
    results = json.loads((target / "run_results.json").read_text())
    manifest = json.loads((target / "manifest.json").read_text())
    timing = {r["unique_id"]: r["execution_time"] for r in results["results"]}
    core = set(fiche_models(manifest))
    core_tests = [uid for uid in timing if uid.startswith(("test.", "unit_test."))
                  and set(manifest["parent_map"].get(uid, [])) <= core]  # fmt: skip
    return {
        "dbt_elapsed_s": results["elapsed_time"],
        "dbt_startup_s": build_wall_s - results["elapsed_time"],
        "dbt_models_s": sum(t for uid, t in timing.items() if uid.startswith("model.")),
        "dbt_tests_s": sum(t for uid, t in timing.items() if uid.startswith("test.")),
        "dbt_unit_tests_s": sum(t for uid, t in timing.items() if uid.startswith("unit_test.")),
        "dbt_core_models_s": sum(timing.get(uid, 0.0) for uid in core),
        "dbt_core_tests_s": sum(timing[uid] for uid in core_tests),
    }


def spark_available() -> bool:
    """Whether this Python has dbt-spark and PySpark, and the machine has Java."""
    found = subprocess.run(
        [PY, "-c", "import pyspark, dbt.adapters.spark"], capture_output=True, check=False
    )
    return found.returncode == 0 and shutil.which("java") is not None


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


def generate(out: Path, first: int, last: int, detail: float = 1.0) -> list[str]:
    """The sample generator's command for a size."""
    return [PY, "-m", "scripts.sample.generate", "--out", str(out), "--first-year", str(first),
            "--last-year", str(last), "--detail", str(detail)]  # fmt: skip


def raw_rows(warehouse: Path) -> int:
    """Rows of the raw trade tables (regional and national), counted in a child process."""
    sql = ("select (select count(*) from raw.customs_trade) "
           "+ (select count(*) from raw.customs_national_trade)")  # fmt: skip
    code = ("import duckdb, sys; print(duckdb.connect(sys.argv[1], read_only=True)"
            f".execute({sql!r}).fetchone()[0])")  # fmt: skip
    found = subprocess.run([PY, "-c", code, str(warehouse)], capture_output=True, text=True,
                           check=True)  # fmt: skip
    return int(found.stdout)


#: Variables that would point a build elsewhere than a fresh clone's own folders.
_REDIRECTS = ("TRADE_WAREHOUSE_PATH", "TRADE_RAW_DIR", "TRADE_CHANGED_YEARS", "DBT_TARGET_PATH")


def main_command(work: Path) -> Measure:
    """The README's main command itself (``trade build``: sample, load, dbt, pages) in a fresh
    copy of the project, set-up excluded.

    Why beside the stages timed one by one: the command overlaps them (dbt
    parses the project while the sample is generated and the raw files load,
    scripts/pipeline/dbt_child.py), so their sum is not what a user waits.
    The copy holds the project's tracked files only (as they stand in the
    working tree), as a fresh clone does: no sample, warehouse, dbt parse or
    pages yet. ``python -m`` from the copy runs the copy's code with this
    Python's packages.
    """
    shutil.rmtree(work, ignore_errors=True)
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=PROJECT_DIR, capture_output=True,
                            check=True).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, listed):
        source, copy = PROJECT_DIR / name, work / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            copy.symlink_to(source.readlink())
        elif source.exists():  # (a tracked file deleted in the working tree is not copied)
            shutil.copy2(source, copy)
    env = {k: v for k, v in os.environ.items() if k not in _REDIRECTS}
    return run_stage([PY, "-m", "scripts.cli", "build"], env, cwd=work)


def pipeline_once(work: Path, size: Size, spark: bool = False) -> dict[str, object]:
    """Every stage once, from an empty folder: sample, load, dbt build, render, Parquet,
    and with ``spark`` the Spark raw layer and dbt build of the same raw rows."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    raw, warehouse, target = work / "raw", work / "trade.duckdb", work / "target"
    env = {**os.environ, "TRADE_WAREHOUSE_PATH": str(warehouse)}
    stages = {
        "sample": run_stage(generate(raw, size.first, size.last, size.detail)),
        "raw_load": run_stage([PY, "-m", "scripts.ingest.load", "--raw-dir", str(raw),
                               "--warehouse", str(warehouse)]),
        # as the main command runs it (trade build): without the unit tests
        "dbt_build": run_stage(dbt_command("build", *MAIN_JOB_EXCLUDES, "--target-path",
                                           str(target)), env),
        "render_all_pages": run_stage([PY, "-m", "scripts.report.render", "--warehouse",
                                       str(warehouse), "--out", str(work / "site")]),
        "parquet_export": run_stage([PY, "-m", "scripts.pipeline.parquet", "--warehouse",
                                     str(warehouse), "--out", str(work / "parquet")]),
    }  # fmt: skip
    if spark:
        stages.update(spark_stages(work, warehouse))
    return {"stages": stages, "raw_rows": raw_rows(warehouse),
            **dbt_timing(target, stages["dbt_build"].wall_s)}  # fmt: skip


def pipeline(work: Path, size: Size, runs: int, spark: bool = False) -> dict[str, object]:
    """Median of ``runs`` pipeline runs, the first one with Spark too when ``spark``."""
    done = [pipeline_once(work, size, spark=spark and i == 0) for i in range(runs)]
    names = list(done[0]["stages"])
    stages = {n: asdict(median([r["stages"][n] for r in done if n in r["stages"]])) for n in names}
    duck = {n: m for n, m in stages.items() if not n.startswith("spark_")}
    return {
        "label": size.label, "years": f"{size.first}-{size.last}", "detail": size.detail,
        "raw_rows": done[0]["raw_rows"], "runs": runs, "stages": stages,
        # the DuckDB pipeline's own totals; Spark's stages are reported beside them
        "total_wall_s": sum(m["wall_s"] for m in duck.values()),
        "peak_rss_mib": max(m["peak_rss_mib"] for m in duck.values()),
        **{k: statistics.median(r[k] for r in done) for k in done[0] if k.startswith("dbt_")},
    }  # fmt: skip


def _build(raw: Path, warehouse: Path, target: Path, full: bool, out: list[str]) -> Measure:
    """``trade build`` without pages into ``warehouse``, dbt's files in ``target``."""
    env = {**os.environ, "TRADE_WAREHOUSE_PATH": str(warehouse), "DBT_TARGET_PATH": str(target)}
    command = [PY, "-m", "scripts.pipeline.build", "--raw-dir", str(raw), "--no-reports"]
    return run_stage([*command, *(["--full-refresh"] if full else [])], env, out)


def _without_startup(timing: dict[str, float]) -> dict[str, float]:
    return {k: v for k, v in timing.items() if k != "dbt_startup_s"}


def incremental(work: Path, first: int, last: int) -> dict[str, object]:
    """Add the last year to a warehouse of the years before, against a full rebuild.

    The added build's time is split: the copy of the warehouse file for the
    atomic swap (timed apart on the same file), the raw load (as the build
    prints it) and dbt (start-up, models, tests from run_results.json).
    """
    shutil.rmtree(work, ignore_errors=True)
    every, before, warehouse = work / "every", work / "before", work / "trade.duckdb"
    subprocess.run(generate(every, first, last), check=True, stdout=subprocess.DEVNULL)
    shutil.copytree(every, before)
    shutil.rmtree(before / str(last))
    # one dbt target folder for the three builds, as a user's project has: dbt
    # parses the project once and each later build reuses that parse
    target = work / "target"
    _build(before, warehouse, target, True, [])
    started = time.perf_counter()
    shutil.copyfile(warehouse, work / "copy.duckdb")
    copy_s = time.perf_counter() - started
    (work / "copy.duckdb").unlink()
    printed: list[str] = []
    added = _build(every, warehouse, target, False, printed)
    shutil.copytree(target, work / "t1")
    load = re.search(r"raw layer: .* in ([0-9.]+) s", printed[0])
    full = _build(every, work / "full.duckdb", target, True, [])
    shutil.copytree(target, work / "t2")
    return {
        "years": f"{first}-{last}", "add_one_year": asdict(added), "full_rebuild": asdict(full),
        "copy_s": copy_s, "load_s": float(load.group(1)) if load else None,
        "incremental_build": "incremental build" in printed[0],
        # start-up needs dbt's own wall time, which a build does not give: left out here
        "add_dbt": _without_startup(dbt_timing(work / "t1", 0.0)),
        "full_dbt": _without_startup(dbt_timing(work / "t2", 0.0)),
    }  # fmt: skip
