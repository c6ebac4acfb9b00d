"""The years an incremental build recomputes and tests: changed ones and those after them."""

from __future__ import annotations

from scripts.pipeline import changed_years

LATER = "2026-01-02 10:00:00"
EARLIER = "2026-01-01 10:00:00"
NINE_YEARS = {year: (1000, EARLIER) for year in range(2015, 2024)}


def test_a_new_last_year_is_the_only_year_tested() -> None:
    before = (NINE_YEARS, "labels")
    after = ({**NINE_YEARS, 2024: (1000, LATER)}, "labels")
    assert changed_years.changed_years(before, after) == [2024]


def test_a_revised_year_retests_the_four_later_years_compared_with_it() -> None:
    before = (NINE_YEARS, "labels")
    # 2017 revised (fewer rows, same time): 2018 compares with it at one year,
    # 2021 at five years (2021 - 4 = 2017); 2022 and 2023 do not read 2017
    after = ({**NINE_YEARS, 2017: (999, EARLIER)}, "labels")
    assert changed_years.five_year_lag() == 4
    assert changed_years.changed_years(before, after) == [2017, 2018, 2019, 2020, 2021]


def test_a_changed_label_annex_or_no_changed_year_tests_every_year() -> None:
    before = (NINE_YEARS, "labels")
    assert changed_years.changed_years(before, ({**NINE_YEARS, 2024: (1, LATER)}, "new")) == []
    assert changed_years.changed_years(before, (dict(NINE_YEARS), "labels")) == []
