"""Customs files in the real DGDDI layout, from raw files to marts, and bad ones refused.

The fixture (tests/fixtures/customs_real/, see its README.md) holds the real
label annexes byte for byte and data rows in the published headerless layout:
the example rows of DGDDI's description of the data sets, verbatim, and rows
written by hand with round values. Every expected figure below is added up by
hand from those rows (the sums are in the comments), never read back from the
loader or the models.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import duckdb
import pytest

from scripts.ingest import load as load_raw
from scripts.ingest.load import RawInputError
from scripts.paths import PROJECT_DIR, SEEDS_DIR
from scripts.pipeline import build as run_pipeline
from scripts.report import render as render_reports
from scripts.report.content import page_filename

FIXTURE = Path(__file__).parent / "fixtures" / "customs_real"
RAW = FIXTURE / "raw"
ANNEXES = FIXTURE / "annexes"
SHARED_ANNEXES = Path("/work/shared/reference/customs-open-data")
ANNEX_FILES = (
    "Departement_region.txt",
    "LISEZ-MOI.txt",
    "Libelle_A129.txt",
    "Libelle_CPF4_rev2.1.txt",
    "Libelle_PAYS.txt",
)
REGIONAL_ZIP = "latest/REGIONAL_CPF4PAYS.zip"
REGION_2004_ZIP = "2004/Region_2004.zip"

#: The example rows printed in DGDDI's PDF (09/05/2022), which the fixture holds verbatim.
PDF_ROWS = (
    "E;3;2018;01;18;A01Z;0111;BE;406473;1210935",
    "E;3;2018;01;18;A01Z;0111;BR;11228;250",
    "I;3;2018;01;18;A01Z;0111;AR;52;11",
    "I;3;2018;01;18;A01Z;0111;AT;29916;20815",
    "E;09;2018;014310;A01Z;01012100;AE;48422;3000;6",
    "E;09;2018;014310;A01Z;01012100;BE;438193;9500;19",
    "I;09;2018;014310;A01Z;01012100;AU;70000;1000;2",
    "I;09;2018;014310;A01Z;01012100;BE;90750;2585;7",
)

#: Data lines of each file, as raw.load_audit names it, and the raw table its rows go to.
DATA_FILES = {
    # 2 PDF rows + 10 of 2018 + 3 of 2019; 2 PDF rows + 7 of 2018 + 2 of 2019
    f"{REGIONAL_ZIP}!REGIONAL_CPF4PAYSE.txt": ("customs_trade", 15),
    f"{REGIONAL_ZIP}!REGIONAL_CPF4PAYSI.txt": ("customs_trade", 11),
    f"{REGION_2004_ZIP}!Region_2004_Export.txt": ("customs_trade", 6),
    f"{REGION_2004_ZIP}!Region_2004_Import.txt": ("customs_trade", 3),
    # 2 PDF rows (September) + 11 other months + 1 sparkling wine (June) + January 2019
    "latest/NATIONAL_NC8PAYSE.txt": ("customs_national_trade", 15),
    "latest/NATIONAL_NC8PAYSI.txt": ("customs_national_trade", 15),
    f"{REGIONAL_ZIP}!Departement_region.txt": ("customs_labels", 101),
    f"{REGIONAL_ZIP}!Libelle_A129.txt": ("customs_labels", 76),
    f"{REGIONAL_ZIP}!Libelle_CPF4_rev2.1.txt": ("customs_labels", 576),
    f"{REGIONAL_ZIP}!Libelle_PAYS.txt": ("customs_labels", 289),
}

# Department totals, (exports, imports) in euros, for the departments with trade.
DEPARTMENTS = {
    2004: {
        "45": (3000, 700),  # exports 1000 (Q1, XS) + 2000 (Q2, DE); imports 700
        "75": (3000, 800),
        "974": (4000, 0),  # 9D
        "20": (5000, 0),
        "99": (6000, 0),
        "971": (0, 900),  # 9A
    },
    2018: {
        "01": (417701, 29968),  # PDF rows: 406473 + 11228; 52 + 29916
        "971": (6000, 500),  # 9A: 1000 (0111) + 2000 (0113) + 3000 (0121)
        "972": (4000, 600),  # 9B
        "973": (5000, 700),  # 9C
        "974": (6000, 800),  # 9D
        "976": (7000, 900),  # 9E
        "20": (10000, 1000),
        "99": (20000, 2000),
        "06": (30000, 0),
    },
    2019: {"971": (100, 0), "20": (200, 0), "99": (300, 500), "974": (0, 400)},
}
# Region totals: each overseas department its own INSEE region, Monaco (99) in 93 with 06.
REGIONS = {
    2004: {
        "24": (3000, 700),  # Centre-Val de Loire = 45
        "11": (3000, 800),  # Île-de-France = 75
        "04": (4000, 0),  # La Réunion
        "94": (5000, 0),  # Corse
        "93": (6000, 0),  # Provence-Alpes-Côte d'Azur = Monaco
        "01": (0, 900),  # Guadeloupe
    },
    2018: {
        "84": (417701, 29968),  # Auvergne-Rhône-Alpes = 01
        "01": (6000, 500),
        "02": (4000, 600),
        "03": (5000, 700),
        "04": (6000, 800),
        "06": (7000, 900),
        "94": (10000, 1000),
        "93": (50000, 2000),  # 99: 20000 + 06: 30000; imports 99: 2000
    },
    2019: {"01": (100, 0), "94": (200, 0), "93": (300, 500), "04": (0, 400)},
}
# France: exports, imports, source, unallocated exports, unallocated imports.
FRANCE = {
    # no national file: the sum of the departments, 3000+3000+4000+5000+6000 and 700+800+900
    2004: (21000, 2400, "departments", 0, 0),
    # the national file, all twelve months:
    #   exports 48422 + 438193 (PDF) + 11 x 100000 + 200000 = 1786615
    #   imports 70000 + 90750 (PDF) + 11 x 50000 + 40000 = 750750
    # departments: exports 417701+6000+4000+5000+6000+7000+10000+20000+30000 = 505701,
    #   imports 29968+500+600+700+800+900+1000+2000 = 36468
    # unallocated: 1786615 - 505701 = 1280914; 750750 - 36468 = 714282
    2018: (1786615, 750750, "national", 1280914, 714282),
    # partial year: the departments (100+200+300, 400+500), not January 2019 of the national file
    2019: (600, 900, "departments", 0, 0),
}


def load_make_fixture() -> ModuleType:
    """tests/fixtures/customs_real/make_fixture.py, imported from its path."""
    spec = importlib.util.spec_from_file_location("make_fixture", FIXTURE / "make_fixture.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fixture_file_bytes() -> dict[str, bytes]:
    """Every file of raw/, zip members included, named as the loader labels them."""
    files: dict[str, bytes] = {}
    for path in sorted(p for p in RAW.rglob("*") if p.is_file()):
        relative = path.relative_to(RAW).as_posix()
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    files[f"{relative}!{member}"] = archive.read(member)
        else:
            files[relative] = path.read_bytes()
    return files


def data_lines(data: bytes) -> list[bytes]:
    """The non-empty lines of a file, CRLF or LF (bytes: the CPF4 annex is cp1252)."""
    return [line for line in data.splitlines() if line.strip()]


def annex_periods(code: str) -> list[tuple[int, int, str]]:
    """(valid from, valid to, label) of a code in the real Libelle_PAYS.txt."""
    periods = []
    for line in (ANNEXES / "Libelle_PAYS.txt").read_text(encoding="utf-8").splitlines():
        fields = line.split(";")
        if fields[0] == code:
            periods.append((int(fields[2]), int(fields[3]), fields[1]))
    return periods


def cpf4_annex_label(code: str) -> str:
    """A CPF4 label as the real annex writes it (cp1252; quoted when it holds a ';')."""
    for line in (ANNEXES / "Libelle_CPF4_rev2.1.txt").read_bytes().decode("cp1252").splitlines():
        if line.startswith(f"{code};"):
            return line.split(";", 1)[1].rsplit(";", 2)[0].strip('"')
    raise KeyError(code)


# --------------------------------------------------------------------------- the fixture


def test_annexes_are_byte_exact_copies_of_the_published_files() -> None:
    for name in ANNEX_FILES:
        data = (ANNEXES / name).read_bytes()
        assert data == (SEEDS_DIR.parent / "customs_annexes" / name).read_bytes(), name
        if SHARED_ANNEXES.is_dir():
            assert data == (SHARED_ANNEXES / name).read_bytes(), name
    with zipfile.ZipFile(RAW / REGIONAL_ZIP) as archive:
        for name in ANNEX_FILES:
            assert archive.read(name) == (ANNEXES / name).read_bytes(), name
    # the quirks of the real files are kept: a BOM, cp1252, CRLF
    assert (ANNEXES / "Libelle_A129.txt").read_bytes().startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in (ANNEXES / "Libelle_PAYS.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        (ANNEXES / "Libelle_CPF4_rev2.1.txt").read_bytes().decode("utf-8")


def test_the_pdf_example_rows_are_in_the_fixture_verbatim() -> None:
    lines = [line for data in fixture_file_bytes().values() for line in data_lines(data)]
    for row in PDF_ROWS:
        assert row.encode() in lines, row


def test_the_committed_raw_folder_is_what_make_fixture_writes(tmp_path: Path) -> None:
    load_make_fixture().write(tmp_path)
    for relative in ("latest/NATIONAL_NC8PAYSE.txt", "latest/NATIONAL_NC8PAYSI.txt"):
        assert (tmp_path / relative).read_bytes() == (RAW / relative).read_bytes(), relative
    for relative in (REGIONAL_ZIP, REGION_2004_ZIP):
        with (
            zipfile.ZipFile(tmp_path / relative) as rebuilt,
            zipfile.ZipFile(RAW / relative) as kept,
        ):
            assert [(i.filename, i.date_time, i.external_attr) for i in rebuilt.infolist()] == [
                (i.filename, i.date_time, i.external_attr) for i in kept.infolist()
            ]
            for name in kept.namelist():
                assert rebuilt.read(name) == kept.read(name), f"{relative}!{name}"
    assert sorted(p.relative_to(RAW).as_posix() for p in RAW.rglob("*") if p.is_file()) == sorted(
        p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()
    )


def test_the_fixture_has_the_data_lines_the_test_expects() -> None:
    files = fixture_file_bytes()
    for label, (_, count) in DATA_FILES.items():
        assert len(data_lines(files[label])) == count, label


# --------------------------------------------------------------------------- the build


@dataclass(frozen=True)
class Built:
    """The warehouse built from the fixture, and the main job's error if it refused to finish."""

    warehouse: Path
    main_job_error: str | None


def _failing_dbt_nodes(target_path: Path) -> list[str]:
    results = json.loads((target_path / "run_results.json").read_text(encoding="utf-8"))
    return [
        f"{r['unique_id']} ({r['status']}, {r.get('failures')} failing rows)"
        for r in results["results"]
        if r["status"] in {"fail", "error"}
    ]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The warehouse the main job builds from raw/ (load, then dbt build), once per module.

    Should the main job fail (a dbt test failing), the same load and dbt build
    are run again without stopping at the failure, so that the checks of the
    marts still run; test_the_main_job_builds_the_real_layout_folder reports
    the failure.
    """
    root = tmp_path_factory.mktemp("customs-real")
    target = root / "trade.duckdb"
    dbt_target = root / "dbt-target"
    try:
        run_pipeline.build_warehouse(RAW, target, ["--target-path", str(dbt_target)])
    except run_pipeline.BuildError as error:
        failing = _failing_dbt_nodes(dbt_target)
        fallback = root / "trade-despite-failures.duckdb"
        load_raw.load(RAW, fallback)
        env = {**os.environ, "TRADE_WAREHOUSE_PATH": str(fallback)}
        command = run_pipeline.dbt_command("build", "--target-path", str(root / "dbt-fallback"))
        subprocess.run(command, cwd=PROJECT_DIR, env=env, check=False, capture_output=True)
        return Built(fallback, f"{error}; failing: {failing}")
    return Built(target, None)


@pytest.fixture(scope="module")
def con(built: Built) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(built.warehouse), read_only=True)
    yield connection
    connection.close()


@pytest.mark.slow
def test_the_main_job_builds_the_real_layout_folder(built: Built) -> None:
    assert built.main_job_error is None


@pytest.mark.slow
def test_raw_rows_per_file_are_the_data_lines(con: duckdb.DuckDBPyConnection) -> None:
    for label, (table, count) in DATA_FILES.items():
        found = con.execute(
            f"select count(*) from raw.{table} where source_file = ?", [label]
        ).fetchone()[0]
        assert found == count, label
    audit = {
        row[0]: row[1:]
        for row in con.execute(
            "select source_file, rows_read, rows_loaded, rows_quarantined from raw.load_audit"
        ).fetchall()
    }
    assert set(audit) == set(DATA_FILES)  # the readme (LISEZ-MOI.txt) is not a data file
    for label, (_, count) in DATA_FILES.items():
        read, loaded, quarantined = audit[label]
        assert (read, loaded, quarantined) == (count, count, 0), label
        assert read == loaded + quarantined
    assert con.execute("select count(*) from raw.quarantine").fetchone()[0] == 0


@pytest.mark.slow
def test_raw_keeps_the_fields_as_published(con: duckdb.DuckDBPyConnection) -> None:
    columns = ("flow_code, quarter, year, department_code, region_code, product_code, cpf4_code, "
               "country_code, value, mass_kg, value_unit")  # fmt: skip
    row = con.execute(
        f"select {columns} from raw.customs_trade where source_file = ? and source_line = 1",
        [f"{REGIONAL_ZIP}!REGIONAL_CPF4PAYSE.txt"],
    ).fetchone()
    # E;3;2018;01;18;A01Z;0111;BE;406473;1210935, in euros
    assert row == ("E", "3", "2018", "01", "18", "A01Z", "0111", "BE", "406473", "1210935", "eur")
    row = con.execute(
        f"select {columns} from raw.customs_trade where source_file = ? and source_line = 3",
        [f"{REGIONAL_ZIP}!REGIONAL_CPF4PAYSE.txt"],
    ).fetchone()
    assert row == ("E", "1", "2018", "9A", "24", "A01Z", "0111", "FR", "1000", "100", "eur")
    published = con.execute(
        "select distinct department_code, region_code from raw.customs_trade order by 1"
    ).fetchall()
    assert ("9E", "24") in published and ("20", "22") in published and ("99", "21") in published
    assert not {code for code, _ in published} & {"971", "972", "973", "974", "976", "2A", "2B"}
    row = con.execute(
        "select flow_code, month, year, cpf6_code, product_code, nc8_code, country_code, value, "
        "mass_kg, supplementary_unit from raw.customs_national_trade "
        "where source_file = 'latest/NATIONAL_NC8PAYSE.txt' and source_line = 1"
    ).fetchone()
    assert row == ("E", "09", "2018", "014310", "A01Z", "01012100", "AE", "48422", "3000", "6")


@pytest.mark.slow
def test_staging_maps_the_customs_department_codes(con: duckdb.DuckDBPyConnection) -> None:
    mapped = dict(
        con.execute(
            "select distinct customs_department_code, department_code "
            "from staging.stg_customs__trade_values"
        ).fetchall()
    )
    assert mapped == {
        "01": "01", "06": "06", "20": "20", "45": "45", "75": "75", "99": "99",
        "9A": "971", "9B": "972", "9C": "973", "9D": "974", "9E": "976",
    }  # fmt: skip


def _totals(con: duckdb.DuckDBPyConnection, level: str, year: int) -> dict[str, tuple]:
    rows = con.execute(
        "select territory_code, exports_eur, imports_eur from marts.territory_trade_balance "
        "where territory_level = ? and year = ? and (exports_eur <> 0 or imports_eur <> 0)",
        [level, year],
    ).fetchall()
    return {code: (exports, imports) for code, exports, imports in rows}


@pytest.mark.slow
@pytest.mark.parametrize("year", sorted(DEPARTMENTS))
def test_department_totals(con: duckdb.DuckDBPyConnection, year: int) -> None:
    assert _totals(con, "department", year) == DEPARTMENTS[year]


@pytest.mark.slow
@pytest.mark.parametrize("year", sorted(REGIONS))
def test_region_totals(con: duckdb.DuckDBPyConnection, year: int) -> None:
    assert _totals(con, "region", year) == REGIONS[year]


@pytest.mark.slow
def test_departments_sit_in_their_insee_regions(con: duckdb.DuckDBPyConnection) -> None:
    regions = dict(
        con.execute(
            "select distinct territory_code, region_code from marts.territory_trade_balance "
            "where territory_level = 'department' and territory_code in "
            "('971', '972', '973', '974', '976', '20', '99', '06')"
        ).fetchall()
    )
    assert regions == {"971": "01", "972": "02", "973": "03", "974": "04", "976": "06",
                       "20": "94", "99": "93", "06": "93"}  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("year", sorted(FRANCE))
def test_france_totals_and_unallocated_trade(con: duckdb.DuckDBPyConnection, year: int) -> None:
    row = con.execute(
        "select exports_eur, imports_eur, france_source, unallocated_exports_eur, "
        "unallocated_imports_eur from marts.territory_trade_balance "
        "where territory_level = 'country' and territory_code = 'FR' and year = ?",
        [year],
    ).fetchone()
    assert row == FRANCE[year]


@pytest.mark.slow
def test_trade_periods_mark_the_partial_year(con: duckdb.DuckDBPyConnection) -> None:
    periods = con.execute(
        "select year, quarters_covered, first_quarter, last_quarter, is_complete_year, "
        "national_months, france_source, period_label from marts.trade_periods order by year"
    ).fetchall()
    assert periods == [
        (2004, 4, 1, 4, True, 0, "departments", "2004"),
        (2018, 4, 1, 4, True, 12, "national", "2018"),
        # the fifth quarter of the regional file; one month of the national file
        (2019, 1, 1, 1, False, 1, "departments", "2019, 1er trimestre"),
    ]
    marked = con.execute(
        "select distinct quarters_covered, is_complete_year, period_label "
        "from marts.territory_trade_balance where year = 2019"
    ).fetchall()
    assert marked == [(1, False, "2019, 1er trimestre")]


PARTNERS = [
    # level, territory, year, partner, label, exports, imports
    ("department", "974", 2004, "XS", "Saba", 4000, 0),
    ("department", "75", 2004, "XS", "Saba", 0, 800),
    ("region", "24", 2004, "XS", "Saba", 1000, 0),
    ("department", "20", 2004, "FR", "France", 5000, 0),
    ("department", "971", 2018, "XS", "Serbie", 2000, 0),
    ("department", "972", 2018, "XS", "Serbie", 0, 600),
    ("department", "20", 2019, "XS", "Serbie", 200, 0),
    ("department", "99", 2019, "XS", "Serbie", 0, 500),
    ("department", "971", 2018, "FR", "France", 1000, 0),
    ("department", "974", 2018, "FR", "France", 0, 800),
    ("department", "971", 2018, "QU", "Pays et territoires non déterminés", 3000, 0),
    ("department", "973", 2018, "QU", "Pays et territoires non déterminés", 0, 700),
    # France from the national file: PDF rows, BE exports 438193, imports 90750
    ("country", "FR", 2018, "BE", "Belgique", 438193, 90750),
]


@pytest.mark.slow
@pytest.mark.parametrize(("level", "code", "year", "partner", "label", "exports", "imports"),
                         PARTNERS)  # fmt: skip
def test_partner_labels_valid_in_the_year(
    con: duckdb.DuckDBPyConnection, level: str, code: str, year: int, partner: str, label: str,
    exports: int, imports: int,
) -> None:  # fmt: skip
    # the label is the annex's, for a period that covers the whole year
    assert any(
        start <= year * 100 + 1 and end >= year * 100 + 12 and text == label
        for start, end, text in annex_periods(partner)
    )
    row = con.execute(
        "select country_name, exports_eur, imports_eur from marts.territory_partner_trade "
        "where territory_level = ? and territory_code = ? and year = ? and country_code = ?",
        [level, code, year, partner],
    ).fetchone()
    assert row == (label, exports, imports)


def _products(
    con: duckdb.DuckDBPyConnection, level: str, code: str, year: int, flow: str, product_level: str
) -> dict[str, tuple]:
    rows = con.execute(
        "select product_code, parent_product_code, value_eur, mass_kg "
        "from marts.territory_product_trade where territory_level = ? and territory_code = ? "
        "and year = ? and flow = ? and product_level = ?",
        [level, code, year, flow, product_level],
    ).fetchall()
    return {product: (parent, value, mass) for product, parent, value, mass in rows}


@pytest.mark.slow
def test_cpf4_rows_sit_under_their_a129(con: duckdb.DuckDBPyConnection) -> None:
    # Guadeloupe 2018 exports: three CPF4 of A01Z; 1000 + 2000 + 3000, mass 100 + 200 + 300
    assert _products(con, "department", "971", 2018, "export", "cpf4") == {
        "0111": ("A01Z", 1000, 100), "0113": ("A01Z", 2000, 200), "0121": ("A01Z", 3000, 300),
    }  # fmt: skip
    assert _products(con, "department", "971", 2018, "export", "a129")["A01Z"][1:] == (6000, 600)
    # Ain 2018 exports, the PDF rows: 406473 + 11228 euros, 1210935 + 250 kg
    assert _products(con, "department", "01", 2018, "export", "cpf4") == {
        "0111": ("A01Z", 417701, 1211185),
    }
    # Provence-Alpes-Côte d'Azur 2018 exports: Monaco 20000 (2000 kg) + Alpes-Maritimes 30000
    assert _products(con, "region", "93", 2018, "export", "cpf4") == {
        "1102": ("C11Z", 50000, 5000),
    }
    # France 2018 from the national file, CPF4 = first four digits of CPF6:
    #   0143 (PDF rows) 48422 + 438193 = 486615, 3000 + 9500 = 12500 kg
    #   0142 11 x 100000 = 1100000, 11 x 50000 = 550000 kg; 1102 200000, 10000 kg
    assert _products(con, "country", "FR", 2018, "export", "cpf4") == {
        "0143": ("A01Z", 486615, 12500), "0142": ("A01Z", 1100000, 550000),
        "1102": ("C11Z", 200000, 10000),
    }  # fmt: skip
    assert _products(con, "country", "FR", 2018, "export", "a129") == {
        "A01Z": ("AZ", 1586615, 562500), "C11Z": ("CA", 200000, 10000),
    }  # fmt: skip
    # imports: 0143 70000 + 90750 = 160750, 1000 + 2585 = 3585 kg; 0142 11 x 50000, 11 x 25000
    assert _products(con, "country", "FR", 2018, "import", "cpf4") == {
        "0143": ("A01Z", 160750, 3585), "0142": ("A01Z", 550000, 275000),
        "1102": ("C11Z", 40000, 2000),
    }  # fmt: skip


@pytest.mark.slow
def test_every_a129_is_the_sum_of_its_cpf4(con: duckdb.DuckDBPyConnection) -> None:
    mismatches = con.execute(
        "with cpf4 as (select territory_level, territory_code, year, flow, parent_product_code "
        "as product_code, sum(value_eur) as value_eur, sum(mass_kg) as mass_kg "
        "from marts.territory_product_trade where product_level = 'cpf4' group by all) "
        "select a.territory_level, a.territory_code, a.year, a.flow, a.product_code "
        "from marts.territory_product_trade as a left join cpf4 using (territory_level, "
        "territory_code, year, flow, product_code) where a.product_level = 'a129' "
        "and (cpf4.value_eur is distinct from a.value_eur or cpf4.mass_kg is distinct from "
        "a.mass_kg)"
    ).fetchall()
    assert mismatches == []


@pytest.mark.slow
def test_cpf4_labels_are_the_annex_labels(con: duckdb.DuckDBPyConnection) -> None:
    labels = dict(
        con.execute(
            "select distinct product_code, product_label from marts.territory_product_trade "
            "where product_level = 'cpf4'"
        ).fetchall()
    )
    assert labels["0111"] == "Céréales (à l'exclusion du riz), légumineuses et oléagineux"
    for code, label in labels.items():
        assert label == cpf4_annex_label(code), code


# --------------------------------------------------------------------------- bad input

GOOD_REGIONAL = [
    "E;3;2018;01;18;A01Z;0111;BE;406473;1210935",
    "E;3;2018;01;18;A01Z;0111;BR;11228;250",
    "E;1;2018;9A;24;A01Z;0111;FR;1000;100",
]
GOOD_NATIONAL = [
    "E;09;2018;014310;A01Z;01012100;AE;48422;3000;6",
    "E;09;2018;014310;A01Z;01012100;BE;438193;9500;19",
]


@dataclass(frozen=True)
class BadCase:
    file_name: str
    lines: list[str]
    line: int
    column: str
    reason: str
    #: Lines of the file a quarantining load keeps aside (None: the whole file is refused).
    quarantined: frozenset[int] | None

    @property
    def table(self) -> str:
        return "customs_national_trade" if "NATIONAL" in self.file_name else "customs_trade"


def _row(line: int) -> frozenset[int]:
    return frozenset({line})


BAD_CASES = {
    "a line with 9 fields": BadCase(
        "REGIONAL_CPF4PAYSE.txt", [*GOOD_REGIONAL, "E;1;2018;9B;24;A01Z;0111;BE;4000"],
        4, "-", "Expected Number of Columns: 10 Found: 9", None),
    "a first line with 11 fields": BadCase(
        "REGIONAL_CPF4PAYSE.txt", ["E;1;2018;9B;24;A01Z;0111;BE;4000;400;1", *GOOD_REGIONAL],
        1, "-", "11 fields, the regional layout has 10", None),
    "a national line with 9 fields": BadCase(
        "NATIONAL_NC8PAYSE.txt", [*GOOD_NATIONAL, "E;10;2018;014310;A01Z;01012100;BE;1;1"],
        3, "-", "Expected Number of Columns: 10 Found: 9", None),
    "flow X": BadCase(
        "REGIONAL_CPF4PAYSE.txt", [*GOOD_REGIONAL, "X;1;2018;9B;24;A01Z;0111;BE;4000;400"],
        4, "field 1 (flow_code)", "unknown flow 'X'", _row(4)),
    "an import line in the export file": BadCase(
        "REGIONAL_CPF4PAYSE.txt", [*GOOD_REGIONAL, "I;1;2018;9B;24;A01Z;0111;BE;4000;400"],
        4, "field 1 (flow_code)", "flow 'I' in a file whose name says exports (E)", _row(4)),
    "quarter 5": BadCase(
        "REGIONAL_CPF4PAYSE.txt", [*GOOD_REGIONAL, "E;5;2018;9B;24;A01Z;0111;BE;4000;400"],
        4, "field 2 (quarter)", "quarter '5' is not a quarter (1 to 4)", _row(4)),
    "quarter 0": BadCase(
        "REGIONAL_CPF4PAYSE.txt", [*GOOD_REGIONAL, "E;0;2018;9B;24;A01Z;0111;BE;4000;400"],
        4, "field 2 (quarter)", "quarter '0' is not a quarter (1 to 4)", _row(4)),
    "month 13": BadCase(
        "NATIONAL_NC8PAYSE.txt", [*GOOD_NATIONAL, "E;13;2018;014310;A01Z;01012100;DE;1;1;1"],
        3, "field 2 (month)", "month '13' is not a month", _row(3)),
    "month 00": BadCase(
        "NATIONAL_NC8PAYSE.txt", [*GOOD_NATIONAL, "E;00;2018;014310;A01Z;01012100;DE;1;1;1"],
        3, "field 2 (month)", "month '00' is not a month", _row(3)),
    "a 2018 line in Region_2019_Export.txt": BadCase(
        "Region_2019_Export.txt",
        ["E;1;2019;9A;24;A01Z;0111;BE;100;10", "E;1;2019;20;22;C11Z;1102;XS;200;20",
         "E;3;2018;01;18;A01Z;0111;BE;406473;1210935"],
        3, "field 3 (year)", "year '2018' is not the year of the file (2019)", _row(3)),
    "department 2A (not in Departement_region.txt)": BadCase(
        "REGIONAL_CPF4PAYSE.txt", [*GOOD_REGIONAL, "E;1;2018;2A;22;A01Z;0111;BE;4000;400"],
        4, "field 4 (department_code)", "unknown department code '2A'", _row(4)),
    "a region that is not the department's": BadCase(
        "REGIONAL_CPF4PAYSE.txt", [*GOOD_REGIONAL, "E;1;2018;9B;21;A01Z;0111;BE;4000;400"],
        4, "field 5 (region_code)", "region '21' is not the DGDDI region of department '9B'",
        _row(4)),
    "an unknown A129": BadCase(
        "REGIONAL_CPF4PAYSE.txt", [*GOOD_REGIONAL, "E;1;2018;9B;24;A99Z;0111;BE;4000;400"],
        4, "field 6 (product_code)", "unknown A129 product code 'A99Z'", _row(4)),
    "an unknown CPF4": BadCase(
        "REGIONAL_CPF4PAYSE.txt", [*GOOD_REGIONAL, "E;1;2018;9B;24;A01Z;0110;BE;4000;400"],
        4, "field 7 (cpf4_code)", "unknown CPF4 product code '0110'", _row(4)),
    # QU (Libelle_PAYS.txt): 190001-199912 and 201201-999912, so not in 2004; XS is (Saba)
    "QU in a 2004 quarter": BadCase(
        "Region_2004_Export.txt",
        ["E;1;2004;45;04;C21Z;2120;XS;1000;10", "E;2;2004;45;04;C21Z;2120;QU;1000;10"],
        2, "field 8 (country_code)", "country code 'QU' is not valid in 200404-200406", _row(2)),
    # CS Serbie-et-Monténégro: 200401-200505
    "CS after its period ended": BadCase(
        "REGIONAL_CPF4PAYSE.txt", [*GOOD_REGIONAL, "E;1;2018;9B;24;A01Z;0111;CS;4000;400"],
        4, "field 8 (country_code)", "country code 'CS' is not valid in 201801-201803", _row(4)),
    # Serbia is XS for the customs; RS is in no period of Libelle_PAYS.txt
    "RS (not a customs code)": BadCase(
        "REGIONAL_CPF4PAYSE.txt", [*GOOD_REGIONAL, "E;1;2018;9B;24;A01Z;0111;RS;4000;400"],
        4, "field 8 (country_code)", "unknown country code 'RS'", _row(4)),
    "a non-numeric value": BadCase(
        "REGIONAL_CPF4PAYSE.txt", [*GOOD_REGIONAL, "E;1;2018;9B;24;A01Z;0111;BE;12k;400"],
        4, "field 9 (value)", "value '12k' is not a non-negative number", _row(4)),
    "a negative value": BadCase(
        "REGIONAL_CPF4PAYSE.txt", [*GOOD_REGIONAL, "E;1;2018;9B;24;A01Z;0111;BE;-4000;400"],
        4, "field 9 (value)", "value '-4000' is not a non-negative number", _row(4)),
    "a negative national value": BadCase(
        "NATIONAL_NC8PAYSE.txt", [*GOOD_NATIONAL, "E;10;2018;014310;A01Z;01012100;DE;-1;1;1"],
        3, "field 8 (value)", "value '-1' is not a non-negative number", _row(3)),
    "a negative mass": BadCase(
        "REGIONAL_CPF4PAYSE.txt", [*GOOD_REGIONAL, "E;1;2018;9B;24;A01Z;0111;BE;4000;-400"],
        4, "field 10 (mass_kg)", "mass '-400' is not a non-negative number of kilograms",
        _row(4)),
    "a duplicated line": BadCase(
        "REGIONAL_CPF4PAYSE.txt", [*GOOD_REGIONAL, GOOD_REGIONAL[0]],
        4, "key", "duplicate key (flow, year, quarter, department, CPF4, country): 2 copies, "
        "first at REGIONAL_CPF4PAYSE.txt, line 1", frozenset({1, 4})),
    "a duplicated national line": BadCase(
        "NATIONAL_NC8PAYSE.txt", [*GOOD_NATIONAL, GOOD_NATIONAL[0]],
        3, "key", "duplicate line (flow, year, month, NC8, country): 2 copies, "
        "first at NATIONAL_NC8PAYSE.txt, line 1", frozenset({1, 3})),
    # a name the customs do not use: read as a header-based table, whose header it lacks
    "an unknown .txt file name": BadCase(
        "REGIONAL_CPF4PAYS_2018.txt", GOOD_REGIONAL, 1, "-", "unknown layout", None),
    "an unknown file type": BadCase(
        "REGIONAL_CPF4PAYSE.dat", GOOD_REGIONAL, 0, "-", "unrecognised file name", None),
}  # fmt: skip


def bad_folder(folder: Path, case: BadCase) -> Path:
    """The real annexes and one data file, CRLF-ended like the annexes."""
    folder.mkdir(parents=True)
    for name in ANNEX_FILES:
        shutil.copyfile(ANNEXES / name, folder / name)
    (folder / case.file_name).write_bytes("".join(f"{x}\r\n" for x in case.lines).encode())
    return folder


def raw_content(warehouse: Path) -> list[list[tuple]]:
    """Every row of every raw table (load times included)."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return [
            connection.execute(f"select * from raw.{table} order by all").fetchall()
            for table in load_raw.RAW_TABLES
        ]


@pytest.fixture(scope="module")
def loaded_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse whose raw layer holds the fixture (no dbt), to copy before a bad load."""
    warehouse = tmp_path_factory.mktemp("customs-real-raw") / "loaded.duckdb"
    load_raw.load(RAW, warehouse)
    return warehouse


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", list(BAD_CASES))
def test_bad_input_is_refused_with_file_line_field_and_reason(
    name: str, loaded_raw: Path, tmp_path: Path
) -> None:
    case = BAD_CASES[name]
    warehouse = tmp_path / "trade.duckdb"
    shutil.copyfile(loaded_raw, warehouse)
    before = raw_content(warehouse)
    with pytest.raises(RawInputError) as refused:
        load_raw.load(bad_folder(tmp_path / "raw", case), warehouse)
    located = [
        p for p in refused.value.problems
        if (p.source_file, p.line, p.column) == (case.file_name, case.line, case.column)
    ]  # fmt: skip
    assert located, refused.value
    assert case.reason in located[0].reason
    assert f"{case.file_name}, line {case.line}, column '{case.column}': " in str(refused.value)
    assert raw_content(warehouse) == before


@pytest.mark.parametrize(
    "name", [name for name, case in BAD_CASES.items() if case.quarantined is not None]
)
def test_quarantine_loads_the_valid_lines(name: str, tmp_path: Path) -> None:
    case = BAD_CASES[name]
    assert case.quarantined is not None
    warehouse = tmp_path / "trade.duckdb"
    load_raw.load(bad_folder(tmp_path / "raw", case), warehouse, quarantine=True)
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        audit = connection.execute(
            "select rows_read, rows_loaded, rows_quarantined from raw.load_audit "
            "where source_file = ?",
            [case.file_name],
        ).fetchone()
        loaded = connection.execute(
            f"select source_line from raw.{case.table} where source_file = ?", [case.file_name]
        ).fetchall()
        kept_aside = connection.execute(
            "select source_line, column_name from raw.quarantine where source_file = ?",
            [case.file_name],
        ).fetchall()
    lines = len(case.lines)
    good = set(range(1, lines + 1)) - case.quarantined
    assert audit == (lines, len(good), len(case.quarantined))
    assert audit[0] == audit[1] + audit[2]
    assert {line for (line,) in loaded} == good
    assert {line for line, _ in kept_aside} == case.quarantined
    assert (case.line, case.column) in kept_aside


@pytest.mark.parametrize(
    "name", ["flow X", "a line with 9 fields", "a duplicated line", "an unknown file type"]
)
def test_a_refused_load_leaves_the_warehouse_file_byte_identical(
    name: str, loaded_raw: Path, tmp_path: Path
) -> None:
    warehouse = tmp_path / "trade.duckdb"
    shutil.copyfile(loaded_raw, warehouse)
    before = sha256(warehouse)
    with pytest.raises(RawInputError):
        load_raw.load(bad_folder(tmp_path / "raw", BAD_CASES[name]), warehouse)
    assert sha256(warehouse) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw", "trade.duckdb"]


@pytest.mark.parametrize("name", ["flow X", "a line with 9 fields", "a duplicated line"])
def test_a_refused_main_job_leaves_the_warehouse_file_byte_identical(
    name: str, loaded_raw: Path, tmp_path: Path
) -> None:
    target = tmp_path / "trade.duckdb"
    shutil.copyfile(loaded_raw, target)
    before = sha256(target)
    with pytest.raises(RawInputError):
        run_pipeline.build_warehouse(bad_folder(tmp_path / "raw", BAD_CASES[name]), target)
    assert sha256(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw", "trade.duckdb"]


@pytest.fixture(scope="module")
def pages(built: Built, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Pages of France and Guadeloupe rendered from the real-layout warehouse: the default
    year (the newest complete one, 2018) and the partial year 2019 asked for."""
    root = tmp_path_factory.mktemp("customs-real-pages")
    keys = [("country", "FR"), ("department", "971")]
    render_reports.render_site(built.warehouse, root / "default", keys, progress=False)
    render_reports.render_site(built.warehouse, root / "partial", keys, 2019, progress=False)
    return {"default": root / "default", "partial": root / "partial"}


def _page_text(folder: Path, key: tuple[str, str]) -> str:
    return (folder / page_filename(key)).read_text(encoding="utf-8")


@pytest.mark.slow
def test_pages_show_the_newest_complete_year_by_default(pages: dict[str, Path]) -> None:
    france = _page_text(pages["default"], ("country", "FR"))
    assert "Les indicateurs clés du commerce extérieur · 2018<" in france
    assert "data-partial-year" not in france
    # 2018 is covered whole by the national file: France is its total, said so
    assert "Total du fichier national des Douanes" in france


@pytest.mark.slow
def test_a_partial_year_is_labelled_by_its_quarters(pages: dict[str, Path]) -> None:
    for key in (("country", "FR"), ("department", "971")):
        text = _page_text(pages["partial"], key)
        assert "2019, 1er trimestre" in text
        assert "année incomplète" in text
        # never shown as the whole year 2019
        assert "commerce extérieur · 2019<" not in text
    france = _page_text(pages["partial"], ("country", "FR"))
    # the national file covers one month of 2019: France is the departments' sum
    assert "Somme des fichiers départementaux" in france
