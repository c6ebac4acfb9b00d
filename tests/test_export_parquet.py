"""Parquet exports read back, with a fresh DuckDB connection, equal the warehouse's marts."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from scripts.pipeline.parquet import MANIFEST, export_marts


@pytest.fixture(scope="module")
def exported(warehouse_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "parquet"
    export_marts(warehouse_file, out)
    return out


def test_manifest_lists_every_mart_with_rows_and_types(
    exported: Path, warehouse_file: Path
) -> None:
    manifest = json.loads((exported / MANIFEST).read_text())
    with duckdb.connect(str(warehouse_file), read_only=True) as con:
        marts = {row[0]: row[1] for row in con.execute(
            "select table_name, estimated_size from duckdb_tables() where schema_name = 'marts'"
        ).fetchall()}  # fmt: skip
        types = {(r[0], r[1]): r[2] for r in con.execute(
            "select table_name, column_name, data_type from information_schema.columns "
            "where table_schema = 'marts'"
        ).fetchall()}  # fmt: skip
    assert {t["table"] for t in manifest["tables"]} == set(marts)
    for table in manifest["tables"]:
        for column in table["columns"]:
            assert types[(table["table"], column["name"])] == column["type"]
    assert any(t["partitioned_by"] == ["year"] for t in manifest["tables"])


def test_every_export_reads_back_equal_to_the_warehouse(
    exported: Path, warehouse_file: Path
) -> None:
    manifest = json.loads((exported / MANIFEST).read_text())
    fresh = duckdb.connect()  # a new connection that knows nothing of the warehouse
    fresh.execute(f"attach '{warehouse_file}' as warehouse (read_only)")
    for table in manifest["tables"]:
        name = table["table"]
        columns = ", ".join(f'"{c["name"]}"' for c in table["columns"])
        files = [str(exported / f["path"]) for f in table["files"]]
        source = f"read_parquet({files!r}, hive_partitioning = {bool(table['partitioned_by'])})"
        exported_rows = fresh.execute(f"select count(*) from {source}").fetchone()[0]
        assert exported_rows == table["rows"], name
        for left, right in (
            (f"select {columns} from {source}", f"select {columns} from warehouse.marts.{name}"),
            (f"select {columns} from warehouse.marts.{name}", f"select {columns} from {source}"),
        ):
            difference = fresh.execute(f"select count(*) from ({left} except all {right})")
            assert difference.fetchone()[0] == 0, name
    fresh.close()


def test_a_new_export_replaces_the_old_one_whole(exported: Path, warehouse_file: Path) -> None:
    (exported / "stale.parquet").write_bytes(b"left over from an older export")
    export_marts(warehouse_file, exported)
    assert not (exported / "stale.parquet").exists()
    assert not exported.with_name("parquet.writing").exists()
