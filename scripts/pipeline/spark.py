"""Land the raw layer in Spark: DuckDB's raw tables -> Parquet -> Spark tables.

Why through DuckDB: the customs files come as zip archives of CSV, xlsx and
xls in several official layouts (long and cross tables, encodings, decimal
commas, units), and scripts/ingest/load.py already reads, checks, quarantines and
fingerprints them into ``raw.*``. Rewriting that parsing in Spark would give
two loaders to keep in step. Instead DuckDB's COPY writes each raw table, as
landed, to one Parquet folder, and Spark reads those folders with its own
Parquet reader: ``dbt run-operation register_raw_tables`` declares them as
the ``raw`` tables the dbt sources name (``create table ... using parquet
location ...``). No row passes through Python.

    trade spark-raw                # export + register (target spark)
    trade spark-raw --build        # ... then dbt build --target spark
    trade spark-raw --build --full-refresh   # ... every year rebuilt

TRADE_SPARK_DIR (default warehouse/spark, like profiles.yml) holds the Parquet
files under raw/, next to Spark's tables and metastore.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from scripts.paths import PROJECT_DIR, warehouse_path

RAW_SCHEMA = "raw"
DEFAULT_SPARK_DIR = PROJECT_DIR / "warehouse" / "spark"


class SparkStepError(RuntimeError):
    """A dbt step on the Spark target failed."""


def spark_dir() -> Path:
    """Spark's folder, honouring TRADE_SPARK_DIR like profiles.yml (relative to the project)."""
    configured = os.environ.get("TRADE_SPARK_DIR")
    if not configured:
        return DEFAULT_SPARK_DIR
    path = Path(configured)
    return path if path.is_absolute() else PROJECT_DIR / path


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def export_raw(warehouse: Path, out_dir: Path) -> dict[str, int]:
    """Write every table of the warehouse's raw schema to ``out_dir/<table>/`` as Parquet.

    Returns the row count of each table. A table's folder is replaced as a
    whole, so files of an earlier export never linger beside the new one.
    """
    if not warehouse.exists():
        raise FileNotFoundError(f"no DuckDB warehouse at {warehouse} (run the raw load first)")
    out_dir.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = [
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = ? and table_type = 'BASE TABLE' order by table_name",
                [RAW_SCHEMA],
            ).fetchall()
        ]
        if not tables:
            raise FileNotFoundError(f"{warehouse} has no {RAW_SCHEMA} tables")
        for table in tables:
            folder = out_dir / table
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir()
            target = folder / "part-00000.parquet"
            con.execute(
                f'copy {RAW_SCHEMA}."{table}" to {_sql_string(str(target))} '
                "(format parquet, compression snappy)"
            )
            (count,) = con.execute(f'select count(*) from {RAW_SCHEMA}."{table}"').fetchone()
            counts[table] = count
    return counts


def dbt_spark(*args: str, env: dict[str, str] | None = None) -> None:
    """Run one dbt command on the spark target, with the dbt installed beside this Python."""
    dbt = Path(sys.executable).parent / "dbt"
    command = [
        str(dbt), *args, "--target", "spark",
        "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
    ]  # fmt: skip
    completed = subprocess.run(command, cwd=PROJECT_DIR, env=env, check=False)
    if completed.returncode != 0:
        raise SparkStepError(f"dbt {args[0]} --target spark failed (see above)")


def register_raw(
    out_dir: Path, dbt_args: list[str] | None = None, env: dict[str, str] | None = None
) -> None:
    """Declare the Parquet folders as Spark's raw tables (dbt run-operation)."""
    arguments = json.dumps({"location": str(out_dir.resolve())})
    dbt_spark(
        "run-operation", "register_raw_tables", "--args", arguments, *(dbt_args or []), env=env
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--warehouse", type=Path, default=None,
        help="DuckDB warehouse whose raw tables are exported (default: TRADE_WAREHOUSE_PATH)",
    )  # fmt: skip
    parser.add_argument(
        "--out", type=Path, default=None,
        help="folder of the Parquet files (default: TRADE_SPARK_DIR/raw)",
    )  # fmt: skip
    parser.add_argument(
        "--no-register", action="store_true",
        help="only write the Parquet files (to copy them to a cluster's storage)",
    )  # fmt: skip
    parser.add_argument("--build", action="store_true", help="then run dbt build --target spark")
    parser.add_argument(
        "--full-refresh", action="store_true",
        help="with --build: rebuild every year of the incremental models (needed after a change "
             "of the models or when raw files were removed)",
    )  # fmt: skip
    args = parser.parse_args(argv)

    warehouse = (args.warehouse or warehouse_path()).resolve()
    out_dir = (args.out or spark_dir() / "raw").resolve()
    try:
        counts = export_raw(warehouse, out_dir)
        for table, count in counts.items():
            print(f"{RAW_SCHEMA}.{table}: {count:,} rows -> {out_dir / table}")
        if not args.no_register:
            register_raw(out_dir)
        if args.build:
            dbt_spark("build", *(["--full-refresh"] if args.full_refresh else []))
    except (FileNotFoundError, SparkStepError, duckdb.Error) as error:
        print(f"spark raw layer failed: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
