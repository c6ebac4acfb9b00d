"""Assemble the pages of one year from their sections: a territory page is a list of sections.

Why an assembler only: each section (scripts/report/sections/) turns the
year's mart rows into the typed block its template partial shows, with its
numbers formatted once by :mod:`scripts.report.formatting`; this module
decides which sections a page holds and in what order. Region and France
flow diagrams appear on many pages; they are built once per site and reused.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from scripts.report.queries import Row, TerritoryKey, YearData
from scripts.report.sections import (
    comparison,
    departments,
    exposure,
    key_figures,
    members,
    outline,
    partners,
    products,
    territoires,
    territory_list,
)
from scripts.report.sections.common import (
    FLOWS,
    FRANCE,
    LEVEL_LABELS,
    SiteView,
    page_filename,
    sort_name,
)
from scripts.report.sections.comparison import Comparison
from scripts.report.sections.departments import DepartmentTable
from scripts.report.sections.exposure import Exposure
from scripts.report.sections.flows import FlowBlock, FlowBlocks
from scripts.report.sections.header import Period, Provenance, build_period, build_provenance
from scripts.report.sections.key_figures import FigureNote, KeyFigures
from scripts.report.sections.members import MemberRow
from scripts.report.sections.outline import Outline
from scripts.report.sections.partners import PartnerBalance
from scripts.report.sections.products import ProductMix
from scripts.report.sections.territoires import TERRITOIRES_INDUSTRIE_LIST, TerritoireIndustrie
from scripts.report.sections.territory_list import IndexEntry, IndexGroup

# The title of the fiche the pages reproduce; a page's title follows it with its territory.
FICHE_TITLE = "Les indicateurs clés : commerce extérieur — Territoires d'industrie"

__all__ = ["IndexPage", "SiteContent", "TerritoryPage", "page_filename", "sort_name"]


class _Context:
    """A page as the keyword arguments of its template (its fields, not copied)."""

    def context(self) -> dict[str, Any]:
        return {field.name: getattr(self, field.name) for field in fields(self)}


@dataclass(frozen=True)
class SoleDepartment:
    """A region of one department (overseas, and Corsica): the same figures on two pages.

    Said once on both pages, which then leave out what would only repeat
    them (the region in the department's comparison and shares, the
    department table of the region's page).
    """

    department: str
    region: str
    other_url: str | None


@dataclass(frozen=True)
class TerritoryPage(_Context):
    """Everything templates/territory.html shows; the sections are None without data."""

    key: TerritoryKey
    title: str
    territory: Row
    territoires_industrie: tuple[TerritoireIndustrie, ...]
    territoires_industrie_list: str
    level_label: str
    region_url: str | None
    france_url: str | None
    year: int
    year_label: str
    period: Period
    provenance: Provenance
    has_data: bool
    outline: Outline
    sole_department: SoleDepartment | None
    figures: KeyFigures | None = None
    partners: PartnerBalance | None = None
    products: ProductMix | None = None
    flows: dict[str, FlowBlock | None] | None = None
    shares: dict[str, list[FigureNote]] | None = None
    comparison: Comparison | None = None
    members: list[MemberRow] | None = None
    exposure: Exposure | None = None


@dataclass(frozen=True)
class IndexPage(_Context):
    """Everything templates/index.html shows."""

    year: int
    year_label: str
    period: Period
    provenance: Provenance
    france: IndexEntry | None
    groups: list[IndexGroup]
    page_count: int
    departments: DepartmentTable


class SiteContent:
    """Builds the pages of one year of data; caches what several pages share."""

    def __init__(self, data: YearData, rendered: set[TerritoryKey]) -> None:
        self.data = data
        self.site = SiteView(data, frozenset(rendered))
        self.flows = FlowBlocks(self.site)

    def sole_department(self, key: TerritoryKey) -> SoleDepartment | None:
        """The region and its department when the region has only one (overseas, Corsica)."""
        territory = self.data.territories[key]
        if key[0] == "country" or territory["region_department_count"] != 1:
            return None
        region = ("region", territory["region_code"])
        department = next(
            other
            for other, row in self.data.territories.items()
            if other[0] == "department" and row["region_code"] == territory["region_code"]
        )
        return SoleDepartment(
            department=self.site.name(department),
            region=self.site.name(region),
            other_url=self.site.link(region if key[0] == "department" else department),
        )

    def _page_header(self, key: TerritoryKey, has_data: bool) -> dict[str, Any]:
        """The fields every territory page has, data or not."""
        territory = self.data.territories[key]
        level = key[0]
        name = territory["territory_name"]
        region_key = ("region", territory["region_code"]) if level == "department" else None
        return {
            "key": key,
            "title": f"{FICHE_TITLE} — {name}",
            "territory": territory,
            "territoires_industrie": territoires.build(self.site, key),
            "territoires_industrie_list": TERRITOIRES_INDUSTRIE_LIST,
            "level_label": LEVEL_LABELS[level],
            "region_url": self.site.link(region_key) if region_key else None,
            "france_url": self.site.link(FRANCE) if key != FRANCE else None,
            "year": self.data.year,
            "year_label": self.data.period["period_label"],
            "period": build_period(self.data),
            "provenance": build_provenance(self.data),
            "has_data": has_data,
            "sole_department": self.sole_department(key),
        }

    def territory_page(self, key: TerritoryKey) -> TerritoryPage:
        """The sections of one territory's page, in page order."""
        row = self.data.key_figures.get(key)
        header = self._page_header(key, row is not None)
        sole = header["sole_department"] is not None
        if row is None:
            return TerritoryPage(**header, outline=outline.build(key[0], False, None, False))
        figures = key_figures.build(key, row, self.data.year, with_region=not sole)
        others = comparison.compared_with(
            key, self.data.territories[key]["region_code"], with_region=not sole
        )
        member_rows = [] if sole else members.build(self.site, key)
        return TerritoryPage(
            **header,
            outline=outline.build(
                key[0], True, comparison.compared_words(others), bool(member_rows)
            ),
            figures=figures,
            partners=partners.build(self.site, key),
            products=products.build(self.site, key, row),
            flows={flow: self.flows.get(key, flow, compact=False) for flow in FLOWS},
            shares=figures.shares(),
            comparison=comparison.build(self.site, self.flows, key, others),
            members=member_rows,
            exposure=exposure.build(self.site, key),
        )

    def index_page(self) -> IndexPage:
        """The site index: France, then each region with its departments, then all departments."""
        return IndexPage(
            year=self.data.year,
            year_label=self.data.period["period_label"],
            period=build_period(self.data),
            provenance=build_provenance(self.data),
            france=territory_list.build_france(self.site),
            groups=territory_list.build_groups(self.site),
            page_count=len(self.site.rendered),
            departments=departments.build(self.site),
        )
