"""The members of a region (its departments) or of France (its regions), with their weight.

Why the query's order: the rows come from reports/queries/members.sql,
largest exporter first, the query the Evidence pages show too. France's table
ends with the trade no department accounts for, a row of its own (no page,
no code), so that the table adds up to France's total.
"""

from __future__ import annotations

from dataclasses import dataclass

from scripts.report import formatting as fmt
from scripts.report.queries import TerritoryKey
from scripts.report.sections.common import Money, SiteView


@dataclass(frozen=True)
class MemberRow:
    """A department of the region, or a region of France."""

    code: str
    name: str
    url: str | None
    exports: Money
    imports: Money
    balance: Money
    positive: bool
    export_share: str
    import_share: str


def build(site: SiteView, key: TerritoryKey) -> list[MemberRow]:
    """The members of a region or of France; a department has none."""
    decimals = {"region": 1, "country": 2}.get(key[0])  # the fiche's precision
    if decimals is None:
        return []
    rows = []
    for figures in site.data.members.get(key, []):
        member = (figures["territory_level"], figures["territory_code"])
        rows.append(
            MemberRow(
                code=member[1],
                name=figures["territory_name"],
                url=site.link(member),
                exports=Money.of(figures["exports_eur"]),
                imports=Money.of(figures["imports_eur"]),
                balance=Money.of(figures["balance_eur"], signed=True),
                positive=figures["balance_eur"] >= 0,
                export_share=fmt.percent(figures["export_share_of_parent"], decimals),
                import_share=fmt.percent(figures["import_share_of_parent"], decimals),
            )
        )
    return rows
