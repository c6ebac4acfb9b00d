"""dbt against hand-written DuckDB: the same marts, the same rows, and where the time goes.

Why in three parts: the baseline (``baseline.sql``) says how fast the engine
computes the fiche's marts in one connection; dbt's own SQL for the same
models, run straight in DuckDB without dbt, says how much of the gap is the
models doing more work (more columns, intermediate tables written to the
file); dbt's recorded model time beyond that is dbt's cost per model. Each
part runs in a child process (the parent stays small) on a copy of the
warehouse that dbt built, so nothing here changes it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from scripts.bench.measure import PY
from scripts.bench.runs import FICHE_MARTS, fiche_models
from scripts.paths import PROJECT_DIR, SEEDS_DIR
from scripts.pipeline.build import dbt_command

BASELINE_SQL = Path(__file__).with_name("baseline.sql")

#: The columns compared, mart by mart (rounded where the baseline sums in another order).
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


def _child(*args: str) -> dict[str, object]:
    result = subprocess.run([PY, "-m", "scripts.bench.compare", *args], cwd=PROJECT_DIR,
                            capture_output=True, text=True, check=True)  # fmt: skip
    return json.loads(result.stdout)


def baseline(warehouse: Path, runs: int) -> dict[str, object]:
    """Time the hand-written SQL and count the rows it and the marts disagree on."""
    return _child("--baseline-of", str(warehouse), "--runs", str(runs))


def dbt_sql(warehouse: Path, target: Path, work: Path) -> dict[str, object]:
    """Time dbt's compiled SQL of the fiche's models straight in DuckDB, on a copy."""
    work.mkdir(parents=True, exist_ok=True)
    copy = work / warehouse.name  # same name: the compiled SQL names the database by it
    shutil.copyfile(warehouse, copy)
    try:
        return _child("--compiled-of", str(copy), "--target", str(target))
    finally:
        copy.unlink(missing_ok=True)


def dbt_sequential(warehouse: Path, work: Path) -> dict[str, object]:
    """dbt's model time for the fiche's models run one at a time (``--threads 1``), on a copy.

    Why: the main build runs two models at once on two cores, so the time
    run_results.json gives each model includes waiting for the other; summed,
    it counts that wait twice. The baseline runs one statement at a time with
    both cores, and so do dbt's models here: the ratio compares like with like.
    """
    work.mkdir(parents=True, exist_ok=True)
    copy, target = work / warehouse.name, work / "target"
    shutil.copyfile(warehouse, copy)
    selected = [f"+{mart}" for mart in FICHE_MARTS]
    env = {**os.environ, "TRADE_WAREHOUSE_PATH": str(copy)}
    try:
        started = time.perf_counter()
        subprocess.run(dbt_command("run", "--threads", "1", "--full-refresh", "--select",
                                   *selected, "--target-path", str(target)),
                       cwd=PROJECT_DIR, env=env, capture_output=True, check=True)  # fmt: skip
        wall = time.perf_counter() - started
    finally:
        copy.unlink(missing_ok=True)
    results = json.loads((target / "run_results.json").read_text())
    return {
        "dbt_sequential_models_s": sum(r["execution_time"] for r in results["results"]),
        "dbt_sequential_wall_s": wall,
        "dbt_sequential_elapsed_s": results["elapsed_time"],
    }


def _statements() -> list[str]:
    sql = BASELINE_SQL.read_text(encoding="utf-8")
    code = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return [s for s in code.split(";") if s.strip()]


def run_baseline(warehouse: Path, runs: int) -> dict[str, object]:
    """The baseline's median time over ``runs``, and the rows differing from the marts."""
    params = {"departments": str(SEEDS_DIR / "departments.csv"),
              "products_a129": str(SEEDS_DIR / "products_a129.csv"),
              "products_a38": str(SEEDS_DIR / "products_a38.csv"),
              "countries": str(SEEDS_DIR / "countries.csv")}  # fmt: skip
    timings: list[float] = []
    cpu: list[float] = []
    differences: dict[str, int] = {}
    for _ in range(runs):
        with duckdb.connect(str(warehouse), read_only=True) as con:
            con.execute("set enable_progress_bar = false")
            started, started_cpu = time.perf_counter(), time.process_time()
            for statement in _statements():
                con.execute(statement, {k: v for k, v in params.items() if f"${k}" in statement})
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            for mart, columns in COMPARISONS.items():
                ours, theirs = f"marts.{mart}", BASELINE_TABLES[mart]
                differences[mart] = sum(
                    con.execute(f"select count(*) from (select {columns} from {a} "
                                f"except all select {columns} from {b})").fetchone()[0]
                    for a, b in ((ours, theirs), (theirs, ours))
                )  # fmt: skip
    return {"baseline_s": statistics.median(timings), "baseline_cpu_s": statistics.median(cpu),
            "rows_differing": differences}  # fmt: skip


def run_compiled(warehouse: Path, target: Path) -> dict[str, object]:
    """Each fiche model's compiled SELECT (a full build's: no incremental filter), parents
    first, as a temporary table (in memory) and as a table in the file (what dbt writes).

    The models read the tables dbt built, so each one's time is its own SQL's.
    An ephemeral model is no table: dbt inlines its SQL as a CTE in each model
    that reads it, whose compiled SQL is timed, so it is not run on its own.
    """
    manifest = json.loads((target / "manifest.json").read_text())
    compiled = target / "compiled" / "french_trade"
    seconds = {"temp": 0.0, "stored": 0.0, "temp_cpu": 0.0, "stored_cpu": 0.0}
    with duckdb.connect(str(warehouse)) as con:
        con.execute("set enable_progress_bar = false")
        con.execute("create schema if not exists bench")
        for uid in fiche_models(manifest):
            node = manifest["nodes"][uid]
            if node["config"]["materialized"] == "ephemeral":
                continue
            sql = (compiled / node["original_file_path"]).read_text(encoding="utf-8")
            for kind, create in (
                ("temp", f"create or replace temp table bench_{node['name']}"),
                ("stored", f"create or replace table bench.{node['name']}"),
            ):
                started, started_cpu = time.perf_counter(), time.process_time()
                con.execute(f"{create} as {sql}")
                seconds[kind] += time.perf_counter() - started
                seconds[f"{kind}_cpu"] += time.process_time() - started_cpu
    return {f"compiled_{kind}_s": value for kind, value in seconds.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="dbt against hand-written DuckDB (child)")
    parser.add_argument("--baseline-of", type=Path)
    parser.add_argument("--compiled-of", type=Path)
    parser.add_argument("--target", type=Path)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args(argv)
    if args.baseline_of:
        print(json.dumps(run_baseline(args.baseline_of, args.runs)))
    else:
        print(json.dumps(run_compiled(args.compiled_of, args.target)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
