"""Sections 6.4 and 6.5: how concentrated trade is, and which imports hang on one supplier.

Why together: both are tables without charts that measure how few partners
or products carry the territory's trade (reports/queries/concentration.sql
and import_dependency.sql).
"""

from __future__ import annotations

from dataclasses import dataclass

from scripts.report import formatting as fmt
from scripts.report.queries import TerritoryKey
from scripts.report.sections.common import Money, SiteView


@dataclass(frozen=True)
class ConcentrationRow:
    """One flow's concentration by partner and by product."""

    flow: str
    label: str
    partner_count: str
    partner_hhi: str
    partners_80: str
    top_partner: str
    product_count: str
    product_hhi: str
    products_80: str
    top_product: str


@dataclass(frozen=True)
class DependencyRow:
    """An imported product more than half of which comes from one country."""

    rank: int
    code: str
    label: str
    imports: Money
    supplier: str
    eu: bool
    share: str
    suppliers: str


def build_concentration(site: SiteView, key: TerritoryKey) -> list[ConcentrationRow]:
    """Per flow: partner and product counts, HHI, how many make 80 %, the first one's share."""
    return [
        ConcentrationRow(
            flow=row["flow"],
            label=row["flow_label"],
            partner_count=fmt.integer(row["partner_count"]),
            partner_hhi=fmt.hhi_points(row["partner_hhi"]),
            partners_80=fmt.integer(row["partners_for_80_pct"]),
            top_partner=fmt.percent(row["top_partner_share"]),
            product_count=fmt.integer(row["product_count"]),
            product_hhi=fmt.hhi_points(row["product_hhi"]),
            products_80=fmt.integer(row["products_for_80_pct"]),
            top_product=fmt.percent(row["top_product_share"]),
        )
        for row in site.data.concentration.get(key, [])
    ]


def build_dependency(site: SiteView, key: TerritoryKey) -> list[DependencyRow]:
    """The largest imported products that depend on one supplier for more than half."""
    return [
        DependencyRow(
            rank=row["dependency_rank"],
            code=row["product_code"],
            label=row["product_label"],
            imports=Money.of(row["imports_eur"]),
            supplier=row["first_supplier_name"],
            eu=row["first_supplier_is_eu27"],
            share=fmt.percent(row["first_supplier_share"]),
            suppliers=fmt.integer(row["supplier_count"]),
        )
        for row in site.data.import_dependency.get(key, [])
    ]
