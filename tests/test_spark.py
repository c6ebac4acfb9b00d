"""The same dbt project on Apache Spark builds the same marts as on DuckDB (issue #9).

The synthetic sample of the test session is built twice. DuckDB: the main
pipeline (raw load, dbt build), the session's warehouse every other test
reads (tests/conftest.py). Spark: a local PySpark started by dbt-spark's
session method, whose raw tables are that warehouse's raw tables exported to
Parquet and read by Spark's own reader (scripts/pipeline/spark.py), then ``dbt
build --target spark``: every seed, model, generic test, unit test and
singular (reconciliation) test of the project, on Spark.

Then every mart Spark wrote is compared with DuckDB's, row by row on the
mart's key (its unique_combination or unique test): the same rows, the same
keys, the same columns and types, money (decimal(18, 2)) equal to the cent,
text, integers, flags and timestamps equal, and floating-point values
(shares, ratios, indices) within 1e-12 (relative to the value above 1).

Skipped, with the reason, when pyspark, dbt-spark or Java is missing, unless
TRADE_REQUIRE_SPARK=1 (CI), which turns that into a failure.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from scripts.paths import PROJECT_DIR
from scripts.pipeline import spark as spark_raw

pytestmark = [pytest.mark.spark, pytest.mark.slow]

SHARE_TOLERANCE = 1e-12
MARTS = sorted(path.stem for path in (PROJECT_DIR / "models" / "marts").rglob("*.sql"))


def _missing_spark_requirement() -> str | None:
    for module, what in (("pyspark", "pyspark"), ("dbt.adapters.spark", "dbt-spark")):
        if importlib.util.find_spec(module) is None:
            return f"{what} is not installed (pip install -r requirements-spark.txt)"
    java_home = os.environ.get("JAVA_HOME")
    java = Path(java_home) / "bin" / "java" if java_home else shutil.which("java")
    if not java or not Path(java).exists():
        return "no Java runtime for Spark (install a JDK 17 or 21, or set JAVA_HOME)"
    return None


@dataclass(frozen=True)
class Builds:
    duckdb_file: Path
    duckdb_target: Path
    spark_dir: Path
    spark_target: Path
    seconds: dict[str, float]

    def spark_mart_files(self, mart: str) -> str:
        """The Parquet files of a Spark mart: a managed table lives in <warehouse>/<schema>.db/."""
        return str(self.spark_dir / "tables" / "marts.db" / mart / "*.parquet")


@pytest.fixture(scope="module")
def builds(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Builds:
    missing = _missing_spark_requirement()
    if missing:
        if os.environ.get("TRADE_REQUIRE_SPARK") == "1":
            pytest.fail(f"TRADE_REQUIRE_SPARK=1 but {missing}")
        pytest.skip(missing)
    # Requested only now, so that a skipped run does not build the warehouse.
    duckdb_file: Path = request.getfixturevalue("warehouse_file")
    duckdb_target: Path = request.getfixturevalue("dbt_target_dir")

    root = tmp_path_factory.mktemp("spark")
    spark_dir = root / "spark"
    spark_target = root / "dbt-spark"
    env = {**os.environ, "TRADE_SPARK_DIR": str(spark_dir)}
    dbt_args = ["--target-path", str(spark_target), "--log-path", str(root / "logs")]
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    spark_raw.export_raw(duckdb_file, spark_dir / "raw")
    spark_raw.register_raw(spark_dir / "raw", dbt_args, env=env)
    seconds["spark raw layer"] = time.perf_counter() - started
    started = time.perf_counter()
    spark_raw.dbt_spark("build", *dbt_args, env=env)
    seconds["spark build"] = time.perf_counter() - started
    print("timings: " + ", ".join(f"{step} {value:.0f} s" for step, value in seconds.items()))
    return Builds(duckdb_file, duckdb_target, spark_dir, spark_target, seconds)


@pytest.fixture(scope="module")
def con(builds: Builds) -> Iterator[duckdb.DuckDBPyConnection]:
    """DuckDB with its own build attached as ``duck``; Spark's marts are read from Parquet."""
    connection = duckdb.connect()
    connection.execute(f"attach '{builds.duckdb_file}' as duck (read_only)")
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def mart_keys(builds: Builds) -> dict[str, list[str]]:
    """Each mart's key: the columns of its unique_combination (or unique) test."""
    manifest = json.loads((builds.duckdb_target / "manifest.json").read_text())
    keys: dict[str, list[str]] = {}
    for node in manifest["nodes"].values():
        metadata = node.get("test_metadata") or {}
        attached = node.get("attached_node") or ""
        if not attached.startswith("model."):
            continue
        model = attached.split(".")[-1]
        if metadata.get("name") == "unique_combination":
            keys[model] = list(metadata["kwargs"]["columns"])
        elif metadata.get("name") == "unique" and model not in keys:
            keys[model] = [metadata["kwargs"]["column_name"]]
    return keys


def _run_results(target: Path) -> dict[str, str]:
    results = json.loads((target / "run_results.json").read_text())["results"]
    return {result["unique_id"]: result["status"] for result in results}


def test_spark_build_runs_and_passes_every_node_of_the_duckdb_build(builds: Builds) -> None:
    duckdb_results = _run_results(builds.duckdb_target)
    spark_results = _run_results(builds.spark_target)
    # the DuckDB build is the main job's, without the unit tests (tests/test_warehouse.py
    # runs them); on Spark they run too, so the macros are unit-tested on that engine
    assert {node for node in spark_results if not node.startswith("unit_test.")} == set(
        duckdb_results
    )
    tests = [node for node in spark_results if node.startswith(("test.", "unit_test."))]
    assert len(tests) >= 200
    assert any(node.startswith("unit_test.") for node in tests)
    assert any(node.startswith("test.french_trade.assert_") for node in tests)
    passed = ("success", "pass", "no-op")  # no-op: the exposures, which run nothing
    assert {node: status for node, status in spark_results.items() if status not in passed} == {}


def test_every_mart_is_compared(builds: Builds, con: duckdb.DuckDBPyConnection) -> None:
    duckdb_marts = {
        name
        for (name,) in con.execute(
            "select table_name from duckdb_tables() "
            "where database_name = 'duck' and schema_name = 'marts'"
        ).fetchall()
    }
    spark_marts = {path.name for path in (builds.spark_dir / "tables" / "marts.db").iterdir()}
    assert duckdb_marts == set(MARTS)
    assert spark_marts == set(MARTS)


def _mismatch(column: str, data_type: str) -> str:
    duck, spark = f'd."{column}"', f's."{column}"'
    if data_type in ("DOUBLE", "FLOAT"):
        return (
            f"({duck} is null) <> ({spark} is null) "
            f"or abs({duck} - {spark}) > {SHARE_TOLERANCE} * greatest(1, abs({duck}))"
        )
    # decimal(18, 2) on both sides (checked): equal means equal to the cent.
    return f"{duck} is distinct from {spark}"


@pytest.mark.parametrize("mart", MARTS)
def test_spark_mart_equals_the_duckdb_mart(
    mart: str, builds: Builds, con: duckdb.DuckDBPyConnection, mart_keys: dict[str, list[str]]
) -> None:
    assert mart in mart_keys, f"{mart} declares no key (unique_combination test)"
    keys = mart_keys[mart]
    duck_relation = f'duck.marts."{mart}"'
    spark_relation = f"read_parquet('{builds.spark_mart_files(mart)}')"

    duck_columns = con.execute(
        "select column_name, data_type from duckdb_columns() "
        "where database_name = 'duck' and schema_name = 'marts' and table_name = ? "
        "order by column_index",
        [mart],
    ).fetchall()
    spark_columns = con.execute(
        f"select column_name, column_type from (describe select * from {spark_relation})"
    ).fetchall()
    assert spark_columns == duck_columns

    duck_rows = con.execute(f"select count(*) from {duck_relation}").fetchone()[0]
    spark_rows = con.execute(f"select count(*) from {spark_relation}").fetchone()[0]
    assert duck_rows > 0, f"{mart} is empty: the comparison would prove nothing"
    assert spark_rows == duck_rows

    key_list = ", ".join(f'"{key}"' for key in keys)
    duplicates = con.execute(
        f"select count(*) from (select {key_list} from {spark_relation} "
        f"group by {key_list} having count(*) > 1)"
    ).fetchone()[0]
    assert duplicates == 0, f"Spark's {mart} repeats keys"

    joined = (
        f"(select *, true as _present from {duck_relation}) as d "
        f"full outer join (select *, true as _present from {spark_relation}) as s on "
        + " and ".join(f'd."{key}" is not distinct from s."{key}"' for key in keys)
    )
    values = [(column, data_type) for column, data_type in duck_columns if column not in keys]
    checks = {
        "only in DuckDB": "s._present is null",
        "only in Spark": "d._present is null",
        **{
            column: f"d._present and s._present and ({_mismatch(column, data_type)})"
            for column, data_type in values
        },
    }
    counted = ", ".join(f"count(*) filter (where {check})" for check in checks.values())
    counts = con.execute(f"select {counted} from {joined}").fetchone()
    differences = {name: count for name, count in zip(checks, counts, strict=True) if count}
    if differences:
        name, check = next((n, c) for n, c in checks.items() if n in differences)
        shown = [f'coalesce(d."{key}", s."{key}")' for key in keys]
        if name in dict(values):
            shown += [f'd."{name}"', f's."{name}"']
        examples = con.execute(
            f"select {', '.join(shown)} from {joined} where {check} limit 5"
        ).fetchall()
        pytest.fail(f"{mart}: rows differing per column {differences}; e.g. {name}: {examples}")


def test_spark_incremental_run_rewrites_only_the_revised_year(
    builds: Builds, con: duckdb.DuckDBPyConnection
) -> None:
    """An incremental run on Spark overwrites the partitions of changed years only.

    Last in the file on purpose: it revises Spark's raw layer (the marts
    compared above are not rebuilt by it). One 2024 export line of the
    regional file gains 1 000 euros and the 2024 rows a later load time, as a
    revised file would: the departments' total moves by 1 000 euros, France's
    (the national file's, which was not revised) does not.
    """
    raw_files = builds.spark_dir / "raw" / "customs_trade"
    trade = builds.spark_dir / "tables" / "intermediate.db" / "int_territory_trade"
    exports_2024 = (
        f"select sum(value_eur) from read_parquet('{trade}/*/*.parquet', hive_partitioning = true) "
        "where territory_level = $level and flow = 'export' and year = 2024"
    )
    before = {level: con.execute(exports_2024, {"level": level}).fetchone()[0]
              for level in ("department", "country")}  # fmt: skip
    before_files = {path: path.stat().st_mtime_ns for path in trade.glob("year=*/*.parquet")}
    assert {path.parent.name for path in before_files} >= {"year=2023", "year=2024"}

    revised = builds.spark_dir / "customs_trade_revised.parquet"
    con.execute(
        f"""
        copy (
            with raw as (select * from read_parquet('{raw_files}/*.parquet')),
            first_line as (
                select min(source_file || '#' || source_line) as line
                from raw where year = '2024' and flow_code = 'E'
            )
            select * replace (
                case
                    when source_file || '#' || source_line = (select line from first_line)
                        then cast(cast(value as decimal(18, 3)) + 1000 as varchar)
                    else value
                end as value,
                case when year = '2024' then loaded_at + interval 1 hour else loaded_at end
                    as loaded_at
            )
            from raw
        ) to '{revised}' (format parquet)
        """
    )
    for old in raw_files.glob("*.parquet"):
        old.unlink()
    revised.rename(raw_files / "part-00000.parquet")

    env = {**os.environ, "TRADE_SPARK_DIR": str(builds.spark_dir)}
    models = "stg_customs__trade_values int_territory_trade int_territory_flow_links"
    dbt_args = ["--target-path", str(builds.spark_target)]
    spark_raw.dbt_spark("run", "--select", models, *dbt_args, env=env)

    after_files = {path: path.stat().st_mtime_ns for path in trade.glob("year=*/*.parquet")}
    kept = {path for path in before_files if path.parent.name != "year=2024"}
    assert all(after_files.get(path) == before_files[path] for path in kept), (
        "an unchanged year's partition was rewritten"
    )
    assert {p for p in after_files if p.parent.name == "year=2024"}.isdisjoint(before_files)
    after = {level: con.execute(exports_2024, {"level": level}).fetchone()[0]
             for level in ("department", "country")}  # fmt: skip
    assert after["department"] - before["department"] == 1000
    assert after["country"] == before["country"]
