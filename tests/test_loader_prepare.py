"""Only new or changed files are prepared: the others are hashed, never decoded or written.

Adding a year to a folder of nine used to unzip, decode and copy every year's
files to scratch before the load plan kept the new ones. These tests check
that a file the warehouse holds unchanged is only hashed, and that a changed
file is still prepared and read.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import duckdb
from test_load_raw import GOOD_ROWS, write_folder

from scripts.ingest import files
from scripts.ingest import load as load_raw


def test_a_table_said_loaded_is_hashed_not_written(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "raw", GOOD_ROWS)
    prepared = files.discover(folder, tmp_path / "a")
    hashed = files.discover(folder, tmp_path / "b", unchanged=lambda label, sha256: True)
    assert [f.prepared for f in prepared] == [True]
    assert prepared[0].path.exists()
    assert [f.prepared for f in hashed] == [False]
    assert not hashed[0].path.exists()
    # the same label and fingerprint either way: the load plan compares these
    assert [(f.label, f.sha256) for f in hashed] == [(f.label, f.sha256) for f in prepared]


def test_only_the_changed_file_is_prepared_on_a_reload(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "raw", GOOD_ROWS)
    with zipfile.ZipFile(folder / "region_24_2023.zip", "w") as zipped:
        zipped.writestr("dept_45_2023.csv",
                        "Flux;Annee;Departement;Code A129;Code Pays;Valeur\n"
                        "E;2023;45;C20B;DE;10.000\n")  # fmt: skip
    warehouse = tmp_path / "trade.duckdb"
    load_raw.load(folder, warehouse)
    revised = GOOD_ROWS[0].replace("1200.500", "1201.500")
    assert revised != GOOD_ROWS[0]
    write_folder(folder, [revised, *GOOD_ROWS[1:]])
    # what the load asks before preparing any file
    unchanged = load_raw._already_loaded(warehouse, *_reading(folder))
    found = {f.label: f.prepared for f in files.discover(folder, tmp_path / "s", unchanged)}
    assert found == {"region_24_2023.zip!dept_45_2023.csv": False,
                     "region_24_2024.zip!dept_45_2024.csv": True}  # fmt: skip
    report = load_raw.load(folder, warehouse)
    assert (report.files, report.files_read) == (2, 1)


def _reading(folder: Path) -> tuple[str, str]:
    dataset_name, is_synthetic, default_unit = files.read_manifest(folder)
    return dataset_name, load_raw.reading_fingerprint(dataset_name, is_synthetic, default_unit)


def test_an_audit_from_before_the_fingerprints_prepares_every_file(tmp_path: Path) -> None:
    """An older warehouse's audit has no read fingerprint: the load adds the column
    first, so no file counts as loaded, and every file is prepared and read."""
    folder = write_folder(tmp_path / "raw", GOOD_ROWS)
    warehouse = tmp_path / "trade.duckdb"
    load_raw.load(folder, warehouse)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("alter table raw.load_audit drop column read_fingerprint")
    report = load_raw.load(folder, warehouse)
    assert (report.files, report.files_read) == (1, 1)
