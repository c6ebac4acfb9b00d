"""The page header of every page: the period the figures cover and where they come from.

Why a section: every page (territories and index) says which year it shows,
whether that year is complete, where France's total comes from, and which
data set the figures were built from, synthetic or real; this is built once.
"""

from __future__ import annotations

from dataclasses import dataclass

from scripts.report import formatting as fmt
from scripts.report.queries import YearData

SOURCE_TEXT = (
    "Direction générale des Douanes et Droits indirects (DGDDI), statistiques du commerce "
    "extérieur par département et par région"
)


@dataclass(frozen=True)
class Period:
    """What the year's figures cover (templates/sections/header.html)."""

    label: str
    is_complete: bool
    quarters: int
    france_from_national: bool


@dataclass(frozen=True)
class Dataset:
    """One loaded data set, as the source line names it."""

    name: str
    synthetic: bool
    files: str
    rows: str
    loaded: str
    years: str


@dataclass(frozen=True)
class Provenance:
    """The source line and the data set(s) the pages were built from."""

    source: str
    datasets: list[Dataset]
    synthetic: bool


def build_period(data: YearData) -> Period:
    """What the year's figures cover and where France's come from, for the pages.

    A partial year (the regional file holds the last five quarters) is
    said to be one on every page; France's source depends on whether the
    national file was loaded for the year.
    """
    row = data.period
    return Period(
        label=row["period_label"],
        is_complete=row["is_complete_year"],
        quarters=row["quarters_covered"],
        france_from_national=row["france_source"] == "national",
    )


def build_provenance(data: YearData) -> Provenance:
    """Source line and data set(s) the pages were built from."""
    datasets = [
        Dataset(
            name=row["dataset_name"],
            synthetic=row["is_synthetic"],
            files=fmt.integer(row["file_count"]),
            rows=fmt.integer(row["row_count"]),
            loaded=fmt.long_date(row["loaded_at"]) if row["loaded_at"] else "–",
            years=f"{row['first_year']}–{row['last_year']}",
        )
        for row in data.provenance
    ]
    return Provenance(source=SOURCE_TEXT, datasets=datasets, synthetic=data.is_synthetic)
