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


def audit_disagreements(warehouse: Path) -> list[tuple]:
    """Files whose ``raw.load_audit`` row disagrees with the rows ``raw`` holds for them.

    Counted here from the raw tables themselves: a file's rows in the trade,
    national or label tables, its rows in the quarantine (a line there once
    per problem, so counted once per line and partner country), and files
    with raw rows but no audit row.
    """
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            """
            with loaded as (
                select source_file, count(*) as n from (
                    select source_file from raw.customs_trade
                    union all select source_file from raw.customs_national_trade
                    union all select source_file from raw.customs_labels
                    union all select source_file from raw.product_labels
                ) group by source_file
            ),
            quarantined as (
                select source_file, count(distinct (source_line, country_code)) as n
                from raw.quarantine group by source_file
            )
            select a.source_file, a.rows_read, a.rows_loaded, coalesce(l.n, 0),
                a.rows_quarantined, coalesce(q.n, 0)
            from raw.load_audit as a
            left join loaded as l using (source_file)
            left join quarantined as q using (source_file)
            where a.rows_loaded <> coalesce(l.n, 0) or a.rows_quarantined <> coalesce(q.n, 0)
                or a.rows_read <> a.rows_loaded + a.rows_quarantined
            union all
            select source_file, null, null, n, null, null from loaded
            where source_file not in (select source_file from raw.load_audit)
            """
        ).fetchall()


@pytest.fixture(scope="session", autouse=True)
def every_load_audit_matches_raw() -> Iterator[None]:
    """After every successful raw load of the test session, compare the audit with raw.

    Every test build goes through ``load_raw.load`` (the main job calls it
    too), so wrapping it checks every file of every build at the cost of one
    query per load; a disagreement fails the test that loaded.
    """
    from scripts.ingest import load as load_raw

    original = load_raw.load

    def checked_load(folder: Path, warehouse: Path, *args: object, **kwargs: object):
        report = original(folder, warehouse, *args, **kwargs)
        wrong = audit_disagreements(warehouse)
        assert not wrong, (
            f"raw.load_audit disagrees with raw (file, read, audit loaded, "
            f"raw loaded, audit quarantined, raw quarantined): {wrong[:5]}"
        )
        return report

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(load_raw, "load", checked_load)
        yield
