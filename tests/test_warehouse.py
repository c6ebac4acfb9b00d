"""The warehouse built from the sample: published figures, lineage, storage format, seeds."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import pytest
import yaml

from scripts.paths import PROJECT_DIR
from scripts.pipeline import build as run_pipeline


def _round(value: Decimal, places: int) -> Decimal:
    """Round half up, as the fiche prints its figures."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _staging_total(con: duckdb.DuckDBPyConnection, level: str, code: str, flow: str) -> Decimal:
    """A 2024 total recomputed from staging, not from the marts.

    Departments and regions from the regional file; France from the national
    file, which the sample (like the customs) publishes beside it.
    """
    table, where = {
        "department": ("stg_customs__trade_values", "department_code = $code"),
        "region": ("stg_customs__trade_values", "department_code in (select department_code "
                   "from staging.stg_reference__departments where region_code = $code)"),
        "country": ("stg_customs__national_trade", "$code = $code"),
    }[level]  # fmt: skip
    return con.execute(
        f"select sum(value_eur) from staging.{table} "
        f"where year = 2024 and flow = $flow and {where}",
        {"code": code, "flow": flow},
    ).fetchone()[0]


def test_published_totals_and_shares(
    warehouse: duckdb.DuckDBPyConnection, published_figures: list[dict[str, str]]
) -> None:
    for row in published_figures:
        total = _staging_total(
            warehouse, row["territory_level"], row["territory_code"], row["flow"]
        )
        assert _round(total / Decimal(10**6), 1) == Decimal(row["value_million_eur"]), row
        if row["share_of_region_pct"]:
            region = _staging_total(warehouse, "region", "24", row["flow"])
            france = _staging_total(warehouse, "country", "FR", row["flow"])
            assert _round(100 * total / region, 1) == Decimal(row["share_of_region_pct"])
            assert _round(100 * total / france, 2) == Decimal(row["share_of_france_pct"])


def test_no_row_is_dropped_from_files_to_staging(
    warehouse: duckdb.DuckDBPyConnection, sample_dir: Path
) -> None:
    # the sample's files have no header: every line is a row
    lines = {"Region": 0, "National": 0, "annexes": 0}
    for path in sample_dir.rglob("*"):
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as zipped:
                for name in zipped.namelist():
                    lines[name.split("_", 1)[0]] += zipped.read(name).count(b"\n")
        elif path.suffix == ".txt":
            lines["annexes"] += path.read_bytes().count(b"\n")
    counts = warehouse.execute(
        "select (select count(*) from raw.customs_trade), "
        "(select count(*) from staging.stg_customs__trade_values), "
        "(select count(*) from raw.customs_national_trade), "
        "(select count(*) from staging.stg_customs__national_trade), "
        "(select count(*) from raw.customs_labels)"
    ).fetchone()
    assert counts == (lines["Region"], lines["Region"], lines["National"], lines["National"],
                      lines["annexes"])  # fmt: skip
    audited = warehouse.execute(
        "select sum(rows_read), sum(rows_loaded) from staging.stg_customs__load_audit"
    ).fetchone()
    assert audited == (sum(lines.values()), sum(lines.values()))


def test_lineage_points_back_to_the_file_line(
    warehouse: duckdb.DuckDBPyConnection, sample_dir: Path
) -> None:
    source_file, line, value, mass = warehouse.execute(
        "select source_file, source_line, value, mass_kg from raw.customs_trade "
        "where source_file = '2024/Region_2024.zip!Region_2024_Export.txt' "
        "and department_code = '45' order by source_line desc limit 1"
    ).fetchone()
    archive, member = source_file.split("!")
    with zipfile.ZipFile(sample_dir / archive) as zipped:
        text = zipped.read(member).decode("utf-8").splitlines()
    # headerless: line N of the file is the Nth line; value and mass are fields 9 and 10
    assert text[line - 1].split(";")[3] == "45"
    assert text[line - 1].split(";")[8:] == [value, mass]


def test_money_is_exact_decimal(warehouse: duckdb.DuckDBPyConnection) -> None:
    column_type = warehouse.execute(
        "select data_type from information_schema.columns "
        "where table_name = 'stg_customs__trade_values' and column_name = 'value_eur'"
    ).fetchone()[0]
    assert column_type.startswith("DECIMAL")


def test_file_opens_in_duckdb_1_4_clients(warehouse_file: Path) -> None:
    header = warehouse_file.read_bytes()[:64]
    assert header[8:12] == b"DUCK"
    assert struct.unpack("<Q", header[12:20])[0] == 64  # storage format of DuckDB 1.x
    # The installed client is a 1.4 release, and it reads the file read-only.
    assert duckdb.__version__.startswith("1.4.")
    with duckdb.connect(str(warehouse_file), read_only=True) as con:
        tags = con.execute(
            "select tags from duckdb_databases() where path = ?", [str(warehouse_file)]
        ).fetchone()[0]
        assert tags["storage_version"] in {"v1.0.0+", "v1.2.0+", "v1.3.0+", "v1.4.0+"}
        assert con.execute("select count(*) from raw.customs_trade").fetchone()[0] > 0


def test_reference_seeds_are_complete(warehouse: duckdb.DuckDBPyConnection) -> None:
    counts = warehouse.execute(
        "select (select count(*) from staging.stg_reference__departments), "
        "(select count(*) from staging.stg_reference__regions)"
    ).fetchone()
    assert counts == (101, 18)
    codes = {row[0] for row in warehouse.execute(
        "select department_code from staging.stg_reference__departments"
    ).fetchall()}  # fmt: skip
    assert {"01", "20", "45", "971", "976", "99"} <= codes  # Corsica as one, Monaco
    orphans = warehouse.execute(
        "select count(*) from staging.stg_reference__products_a129 as p "
        "left join staging.stg_reference__products_a38 as d using (a38_code) "
        "left join staging.stg_reference__products_a17 as s using (a17_code) "
        "where s.a17_label is null"
    ).fetchone()[0]
    assert orphans == 0
    loiret = warehouse.execute(
        "select territoire_industrie_name from staging.stg_reference__territoires_industrie "
        "where department_code = '45' order by 1"
    ).fetchall()
    assert [r[0] for r in loiret] == [
        "Est du Loiret",
        "Nord Loiret",
        "Orléans Métropole \u2013 Beauce Loirétaine",
    ]


@pytest.mark.usefixtures("warehouse_file")
def test_dbt_build_ran_its_tests(dbt_target_dir: Path) -> None:
    results = json.loads((dbt_target_dir / "run_results.json").read_text())["results"]
    tests = [r for r in results if r["unique_id"].startswith(("test.", "unit_test."))]
    assert len(tests) >= 50
    assert all(r["status"] == "pass" for r in tests), [
        r["unique_id"] for r in tests if r["status"] != "pass"
    ]


def test_every_unit_test_passes(warehouse_file: Path, tmp_path: Path) -> None:
    # The main job's dbt build leaves the unit tests out (fixed inputs: the same
    # answer on every build); they run here, once, against a copy of the session's
    # warehouse, whose relations dbt reads for their column types.
    copy = tmp_path / "trade.duckdb"
    shutil.copyfile(warehouse_file, copy)
    target = tmp_path / "target"
    done = subprocess.run(
        run_pipeline.dbt_command("test", "--select", "test_type:unit", "--target-path",
                                 str(target)),
        cwd=PROJECT_DIR, env={**os.environ, "TRADE_WAREHOUSE_PATH": str(copy)},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:]
    results = json.loads((target / "run_results.json").read_text())["results"]
    declared = sum(
        len((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("unit_tests", []))
        for path in (PROJECT_DIR / "models").rglob("*.yml")
    )
    assert declared >= 20
    assert sorted(r["status"] for r in results) == ["pass"] * declared


def test_every_relation_reads_from_a_copy_under_another_name(
    warehouse_file: Path, tmp_path: Path
) -> None:
    # Analysts copy the file and BI tools attach it under their own alias: no
    # relation may depend on the file's name.
    copy = tmp_path / "my_copy_of_the_warehouse.duckdb"
    copy.write_bytes(warehouse_file.read_bytes())
    with duckdb.connect(str(copy), read_only=True) as con:
        relations = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('staging', 'intermediate', 'marts')"
        ).fetchall()
        assert len(relations) > 20
        for schema, name in relations:
            con.execute(f'select * from "{schema}"."{name}" limit 1').fetchall()
