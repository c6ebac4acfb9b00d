"""The embedded synthetic sample: deterministic, complete, realistic in shape, labelled."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections import defaultdict
from pathlib import Path

from scripts import generate_sample, raw_layout
from scripts.generate_sample import read_reference


def _digest(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _rows(sample_dir: Path, year: int) -> list[list[str]]:
    """Every data row of one year of the sample, read straight from the files."""
    rows: list[list[str]] = []
    year_dir = sample_dir / str(year)
    texts = [(year_dir / raw_layout.unallocated_file_name(year)).read_text()]
    for archive in sorted(year_dir.glob("*.zip")):
        with zipfile.ZipFile(archive) as zipped:
            texts += [zipped.read(name).decode("utf-8") for name in zipped.namelist()]
    for text in texts:
        rows += [line.split(";") for line in text.splitlines()[1:]]
    return rows


def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    generate_sample.write_sample(tmp_path / "a", [2024])
    generate_sample.write_sample(tmp_path / "b", [2024])
    first, second = _digest(tmp_path / "a"), _digest(tmp_path / "b")
    assert first == second
    assert len(first) == 18 + 1 + 1  # region zips, unallocated file, manifest


def test_every_department_and_region_has_a_file_each_year(sample_dir: Path) -> None:
    reference = read_reference()
    for year in range(2020, 2025):
        members = set()
        for archive in (sample_dir / str(year)).glob("region_*.zip"):
            with zipfile.ZipFile(archive) as zipped:
                members |= set(zipped.namelist())
        expected = {
            raw_layout.department_member_name(code, year) for code, _ in reference.departments
        }
        assert members == expected
        assert len(list((sample_dir / str(year)).glob("region_*.zip"))) == 18


def test_sample_is_labelled_synthetic(sample_dir: Path) -> None:
    manifest = json.loads((sample_dir / raw_layout.DATASET_MANIFEST).read_text())
    assert manifest["synthetic"] is True
    assert "Not real customs data" in manifest["description"]


def test_values_are_thousands_of_euros_with_three_decimals(sample_dir: Path) -> None:
    rows = _rows(sample_dir, 2024)
    assert rows, "the sample has no 2024 rows"
    assert all(len(row) == len(raw_layout.SAMPLE_HEADER) for row in rows)
    assert all(len(row[5].split(".")[1]) == 3 for row in rows)


def test_few_products_and_partners_dominate_each_department(sample_dir: Path) -> None:
    by_product: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_country: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for flow, _, department, product, country, value in _rows(sample_dir, 2024):
        if flow == "E":
            euros = int(value.replace(".", ""))
            by_product[department][product] += euros
            by_country[department][country] += euros

    def top_share(values: dict[str, int], n: int) -> float:
        ordered = sorted(values.values(), reverse=True)
        return sum(ordered[:n]) / sum(ordered)

    product_shares = sorted(top_share(v, 5) for v in by_product.values())
    country_shares = sorted(top_share(v, 10) for v in by_country.values())
    assert product_shares[len(product_shares) // 2] > 0.6  # median department
    assert country_shares[len(country_shares) // 2] > 0.6


def test_main_partners_of_france_are_the_expected_economies(sample_dir: Path) -> None:
    totals: dict[str, int] = defaultdict(int)
    for flow, _, _, _, country, value in _rows(sample_dir, 2024):
        if flow == "E":
            totals[country] += int(value.replace(".", ""))
    top = {code for code, _ in sorted(totals.items(), key=lambda kv: -kv[1])[:10]}
    assert {"DE", "IT", "ES", "BE", "US", "GB", "CH", "NL", "CN"} <= top


def test_some_trade_is_allocated_to_no_department(sample_dir: Path) -> None:
    rows = _rows(sample_dir, 2024)
    unallocated = sum(int(r[5].replace(".", "")) for r in rows if r[2] == "00")
    total = sum(int(r[5].replace(".", "")) for r in rows)
    assert 0.01 < unallocated / total < 0.10
