"""The dbt started before the load (scripts/pipeline/dbt_child.py): what it parses with,
that a build stopped before dbt leaves no process behind, that its failures stop the build.

No warehouse is built here: a real build through the child is tests/test_incremental.py's
(the listed years only) and tests/test_declarations.py's (a failing dbt test).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.ingest.load import RawInputError
from scripts.pipeline import build as run_pipeline
from scripts.pipeline.dbt_child import parse_arguments
from tests.test_load_raw import GOOD_ROWS, write_folder


def test_the_parse_shares_the_options_that_change_it() -> None:
    assert parse_arguments(
        ["--target-path", "/t", "--vars={a: 1}", "--select", "a", "b+", "--full-refresh",
         "--exclude-resource-type", "unit_test", "--target", "duckdb"]
    ) == ["--target-path", "/t", "--vars={a: 1}", "--target", "duckdb"]  # fmt: skip
    assert parse_arguments([]) == []


@pytest.mark.parametrize(
    "dbt_args", [["--no-partial-parse"], ["--state", "/s"], ["model_name"], ["--target-path"]]
)
def test_an_unknown_option_lets_the_build_parse_itself(dbt_args: list[str]) -> None:
    assert parse_arguments(dbt_args) is None


def test_a_refused_load_stops_dbt_before_it_opens_the_warehouse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[run_pipeline.early_dbt.DbtChild] = []

    def recording_start(*args: object) -> run_pipeline.early_dbt.DbtChild:
        started.append(start(*args))
        return started[-1]

    start = run_pipeline.start_dbt
    monkeypatch.setattr(run_pipeline, "start_dbt", recording_start)
    bad = write_folder(tmp_path / "bad", [*GOOD_ROWS, "E;2024;45;C20B;ZZ;1.000"])
    target = tmp_path / "warehouse" / "trade.duckdb"
    with pytest.raises(RawInputError):
        run_pipeline.build_warehouse(bad, target, ["--target-path", str(tmp_path / "t")])
    assert len(started) == 1
    assert started[0].process.returncode is not None  # stopped and reaped
    assert list(target.parent.iterdir()) == []


def test_a_failing_dbt_in_the_child_fails_the_build(tmp_path: Path) -> None:
    warehouse = tmp_path / "trade.duckdb"
    # an option dbt refuses: the child does not pre-parse it, and dbt build stops on it
    with run_pipeline.start_dbt(warehouse, ["--no-such-option"]) as dbt:
        with pytest.raises(run_pipeline.BuildError):
            run_pipeline.dbt_build(dbt.key[0], ["--no-such-option"], [2024], dbt)
        assert dbt.process.returncode == 2
    assert not warehouse.exists()
    assert list(tmp_path.iterdir()) == []


class _ParsedChild:
    """A stand-in for a dbt child that parsed the project before a file of it was edited."""

    def __init__(self, building: Path) -> None:
        self.key = (building, ())
        self.fingerprint = "the project as the child parsed it"

    def cancel(self) -> None:
        """Nothing runs."""


def test_the_build_records_the_fingerprint_of_the_project_dbt_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a model edited during the parse must not be recorded as built: the next build
    # would keep years computed from the older parse
    monkeypatch.setattr(run_pipeline, "dbt_build", lambda *_: None)
    target = tmp_path / "trade.duckdb"
    child = _ParsedChild(run_pipeline.building_path(target))
    run_pipeline.build_warehouse(write_folder(tmp_path / "raw", GOOD_ROWS), target, dbt=child)
    recorded = run_pipeline.build_state.last_build(target)
    assert recorded is not None
    assert recorded.project_fingerprint == "the project as the child parsed it"


def test_start_dbt_takes_the_fingerprint_before_the_child_reads_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    order: list[str] = []
    monkeypatch.setattr(run_pipeline.build_state, "project_fingerprint",
                        lambda **_: order.append("fingerprint") or "f")  # fmt: skip
    monkeypatch.setattr(run_pipeline.early_dbt.subprocess, "Popen",
                        lambda *_, **__: order.append("child") or None)  # fmt: skip
    child = run_pipeline.start_dbt(tmp_path / "trade.duckdb")
    assert order == ["fingerprint", "child"]
    assert child.fingerprint == "f"
