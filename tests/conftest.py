"""Shared fixtures: one warehouse built from the synthetic sample, in a temporary folder.

Building it costs the whole pipeline (sample, raw load, dbt build), so it is
built once per test session and opened read-only by the tests that need it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from scripts.pipeline import build as run_pipeline
from scripts.sample import generate as generate_sample

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE_YEARS = range(generate_sample.DEFAULT_FIRST_YEAR, generate_sample.DEFAULT_LAST_YEAR + 1)


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default synthetic sample, generated afresh for this test session."""
    folder = tmp_path_factory.mktemp("raw") / "sample"
    generate_sample.write_sample(folder, SAMPLE_YEARS)
    return folder


@pytest.fixture(scope="session")
def dbt_target_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the session's dbt build writes its artefacts (run_results.json, manifest)."""
    return tmp_path_factory.mktemp("dbt-target")


@pytest.fixture(scope="session")
def warehouse_file(
    sample_dir: Path, dbt_target_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A warehouse built by the main job's own code from the sample (dbt build included)."""
    target = tmp_path_factory.mktemp("warehouse") / "trade.duckdb"
    run_pipeline.build_warehouse(sample_dir, target, ["--target-path", str(dbt_target_dir)])
    return target


@pytest.fixture()
def warehouse(warehouse_file: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the session's warehouse."""
    con = duckdb.connect(str(warehouse_file), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="session")
def published_figures() -> list[dict[str, str]]:
    """The figures printed in the Loiret 2024 fiche (tests/fixtures, copied from shared/)."""
    with (FIXTURES / "published_figures_2024.csv").open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines))
