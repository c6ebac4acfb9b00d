"""Sections 6.2 and 6.3: exposure by partner group, and to the US market.

Why together: the US row of reports/queries/partner_group_exposure.sql gives
the total and share written above the US product chart
(reports/queries/us_exposure_products.sql).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scripts.report import charts
from scripts.report import formatting as fmt
from scripts.report.charts import Spec, escape, million
from scripts.report.queries import Row, TerritoryKey
from scripts.report.sections.common import Chart, Money, SiteView, territory_chart


@dataclass(frozen=True)
class PartnerGroupRow:
    """A partner group (EU, outside the EU, US, China, UK) in the table."""

    code: str
    label: str
    exports: Money
    export_share: str
    imports: Money
    import_share: str
    balance: Money
    positive: bool


@dataclass(frozen=True)
class PartnerGroups:
    """What templates/sections/exposure/partner_groups.html shows; ``us`` is the US row."""

    chart: Chart
    rows: list[PartnerGroupRow]
    us: Row | None


@dataclass(frozen=True)
class UsProductRow:
    """A product sold to the US."""

    rank: int
    code: str
    label: str
    us: Money
    product: Money
    us_share: str
    territory_share: str


@dataclass(frozen=True)
class UsProducts:
    """What templates/sections/exposure/us_products.html shows."""

    rows: list[UsProductRow]
    chart: Chart | None
    total: Money | None
    share: str | None


def build_groups(site: SiteView, key: TerritoryKey) -> PartnerGroups | None:
    """The share of trade with each partner group, or None when the territory has no trade."""
    rows = site.data.partner_groups.get(key, [])
    if not rows:
        return None
    table = [
        PartnerGroupRow(
            code=row["partner_group_code"],
            label=row["partner_group_label"],
            exports=Money.of(row["exports_eur"]),
            export_share=fmt.percent(row["export_share"]),
            imports=Money.of(row["imports_eur"]),
            import_share=fmt.percent(row["import_share"]),
            balance=Money.of(row["balance_eur"], signed=True),
            positive=row["balance_eur"] >= 0,
        )
        for row in rows
    ]
    chart = territory_chart(
        key,
        "partner-groups",
        "bar",
        f"Part des exportations et des importations {site.name_de(key)} avec l'Union "
        "européenne, le reste du monde, les États-Unis, la Chine et le Royaume-Uni.",
        partner_group_chart(rows),
    )
    us = next((row for row in rows if row["partner_group_code"] == "US"), None)
    return PartnerGroups(chart=chart, rows=table, us=us)


def build_us(site: SiteView, key: TerritoryKey, us_group: Row | None) -> UsProducts:
    """The products the territory sells most to the US, with the US total and share."""
    rows = site.data.us_products.get(key, [])
    chart = None
    if rows:
        chart = territory_chart(
            key,
            "us-products",
            "bar",
            f"Les produits que {site.name(key)} vend le plus aux États-Unis, en millions "
            "d'euros, avec la part des exportations du produit qui y part.",
            us_products_chart(rows),
        )
    return UsProducts(
        rows=[
            UsProductRow(
                rank=row["us_value_rank"],
                code=row["product_code"],
                label=row["product_label"],
                us=Money.of(row["us_exports_eur"]),
                product=Money.of(row["product_exports_eur"]),
                us_share=fmt.percent(row["us_share_of_product_exports"]),
                territory_share=fmt.percent(row["share_of_territory_exports"], 2),
            )
            for row in rows
        ],
        chart=chart,
        total=Money.of(us_group["exports_eur"]) if us_group else None,
        share=fmt.percent(us_group["export_share"]) if us_group else None,
    )


# --- charts ---------------------------------------------------------------------------------


def partner_group_chart(rows: Sequence[Row]) -> Spec:
    """Share of exports and of imports with each partner group, in percent."""
    labels = [row["partner_group_label"] for row in rows]
    positions = list(range(len(rows)))

    def trace(column: str, name: str, color: str) -> Spec:
        shares = [row[column] or 0.0 for row in rows]
        texts = [fmt.percent(row[column]) for row in rows]
        return {
            "type": "bar",
            "orientation": "h",
            "name": name,
            "y": positions,
            "x": [share * 100 for share in shares],
            "marker": {"color": color},
            "text": texts,
            "textposition": "outside",
            "cliponaxis": False,
            "textfont": {"size": 11, "color": charts.MUTED_COLOR},
            "customdata": [
                f"{escape(label)} : {text}" for label, text in zip(labels, texts, strict=True)
            ],
            "hovertemplate": f"{name} – %{{customdata}}<extra></extra>",
        }

    layout = charts.hbar_layout(
        labels, {"range": [0, 110], "ticksuffix": charts.PERCENT_SUFFIX}, left=170, legend=True
    )
    layout["barmode"] = "group"
    return {
        "data": [
            trace("export_share", "Part des exportations", charts.EXPORT_COLOR),
            trace("import_share", "Part des importations", charts.IMPORT_COLOR),
        ],
        "layout": layout,
    }


def us_products_chart(rows: Sequence[Row]) -> Spec:
    """The products sold most to the US (million euros), with the US share of each written."""
    labels = [row["product_label"] for row in rows]
    return charts.value_bars(
        labels,
        [million(row["us_exports_eur"]) for row in rows],
        [
            f"{fmt.million_eur(row['us_exports_eur'])} "
            f"({fmt.percent(row['us_share_of_product_exports'])})"
            for row in rows
        ],
        [
            f"<b>{escape(row['product_label'])}</b><br>Vers les États-Unis\u00a0: "
            f"{fmt.million_eur_with_unit(row['us_exports_eur'])}<br>"
            f"soit {fmt.percent(row['us_share_of_product_exports'])} des exportations du produit"
            for row in rows
        ],
        charts.EXPORT_COLOR,
        {"title": {"text": "exportations vers les États-Unis, millions d'euros"}},
    )
