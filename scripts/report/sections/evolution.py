"""Section 6.1, evolution: exports and imports of every year up to the page's, with growth.

Why the latest row matters: the growth figures above the chart (one and
five years) are the page year's; the table gives every year of
reports/queries/trade_evolution.sql.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scripts.report import charts
from scripts.report import formatting as fmt
from scripts.report.charts import Spec, million
from scripts.report.queries import Row, TerritoryKey
from scripts.report.sections.common import Chart, Money, SiteView, territory_chart


@dataclass(frozen=True)
class EvolutionRow:
    """One year of the evolution table."""

    year: int
    exports: Money
    imports: Money
    balance: Money
    positive: bool
    exports_1y: str
    imports_1y: str
    exports_5y: str
    imports_5y: str


@dataclass(frozen=True)
class Growth:
    """A growth figure above the chart: "+12,3 % exportations sur un an (depuis 2023)"."""

    id: str
    value: str
    text: str


@dataclass(frozen=True)
class Evolution:
    """What templates/sections/exposure/evolution.html shows."""

    chart: Chart
    rows: list[EvolutionRow]
    growth: list[Growth]
    first_year: int


def _signed(ratio: float | None) -> str:
    return fmt.percent(ratio, 1, signed=True)


def _growth(latest: Row) -> list[Growth]:
    """The page year's growth on one and five years, for exports then imports."""
    growth = []
    for plural, word in (("exports", "exportations"), ("imports", "importations")):
        if latest[f"{plural}_change_ratio_1y"] is not None:
            growth.append(
                Growth(
                    id=f"{plural}_change_1y",
                    value=_signed(latest[f"{plural}_change_ratio_1y"]),
                    text=f"{word} sur un an (depuis {latest['year'] - 1})",
                )
            )
        if latest[f"{plural}_change_ratio_5y"] is not None:
            annual = _signed(latest[f"{plural}_annual_change_ratio_5y"])
            growth.append(
                Growth(
                    id=f"{plural}_change_5y",
                    value=_signed(latest[f"{plural}_change_ratio_5y"]),
                    text=f"{word} sur cinq ans (depuis {latest['base_year_5y']}, "
                    f"soit {annual} par an)",
                )
            )
    return growth


def build(site: SiteView, key: TerritoryKey) -> Evolution | None:
    """Exports and imports of every year up to the page's, with 1- and 5-year growth."""
    rows = site.data.evolution.get(key, [])
    if not rows:
        return None
    table = [
        EvolutionRow(
            year=row["year"],
            exports=Money.of(row["exports_eur"]),
            imports=Money.of(row["imports_eur"]),
            balance=Money.of(row["balance_eur"], signed=True),
            positive=row["balance_eur"] >= 0,
            exports_1y=_signed(row["exports_change_ratio_1y"]),
            imports_1y=_signed(row["imports_change_ratio_1y"]),
            exports_5y=_signed(row["exports_change_ratio_5y"]),
            imports_5y=_signed(row["imports_change_ratio_5y"]),
        )
        for row in rows
    ]
    latest = rows[-1]
    chart = territory_chart(
        key,
        "evolution",
        "line",
        "Évolution des exportations (en violet) et des importations (en bleu) "
        f"{site.name_de(key)}, {rows[0]['year']}–{latest['year']}, en millions d'euros.",
        evolution_chart(rows),
    )
    return Evolution(chart=chart, rows=table, growth=_growth(latest), first_year=rows[0]["year"])


def evolution_chart(rows: Sequence[Row]) -> Spec:
    """Exports and imports of every year of the data, in million euros, as two lines."""
    years = [row["year"] for row in rows]

    def trace(column: str, name: str, color: str) -> Spec:
        return {
            "type": "scatter",
            "mode": "lines+markers",
            "name": name,
            "x": years,
            "y": [million(row[column]) for row in rows],
            "line": {"color": color, "width": 3},
            "marker": {"color": color, "size": 8},
            "customdata": [fmt.million_eur_with_unit(row[column]) for row in rows],
            "hovertemplate": f"{name} %{{x}}\u00a0: %{{customdata}}<extra></extra>",
        }

    layout = charts.base_layout(340, {"l": 70, "r": 20, "t": 20, "b": 40})
    layout.update(
        {
            "showlegend": True,
            "legend": {"orientation": "h", "x": 0, "y": 1.1},
            "xaxis": {
                **charts.AXIS,
                "tickmode": "array",
                "tickvals": years,
                "ticktext": [str(year) for year in years],  # no thousands space in a year
                "zeroline": False,
            },
            "yaxis": {
                **charts.AXIS,
                "title": {"text": "millions d'euros"},
                "rangemode": "tozero",
                "tickformat": ",.0f",
            },
        }
    )
    return {
        "data": [
            trace("exports_eur", "Exportations", charts.EXPORT_COLOR),
            trace("imports_eur", "Importations", charts.IMPORT_COLOR),
        ],
        "layout": layout,
    }
