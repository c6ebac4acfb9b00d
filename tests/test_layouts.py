"""Each official layout in miniature (tests/fixtures/layouts) loads to the right euros."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from scripts.ingest import load as load_raw
from scripts.ingest.load import RawInputError
from scripts.pipeline import build as run_pipeline

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse built by the main job from the miniature files."""
    root = tmp_path_factory.mktemp("layouts")
    shutil.copytree(LAYOUTS / "2024", root / "raw" / "2024")
    warehouse = root / "trade.duckdb"
    run_pipeline.build_warehouse(
        root / "raw", warehouse, ["--target-path", str(root / "target")], full_refresh=True
    )
    return warehouse


def _euros(warehouse: Path) -> dict[tuple[str, str, str, str], Decimal]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select flow, department_code, product_code, country_code, value_eur "
            "from staging.stg_customs__trade_values"
        ).fetchall()
    return {tuple(row[:4]): row[4] for row in rows}


def test_every_layout_lands_in_euros(built: Path) -> None:
    euros = _euros(built)
    assert euros == {
        # long table, UTF-8 with BOM, decimal comma and grouped thousands, k€ header
        ("export", "45", "C20B", "CH"): Decimal("1200500.00"),
        ("import", "45", "C21Z", "US"): Decimal("80125.00"),
        # long table, Latin-1 and tabs, "Valeur en euros": no conversion
        ("export", "28", "C20B", "BE"): Decimal("5000.00"),
        ("export", "28", "C21Z", "IT"): Decimal("2500.50"),
        # cross table, department/flow/year from the file name, empty cells skipped
        ("export", "45", "C20B", "DE"): Decimal("100000.00"),
        ("export", "45", "C20B", "US"): Decimal("50500.00"),
        ("export", "45", "C29A", "DE"): Decimal("10000.00"),
        ("export", "45", "C29A", "BE"): Decimal("20000.00"),
        # .xlsx cross table
        ("import", "45", "C26A", "CN"): Decimal("12500.00"),
        ("import", "45", "C26A", "DE"): Decimal("7000.00"),
        ("import", "45", "C28B", "DE"): Decimal("3250.00"),
        # .xls cross table
        ("export", "37", "C11Z", "ES"): Decimal("4000.00"),
        ("export", "37", "C11Z", "IT"): Decimal("6750.00"),
    }


def test_lines_are_those_of_the_original_files(built: Path) -> None:
    with duckdb.connect(str(built), read_only=True) as con:
        lines = con.execute(
            "select source_file, source_line from raw.customs_trade where country_code = 'IT' "
            "order by 1"
        ).fetchall()
    # the Latin-1 file has a blank third line: its next row is still line 4
    assert lines == [("2024/37_export_2024.xls#Export", 2), ("2024/long_latin1_tab_2024.txt", 4)]


def test_published_labels_override_the_seed(built: Path) -> None:
    with duckdb.connect(str(built), read_only=True) as con:
        labels = dict(con.execute(
            "select a129_code, label_source from intermediate.int_products_a129 "
            "where a129_code in ('C20B', 'C21Z')"
        ).fetchall())  # fmt: skip
        shown = con.execute(
            "select distinct product_label from marts.territory_product_trade "
            "where product_level = 'a129' and product_code = 'C20B'"
        ).fetchall()
    assert labels == {"C20B": "customs files", "C21Z": "seed"}
    assert shown == [("Parfums, cosmétiques et produits d'entretien",)]


def test_unknown_layout_lists_what_was_expected_and_found(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "mystery_2024.csv").write_text("Foo;Bar\n1;2\n")
    with pytest.raises(RawInputError) as refused:
        load_raw.load(tmp_path / "raw", tmp_path / "trade.duckdb")
    reason = refused.value.problems[0].reason
    assert "unknown layout" in reason
    assert "long: ['Flux', 'Annee', 'Departement', 'Code A129', 'Code Pays', 'Valeur']" in reason
    assert "found ['Foo', 'Bar']" in reason


def test_cross_table_that_does_not_say_its_department_is_refused(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "table.csv").write_text("Code A129;DE\nC20B;1\n")
    with pytest.raises(RawInputError, match="cross table without flow_code"):
        load_raw.load(tmp_path / "raw", tmp_path / "trade.duckdb")


def test_a_row_of_another_year_than_its_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "trade_2024.csv").write_text(
        "Flux;Annee;Departement;Code A129;Code Pays;Valeur\nE;2023;45;C20B;DE;1\n"
    )
    expected = r"trade_2024.csv, line 2, column 'Annee': year '2023' is not the year of the file"
    with pytest.raises(RawInputError, match=expected):
        load_raw.load(tmp_path / "raw", tmp_path / "trade.duckdb")
