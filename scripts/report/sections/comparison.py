"""Section 5, comparison: the territory's totals beside its region's and France's.

Why it reuses the flow blocks: the region and France diagrams shown here are
the compact versions of the diagrams on their own pages, built once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scripts.report import formatting as fmt
from scripts.report.queries import TerritoryKey
from scripts.report.sections.common import FLOWS, FRANCE, LEVEL_LABELS, Money, SiteView
from scripts.report.sections.flows import FlowBlock, FlowBlocks


@dataclass(frozen=True)
class ComparisonRow:
    """One territory's totals in the comparison table."""

    key: TerritoryKey
    name: str
    level: str
    url: str | None
    exports: Money
    imports: Money
    balance: Money
    positive: bool
    coverage: str


@dataclass(frozen=True)
class ComparisonFlows:
    """The compact diagrams of one flow for the region and France."""

    flow: str
    blocks: list[FlowBlock | None]


@dataclass(frozen=True)
class Comparison:
    """What templates/sections/comparison.html shows."""

    rows: list[ComparisonRow]
    flows: list[ComparisonFlows]


def compared_with(
    key: TerritoryKey, region_code: str, with_region: bool = True
) -> list[TerritoryKey]:
    """What a territory is compared with: a department with its region and France, a region
    with France, France with nothing.

    ``with_region`` False leaves the region out: the one department of a
    region (overseas, Corsica) has the region's very figures, and its diagrams would
    only repeat the department's.
    """
    level = key[0]
    if level == "department" and with_region:
        return [("region", region_code), FRANCE]
    if level in ("department", "region"):
        return [FRANCE]
    return []


def compared_words(others: Sequence[TerritoryKey]) -> str | None:
    """What the section's title says the territory is compared with, None for nothing."""
    if not others:
        return None
    return "la région et la France" if len(others) == 2 else "la France"


def _rows(site: SiteView, keys: Sequence[TerritoryKey]) -> list[ComparisonRow]:
    """Totals of the territory, its region and France side by side."""
    rows = []
    for key in keys:
        row = site.data.key_figures.get(key)
        if row is None:
            continue
        rows.append(
            ComparisonRow(
                key=key,
                name=site.name(key),
                level=LEVEL_LABELS[key[0]],
                url=site.link(key),
                exports=Money.of(row["exports_eur"]),
                imports=Money.of(row["imports_eur"]),
                balance=Money.of(row["balance_eur"], signed=True),
                positive=row["balance_eur"] >= 0,
                coverage=fmt.percent(row["coverage_ratio"]),
            )
        )
    return rows


def build(
    site: SiteView, flows: FlowBlocks, key: TerritoryKey, others: Sequence[TerritoryKey]
) -> Comparison | None:
    """The comparison of ``key`` with ``others``, or None when there is nothing to compare."""
    if not others:
        return None
    return Comparison(
        rows=_rows(site, [key, *others]),
        flows=[
            ComparisonFlows(
                flow=flow, blocks=[flows.get(other, flow, compact=True) for other in others]
            )
            for flow in FLOWS
        ],
    )
