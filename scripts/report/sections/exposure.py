"""Section 6, exposure and dependency: evolution, partners, US, concentration, specialisation.

Why an assembler of its own: the section goes beyond the customs' fiche with
eight subsections, each built by its own module; this one only gathers them
into what templates/sections/exposure.html includes.
"""

from __future__ import annotations

from dataclasses import dataclass

from scripts.report.queries import TerritoryKey
from scripts.report.sections import (
    concentration,
    evolution,
    movers,
    partner_groups,
    rankings,
    specialisation,
)
from scripts.report.sections.common import SiteView
from scripts.report.sections.concentration import ConcentrationRow, DependencyRow
from scripts.report.sections.evolution import Evolution
from scripts.report.sections.movers import MoverHorizon
from scripts.report.sections.partner_groups import PartnerGroups, UsProducts
from scripts.report.sections.rankings import RankingRow
from scripts.report.sections.specialisation import Specialisation


@dataclass(frozen=True)
class Exposure:
    """The eight subsections; a None or empty one is left out of the page."""

    evolution: Evolution | None
    groups: PartnerGroups | None
    us: UsProducts
    concentration: list[ConcentrationRow]
    dependency: list[DependencyRow]
    dependency_left_out: int
    specialisation: Specialisation | None
    movers: list[MoverHorizon]
    rankings: list[RankingRow]


def _small_dependent_products(site: SiteView, key: TerritoryKey) -> int:
    """How many dependent products import_dependency.sql left out as worth 0,0 M€ once rounded.

    The query counts them on each row it returns; with no row, none is
    listed and the template's sentence says the threshold instead.
    """
    rows = site.data.import_dependency.get(key, [])
    return rows[0]["small_products_left_out"] if rows else 0


def build(site: SiteView, key: TerritoryKey) -> Exposure:
    """Section 6 of a territory page: evolution, exposure, concentration, dependency."""
    groups = partner_groups.build_groups(site, key)
    return Exposure(
        evolution=evolution.build(site, key),
        groups=groups,
        us=partner_groups.build_us(site, key, groups.us if groups else None),
        concentration=concentration.build_concentration(site, key),
        dependency=concentration.build_dependency(site, key),
        dependency_left_out=_small_dependent_products(site, key),
        specialisation=specialisation.build(site, key),
        movers=movers.build(site, key),
        rankings=rankings.build(site, key),
    )
