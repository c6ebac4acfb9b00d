"""Section 6.8, rankings: a department's rank among all departments and in its region.

Why no list of indicators here: their codes, French labels, kinds and order
are written once, in seeds/reference/indicators.csv; marts.department_rankings
carries them and reports/queries/department_rankings.sql returns them with
every row, in their order. This module only writes each value the way its
kind reads (money, change, share, HHI points, count).
"""

from __future__ import annotations

from dataclasses import dataclass

from scripts.report import formatting as fmt
from scripts.report.queries import TerritoryKey, YearData
from scripts.report.sections.common import SiteView


@dataclass(frozen=True)
class Indicator:
    """A ranked indicator as the indicators seed defines it (carried by the rankings mart)."""

    code: str
    label: str
    kind: str
    order: int


@dataclass(frozen=True)
class RankingRow:
    """One indicator of the rankings table."""

    code: str
    label: str
    value: str
    rank: str
    region_rank: str


def indicator_text(kind: str, value: float) -> str:
    """An indicator value as the rankings table writes it."""
    if kind in ("money", "signed_money"):
        return fmt.million_eur_with_unit(value, signed=kind == "signed_money")
    if kind == "change":
        return fmt.percent(value, 1, signed=True)
    if kind == "share":
        return fmt.percent(value)
    if kind == "hhi":
        return fmt.hhi_points(value)
    if kind == "count":
        return fmt.integer(int(value))
    raise ValueError(f"unknown indicator kind {kind!r} (see seeds/reference/indicators.csv)")


def catalogue(data: YearData) -> list[Indicator]:
    """The indicators ranked this year, in the seed's order, read from the rankings rows."""
    found = {
        row["indicator_code"]: Indicator(
            code=row["indicator_code"],
            label=row["indicator_label"],
            kind=row["indicator_kind"],
            order=row["indicator_order"],
        )
        for rows in data.rankings.values()
        for row in rows
    }
    return sorted(found.values(), key=lambda indicator: indicator.order)


def build(site: SiteView, key: TerritoryKey) -> list[RankingRow]:
    """A department's rank among all departments and in its region, per indicator."""
    out = []
    for row in site.data.rankings.get(key, []):
        out.append(
            RankingRow(
                code=row["indicator_code"],
                label=row["indicator_label"],
                value=indicator_text(row["indicator_kind"], row["indicator_value"]),
                rank=fmt.rank_of(row["rank_among_departments"], row["ranked_departments"]),
                region_rank=fmt.rank_of(row["rank_in_region"], row["ranked_in_region"]),
            )
        )
    return out
