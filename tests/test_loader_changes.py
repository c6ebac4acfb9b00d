"""Changes the loader must not make without a word (issue #18).

1. Removals: a reload that removes rows says how many, per file, and records
   them in ``raw.load_audit``; removing every row of a file needs
   ``--allow-removals``, without which the build stops and the previous
   warehouse stays as it was.
2. Misplaced years: a row whose year is not the year its file's path declares
   (folder ``2024/``, ``Region_2024.zip``, ``dept_45_2024.csv``) is refused or
   quarantined; a path whose parts declare different years is refused.
3. Ambiguous numbers: "6,401" is refused unless the file shows that its commas
   mark decimals, or its layout declares how it writes numbers.
4. A strict load over rows an earlier ``--quarantine`` load set aside fails,
   naming them and the options that accept them.

Each case runs in strict and in quarantine mode. Most go through the loader on
tiny folders; the build-level tests share one warehouse built with dbt, and one
more dbt build shows a removal going through to the marts.
"""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

import duckdb
import pytest
from test_load_raw import GOOD_ROWS, HEADER, write_folder
from test_real_files import raw_content

from scripts.ingest import load as load_raw
from scripts.ingest.load import RawInputError
from scripts.pipeline import build as run_pipeline


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def audit(warehouse: Path) -> dict[str, tuple]:
    """Per file: rows read, loaded, quarantined, removed, and whether it vanished."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select source_file, rows_read, rows_loaded, rows_quarantined, rows_removed, "
            "file_vanished from raw.load_audit"
        ).fetchall()
    return {row[0]: row[1:] for row in rows}


def refusal(folder: Path, warehouse: Path, **options: bool) -> str:
    """The message of a load that must be refused, checking it changed no byte."""
    before = sha256(warehouse)
    with pytest.raises(RawInputError) as refused:
        load_raw.load(folder, warehouse, **options)
    assert sha256(warehouse) == before
    return str(refused.value)


DEPARTMENT_FILE = "region_24_2024.zip!dept_45_2024.csv"
MODES = pytest.mark.parametrize("quarantine", [False, True], ids=["strict", "quarantine"])


@pytest.fixture()
def loaded(tmp_path: Path) -> Path:
    """A warehouse whose raw layer holds the five good rows of one department file."""
    warehouse = tmp_path / "trade.duckdb"
    load_raw.load(write_folder(tmp_path / "raw", GOOD_ROWS), warehouse)
    return warehouse


# ----------------------------------------------------------------------- 1. removals


@MODES
def test_a_file_emptied_to_its_header_needs_allow_removals(
    loaded: Path, tmp_path: Path, quarantine: bool
) -> None:
    folder = write_folder(tmp_path / "raw", [])  # the header alone
    before = raw_content(loaded)
    message = refusal(folder, loaded, quarantine=quarantine)
    assert f"{DEPARTMENT_FILE}, line 0, column '-': this load would remove all 5 rows" in message
    assert "--allow-removals" in message
    assert raw_content(loaded) == before

    report = load_raw.load(folder, loaded, quarantine=quarantine, allow_removals=True)
    assert report.removal_lines() == [
        f"rows removed: {DEPARTMENT_FILE}: 5 of its 5 rows removed (file changed)"
    ]
    assert audit(loaded) == {DEPARTMENT_FILE: (0, 0, 0, 5, False)}


@MODES
def test_a_vanished_file_needs_allow_removals_and_keeps_an_audit_row(
    loaded: Path, tmp_path: Path, quarantine: bool
) -> None:
    (tmp_path / "raw" / "region_24_2024.zip").unlink()
    (tmp_path / "raw" / "france_non_ventile_2024.csv").write_text(f"{HEADER}\n{GOOD_ROWS[4]}\n")
    message = refusal(tmp_path / "raw", loaded, quarantine=quarantine)
    assert f"{DEPARTMENT_FILE}, line 0, column '-': this load would remove all 5 rows " in message
    assert "(file vanished)" in message and "--allow-removals" in message

    report = load_raw.load(tmp_path / "raw", loaded, quarantine=quarantine, allow_removals=True)
    assert report.removal_lines() == [
        f"rows removed: {DEPARTMENT_FILE}: 5 of its 5 rows removed (file vanished)"
    ]
    assert audit(loaded) == {
        DEPARTMENT_FILE: (0, 0, 0, 5, True),
        "france_non_ventile_2024.csv": (1, 1, 0, 0, False),
    }
    # loading the same folder again removes nothing more and keeps the record
    again = load_raw.load(tmp_path / "raw", loaded, quarantine=quarantine)
    assert (again.files_read, again.removals) == (0, ())
    assert audit(loaded)[DEPARTMENT_FILE] == (0, 0, 0, 5, True)


@MODES
def test_a_file_with_fewer_rows_is_reported_and_audited(
    loaded: Path, tmp_path: Path, quarantine: bool
) -> None:
    report = load_raw.load(
        write_folder(tmp_path / "raw", GOOD_ROWS[:3]), loaded, quarantine=quarantine
    )
    assert report.removal_lines() == [
        f"rows removed: {DEPARTMENT_FILE}: 2 of its 5 rows removed (file changed)"
    ]
    assert audit(loaded) == {DEPARTMENT_FILE: (3, 3, 0, 2, False)}


def test_rows_newly_quarantined_count_as_removed(loaded: Path, tmp_path: Path) -> None:
    rows = [*GOOD_ROWS[:4], GOOD_ROWS[4].replace(";NO;", ";ZZ;")]
    report = load_raw.load(write_folder(tmp_path / "raw", rows), loaded, quarantine=True)
    assert [(r.rows_before, r.rows_after) for r in report.removals] == [(5, 4)]
    assert audit(loaded) == {DEPARTMENT_FILE: (5, 4, 1, 1, False)}


def test_the_load_command_takes_allow_removals(
    loaded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_folder(tmp_path / "raw", [])
    command = ["--raw-dir", str(folder), "--warehouse", str(loaded)]
    assert load_raw.main(command) == 1
    assert "--allow-removals" in capsys.readouterr().err
    assert load_raw.main([*command, "--allow-removals"]) == 0
    assert f"rows removed: {DEPARTMENT_FILE}: 5 of its 5 rows removed" in capsys.readouterr().out


def test_replacing_the_synthetic_sample_needs_no_consent(tmp_path: Path) -> None:
    sample = write_folder(tmp_path / "sample", GOOD_ROWS)
    (sample / "dataset.json").write_text('{"name": "sample", "synthetic": true}')
    warehouse = tmp_path / "trade.duckdb"
    load_raw.load(sample, warehouse)
    real = tmp_path / "real"
    real.mkdir()
    (real / "france_non_ventile_2024.csv").write_text(f"{HEADER}\n{GOOD_ROWS[4]}\n")
    report = load_raw.load(real, warehouse)
    assert report.removal_lines() == [
        f"rows removed: {DEPARTMENT_FILE}: 5 of its 5 rows removed (data set replaced)"
    ]
    # but replacing real files by another data set does need it
    (real / "france_non_ventile_2024.csv").rename(real / "unallocated_2024.csv")
    (real / "dataset.json").write_text('{"name": "another", "synthetic": false}')
    message = refusal(real, warehouse)
    assert (
        "france_non_ventile_2024.csv, line 0, column '-': this load would remove all 1 rows "
        "of the file (data set replaced)"
    ) in message


# ------------------------------------------------------------------ 2. misplaced years


def _long_file(path: Path, rows: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([HEADER, *rows]) + "\n")


def _zip(path: Path, member: str, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as zipped:
        zipped.writestr(member, "".join(f"{line}\r\n" for line in lines))


REGIONAL_2024 = ["E;1;2024;45;04;C21Z;2120;XS;1000;10", "E;2;2024;45;04;C21Z;2120;DE;500;5"]
REGIONAL_2023 = "E;4;2023;45;04;C21Z;2120;BE;700;7"


def _misplaced_year_folder(folder: Path, layout: str) -> tuple[str, int, str, int]:
    """A folder with one row of 2023 in a file its path says is of 2024: the file, the
    row's line and field, and the file's data rows."""
    if layout == "long":
        _long_file(folder / "2024" / "trade.csv", [*GOOD_ROWS, "E;2023;45;C20B;DE;1.000"])
        return "2024/trade.csv", 7, "Annee", 6
    _zip(folder / "Region_2024.zip", "Region_2024_Export.txt", [*REGIONAL_2024, REGIONAL_2023])
    return "Region_2024.zip!Region_2024_Export.txt", 3, "field 3 (year)", 3


@MODES
@pytest.mark.parametrize("layout", ["long", "regional"])
def test_a_row_of_another_year_than_its_path_declares(
    tmp_path: Path, layout: str, quarantine: bool
) -> None:
    label, line, field, rows = _misplaced_year_folder(tmp_path / "raw", layout)
    warehouse = tmp_path / "trade.duckdb"
    reason = "year '2023' is not the year of the file (2024)"
    if not quarantine:
        load_raw.load(write_folder(tmp_path / "other", GOOD_ROWS), warehouse)
        message = refusal(tmp_path / "raw", warehouse, allow_removals=True)
        assert f"{label}, line {line}, column '{field}': {reason}" in message
        return
    load_raw.load(tmp_path / "raw", warehouse, quarantine=True)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        kept = con.execute("select source_file, source_line, column_name, reason "
                           "from raw.quarantine").fetchall()  # fmt: skip
    assert kept == [(label, line, field, reason)]
    assert audit(warehouse)[label] == (rows, rows - 1, 1, 0, False)


DISAGREEING_PATHS = {
    # a department's 2023 file dropped in the 2024 folder
    "folder and file name": ("2024/dept_45_2023.csv", "folder '2024' says 2024, "
                             "name 'dept_45_2023.csv' says 2023"),
    # the real yearly layout: the archive's name and its member's
    "archive and member": ("Region_2024.zip!Region_2023_Export.txt", "name 'Region_2024.zip' "
                           "says 2024, name 'Region_2023_Export.txt' says 2023"),
}  # fmt: skip


@MODES
@pytest.mark.parametrize("case", sorted(DISAGREEING_PATHS))
def test_a_path_declaring_two_years_is_refused(tmp_path: Path, case: str, quarantine: bool) -> None:
    label, said = DISAGREEING_PATHS[case]
    folder = tmp_path / "raw"
    if "!" in label:
        _zip(folder / label.split("!")[0], label.split("!")[1], [REGIONAL_2023])
    else:
        _long_file(folder / label, [row.replace(";2024;", ";2023;") for row in GOOD_ROWS])
    warehouse = tmp_path / "trade.duckdb"
    load_raw.load(write_folder(tmp_path / "other", GOOD_ROWS), warehouse)
    message = refusal(folder, warehouse, quarantine=quarantine, allow_removals=True)
    assert f"{label}, line 0, column '-': its path declares different years ({said})" in message


def test_a_rolling_file_declares_no_year_whatever_its_folder(tmp_path: Path) -> None:
    # REGIONAL_CPF4PAYSE.txt holds the last five quarters: two years, whatever folder it is in
    folder = tmp_path / "raw"
    (folder / "2024").mkdir(parents=True)
    (folder / "2024" / "REGIONAL_CPF4PAYSE.txt").write_text(
        "".join(f"{line}\r\n" for line in [REGIONAL_2023, *REGIONAL_2024])
    )
    report = load_raw.load(folder, tmp_path / "trade.duckdb")
    assert (report.rows_loaded, report.rows_quarantined) == (3, 0)


# -------------------------------------------------------------------- 3. ambiguous numbers

COMMA_HEADER = HEADER.replace(";", ",")
AMBIGUOUS = 'E,2024,45,C20B,DE,"6,401"'


@MODES
def test_a_comma_that_may_group_thousands_is_refused(tmp_path: Path, quarantine: bool) -> None:
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "trade_2024.csv").write_text(f"{COMMA_HEADER}\nE,2024,45,C21Z,US,7\n{AMBIGUOUS}\n")
    warehouse = tmp_path / "trade.duckdb"
    reason = (
        "value '6,401' is ambiguous: 6.401 if the comma marks decimals, 6401 if it groups "
        "thousands; no other line of the file uses a decimal comma unambiguously"
    )
    if not quarantine:
        load_raw.load(write_folder(tmp_path / "other", GOOD_ROWS), warehouse)
        message = refusal(folder, warehouse, allow_removals=True)
        assert f"trade_2024.csv, line 3, column 'Valeur': {reason}" in message
        return
    load_raw.load(folder, warehouse, quarantine=True)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        kept = con.execute("select source_line, column_name, reason, value "
                           "from raw.quarantine").fetchall()  # fmt: skip
    assert len(kept) == 1 and kept[0][:2] == (3, "Valeur") and kept[0][3] == "6,401"
    assert kept[0][2].startswith(reason)
    assert audit(warehouse)["trade_2024.csv"] == (2, 1, 1, 0, False)


@pytest.mark.parametrize("evidence", ["12,5", "1234,567", "0,250", "1 234,5"])
def test_a_decimal_comma_elsewhere_in_the_file_settles_it(tmp_path: Path, evidence: str) -> None:
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "trade_2024.csv").write_text(
        f'{COMMA_HEADER}\nE,2024,45,C21Z,US,"{evidence}"\n{AMBIGUOUS}\n'
    )
    report = load_raw.load(folder, tmp_path / "trade.duckdb")
    assert report.rows_loaded == 2


def test_the_evidence_must_be_in_the_same_file(tmp_path: Path) -> None:
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "trade_2024.csv").write_text(f"{COMMA_HEADER}\n{AMBIGUOUS}\n")
    (folder / "other_2024.csv").write_text(f'{COMMA_HEADER}\nE,2024,45,C21Z,US,"12,5"\n')
    with pytest.raises(RawInputError, match=r"trade_2024.csv, line 2, column 'Valeur'"):
        load_raw.load(folder, tmp_path / "trade.duckdb")


@MODES
def test_the_published_layouts_declare_whole_numbers(tmp_path: Path, quarantine: bool) -> None:
    folder = tmp_path / "raw"
    folder.mkdir()
    lines = [*REGIONAL_2024, "E;3;2024;45;04;C21Z;2120;BE;6,401;7"]
    (folder / "REGIONAL_CPF4PAYSE.txt").write_text("".join(f"{x}\r\n" for x in lines))
    warehouse = tmp_path / "trade.duckdb"
    reason = ("value '6,401' is not a whole number, and the regional layout writes whole "
              "numbers (no decimal or grouping mark): whether it means 6.401 or 6401 cannot "
              "be known")  # fmt: skip
    if not quarantine:
        load_raw.load(write_folder(tmp_path / "other", GOOD_ROWS), warehouse)
        message = refusal(folder, warehouse, allow_removals=True)
        assert f"REGIONAL_CPF4PAYSE.txt, line 3, column 'field 9 (value)': {reason}" in message
        return
    load_raw.load(folder, warehouse, quarantine=True)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        kept = con.execute("select source_line, column_name, reason from raw.quarantine").fetchall()
    assert kept == [(3, "field 9 (value)", reason)]
    assert audit(warehouse)["REGIONAL_CPF4PAYSE.txt"] == (3, 2, 1, 0, False)


# ------------------------------------------------------- 4. strict load over quarantined rows

BAD_ROW = "E;2024;98;C20B;DE;1.000"  # department 98 does not exist


def test_a_strict_load_over_quarantined_rows_fails_and_names_them(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "raw", [*GOOD_ROWS, BAD_ROW])
    warehouse = tmp_path / "trade.duckdb"
    load_raw.load(folder, warehouse, quarantine=True)
    before = raw_content(warehouse)
    message = refusal(folder, warehouse)
    assert (f"{DEPARTMENT_FILE}, line 7, column '-': 1 row(s) of this file are in raw.quarantine "
            "from an earlier --quarantine load (first: Departement: unknown department code "
            "'98')") in message  # fmt: skip
    assert "--accept-quarantined" in message and "re-run with --quarantine" in message
    assert raw_content(warehouse) == before

    # the two ways the message names: accept them, or load in quarantine mode again
    load_raw.load(folder, warehouse, accept_quarantined=True)
    load_raw.load(folder, warehouse, quarantine=True)
    assert raw_content(warehouse)[3] == before[3]  # raw.quarantine kept as it was
    # a fixed file lets a strict load pass, and empties the quarantine
    load_raw.load(write_folder(folder, GOOD_ROWS), warehouse)
    assert raw_content(warehouse)[3] == []
    assert audit(warehouse) == {DEPARTMENT_FILE: (5, 5, 0, 0, False)}


# ------------------------------------------------------------- the build stops, or goes on

DEPARTMENT_ROWS = [*GOOD_ROWS[:4], BAD_ROW]
UNALLOCATED = "france_non_ventile_2024.csv"


def _build_folder(folder: Path, unallocated: list[str]) -> Path:
    write_folder(folder, DEPARTMENT_ROWS)
    _long_file(folder / UNALLOCATED, unallocated)
    return folder


@pytest.fixture(scope="module")
def quarantined_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse built with dbt by a --quarantine build: one row of the folder set aside."""
    root = tmp_path_factory.mktemp("loader-changes")
    target = root / "built" / "trade.duckdb"
    folder = _build_folder(root / "raw", [GOOD_ROWS[4]])
    run_pipeline.build_warehouse(
        folder, target, ["--target-path", str(root / "target")], quarantine=True
    )
    return target


@pytest.fixture()
def built(quarantined_build: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shared build, as TRADE_WAREHOUSE_PATH for the main job."""
    target = tmp_path / "warehouse" / "trade.duckdb"
    target.parent.mkdir()
    shutil.copyfile(quarantined_build, target)
    monkeypatch.setenv("TRADE_WAREHOUSE_PATH", str(target))
    return target


def _main_job_refuses(folder: Path, target: Path, capsys: pytest.CaptureFixture[str],
                      *options: str) -> str:  # fmt: skip
    before = sha256(target)
    assert run_pipeline.main(["--raw-dir", str(folder), "--no-reports", *options]) == 1
    assert sha256(target) == before
    assert sorted(p.name for p in target.parent.iterdir()) == ["trade.duckdb"]
    return capsys.readouterr().err


def test_a_strict_build_over_quarantined_rows_stops(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _build_folder(tmp_path / "raw", [GOOD_ROWS[4]])
    error = _main_job_refuses(folder, built, capsys)
    assert error.startswith("build failed: raw input refused (1 problem(s)); warehouse unchanged")
    assert (
        f"{DEPARTMENT_FILE}, line 6, column '-': 1 row(s) of this file are in raw.quarantine"
        in error
    )
    assert "--accept-quarantined" in error


def test_a_build_emptying_a_file_stops_without_allow_removals(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _build_folder(tmp_path / "raw", [])
    for mode in ([], ["--quarantine"]):
        error = _main_job_refuses(folder, built, capsys, *mode, "--accept-quarantined")
        assert f"{UNALLOCATED}, line 0, column '-': this load would remove all 1 rows" in error
        assert "--allow-removals" in error

    # with the option the build goes on (dbt itself is not under test here) and says so
    monkeypatch.setattr(run_pipeline, "dbt_build", lambda *_: None)
    options = ["--raw-dir", str(folder), "--no-reports", "--quarantine", "--allow-removals"]
    assert run_pipeline.main(options) == 0
    assert f"rows removed: {UNALLOCATED}: 1 of its 1 rows removed" in capsys.readouterr().out
    assert audit(built)[UNALLOCATED] == (0, 0, 0, 1, False)


def test_a_removal_goes_through_dbt_to_the_provenance_mart(
    quarantined_build: Path, tmp_path: Path
) -> None:
    target = tmp_path / "trade.duckdb"
    shutil.copyfile(quarantined_build, target)
    folder = write_folder(tmp_path / "raw", DEPARTMENT_ROWS)  # the unallocated file vanished
    # Only the audit's path through dbt: the rest of the project is the shared build's.
    dbt_args = ["--target-path", str(tmp_path / "target"), "--select",
                "stg_customs__load_audit+"]  # fmt: skip
    run_pipeline.build_warehouse(
        folder, target, dbt_args, quarantine=True, consent=load_raw.Consent(allow_removals=True)
    )
    with duckdb.connect(str(target), read_only=True) as con:
        staged = con.execute(
            "select source_file, rows_read, rows_loaded, rows_quarantined, rows_removed, "
            "file_vanished from staging.stg_customs__load_audit order by source_file"
        ).fetchall()
        provenance = con.execute(
            "select file_count, row_count, quarantined_row_count from marts.data_provenance"
        ).fetchone()
    assert staged == [
        (UNALLOCATED, 0, 0, 0, 1, True),
        (DEPARTMENT_FILE, 5, 4, 1, 0, False),
    ]
    assert provenance == (1, 4, 1)  # the vanished file is not counted as loaded
