"""The benchmark's report: slopes, targets and the plain statement of a missed one; and
which sizes it builds on Spark.

Timings are never asserted (they depend on the machine); these tests feed the
report hand-made figures and check what it concludes from them.
"""

from __future__ import annotations

from typing import Any

from scripts.bench.benchmark import on_spark
from scripts.bench.report import markdown, slope, targets


def _size(years: str, rows: int, total: float) -> dict[str, Any]:
    stage = {"wall_s": total / 4, "cpu_s": total / 4, "peak_rss_mib": 500.0}
    names = ("sample", "raw_load", "dbt_build", "render_all_pages")
    return {"years": years, "raw_rows": rows, "total_wall_s": total, "peak_rss_mib": 500.0,
            "stages": {name: dict(stage) for name in names}, "dbt_startup_s": 5.0,
            "dbt_models_s": 20.0, "dbt_tests_s": 10.0, "dbt_unit_tests_s": 2.0,
            "dbt_core_models_s": 9.0, "dbt_core_tests_s": 4.0, "label": years}  # fmt: skip


def _results() -> dict[str, Any]:
    return {
        "measured_at": "2026-12-01 18:00 UTC", "machine": "test", "command": "trade bench",
        "duration_s": 60.0, "runs": 1, "load_average_at_start": [1.0, 1.0, 1.0],
        "load_average_at_end": [1.0, 1.0, 1.0],
        "five_years": _size("2020-2024", 5_000_000, 80.0),
        "growth": {"1 year": _size("2024-2024", 1_000_000, 30.0),
                   "10 years": _size("2015-2024", 10_000_000, 120.0)},
        "gap": {"baseline_s": 3.0, "compiled_temp_s": 5.0, "compiled_stored_s": 7.0,
                "rows_differing": {"territory_trade_balance": 0}},
        "loader": {"years": "2017-2024", "detail": 4.0, "raw_lines": 20_000_000,
                   "load": {"wall_s": 40.0, "cpu_s": 60.0, "peak_rss_mib": 1500.0},
                   "phases_s": {"prepare": 10.0, "read": 10.0, "check": 10.0, "publish": 10.0},
                   "lines_per_s": 500_000.0, "bare": {"count_s": 4.0, "copy_s": 16.0}},
    }  # fmt: skip


def test_the_slope_is_per_additional_year_and_million_rows() -> None:
    one, ten = _size("2024-2024", 1_000_000, 30.0), _size("2015-2024", 10_000_000, 120.0)
    assert slope(one, ten) == {
        "s_per_year": 10.0,
        "s_per_million_rows": 10.0,
        "cpu_s_per_year": 10.0,
        "cpu_s_per_million_rows": 10.0,
    }


def test_targets_say_which_are_met() -> None:
    met = {row["target"].split(" (")[0]: row["met"] for row in targets(_results())}
    assert met["main command on the 5-year sample, set-up excluded"] is False  # 80 s
    assert met["dbt model time of the fiche's marts / hand-written DuckDB"] is False  # 3
    assert met["loader, raw lines a second"] is False  # half a million
    assert met["loader peak memory"] is True


def test_a_missed_target_is_said_plainly_with_its_measure() -> None:
    text = markdown({**_results(), "targets": targets(_results())})
    main = "| main command on the 5-year sample, set-up excluded (s) | 80.00 | < 60 | **no** |"
    assert main in text
    assert text.count("Missed or not established: ") == 1
    # the gap's steps add up from the baseline to dbt's time: 3 + 2 + 2 + 2 = 9
    assert "+2.0 s: the models compute more" in text
    assert "+2.0 s: dbt's cost per model" in text


def test_a_ratio_timed_under_different_loads_is_not_shown_met() -> None:
    results = _results()
    results["gap"] = {**results["gap"], "baseline_s": 6.0, "ratio_not_established": True}
    rows = {row["target"]: row["met"] for row in targets(results)}
    assert rows["dbt model time of the fiche's marts / hand-written DuckDB"] is None  # 9 / 6
    text = markdown({**results, "targets": targets(results)})
    assert "| 1.50 | <= 2 | **not established** |" in text


def test_the_main_command_timed_whole_is_the_one_judged() -> None:
    results = _results()  # its stages one after the other: 80 s
    results["five_years"]["main_command"] = {"wall_s": 55.0, "cpu_s": 90.0, "peak_rss_mib": 900.0}
    rows = {row["target"]: (row["measured"], row["met"]) for row in targets(results)}
    assert rows["main command on the 5-year sample, set-up excluded (s)"] == (55.0, True)
    text = markdown({**results, "targets": targets(results)})
    assert "it took 55.0 s and 90 CPU seconds, against 80.0 s for its stages" in text


def test_spark_one_builds_only_the_one_year_size_on_spark() -> None:
    steps = ("five", "one", "ten", "dense")
    assert [s for s in steps if on_spark(s, "one")] == ["one"]
    assert [s for s in steps if on_spark(s, "all")] == list(steps)
    assert not any(on_spark(s, "none") for s in steps)
