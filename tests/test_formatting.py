"""French date formatting of the report footer: the first of a month is an ordinal."""

from __future__ import annotations

from datetime import date, datetime

from scripts.report import formatting


def test_the_first_day_of_a_month_is_written_1er() -> None:
    assert formatting.long_date(date(2025, 12, 1)) == "1er décembre 2025"
    assert formatting.long_date(datetime(2026, 1, 1, 8, 30)) == "1er janvier 2026"


def test_other_days_are_cardinal_numbers() -> None:
    assert formatting.long_date(date(2026, 11, 26)) == "26 novembre 2026"
    assert formatting.long_date(date(2025, 12, 2)) == "2 décembre 2025"
    assert formatting.long_date(date(2025, 3, 11)) == "11 mars 2025"
