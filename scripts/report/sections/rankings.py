"""Section 6.8, rankings: a department's rank among all departments and in its region.

Why the indicator's kind: each indicator's value is written the way its
kind reads (money, change, share, HHI points, count).
"""

from __future__ import annotations

from dataclasses import dataclass

from scripts.report import formatting as fmt
from scripts.report.queries import TerritoryKey
from scripts.report.sections.common import SiteView

# The department rankings (marts.department_rankings): French label and how a value reads.
INDICATORS = {
    "exports_eur": ("Exportations", "money"),
    "imports_eur": ("Importations", "money"),
    "balance_eur": ("Solde commercial", "signed_money"),
    "exports_change_ratio_1y": ("Évolution des exportations sur un an", "change"),
    "exports_change_ratio_5y": ("Évolution des exportations sur cinq ans", "change"),
    "export_partner_hhi": ("Concentration des exportations par pays (HHI)", "hhi"),
    "export_product_hhi": ("Concentration des exportations par produit (HHI)", "hhi"),
    "import_partner_hhi": ("Concentration des importations par pays (HHI)", "hhi"),
    "import_product_hhi": ("Concentration des importations par produit (HHI)", "hhi"),
    "eu27_export_share": ("Part des exportations vers l'Union européenne", "share"),
    "us_export_share": ("Part des exportations vers les États-Unis", "share"),
    "dependent_import_share": (
        "Part des importations dépendant d'un fournisseur à plus de 50 %",
        "share",
    ),
    "specialised_product_count": ("Produits de spécialisation (avantage comparatif > 1)", "count"),
}


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
    return fmt.integer(int(value))


def build(site: SiteView, key: TerritoryKey) -> list[RankingRow]:
    """A department's rank among all departments and in its region, per indicator."""
    out = []
    for row in site.data.rankings.get(key, []):
        label, kind = INDICATORS.get(row["indicator_code"], (row["indicator_label"], "share"))
        out.append(
            RankingRow(
                code=row["indicator_code"],
                label=label,
                value=indicator_text(kind, row["indicator_value"]),
                rank=fmt.rank_of(row["rank_among_departments"], row["ranked_departments"]),
                region_rank=fmt.rank_of(row["rank_in_region"], row["ranked_in_region"]),
            )
        )
    return out
