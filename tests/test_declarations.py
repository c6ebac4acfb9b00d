"""Declaration-level files: recognised, checked line by line, and summed back to the same marts.

The benchmark loads tens of millions of declaration lines instead of the
departmental files. That is only a fair benchmark if those lines are the same
trade: the loader must land them with their month and line number, refuse a
repeated line or an impossible month, and dbt must build exactly the marts of
the departmental sample from them.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import numpy as np
import pytest

from scripts.ingest import layout as raw_layout
from scripts.ingest import load as load_raw
from scripts.ingest.files import recognise
from scripts.ingest.load import RawInputError
from scripts.pipeline import build as run_pipeline
from scripts.sample import generate as generate_sample

FIXTURE = Path(__file__).parent / "fixtures" / "layouts" / "declarations"
HEADER = ";".join(raw_layout.DECLARATIONS_HEADER)
FILE = "declarations_2024.csv"

# Columns of the marts that describe the loaded files, not the trade: the
# declaration sample has other files (one CSV per region instead of a zip
# member per department), more raw rows and another load time.
LOAD_COLUMNS: dict[str, set[str]] = {
    "data_provenance": {"file_count", "row_count", "loaded_at"},
    # the sample's regional file has CPF4 and mass, and a national file beside it
    # (France's source); declaration lines, an older header-based layout, have none
    "territory_product_trade": {"mass_kg"},
    "territory_trade_balance": {"france_source"},
    "trade_periods": {"national_months", "france_source"},
}
#: Rows only the published layouts give (CPF4 products): not compared.
ROW_FILTERS: dict[str, str] = {"territory_product_trade": "product_level <> 'cpf4'"}


def _write(folder: Path, rows: list[str]) -> Path:
    """A raw folder holding one declarations file with ``rows`` under the generator's header."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / FILE).write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return folder


def test_a_declarations_header_is_never_read_as_a_long_table() -> None:
    declarations, positions = recognise(list(raw_layout.DECLARATIONS_HEADER), "f.csv")
    assert declarations is raw_layout.DECLARATIONS
    assert positions["month"] == 2 and positions["line_number"] == 6
    long_table, _ = recognise(list(raw_layout.SAMPLE_HEADER), "f.csv")
    assert long_table is raw_layout.LONG
    # a month without a line number is a declarations file missing a column
    incomplete = [n for n in raw_layout.DECLARATIONS_HEADER if n != "Numero de ligne"]
    with pytest.raises(RawInputError) as refused:
        recognise(incomplete, "f.csv")
    assert [(p.column, "declarations layout" in p.reason) for p in refused.value.problems] == [
        ("Numero de ligne", True)
    ]


def test_the_loader_lands_declaration_lines_with_month_and_line(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE, tmp_path / "raw")
    warehouse = tmp_path / "trade.duckdb"
    report = load_raw.load(tmp_path / "raw", warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select flow_code, month, department_code, product_code, country_code, "
            "line_number, value, value_unit, source_file, source_line "
            "from raw.customs_trade order by source_line"
        ).fetchall()
    assert report.rows_loaded == 5 and report.rows_quarantined == 0
    label = f"2024/{FILE}"
    assert rows == [
        # accented headers; three lines of one cell; "03" is a month as published
        ("E", "1", "45", "C20B", "DE", "1", "1000", "eur", label, 2),
        ("E", "3", "45", "C20B", "DE", "2", "2500", "eur", label, 3),
        ("E", "03", "45", "C20B", "DE", "3", "500", "eur", label, 4),
        ("I", "12", "45", "C21Z", "US", "4", "80125", "eur", label, 5),
        ("E", "7", "00", "B06Z", "NO", "5", "42", "eur", label, 6),
    ]


def test_an_older_raw_table_gains_the_new_columns(tmp_path: Path) -> None:
    warehouse = tmp_path / "trade.duckdb"
    load_raw.load(_write(tmp_path / "first", ["E;2024;1;45;C20B;DE;1;1000"]), warehouse)
    with duckdb.connect(str(warehouse)) as con:  # as a warehouse built before declarations
        for table in ("customs_trade", "quarantine"):
            con.execute(f"alter table raw.{table} drop column month")
            con.execute(f"alter table raw.{table} drop column line_number")
    shutil.copytree(FIXTURE, tmp_path / "raw")
    # another folder: the first one's file goes, which a removal must say it accepts
    assert load_raw.load(tmp_path / "raw", warehouse, allow_removals=True).rows_loaded == 5
    with duckdb.connect(str(warehouse), read_only=True) as con:
        months = con.execute("select count(month) from raw.customs_trade").fetchone()[0]
    assert months == 5


def test_different_lines_of_one_key_load_but_a_repeated_line_is_a_duplicate(
    tmp_path: Path,
) -> None:
    rows = [
        "E;2024;1;45;C20B;DE;1;1000",
        "E;2024;1;45;C20B;DE;2;1000",  # same key and month, another line: loaded
        "E;2024;1;45;C20B;DE;2;7",  # line 2 again: both copies refused
        "E;2024;13;45;C21Z;US;4;80",  # no 13th month
        "E;2024;0;45;C21Z;US;5;80",
        "E;2024;2;45;C21Z;US;;80",  # no line number
    ]
    folder = _write(tmp_path / "raw", rows)
    with pytest.raises(RawInputError) as refused:
        load_raw.load(folder, tmp_path / "refused.duckdb")
    first = refused.value.problems[0]
    assert (first.source_file, first.line, first.column) == (FILE, 3, "key")
    warehouse = tmp_path / "trade.duckdb"
    report = load_raw.load(folder, warehouse, quarantine=True)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        problems = con.execute(
            "select source_file, source_line, column_name, reason from raw.quarantine "
            "order by source_line, column_name"
        ).fetchall()
        loaded = con.execute(
            "select source_line, line_number from raw.customs_trade order by 1"
        ).fetchall()
    duplicate = (
        "duplicate key (flow, year, month, department, product, country, line number): "
        f"2 copies, first at {FILE}, line 3, then at {FILE}, line 4"
    )
    assert problems == [
        (FILE, 3, "key", duplicate),
        (FILE, 4, "key", duplicate),
        (FILE, 5, "Mois", "month '13' is not a month (1 to 12)"),
        (FILE, 6, "Mois", "month '0' is not a month (1 to 12)"),
        (FILE, 7, "Numero de ligne", "line number NULL is not a positive integer"),
    ]
    assert loaded == [(2, "1")]
    assert (report.rows_loaded, report.rows_quarantined) == (1, 5)


def test_same_seed_gives_the_same_declaration_files(tmp_path: Path) -> None:
    for name in ("a", "b"):
        generate_sample.write_sample(tmp_path / name, [2024], declaration_lines=2)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.csv"))
    assert len(files) == 18 + 1  # one file per region, one for the unallocated trade
    for file in files:
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes()


def test_lines_split_each_value_exactly() -> None:
    values = np.array([1, 2, 5, 10**11 + 7, 3_000_001] * 200)
    cell, months, euros = generate_sample.split_into_lines(values, 4, np.random.default_rng(1))
    sums = np.bincount(cell, weights=euros, minlength=len(values)).astype(np.int64)
    assert sums.tolist() == values.tolist()  # exact: every sum is below 2**53
    assert euros.min() >= 1 and months.min() >= 1 and months.max() <= 12
    lines = np.bincount(cell, minlength=len(values))
    assert lines[values == 1].max() == 1  # a one-euro value cannot have two lines
    assert lines.min() >= 1 and lines.max() <= 7 and 3 < lines[values > 7].mean() < 5


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A 2024 warehouse built from the departmental sample and one from declaration lines."""
    built = []
    for name, lines in (("departmental", 0), ("declarations", 3)):
        root = tmp_path_factory.mktemp(name)
        generate_sample.write_sample(root / "raw", [2024], declaration_lines=lines)
        warehouse = root / "trade.duckdb"
        run_pipeline.build_warehouse(
            root / "raw", warehouse, ["--target-path", str(root / "target")], full_refresh=True
        )
        built.append(warehouse)
    return built[0], built[1]


#: Relative tolerance for DOUBLE columns (shares, HHI, RCA): they are sums of floats, and
#: a parallel aggregate adds them in an order that varies from build to build.
FLOAT_TOLERANCE = 1e-9


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> tuple[list[str], list[str]]:
    """The compared columns of a mart: exact ones (all but DOUBLE) and DOUBLE ones."""
    rows = con.execute(
        "select column_name, data_type from information_schema.columns where table_catalog = "
        "'trade' and table_schema = 'marts' and table_name = ? order by ordinal_position",
        [table],
    ).fetchall()
    kept = [(name, kind) for name, kind in rows if name not in LOAD_COLUMNS.get(table, set())]
    exact = [f'"{name}"' for name, kind in kept if kind not in ("DOUBLE", "FLOAT")]
    floats = [f'"{name}"' for name, kind in kept if kind in ("DOUBLE", "FLOAT")]
    return exact, floats


def _differences(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[object, ...]]:
    """Rows of ``table`` that differ between the two warehouses (a few, for the message).

    Every exact column is compared with EXCEPT ALL both ways. DOUBLE columns
    are then compared row by row, the rows of each side paired by their order
    on the exact columns (which hold each mart's key), within FLOAT_TOLERANCE.
    """
    exact, floats = _columns(con, table)
    listed = ", ".join(exact)
    where = f" where {ROW_FILTERS[table]}" if table in ROW_FILTERS else ""
    mine = f"select {listed} from trade.marts.{table}{where}"
    theirs = f"select {listed} from departmental.marts.{table}{where}"
    for first, second in ((mine, theirs), (theirs, mine)):
        differing = con.execute(f"{first} except all {second} limit 3").fetchall()
        if differing:
            return differing
    if not floats:
        return []
    every = ", ".join(exact + floats)
    paired = (f"select {every}, row_number() over (order by {listed}, {', '.join(floats)}) "
              "as pair from {db}.marts." + table + where)  # fmt: skip
    apart = [f"a.{c} is distinct from b.{c}" for c in exact] + [
        f"not coalesce(abs(a.{c} - b.{c}) <= {FLOAT_TOLERANCE} * greatest(abs(a.{c}), "
        f"abs(b.{c})), a.{c} is null and b.{c} is null)"
        for c in floats
    ]
    return con.execute(
        f"select a.*, b.* from ({paired.format(db='trade')}) as a "
        f"join ({paired.format(db='departmental')}) as b using (pair) "
        f"where {' or '.join(apart)} limit 3"
    ).fetchall()


@pytest.mark.slow
def test_declaration_lines_build_exactly_the_marts_of_the_departmental_sample(
    warehouses: tuple[Path, Path],
) -> None:
    departmental, declarations = warehouses
    with duckdb.connect(str(declarations), read_only=True) as con:
        con.execute(f"attach '{departmental}' as departmental (read_only)")
        tables = [row[0] for row in con.execute(
            "select table_name from information_schema.tables where table_catalog = 'trade' "
            "and table_schema = 'marts' order by 1"
        ).fetchall()]  # fmt: skip
        assert len(tables) >= 10
        compared = 0
        for table in tables:
            where = f" where {ROW_FILTERS[table]}" if table in ROW_FILTERS else ""
            counts = [
                con.execute(f"select count(*) from {db}.marts.{table}{where}").fetchone()[0]
                for db in ("trade", "departmental")
            ]
            assert counts[0] == counts[1], table  # top movers is empty: one year, no base
            compared += counts[0]
            assert _differences(con, table) == [], f"marts.{table} differs"
        # declaration lines against the yearly cells (flow, department, product, country)
        # they sum to; the regional file splits those cells into quarters and CPF4 classes
        raw = [
            con.execute("select count(*) from trade.raw.customs_trade").fetchone()[0],
            con.execute(
                "select count(*) from (select distinct flow_code, department_code, "
                "product_code, country_code from departmental.raw.customs_trade)"
            ).fetchone()[0],
        ]
        exports = [
            con.execute(
                f"select exports_eur from {db}.marts.territory_trade_balance "
                "where territory_code = '45' and year = 2024"
            ).fetchone()[0]
            for db in ("trade", "departmental")
        ]
    assert compared > 50_000  # rows compared over all marts
    assert raw[0] > 2 * raw[1]
    # the calibrated Loiret 2024 exports (the published figure) in both builds
    calibrated = generate_sample.CALIBRATED_TOTALS_EUR["department"]["E"]
    assert exports[0] == exports[1] == Decimal(calibrated)


def test_the_same_trade_in_both_layouts_fails_the_build(tmp_path: Path) -> None:
    """Declaration lines and a departmental file for the same flow, year and department
    would be added up; a dbt test refuses the build and the warehouse is not written."""
    raw = tmp_path / "raw"
    generate_sample.write_sample(raw, [2024])
    # a few declaration lines of Loiret (45) and of the unallocated trade (00) for 2024
    shutil.copy(FIXTURE / "2024" / FILE, raw / "2024" / FILE)
    target = tmp_path / "trade.duckdb"
    with pytest.raises(run_pipeline.BuildError):
        run_pipeline.build_warehouse(raw, target, ["--target-path", str(tmp_path / "target")])
    assert not target.exists()
    results = json.loads((tmp_path / "target" / "run_results.json").read_text(encoding="utf-8"))
    statuses = {r["unique_id"].split(".")[2]: r["status"] for r in results["results"]}
    assert statuses["assert_no_trade_in_two_layouts"] == "fail"
    failing = {name for name, status in statuses.items() if status in ("fail", "error")}
    assert failing == {"assert_no_trade_in_two_layouts"}
