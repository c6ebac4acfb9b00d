"""The embedded synthetic sample: the customs' real published layout, exact totals, deterministic.

Layout facts come from DGDDI's description of its data sets (ten fields, no
header, values in euros, customs department codes) as ``raw_layout`` declares
them, and from the annexes; expected totals from the published 2024 figures.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from scripts.ingest import layout as raw_layout
from scripts.paths import SEEDS_DIR
from scripts.reference.seeds import ANNEX_DIR, ANNEXES
from scripts.sample import generate as generate_sample

YEARS = range(2020, 2025)
FLOW_NAMES = {"E": "export", "I": "import"}


def _seed(name: str) -> list[dict[str, str]]:
    with (SEEDS_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


DEPARTMENTS = _seed("departments.csv")
CUSTOMS_REGION = {d["customs_department_code"]: d["customs_region_code"] for d in DEPARTMENTS}
CPF4_A129 = {r["cpf4_code"]: r["a129_code"] for r in _seed("products_cpf4.csv")}


def _valid_countries(year: int) -> set[str]:
    """Partner codes with a meaning valid in some month of ``year`` (countries.csv periods)."""
    return {
        r["country_code"]
        for r in _seed("countries.csv")
        if int(r["valid_from"]) <= year * 100 + 12 and int(r["valid_to"]) >= year * 100 + 1
    }


def _member(sample_dir: Path, kind: str, year: int, flow: str) -> bytes:
    if kind == "regional":
        archive = raw_layout.regional_archive_name(year)
        member = raw_layout.regional_member_name(year, flow)
    else:
        archive = raw_layout.national_archive_name(year)
        member = raw_layout.national_member_name(year, flow)
    with zipfile.ZipFile(sample_dir / str(year) / archive) as zipped:
        return zipped.read(member)


def _lines(sample_dir: Path, kind: str, year: int, flow: str) -> Iterator[list[str]]:
    for line in _member(sample_dir, kind, year, flow).decode("utf-8").split("\n")[:-1]:
        yield line.split(";")


@dataclass
class Year:
    """One year of the sample: its lines split into fields, read from the files."""

    regional_lines: dict[str, list[list[str]]]
    national_lines: dict[str, list[list[str]]]


@pytest.fixture(scope="module")
def year_2024(sample_dir: Path) -> Year:
    return Year(
        {flow: list(_lines(sample_dir, "regional", 2024, flow)) for flow in FLOW_NAMES},
        {flow: list(_lines(sample_dir, "national", 2024, flow)) for flow in FLOW_NAMES},
    )


REGIONAL_COLUMNS = ("flow", "quarter", "year", "department", "region", "a129", "cpf4",
                    "country", "value", "mass")  # fmt: skip
NATIONAL_COLUMNS = ("flow", "month", "year", "cpf6", "a129", "nc8", "country", "value", "mass",
                    "unit")  # fmt: skip


@pytest.fixture(scope="module")
def sample_db(
    sample_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Every line of every year, read by DuckDB's CSV reader as exactly ten text fields."""
    folder = tmp_path_factory.mktemp("sample_lines")
    con = duckdb.connect()
    for kind, columns in (("regional", REGIONAL_COLUMNS), ("national", NATIONAL_COLUMNS)):
        paths = []
        for year in YEARS:
            for flow in FLOW_NAMES:
                path = folder / f"{kind}_{year}_{flow}.txt"
                path.write_bytes(_member(sample_dir, kind, year, flow))
                paths.append(str(path))
        listed = ", ".join(f"'{c}': 'VARCHAR'" for c in columns)
        con.execute(
            f"create table {kind} as select * from read_csv($paths, delim = ';', "
            f"header = false, quote = '', auto_detect = false, columns = {{{listed}}})",
            {"paths": paths},
        )
    con.execute("create table departments (department varchar, region varchar)")
    con.executemany("insert into departments values (?, ?)", list(CUSTOMS_REGION.items()))
    con.execute("create table cpf4 (cpf4 varchar, a129 varchar)")
    con.executemany("insert into cpf4 values (?, ?)", [kv for kv in CPF4_A129.items() if kv[1]])
    con.execute("create table countries (country varchar, year varchar)")
    con.executemany(
        "insert into countries values (?, ?)",
        [(code, str(year)) for year in YEARS for code in _valid_countries(year)],
    )
    yield con
    con.close()


def _digest(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    generate_sample.write_sample(tmp_path / "a", [2024])
    generate_sample.write_sample(tmp_path / "b", [2024])
    first, second = _digest(tmp_path / "a"), _digest(tmp_path / "b")
    assert first == second
    assert set(first) == {
        f"2024/{raw_layout.regional_archive_name(2024)}",
        f"2024/{raw_layout.national_archive_name(2024)}",
        raw_layout.DATASET_MANIFEST,
        *(f"annexes/{name}" for name in ANNEXES),
    }


def test_the_annexes_are_byte_copies_of_the_real_ones(sample_dir: Path) -> None:
    for name in ANNEXES:
        assert (sample_dir / "annexes" / name).read_bytes() == (ANNEX_DIR / name).read_bytes()
        found = raw_layout.fixed_layout_for(name)
        assert found is not None and found[0].target == "labels", name


def test_each_year_has_the_regional_and_national_zips_of_both_flows(sample_dir: Path) -> None:
    for year in YEARS:
        for archive, member, layout in (
            (raw_layout.regional_archive_name, raw_layout.regional_member_name, "regional"),
            (raw_layout.national_archive_name, raw_layout.national_member_name, "national"),
        ):
            with zipfile.ZipFile(sample_dir / str(year) / archive(year)) as zipped:
                names = zipped.namelist()
            assert names == [member(year, "E"), member(year, "I")]
            for flow, name in zip(("E", "I"), names, strict=True):
                found = raw_layout.fixed_layout_for(name)
                assert found is not None
                assert found[0].name == layout
                assert found[1] == {"flow_code": flow, "year": str(year)}
        assert sorted(p.name for p in (sample_dir / str(year)).iterdir()) == sorted(
            [raw_layout.national_archive_name(year), raw_layout.regional_archive_name(year)]
        )


def test_sample_is_labelled_synthetic(sample_dir: Path) -> None:
    manifest = json.loads((sample_dir / raw_layout.DATASET_MANIFEST).read_text())
    assert manifest["synthetic"] is True
    assert "Not real customs data" in manifest["description"]
    assert "value_unit" not in manifest
    assert manifest["years"] == list(YEARS)
    assert manifest["seed"] == generate_sample.SEED
    assert manifest["generator_version"] == generate_sample.generator_version()


def test_regional_lines_are_the_published_ten_fields(
    sample_dir: Path, sample_db: duckdb.DuckDBPyConnection
) -> None:
    for year in YEARS:
        for flow in FLOW_NAMES:
            data = _member(sample_dir, "regional", year, flow)
            assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data
            assert data.endswith(b"\n") and data.count(b";") == 9 * data.count(b"\n")
    # each line: its file's flow and year, a quarter 1-4 without a leading zero (as in the
    # PDF's example), the customs department with its DGDDI region (9A, 20, 99...), a CPF4
    # of its A129 code, a partner valid that year, whole euros and kilograms
    wrong = sample_db.execute("""
        select r.* from regional as r
        left join departments as d on r.department = d.department and r.region = d.region
        left join cpf4 as c on r.cpf4 = c.cpf4 and r.a129 = c.a129
        left join countries as k on r.country = k.country and r.year = k.year
        where d.department is null or c.cpf4 is null or k.country is null
            or r.flow not in ('E', 'I') or not regexp_full_match(r.quarter, '[1-4]')
            or r.year not in ('2020', '2021', '2022', '2023', '2024')
            or not regexp_full_match(r.value, '[1-9][0-9]*')
            or not regexp_full_match(r.mass, '[1-9][0-9]*')
        limit 5
    """).fetchall()  # fmt: skip
    assert wrong == []
    per_file = sample_db.execute(
        "select flow, year, count(*) from regional group by all order by all"
    ).fetchall()
    assert [(f, y) for f, y, _ in per_file] == [(f, str(y)) for f in "EI" for y in YEARS]


def test_national_lines_are_the_published_ten_fields(year_2024: Year) -> None:
    countries = _valid_countries(2024)
    for flow, lines in year_2024.national_lines.items():
        assert lines
        for fields in lines:
            assert len(fields) == len(raw_layout.NATIONAL.fields) == 10
            f, month, year, cpf6, a129, nc8, country, value, mass, unit = fields
            assert (f, year) == (flow, "2024")
            assert re.fullmatch("0[1-9]|1[0-2]", month)
            assert re.fullmatch("[0-9]{6}", cpf6) and CPF4_A129[cpf6[:4]] == a129
            assert re.fullmatch("[0-9]{8}", nc8) and nc8.startswith(cpf6)
            assert country in countries
            assert re.fullmatch("[1-9][0-9]*", value) and re.fullmatch("[1-9][0-9]*", mass)
            assert unit == "" or re.fullmatch("[1-9][0-9]*", unit)
        assert {fields[9] != "" for fields in lines} == {True, False}


def test_every_department_of_the_annex_trades_every_year_and_no_00(
    sample_db: duckdb.DuckDBPyConnection,
) -> None:
    rows = sample_db.execute(
        "select year, flow, list(distinct department) from regional group by all"
    ).fetchall()
    assert len(rows) == 2 * len(YEARS)
    for _, _, departments in rows:
        assert set(departments) == set(CUSTOMS_REGION)
        assert raw_layout.UNALLOCATED_DEPARTMENT not in departments


def test_2024_totals_are_the_published_figures(
    year_2024: Year, published_figures: list[dict[str, str]]
) -> None:
    in_region = {d["customs_department_code"] for d in DEPARTMENTS if d["region_code"] == "24"}
    for row in published_figures:
        flow = {"export": "E", "import": "I"}[row["flow"]]
        lines = year_2024.regional_lines[flow]
        if row["territory_level"] == "department":
            euros = sum(int(f[8]) for f in lines if f[3] == row["territory_code"])
        elif row["territory_level"] == "region":
            euros = sum(int(f[8]) for f in lines if f[3] in in_region)
        else:  # France: the national file, which holds the unallocated trade too
            euros = sum(int(f[7]) for f in year_2024.national_lines[flow])
        assert f"{euros / 10**6:.1f}" == row["value_million_eur"], row
        if row["share_of_france_pct"]:
            france = sum(int(f[7]) for f in year_2024.national_lines[flow])
            region = sum(int(f[8]) for f in lines if f[3] in in_region)
            assert f"{100 * euros / france:.2f}" == row["share_of_france_pct"], row
            assert f"{100 * euros / region:.1f}" == row["share_of_region_pct"], row


def test_departments_sum_exactly_to_their_annual_totals(
    sample_db: duckdb.DuckDBPyConnection,
) -> None:
    generator = generate_sample.SampleGenerator(generate_sample.read_reference())
    to_warehouse = {d["customs_department_code"]: d["department_code"] for d in DEPARTMENTS}
    rows = sample_db.execute(
        "select year, flow, department, sum(cast(value as hugeint)) from regional group by all"
    ).fetchall()
    assert len(rows) == 2 * len(YEARS) * len(DEPARTMENTS)
    for year, flow, department, euros in rows:
        code = to_warehouse[department]
        assert euros == generator.department_total(code, flow, int(year)), (year, code)


def test_national_file_is_the_departments_plus_the_unallocated_trade(
    sample_db: duckdb.DuckDBPyConnection,
) -> None:
    # per flow, year, quarter, CPF4 and partner: the national value is never below the
    # departments' sum, and every such key of the departments is in the national file
    below = sample_db.execute("""
        with regional_keys as (
            select flow, year, quarter, cpf4, country, sum(cast(value as hugeint)) as euros
            from regional group by all
        ),
        national_keys as (
            select flow, year, cast((cast(month as integer) - 1) // 3 + 1 as varchar) as quarter,
                left(cpf6, 4) as cpf4, country, sum(cast(value as hugeint)) as euros
            from national group by all
        )
        select r.*, n.euros from regional_keys as r
        left join national_keys as n using (flow, year, quarter, cpf4, country)
        where n.euros is null or n.euros < r.euros
        limit 5
    """).fetchall()  # fmt: skip
    assert below == []
    totals = sample_db.execute("""
        select flow, year, n.euros, r.euros
        from (select flow, year, sum(cast(value as hugeint)) as euros from national
              group by all) as n
        join (select flow, year, sum(cast(value as hugeint)) as euros from regional
              group by all) as r using (flow, year)
        order by all
    """).fetchall()  # fmt: skip
    assert len(totals) == 2 * len(YEARS)
    for flow, year, national, regional in totals:
        share = (national - regional) / national
        expected = generate_sample.UNALLOCATED_SHARE[flow]
        assert abs(share - expected) < (1e-6 if year == "2024" else 0.01), (flow, year)


def test_cells_spread_over_quarters_and_cpf4_classes(year_2024: Year) -> None:
    lines = year_2024.regional_lines["E"]
    quarters: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    classes: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    values: dict[tuple[str, str, str], int] = defaultdict(int)
    for f in lines:
        cell = (f[3], f[5], f[7])  # department, A129, partner
        quarters[cell].add(f[1])
        classes[cell].add(f[6])
        values[cell] += int(f[8])
    largest = sorted(values, key=values.__getitem__, reverse=True)[:1000]
    assert all(len(quarters[cell]) == 4 for cell in largest)
    smallest = sorted(values, key=values.__getitem__)[:1000]
    assert all(len(quarters[cell]) == 1 for cell in smallest)
    multi = [cell for cell in largest if len(classes[cell]) > 1]
    assert len(multi) > len(largest) / 2
    assert {f[1] for f in lines} == {"1", "2", "3", "4"}
    for department in ("45", "9A", "20", "99"):
        assert {f[1] for f in lines if f[3] == department} == {"1", "2", "3", "4"}


def test_masses_are_plausible(year_2024: Year) -> None:
    per_kg: dict[str, list[float]] = defaultdict(list)
    for f in year_2024.regional_lines["I"]:
        per_kg[f[5]].append(int(f[8]) / int(f[9]))

    def median(values: list[float]) -> float:
        return sorted(values)[len(values) // 2]

    assert 0.1 < median(per_kg["B06Z"]) < 3  # crude oil and gas: cheap by the kilo
    assert 0.3 < median(per_kg["A01Z"]) < 10
    assert median(per_kg["C21Z"]) > 20  # medicines: dear
    assert median(per_kg["C21Z"]) > 10 * median(per_kg["C23B"])


def test_few_products_and_partners_dominate_each_department(year_2024: Year) -> None:
    by_product: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_country: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for f in year_2024.regional_lines["E"]:
        by_product[f[3]][f[5]] += int(f[8])
        by_country[f[3]][f[7]] += int(f[8])

    def top_share(values: dict[str, int], n: int) -> float:
        ordered = sorted(values.values(), reverse=True)
        return sum(ordered[:n]) / sum(ordered)

    product_shares = sorted(top_share(v, 5) for v in by_product.values())
    country_shares = sorted(top_share(v, 10) for v in by_country.values())
    assert product_shares[len(product_shares) // 2] > 0.6  # median department
    assert country_shares[len(country_shares) // 2] > 0.6


def test_main_partners_of_france_are_the_expected_economies(year_2024: Year) -> None:
    totals: dict[str, int] = defaultdict(int)
    for f in year_2024.national_lines["E"]:
        totals[f[6]] += int(f[7])
    top = {code for code, _ in sorted(totals.items(), key=lambda kv: -kv[1])[:10]}
    assert {"DE", "IT", "ES", "BE", "US", "GB", "CH", "NL", "CN"} <= top
    assert "MC" not in totals  # Monaco is inside France's statistical territory
    assert "FR" not in totals and "GP" not in totals


def test_monaco_and_corsica_trade_under_their_customs_codes(year_2024: Year) -> None:
    totals: dict[str, int] = defaultdict(int)
    for f in year_2024.regional_lines["E"]:
        totals[f[3]] += int(f[8])
    median = sorted(totals.values())[len(totals) // 2]
    assert 0 < totals["99"] < median  # Monaco: a small trade, with PACA (DGDDI region 21)
    assert totals["20"] > 0 and "2A" not in totals and "2B" not in totals
    assert totals["9A"] > 0 and "971" not in totals


def test_row_count_stays_moderate(sample_dir: Path, sample_db: duckdb.DuckDBPyConnection) -> None:
    manifest = json.loads((sample_dir / raw_layout.DATASET_MANIFEST).read_text())
    regional = sample_db.execute("select count(*) from regional").fetchone()[0]
    assert regional == sum(manifest["line_counts"]["regional"].values())
    national = sample_db.execute("select count(*) from national").fetchone()[0]
    assert national == sum(manifest["line_counts"]["national"].values())
    # at most about 2.5 times the 2.75 million lines of the former departmental sample
    assert 4_000_000 < regional < 7_000_000
