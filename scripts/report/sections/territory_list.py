"""The index page's list of territories: France, then each region with its departments.

Why regions sorted by name, overseas last: that is how readers look for a
region; accents are ignored ("Île-de-France" among the I).
"""

from __future__ import annotations

from dataclasses import dataclass

from scripts.report.queries import TerritoryKey
from scripts.report.sections.common import FRANCE, Money, SiteView, sort_name


@dataclass(frozen=True)
class IndexEntry:
    """A territory in the index with its totals (None when it has no data this year)."""

    code: str
    name: str
    url: str | None
    exports: Money | None
    imports: Money | None
    balance: Money | None
    positive: bool


@dataclass(frozen=True)
class IndexGroup:
    """A region of the index and its departments on this site."""

    region: IndexEntry
    departments: list[IndexEntry]


def entry(site: SiteView, key: TerritoryKey) -> IndexEntry:
    figures = site.data.key_figures.get(key)
    return IndexEntry(
        code=key[1],
        name=site.name(key),
        url=site.link(key),
        exports=Money.of(figures["exports_eur"]) if figures else None,
        imports=Money.of(figures["imports_eur"]) if figures else None,
        balance=Money.of(figures["balance_eur"], signed=True) if figures else None,
        positive=figures is not None and figures["balance_eur"] >= 0,
    )


def _regions(site: SiteView) -> list[TerritoryKey]:
    """The regions with a page or a department page on this site, metropolitan first."""
    territories = site.data.territories
    shown = {key[1] for key in site.rendered if key[0] == "region"}
    shown |= {territories[key]["region_code"] for key in site.rendered if key[0] == "department"}
    return sorted(
        (("region", code) for code in shown if ("region", code) in territories),
        key=lambda key: (key[1] < "10", sort_name(site.name(key))),
    )


def build_groups(site: SiteView) -> list[IndexGroup]:
    """Each region shown, with the departments of this site in code order."""
    territories = site.data.territories
    groups = []
    for region in _regions(site):
        departments = sorted(
            (
                key
                for key in territories
                if key[0] == "department"
                and key in site.rendered
                and territories[key]["region_code"] == region[1]
            ),
            key=lambda key: key[1],
        )
        groups.append(
            IndexGroup(
                region=entry(site, region), departments=[entry(site, k) for k in departments]
            )
        )
    return groups


def build_france(site: SiteView) -> IndexEntry | None:
    """France's entry, when its page is part of this site."""
    return entry(site, FRANCE) if FRANCE in site.rendered else None
