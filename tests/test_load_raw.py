"""Bad raw input is refused with its file, line, column and reason; nothing loaded is lost."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import duckdb
import pytest

from scripts.ingest import load as load_raw
from scripts.ingest.load import RawInputError
from scripts.pipeline import build as run_pipeline

HEADER = "Flux;Annee;Departement;Code A129;Code Pays;Valeur"
GOOD_ROWS = [
    "E;2024;45;C20B;DE;1200.500",
    "E;2024;45;C21Z;US;300.000",
    "I;2024;45;C20B;BE;80.125",
    "E;2024;1;C29A;IT;12.000",
    "I;2024;00;B06Z;NO;5000.000",
]


def write_folder(folder: Path, rows: list[str], header: str = HEADER) -> Path:
    """A raw folder with one regional zip holding one department file."""
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(folder / "region_24_2024.zip", "w") as zipped:
        zipped.writestr("dept_45_2024.csv", "\n".join([header, *rows]) + "\n")
    return folder


def raw_snapshot(warehouse: Path) -> tuple[int, str]:
    """Row count and a digest of the raw table's content."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select flow_code, year, department_code, product_code, country_code, value, "
            "source_file, source_line from raw.customs_trade order by source_file, source_line"
        ).fetchall()
    return len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.fixture()
def loaded(tmp_path: Path) -> Path:
    """A warehouse whose raw layer already holds the good rows."""
    warehouse = tmp_path / "trade.duckdb"
    load_raw.load(write_folder(tmp_path / "good", GOOD_ROWS), warehouse)
    return warehouse


BAD_INPUTS = {
    "missing column": (GOOD_ROWS, HEADER.replace(";Code Pays", ""), 1, "Code Pays",
                       "missing column"),
    "unknown department": ([*GOOD_ROWS, "E;2024;98;C20B;DE;1.000"], HEADER, 7, "Departement",
                           "unknown department code '98'"),
    "unknown country": ([*GOOD_ROWS, "E;2024;45;C20B;ZZ;1.000"], HEADER, 7, "Code Pays",
                        "unknown country code 'ZZ'"),
    "unknown product": ([*GOOD_ROWS, "E;2024;45;X99Z;DE;1.000"], HEADER, 7, "Code A129",
                        "unknown A129 product code 'X99Z'"),
    "non-numeric value": ([*GOOD_ROWS, "E;2024;45;C20C;DE;12,5k"], HEADER, 7, "Valeur",
                          "is not a non-negative number"),
    "negative value": ([*GOOD_ROWS, "E;2024;45;C20C;DE;-3.000"], HEADER, 7, "Valeur",
                       "is not a non-negative number"),
    "duplicate key": ([*GOOD_ROWS, "E;2024;45;C21Z;US;1.000"], HEADER, 3, "key",
                      "duplicate key (flow, year, department, product, country): 2 copies"),
    "unknown flow": ([*GOOD_ROWS, "X;2024;45;C20C;DE;1.000"], HEADER, 7, "Flux",
                     "unknown flow 'X'"),
    "bad year": ([*GOOD_ROWS, "E;24;45;C20C;DE;1.000"], HEADER, 7, "Annee",
                 "not a four-digit year"),
    "extra field": ([*GOOD_ROWS[:2], "E;2024;45;C20C;DE;1.000;7", *GOOD_ROWS[2:]], HEADER, 4,
                    "-", "Expected Number of Columns: 6 Found: 7"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_located_and_nothing_is_lost(loaded: Path, tmp_path: Path, case: str) -> None:
    rows, header, line, column, reason = BAD_INPUTS[case]
    before = raw_snapshot(loaded)
    with pytest.raises(RawInputError) as refused:
        load_raw.load(write_folder(tmp_path / "bad", rows, header), loaded)
    problem = refused.value.problems[0]
    assert problem.source_file == "region_24_2024.zip!dept_45_2024.csv"
    assert (problem.line, problem.column) == (line, column)
    assert reason in problem.reason
    message = str(refused.value)
    assert f"line {line}" in message and "region_24_2024.zip!dept_45_2024.csv" in message
    assert raw_snapshot(loaded) == before


def test_every_problem_of_a_file_is_reported(loaded: Path, tmp_path: Path) -> None:
    rows = [*GOOD_ROWS, "E;2024;98;C20B;DE;1.000", "E;2024;45;C20B;ZZ;x"]
    with pytest.raises(RawInputError) as refused:
        load_raw.load(write_folder(tmp_path / "bad", rows), loaded)
    located = {(p.line, p.column) for p in refused.value.problems}
    assert located == {(7, "Departement"), (8, "Code Pays"), (8, "Valeur")}


def test_not_a_zip_and_empty_files_are_refused(loaded: Path, tmp_path: Path) -> None:
    before = raw_snapshot(loaded)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "region_24_2024.zip").write_bytes(b"this is not a zip archive")
    with pytest.raises(RawInputError, match="not a zip file"):
        load_raw.load(broken, loaded)
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "france_non_ventile_2024.csv").write_text("")
    with pytest.raises(RawInputError, match="empty file"):
        load_raw.load(empty, loaded)
    assert raw_snapshot(loaded) == before


def test_loading_the_same_folder_twice_changes_nothing(loaded: Path, tmp_path: Path) -> None:
    before = raw_snapshot(loaded)
    report = load_raw.load(tmp_path / "good", loaded)
    assert raw_snapshot(loaded) == before
    assert before[0] == len(GOOD_ROWS)
    assert (report.files, report.files_read) == (1, 0)


def test_quarantine_keeps_invalid_rows_aside_and_loads_the_rest(
    loaded: Path, tmp_path: Path
) -> None:
    rows = [*GOOD_ROWS, "E;2024;98;C20B;DE;1.000", "E;2024;45;C20C;ZZ;x", "E;2024;45;C21Z;US;2"]
    report = load_raw.load(write_folder(tmp_path / "mixed", rows), loaded, quarantine=True)
    with duckdb.connect(str(loaded), read_only=True) as con:
        quarantined = con.execute(
            "select source_line, column_name, department_code, value from raw.quarantine "
            "order by source_line, column_name"
        ).fetchall()
        audit = con.execute(
            "select rows_read, rows_loaded, rows_quarantined from raw.load_audit"
        ).fetchone()
        loaded_lines = [r[0] for r in con.execute(
            "select source_line from raw.customs_trade order by source_line"
        ).fetchall()]  # fmt: skip
    # line 3 and line 9 share a key: both copies are set aside
    assert quarantined == [
        (3, "key", "45", "300.000"),
        (7, "Departement", "98", "1.000"),
        (8, "Code Pays", "45", "x"),
        (8, "Valeur", "45", "x"),
        (9, "key", "45", "2"),
    ]
    assert loaded_lines == [2, 4, 5, 6]
    assert audit == (8, 4, 4)
    assert audit[0] == audit[1] + audit[2]
    assert (report.rows_loaded, report.rows_quarantined) == (4, 4)


def _two_year_folder(folder: Path, years: list[int]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for year in years:
        rows = [row.replace(";2024;", f";{year};") for row in GOOD_ROWS]
        (folder / f"france_{year}.csv").write_text("\n".join([HEADER, *rows]) + "\n")
    return folder


def test_adding_a_year_reads_only_its_files(tmp_path: Path) -> None:
    warehouse, folder = tmp_path / "trade.duckdb", tmp_path / "raw"
    first = load_raw.load(_two_year_folder(folder, [2023]), warehouse)
    second = load_raw.load(_two_year_folder(folder, [2023, 2024]), warehouse)
    assert (first.files_read, second.files_read, second.files) == (1, 1, 2)
    assert raw_snapshot(warehouse)[0] == 2 * len(GOOD_ROWS)


def test_changed_and_removed_files_replace_their_rows(tmp_path: Path) -> None:
    warehouse, folder = tmp_path / "trade.duckdb", tmp_path / "raw"
    load_raw.load(_two_year_folder(folder, [2023, 2024]), warehouse)
    (folder / "france_2023.csv").unlink()
    changed = (folder / "france_2024.csv").read_text().replace("1200.500", "1300.500")
    (folder / "france_2024.csv").write_text(changed)
    report = load_raw.load(folder, warehouse, allow_removals=True)  # a vanished file's rows go
    assert (report.files_read, report.files_removed) == (1, 1)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select distinct year from raw.customs_trade").fetchall() == [("2024",)]
        assert (
            con.execute(
                "select count(*) from raw.customs_trade where value = '1300.500'"
            ).fetchone()[0]
            == 1
        )
        assert (
            con.execute("select count(*) from raw.load_audit where not file_vanished").fetchone()[0]
            == 1
        )


def test_a_key_repeated_from_an_already_loaded_file_is_refused(tmp_path: Path) -> None:
    warehouse, folder = tmp_path / "trade.duckdb", tmp_path / "raw"
    load_raw.load(_two_year_folder(folder, [2024]), warehouse)
    before = raw_snapshot(warehouse)
    (folder / "extra.csv").write_text(f"{HEADER}\n{GOOD_ROWS[0]}\n")
    with pytest.raises(RawInputError, match=r"extra.csv, line 2, column 'key'"):
        load_raw.load(folder, warehouse)
    assert raw_snapshot(warehouse) == before


class _FailingConnection:
    """Delegates to a DuckDB connection but fails on the audit insert, mid-transaction."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con

    def execute(self, sql: str, *args: object) -> object:
        if sql.startswith("insert into raw.load_audit"):
            raise duckdb.IOException("simulated disk failure")
        return self._con.execute(sql, *args)

    def __getattr__(self, name: str) -> object:
        return getattr(self._con, name)


def test_a_failure_mid_load_leaves_the_raw_layer_as_before(
    loaded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = raw_snapshot(loaded)
    publish = load_raw._publish
    monkeypatch.setattr(
        load_raw, "_publish", lambda con, *args: publish(_FailingConnection(con), *args)
    )
    changed = [row.replace("1200.500", "999.000") for row in GOOD_ROWS]
    with pytest.raises(duckdb.IOException, match="simulated"):
        load_raw.load(write_folder(tmp_path / "changed", changed), loaded)
    assert raw_snapshot(loaded) == before


def test_codes_are_normalised_in_staging_not_in_raw(loaded: Path) -> None:
    with duckdb.connect(str(loaded), read_only=True) as con:
        published = con.execute(
            "select department_code from raw.customs_trade where product_code = 'C29A'"
        ).fetchone()[0]
    assert published == "1"  # raw keeps the code as published; staging pads it to 01


def test_failed_dbt_build_keeps_the_previous_warehouse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = tmp_path / "trade.duckdb"
    warehouse.write_bytes(b"the previous warehouse")

    def failing_dbt(*_: object) -> None:
        raise run_pipeline.BuildError("dbt build failed")

    monkeypatch.setattr(run_pipeline, "dbt_build", failing_dbt)
    with pytest.raises(run_pipeline.BuildError):
        run_pipeline.build_warehouse(
            write_folder(tmp_path / "good", GOOD_ROWS), warehouse, full_refresh=True
        )
    assert warehouse.read_bytes() == b"the previous warehouse"
    assert not list(tmp_path.glob("trade.duckdb.building*"))


def test_failed_build_keeps_the_previous_warehouse(tmp_path: Path) -> None:
    warehouse = tmp_path / "trade.duckdb"
    # dbt builds the staging model read below and what it reads: the swap is under test
    dbt_args = ["--target-path", str(tmp_path / "target"), "--select",
                "+stg_customs__trade_values", "--indirect-selection", "cautious"]  # fmt: skip
    run_pipeline.build_warehouse(write_folder(tmp_path / "good", GOOD_ROWS), warehouse, dbt_args)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        department = con.execute(
            "select department_code from staging.stg_customs__trade_values "
            "where product_code = 'C29A'"
        ).fetchone()[0]
    assert department == "01"
    digest = hashlib.sha256(warehouse.read_bytes()).hexdigest()
    bad = write_folder(tmp_path / "bad", [*GOOD_ROWS, "E;2024;45;C20B;ZZ;1.000"])
    with pytest.raises(RawInputError, match="unknown country code 'ZZ'"):
        run_pipeline.build_warehouse(bad, warehouse, dbt_args)
    assert hashlib.sha256(warehouse.read_bytes()).hexdigest() == digest
    assert not list(tmp_path.glob("trade.duckdb.building*"))


def test_a_reader_of_the_old_file_keeps_a_consistent_view_during_a_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run_pipeline, "dbt_build", lambda *_: None)  # the swap is under test
    warehouse = tmp_path / "trade.duckdb"
    run_pipeline.build_warehouse(write_folder(tmp_path / "v1", GOOD_ROWS), warehouse)
    reader = duckdb.connect(str(warehouse), read_only=True)
    before = reader.execute("select count(*), sum(length(value)) from raw.customs_trade").fetchone()
    more = [*GOOD_ROWS, "E;2024;45;C29A;ES;7.000"]
    run_pipeline.build_warehouse(write_folder(tmp_path / "v2", more), warehouse)
    assert (
        reader.execute("select count(*), sum(length(value)) from raw.customs_trade").fetchone()
        == before
    )  # the open connection still sees the file it opened
    reader.close()
    assert raw_snapshot(warehouse)[0] == len(more)  # a new connection sees the new build
