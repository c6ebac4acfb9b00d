"""Section 6.6, specialisation: the products with the highest revealed comparative advantage.

Why a reference line: an RCA of 1 means the product weighs as much in the
territory's exports as in France's; the chart draws it dashed. The rows are
those of reports/queries/specialisation.sql.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scripts.report import charts
from scripts.report import formatting as fmt
from scripts.report.charts import Spec, escape
from scripts.report.queries import Row, TerritoryKey
from scripts.report.sections.common import Chart, Money, SiteView, territory_chart


@dataclass(frozen=True)
class SpecialisationRow:
    """A product of the territory's specialisation."""

    rank: int
    code: str
    label: str
    exports: Money
    share: str
    france_share: str
    rca: str
    rca_rank: str


@dataclass(frozen=True)
class Specialisation:
    """What templates/sections/exposure/specialisation.html shows."""

    chart: Chart
    rows: list[SpecialisationRow]


def build(site: SiteView, key: TerritoryKey) -> Specialisation | None:
    """The most specialised products of a territory, or None when it exports nothing."""
    rows = site.data.specialisation.get(key, [])
    if not rows:
        return None
    table = [
        SpecialisationRow(
            rank=row["specialisation_rank"],
            code=row["product_code"],
            label=row["product_label"],
            exports=Money.of(row["exports_eur"]),
            share=fmt.percent(row["share_of_exports"]),
            france_share=fmt.percent(row["france_share_of_exports"], 2),
            rca=fmt.decimal_number(row["rca"], 2),
            rca_rank=fmt.integer(row["rca_rank"]) if row["rca_rank"] is not None else "–",
        )
        for row in rows
    ]
    chart = territory_chart(
        key,
        "specialisation",
        "bar",
        f"Les produits dans lesquels {site.name(key)} est le plus spécialisé : avantage "
        "comparatif révélé (1 = même poids que dans les exportations françaises).",
        specialisation_chart(rows),
    )
    return Specialisation(chart=chart, rows=table)


def specialisation_chart(rows: Sequence[Row]) -> Spec:
    """The products with the highest revealed comparative advantage, RCA = 1 dashed."""
    return charts.value_bars(
        [row["product_label"] for row in rows],
        [row["rca"] for row in rows],
        [fmt.decimal_number(row["rca"], 2) for row in rows],
        [
            f"<b>{escape(row['product_label'])}</b><br>Avantage comparatif révélé\u00a0: "
            f"{fmt.decimal_number(row['rca'], 2)}<br>Part des exportations\u00a0: "
            f"{fmt.percent(row['share_of_exports'])} (France\u00a0: "
            f"{fmt.percent(row['france_share_of_exports'])})"
            for row in rows
        ],
        charts.EXPORT_COLOR,
        {
            "title": {"text": "avantage comparatif révélé (1 = comme la France)"},
            "rangemode": "tozero",
        },
        reference=1.0,
    )
