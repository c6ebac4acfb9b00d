"""Hostile raw input (issue #16): nothing written outside scratch, vanishes, or ends in a traceback.

Each class of the issue has its cases here; every case builds a small raw
folder and says what the loader must do with it: load every data line
(``Loads``), or refuse with the file, line and reason (``Refused``), in
strict and in quarantine mode. The last test runs the ``load`` command on
every bad input of this file and of the other loader suites, and fails on
any traceback.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import openpyxl
import pytest
import test_load_raw
import test_real_files

from scripts import cli
from scripts.ingest import load as load_raw
from scripts.ingest.load import RawInputError
from scripts.paths import PROJECT_DIR

HEADER = "Flux;Annee;Departement;Code A129;Code Pays;Valeur"
ROWS = ["E;2024;45;C20B;DE;1200.500", "E;2024;45;C21Z;US;300.000", "I;2024;45;C20B;BE;80.125"]
ANNEXES = test_real_files.ANNEXES
ANNEX_FILES = [n for n in test_real_files.ANNEX_FILES if n != "LISEZ-MOI.txt"]
REGIONAL = test_real_files.GOOD_REGIONAL
#: A header whose last name holds an RFC 4180 escaped quote and a separator.
NOTED = f'{HEADER};"Note ""a;b"""'
#: A row whose last field is quoted and spans two lines.
TWO_LINES = 'E;2024;45;C20B;DE;1;"two\nlines"'


def text(*lines: str, end: str = "\n") -> str:
    return end.join(lines) + end


def zipped(members: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def write(folder: Path, files: dict[str, bytes | str]) -> Path:
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
    return folder


def with_annexes(folder: Path, files: dict[str, bytes | str]) -> Path:
    for name in ANNEX_FILES:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ANNEXES / name, folder / name)
    return write(folder, files)


def xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class Loads:
    """Every data line of ``file`` loads: these (line, value) pairs, nothing quarantined."""

    build: Callable[[Path], Path]
    file: str
    lines: dict[int, str]
    table: str = "customs_trade"


@dataclass(frozen=True)
class Refused:
    """The load is refused in both modes, naming ``file``, ``line`` and ``reason``."""

    build: Callable[[Path], Path]
    file: str
    line: int
    reason: str


def _nested_zip(folder: Path) -> Path:
    inner = zipped({"dept_45_2024.csv": text(HEADER, *ROWS)})
    return write(folder, {"region_24_2024.zip": zipped({"inner.zip": inner})})


def _truncated_zip(cut: Callable[[bytes], bytes]) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        whole = zipped({f"dept_{d}_2024.csv": text(HEADER, *ROWS) * 40 for d in (41, 45)})
        return write(folder, {"region_24_2024.zip": cut(whole)})

    return build


def _corrupt_member(data: bytes) -> bytes:
    damaged = bytearray(data)
    damaged[60:80] = b"\xff" * 20  # inside the first member's deflated data
    return bytes(damaged)


def _manifest(content: str) -> Callable[[Path], Path]:
    return lambda f: write(f, {"dataset.json": content, "t_2024.csv": text(HEADER, *ROWS)})


def _duplicate_members(folder: Path) -> Path:
    folder.mkdir(parents=True)
    with warnings.catch_warnings(), zipfile.ZipFile(folder / "region_24_2024.zip", "w") as archive:
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name it writes
        archive.writestr("dept_45_2024.csv", text(HEADER, ROWS[0]))
        archive.writestr("dept_45_2024.csv", text(HEADER, *ROWS))
    return folder


LOADS = {
    # class 2: lines that vanished while the build succeeded
    "quoted fields and a blank line": Loads(
        lambda f: write(f, {"t_2024.csv": text(HEADER, '"E";"2024";"45";"C20B";"DE";"1"', "",
                                               '"E";"2024";"45";"C21Z";"DE";"2"')}),
        "t_2024.csv", {2: "1", 4: "2"}),
    "quoted fields, a blank line, CRLF": Loads(
        lambda f: write(f, {"t_2024.csv": text(HEADER, '"E";"2024";"45";"C20B";"DE";"1"', "",
                                               '"E";"2024";"45";"C21Z";"DE";"2"', end="\r\n")}),
        "t_2024.csv", {2: "1", 4: "2"}),
    "a header with an RFC 4180 escaped quote": Loads(
        lambda f: write(f, {"t_2024.csv": text(NOTED, *(r + ";x" for r in ROWS))}),
        "t_2024.csv", {2: "1200.500", 3: "300.000", 4: "80.125"}),
    "narrow no-break spaces as thousands separators": Loads(
        lambda f: write(f, {"t_2024.csv": text(HEADER, "E;2024;45;C20B;DE;1\u202f462,5",
                                               "E;2024;45;C21Z;DE;2\u00a0000")}),
        "t_2024.csv", {2: "1\u202f462,5", 3: "2\u00a0000"}),
    "a file name DuckDB would read as a glob": Loads(
        lambda f: write(f, {"t[1]_2024.csv": text(HEADER, *ROWS),
                            "t1_2024.csv": text(HEADER, "E;2024;45;C29A;DE;7")}),
        "t[1]_2024.csv", {2: "1200.500", 3: "300.000", 4: "80.125"}),
    "a data file whose name starts with readme": Loads(
        lambda f: write(f, {"readme_2024.csv": text(HEADER, *ROWS)}),
        "readme_2024.csv", {2: "1200.500", 3: "300.000", 4: "80.125"}),
    "blank lines before the header and white space after the rows": Loads(
        lambda f: write(f, {"t_2024.csv": "\n \n" + text(HEADER, *ROWS) + "  \t\n"}),
        "t_2024.csv", {4: "1200.500", 5: "300.000", 6: "80.125"}),
    "a headerless regional file with a blank line and quotes": Loads(
        lambda f: with_annexes(f, {"REGIONAL_CPF4PAYSE.txt": text(
            REGIONAL[0], "", '"E";"3";"2018";"01";"18";"A01Z";"0111";"BR";"11228";"250"')}),
        "REGIONAL_CPF4PAYSE.txt", {1: "406473", 3: "11228"}),
    "a regional file with narrow no-break spaces": Loads(
        lambda f: with_annexes(f, {"REGIONAL_CPF4PAYSE.txt": text(
            "E;3;2018;01;18;A01Z;0111;BE;406\u202f473;1\u202f210\u202f935", REGIONAL[1])}),
        "REGIONAL_CPF4PAYSE.txt", {1: "406\u202f473", 2: "11228"}),
    "a zip member in a subfolder": Loads(
        lambda f: write(f, {"region_24_2024.zip": zipped({"sub/dept_45_2024.csv":
                                                          text(HEADER, *ROWS)})}),
        "region_24_2024.zip!sub/dept_45_2024.csv", {2: "1200.500", 3: "300.000", 4: "80.125"}),
    # class 6: a quoted field spanning two lines; the record is numbered by its first line
    "a quoted field on two lines": Loads(
        lambda f: write(f, {"t_2024.csv": text(f"{HEADER};Note", TWO_LINES,
                                               "E;2024;45;C21Z;DE;2;x")}),
        "t_2024.csv", {2: "1", 4: "2"}),
}  # fmt: skip

REFUSED = {
    # class 1: zip members that would leave the scratch folder
    **{f"zip member {name!r}": Refused(
        lambda f, name=name: write(f, {"region_24_2024.zip": zipped(
            {"dept_41_2024.csv": text(HEADER, *ROWS), name: text(HEADER, *ROWS)})}),
        f"region_24_2024.zip!{name}", 0, "leaves its archive's folder")
       for name in ("../evil.csv", "../../../../../../../x_2024.csv", "/abs/x_2024.csv",
                    "sub/../../x_2024.csv", "..\\..\\x_2024.csv", "C:/x_2024.csv")},
    "two zip members of the same name": Refused(
        _duplicate_members, "region_24_2024.zip!dept_45_2024.csv", 0, "2 members of this name"),
    # class 2: read or refused, never skipped
    "a zip inside a zip": Refused(_nested_zip, "region_24_2024.zip!inner.zip", 0,
                                  "a zip inside a zip is not read"),
    "an empty zip": Refused(lambda f: write(f, {"region_24_2024.zip": zipped({}),
                                                "t_2024.csv": text(HEADER, *ROWS)}),
                            "region_24_2024.zip", 0, "holds no data table"),
    "a spreadsheet formula without a computed value": Refused(
        lambda f: write(f, {"t_2024.xlsx": xlsx([HEADER.split(";"),
                                                 ["E", 2024, "45", "C20B", "DE", "=1+2"]])}),
        "t_2024.xlsx#Sheet", 2, "formula =1+2 has no computed value"),
    "a cross-table product line with no value": Refused(
        lambda f: write(f, {"45_export_2024.csv": text("Code A129;DE;US", "C20B;1;2", "C21Z;;")}),
        "45_export_2024.csv", 3, "no value in any partner-country column"),
    "a cross-table column that is no country": Refused(
        lambda f: write(f, {"45_export_2024.csv": text("Code A129;DE;Autres", "C20B;1;2")}),
        "45_export_2024.csv", 1, "this one is none of them"),
    "a country column twice in a cross table": Refused(
        lambda f: write(f, {"45_export_2024.csv": text("Code A129;DE;DE", "C20B;1;2")}),
        "45_export_2024.csv", 1, "partner country column repeated"),
    "an unterminated quote": Refused(
        lambda f: write(f, {"t_2024.csv": text(HEADER, *ROWS, 'E;2024;45;C29A;DE;"1', ROWS[0])}),
        "t_2024.csv", 5, "broken quoting"),
    "a dataset.json in a subfolder": Refused(
        lambda f: write(f, {"2024/dataset.json": '{"name": "x", "synthetic": false}',
                            "2024/t_2024.csv": text(HEADER, *ROWS)}),
        "2024/dataset.json", 0, "read only at the root"),
    # class 4: tracebacks
    "a zip truncated in its central directory": Refused(
        _truncated_zip(lambda b: b[:-30]), "region_24_2024.zip", 0, "not a zip file"),
    "a zip cut in its central directory's records": Refused(
        _truncated_zip(lambda b: b[: b.index(b"PK\x01\x02") + 30] + b[-22:]),
        "region_24_2024.zip", 0, "not a zip file"),
    "a zip member with corrupt data": Refused(
        _truncated_zip(_corrupt_member), "region_24_2024.zip!dept_41_2024.csv", 0,
        "unreadable zip member"),
    "dataset.json that is not JSON": Refused(_manifest("{name: x"), "dataset.json", 1,
                                             "not valid JSON"),
    "dataset.json without its name": Refused(_manifest('{"synthetic": true}'), "dataset.json", 1,
                                             "missing or not a str"),
    "dataset.json with synthetic as text": Refused(
        _manifest('{"name": "x", "synthetic": "no"}'), "dataset.json", 1, "not a bool"),
    "dataset.json that is a list": Refused(_manifest("[]"), "dataset.json", 1, "not an object"),
    "a quarter of ten digits": Refused(
        lambda f: with_annexes(f, {"REGIONAL_CPF4PAYSE.txt": text(
            "E;2000000000;2018;01;18;A01Z;0111;BE;406473;1210935")}),
        "REGIONAL_CPF4PAYSE.txt", 1, "is not a quarter"),
    "a month of ten digits": Refused(
        lambda f: with_annexes(f, {"NATIONAL_NC8PAYSE.txt": text(
            "E;2147483647;2018;014310;A01Z;01012100;AE;48422;3000;6")}),
        "NATIONAL_NC8PAYSE.txt", 1, "is not a month"),
    # class 5: units and encodings are known or refused
    "a unit spelled kEUR": Refused(_manifest('{"name": "x", "synthetic": false, '
                                             '"value_unit": "kEUR"}'),
                                   "dataset.json", 1, "unknown unit 'kEUR'"),
    "a unit under another field name": Refused(
        _manifest('{"name": "x", "synthetic": false, "unit": "eur"}'), "dataset.json", 1,
        "the unit of the values is value_unit"),
    "UTF-8 accents in a Windows-1252 file": Refused(
        lambda f: write(f, {"t_2024.csv": text(HEADER, *ROWS).encode()
                            + "E;2024;45;C29A;DE;1;détergents\n".encode()
                            + "E;2024;45;C29B;DE;1;lessivé\n".encode("cp1252")}),
        "t_2024.csv", 5, "mixed text encodings"),
    "a UTF-8 apostrophe in a Windows-1252 file": Refused(
        lambda f: write(f, {"t_2024.csv": text(HEADER, *ROWS).encode()
                            + "E;2024;45;C29A;DE;1;d’entretien\n".encode()
                            + "E;2024;45;C29B;DE;1;lessivé\n".encode("cp1252")}),
        "t_2024.csv", 5, "mixed text encodings"),
    "UTF-16": Refused(lambda f: write(f, {"t_2024.csv": text(HEADER, *ROWS).encode("utf-16")}),
                      "t_2024.csv", 1, "NUL bytes"),
    # class 6: physical line numbers in errors
    "a bad row after a quoted field on two lines": Refused(
        lambda f: write(f, {"t_2024.csv": text(f"{HEADER};Note", TWO_LINES,
                                               "E;2024;45;C21Z;ZZ;2;x")}),
        "t_2024.csv", 4, "unknown country code 'ZZ'"),
    "a bad row after a quoted field on two lines, CRLF": Refused(
        lambda f: write(f, {"t_2024.csv": text(f"{HEADER};Note", TWO_LINES.replace("\n", "\r\n"),
                                               "E;2024;45;C21Z;ZZ;2;x", end="\r\n")}),
        "t_2024.csv", 4, "unknown country code 'ZZ'"),
    "a regional row after a blank line": Refused(
        lambda f: with_annexes(f, {"REGIONAL_CPF4PAYSE.txt": text(
            REGIONAL[0], "", "", "E;1;2018;9A;24;A01Z;0111;ZZ;1000;100")}),
        "REGIONAL_CPF4PAYSE.txt", 4, "unknown country code 'ZZ'"),
}  # fmt: skip

#: Cases whose rows pass the reader and fail a row check: quarantine mode keeps them aside.
QUARANTINABLE = {
    "a quarter of ten digits",
    "a month of ten digits",
    "a bad row after a quoted field on two lines",
    "a bad row after a quoted field on two lines, CRLF",
    "a regional row after a blank line",
}


def tree(root: Path) -> list[str]:
    """Every path under ``root`` but the warehouse (a new one is created before the checks)."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                  if not p.name.startswith("trade.duckdb"))  # fmt: skip


@pytest.fixture()
def scratch_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Temporary folders (the loader's scratch among them) under tmp_path/tmp."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _raw_lines(warehouse: Path, table: str, file: str) -> dict[int, str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return dict(con.execute(
            f"select source_line, value from raw.{table} where source_file = ?", [file]
        ).fetchall())  # fmt: skip


@pytest.mark.parametrize("quarantine", [False, True], ids=["strict", "quarantine"])
@pytest.mark.parametrize("name", list(LOADS))
def test_every_data_line_is_loaded(name: str, quarantine: bool, tmp_path: Path) -> None:
    case = LOADS[name]
    warehouse = tmp_path / "trade.duckdb"
    report = load_raw.load(case.build(tmp_path / "raw"), warehouse, quarantine=quarantine)
    assert _raw_lines(warehouse, case.table, case.file) == case.lines
    assert report.rows_quarantined == 0


@pytest.mark.parametrize("quarantine", [False, True], ids=["strict", "quarantine"])
@pytest.mark.parametrize("name", list(REFUSED))
def test_hostile_input_is_refused_and_nothing_is_written_outside_scratch(
    name: str, quarantine: bool, tmp_path: Path, scratch_in_tmp: Path
) -> None:
    case = REFUSED[name]
    folder = case.build(tmp_path / "raw")
    warehouse = tmp_path / "trade.duckdb"
    shutil.copyfile(test_real_files.ANNEXES / "Libelle_A129.txt", tmp_path / "bystander.txt")
    before, parent_before = tree(tmp_path), sorted(os.listdir(tmp_path.parent))
    if quarantine and name in QUARANTINABLE:
        load_raw.load(folder, warehouse, quarantine=True)
        with duckdb.connect(str(warehouse), read_only=True) as con:
            kept = con.execute(
                "select source_line, reason from raw.quarantine where source_file = ?", [case.file]
            ).fetchall()
        assert [line for line, _ in kept] == [case.line] and case.reason in kept[0][1]
        return
    with pytest.raises(RawInputError) as refused:
        load_raw.load(folder, warehouse, quarantine=quarantine)
    assert f"{case.file}, line {case.line}, column " in str(refused.value)
    problems = refused.value.problems
    located = [p for p in problems if (p.source_file, p.line) == (case.file, case.line)]
    assert located and case.reason in located[0].reason, refused.value
    # nothing written anywhere: no warehouse, no stray file, scratch cleaned up
    assert tree(tmp_path) == before
    assert sorted(os.listdir(tmp_path.parent)) == parent_before
    assert os.listdir(scratch_in_tmp) == []


def test_a_changed_unit_reads_the_files_again(tmp_path: Path) -> None:
    folder, warehouse = tmp_path / "raw", tmp_path / "trade.duckdb"
    write(folder, {"dataset.json": '{"name": "x", "synthetic": false, "value_unit": "keur"}',
                   "t_2024.csv": text(HEADER, *ROWS)})  # fmt: skip
    assert load_raw.load(folder, warehouse).files_read == 1
    assert load_raw.load(folder, warehouse).files_read == 0
    write(folder, {"dataset.json": '{"name": "x", "synthetic": false, "value_unit": "eur"}'})
    assert load_raw.load(folder, warehouse).files_read == 1
    with duckdb.connect(str(warehouse), read_only=True) as con:
        units = con.execute("select distinct value_unit from raw.customs_trade").fetchall()
    assert units == [("eur",)]


def test_a_changed_loader_reads_the_files_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, warehouse = tmp_path / "raw", tmp_path / "trade.duckdb"
    write(folder, {"t_2024.csv": text(HEADER, *ROWS)})
    load_raw.load(folder, warehouse)
    changed = tmp_path / "checks.py"
    changed.write_text("# another version of the checks\n")
    monkeypatch.setattr(load_raw, "READING_INPUTS", (*load_raw.READING_INPUTS[:-1], changed))
    assert load_raw.load(folder, warehouse).files_read == 1


# --------------------------------------------------------------------------- the audit (class 3)


def _audit(warehouse: Path) -> dict[str, tuple[int, int, int]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select source_file, rows_read, rows_loaded, rows_quarantined from raw.load_audit"
        ).fetchall()
    return {file: tuple(counts) for file, *counts in rows}


def test_a_cross_table_totals_row_is_audited_as_written(tmp_path: Path) -> None:
    folder = write(tmp_path / "raw", {"45_export_2024.csv": text("Code A129;DE;US", "C20B;1;2",
                                                                 "Total;1;2")})  # fmt: skip
    load_raw.load(folder, tmp_path / "trade.duckdb", quarantine=True)
    # two cells of C20B loaded, the two cells of the totals line quarantined
    assert _audit(tmp_path / "trade.duckdb") == {"45_export_2024.csv": (4, 2, 2)}
    assert len(_raw_lines(tmp_path / "trade.duckdb", "customs_trade", "45_export_2024.csv")) == 1


def test_the_same_trade_in_two_layouts_is_audited_as_written(tmp_path: Path) -> None:
    folder = write(tmp_path / "raw", {
        "45_export_2024.csv": text("Code A129;DE;US", "C20B;1;2"),
        "long_2024.csv": text(HEADER, "E;2024;45;C20B;DE;1", "E;2024;45;C21Z;DE;3"),
    })  # fmt: skip
    load_raw.load(folder, tmp_path / "trade.duckdb", quarantine=True)
    # C20B/DE is in both files: both copies quarantined with their lines, so the US
    # cell of the cross table's line goes too; C21Z loads
    assert _audit(tmp_path / "trade.duckdb") == {
        "45_export_2024.csv": (2, 0, 2),
        "long_2024.csv": (2, 1, 1),
    }


# --------------------------------------------------------------------------- two layouts (class 7)


def test_the_same_trade_in_two_layouts_names_both_files(tmp_path: Path) -> None:
    folder = write(tmp_path / "raw", {
        "45_export_2024.csv": text("Code A129;DE", "C20B;1"),
        "long_2024.csv": text(HEADER, "E;2024;45;C20B;DE;1"),
    })  # fmt: skip
    with pytest.raises(RawInputError) as refused:
        load_raw.load(folder, tmp_path / "trade.duckdb")
    assert len(refused.value.problems) == 2
    for problem in refused.value.problems:
        assert "45_export_2024.csv, line 2" in problem.reason, problem
        assert "long_2024.csv, line 2" in problem.reason, problem


# --------------------------------------------------------------------------- no traceback (class 4)


def _every_bad_input(root: Path) -> list[tuple[str, Path]]:
    """(name, raw folder) of every input the loader suites expect refused."""
    folders = []
    for name, case in REFUSED.items():
        folders.append((name, case.build(root / f"hostile-{len(folders)}")))
    for name, (rows, header, *_) in test_load_raw.BAD_INPUTS.items():
        folders.append((name, test_load_raw.write_folder(root / f"load-{len(folders)}", rows,
                                                         header)))  # fmt: skip
    for name, bad in test_real_files.BAD_CASES.items():
        folders.append((name, test_real_files.bad_folder(root / f"real-{len(folders)}", bad)))
    folders.append(("no such folder", root / "missing"))
    return folders


def _load_command(folder: Path) -> list[str]:
    return ["load", "--raw-dir", str(folder), "--warehouse",
            str(folder.parent / f"{folder.name}.duckdb")]  # fmt: skip


def _check_refusal(name: str, code: int, stdout: str, stderr: str) -> None:
    output = stdout + stderr
    assert "Traceback" not in output, f"{name}:\n{output}"
    assert code == 1, f"{name}:\n{output}"
    assert stderr.startswith("load failed: raw input refused"), f"{name}:\n{output}"
    assert ", line " in stderr and "column" in stderr, f"{name}:\n{output}"


def test_the_load_command_ends_every_bad_input_with_a_message_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # In process, through the command's own entry point: an exception that
    # escaped it would fail this test as it would print a traceback in a shell.
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    for name, folder in _every_bad_input(tmp_path):
        code = cli.main(_load_command(folder))
        captured = capsys.readouterr()
        _check_refusal(name, code, captured.out, captured.err)


def test_the_installed_command_prints_the_message_and_exits_1(tmp_path: Path) -> None:
    # One case through a real interpreter, as a shell runs it (exit status, stderr).
    name, folder = next(case for case in _every_bad_input(tmp_path) if case[0] in REFUSED)
    done = subprocess.run(
        [sys.executable, "-m", "scripts.cli", *_load_command(folder)],
        cwd=PROJECT_DIR, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    _check_refusal(name, done.returncode, done.stdout, done.stderr)
