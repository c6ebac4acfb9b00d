"""The index page's department section: every department's main indicators, and a ranking.

Why on the index: the sortable table and the ranking chart compare the
departments with one another, which no territory page does; both read
reports/queries/department_indicators.sql. The table's indicator columns are
headed with the indicators seed's labels (seeds/reference/indicators.csv),
the one place they are written.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from scripts.paths import SEEDS_DIR
from scripts.report import charts
from scripts.report import formatting as fmt
from scripts.report.charts import Spec, escape
from scripts.report.queries import Row, YearData
from scripts.report.sections import rankings
from scripts.report.sections.common import Chart, Money, SiteView
from scripts.report.sections.rankings import Indicator

# How each kind of indicator is drawn: the value on the axis, the text beside
# the bar, and the unit named in the menu (ratios in percent, the HHI in points).
BAR_KINDS: dict[str, tuple[Callable[[Any], float], Callable[[Any], str], str]] = {
    "money": (charts.million, fmt.million_eur, "M€"),
    "signed_money": (charts.million, lambda v: fmt.million_eur(v, signed=True), "M€"),
    "change": (lambda v: float(v) * 100, lambda v: fmt.percent(v, 1, signed=True), "%"),
    "share": (lambda v: float(v) * 100, fmt.percent, "%"),
    "hhi": (lambda v: float(v) * 10_000, fmt.hhi_points, "points"),
    "count": (float, fmt.integer, "nombre"),
}
# A bar: (department label, value drawn, text written beside the bar).
Bar = tuple[str, float, str]

#: The seeded indicator behind each indicator column of the table (by the
#: column's sort key in templates/sections/departments.html): its header is
#: the seed's label. The coverage column is no seeded indicator.
TABLE_INDICATORS = {
    "exports": "exports_eur",
    "imports": "imports_eur",
    "balance": "balance_eur",
    "growth": "exports_change_ratio_1y",
    "hhi": "export_partner_hhi",
    "us_share": "us_export_share",
}


@dataclass(frozen=True)
class DepartmentRow:
    """A department in the index table; the *_sort values order the sortable columns."""

    code: str
    name: str
    region: str
    url: str | None
    exports: Money
    imports: Money
    balance: Money
    positive: bool
    coverage: str
    coverage_sort: float | None
    growth: str
    growth_sort: float | None
    hhi: str
    hhi_sort: float | None
    us_share: str
    us_sort: float | None
    rank: int | None


@dataclass(frozen=True)
class DepartmentTable:
    """What templates/sections/departments.html shows."""

    rows: list[DepartmentRow]
    chart: Chart | None
    #: Header of each indicator column, by its sort key (TABLE_INDICATORS).
    headers: dict[str, str]


def _row(site: SiteView, row: Row) -> DepartmentRow:
    growth, hhi, us = (
        row["exports_change_ratio_1y"],
        row["export_partner_hhi"],
        row["us_export_share"],
    )
    return DepartmentRow(
        code=row["territory_code"],
        name=row["territory_name"],
        region=row["region_name"],
        url=site.link(("department", row["territory_code"])),
        exports=Money.of(row["exports_eur"]),
        imports=Money.of(row["imports_eur"]),
        balance=Money.of(row["balance_eur"], signed=True),
        positive=row["balance_eur"] >= 0,
        coverage=fmt.percent(row["coverage_ratio"]),
        coverage_sort=row["coverage_ratio"],
        growth=fmt.percent(growth, 1, signed=True),
        growth_sort=growth,
        hhi=fmt.hhi_points(hhi) if hhi is not None else "–",
        hhi_sort=hhi,
        us_share=fmt.percent(us),
        us_sort=us,
        rank=row["rank_by_exports"],
    )


def _ranked(rows: Sequence[Row], indicator: Indicator) -> list[Bar]:
    """The departments with a value, highest first (ties by code), as bars."""
    value, (drawn, text, _) = indicator.code, BAR_KINDS[indicator.kind]
    chosen = [row for row in rows if row[value] is not None]
    chosen.sort(key=lambda row: (-float(row[value]), row["territory_code"]))
    return [
        (f"{row['territory_name']} ({row['territory_code']})", drawn(row[value]), text(row[value]))
        for row in chosen
    ]


def menu_title(indicator: Indicator) -> str:
    """The indicator's label with its unit: "Exportations (M€)", "… par pays (HHI, points)"."""
    unit = BAR_KINDS[indicator.kind][2]
    if indicator.label.endswith(")"):
        return f"{indicator.label[:-1]}, {unit})"
    return f"{indicator.label} ({unit})"


def _indicators(data: YearData) -> list[tuple[str, list[Bar]]]:
    """(menu title, bars) of each seeded indicator the department table has a column for.

    The labels, kinds and order are the indicators seed's (through the
    rankings query); which of them are drawn is decided by the columns of
    reports/queries/department_indicators.sql.
    """
    rows = data.departments
    columns = set(rows[0]) if rows else set()
    return [
        (menu_title(indicator), _ranked(rows, indicator))
        for indicator in rankings.catalogue(data)
        if indicator.code in columns
    ]


@cache
def seed_labels() -> dict[str, str]:
    """Each seeded indicator's French label, read from the seed file itself.

    The file, not the rankings rows of the year: an indicator a year cannot
    have (growth in the first year of data) still heads its column.
    """
    with (SEEDS_DIR / "indicators.csv").open(encoding="utf-8", newline="") as seed:
        return {row["indicator_code"]: row["indicator_label"] for row in csv.DictReader(seed)}


def headers() -> dict[str, str]:
    """The table's indicator column headers, by sort key; a code missing from the seed fails."""
    labels = seed_labels()
    missing = sorted(code for code in TABLE_INDICATORS.values() if code not in labels)
    if missing:
        raise ValueError(f"indicator(s) {missing} not in seeds/reference/indicators.csv")
    return {key: labels[code] for key, code in TABLE_INDICATORS.items()}


def build(site: SiteView) -> DepartmentTable:
    """Every department with its main indicators (index page), largest exporter first."""
    rows = [_row(site, row) for row in site.data.departments]
    chart = Chart(
        id="chart-department-ranking",
        kind="bar",
        description="Classement des départements sur l'indicateur choisi dans le menu "
        "(exportations par défaut), du plus élevé au plus faible.",
        spec=ranking_chart(_indicators(site.data)),
    )
    return DepartmentTable(rows=rows, chart=chart if rows else None, headers=headers())


# --- chart ----------------------------------------------------------------------------------


def _arrays(bars: Sequence[Bar]) -> tuple[list[str], list[float], list[str]]:
    return (
        [escape(label) for label, _, _ in bars],
        [value for _, value, _ in bars],
        [text for _, _, text in bars],
    )


def _x_range(values: Sequence[float]) -> list[float]:
    """The value axis with room for the written values beyond both ends of the bars.

    A value is written outside its bar: left of a negative bar, where it
    would cover the department names if the axis stopped at the bar's end.
    A quarter of the span is kept free on each side that has bars.
    """
    low, high = min([0.0, *values]), max([0.0, *values])
    room = (high - low or 1.0) * 0.25
    return [low - room if low < 0 else 0.0, high + room]


def _menu(indicators: Sequence[tuple[str, list[Bar]]]) -> Spec:
    """Plotly's own dropdown (updatemenus): it swaps the bars without any script of ours."""
    buttons = []
    for title, bars in indicators:
        if not bars:
            continue
        labels, values, texts = _arrays(bars)
        buttons.append(
            {
                "label": title,
                "method": "update",
                "args": [
                    {"x": [values], "y": [labels], "text": [texts]},
                    {"yaxis.categoryarray": labels, "xaxis.range": _x_range(values)},
                ],
            }
        )
    return {
        "type": "dropdown",
        "buttons": buttons,
        "x": 0,
        "xanchor": "left",
        "y": 1,
        "yanchor": "bottom",
        "pad": {"b": 30},
        "showactive": True,
        "active": 0,
    }


def ranking_chart(indicators: Sequence[tuple[str, list[Bar]]]) -> Spec:
    """Every department ranked on an indicator chosen in a menu above the chart.

    ``indicators`` holds each indicator's menu title and bars, highest value
    first; the first indicator is drawn when the page opens.
    """
    labels, values, texts = _arrays(indicators[0][1] if indicators else [])
    layout = charts.base_layout(
        110 + 17 * max(len(labels), 1), {"l": 210, "r": 80, "t": 70, "b": 30}
    )
    layout.update(
        {
            "bargap": 0.2,
            "xaxis": {**charts.AXIS, "side": "top", "range": _x_range(values)},
            "yaxis": {
                "type": "category",
                "categoryorder": "array",
                "categoryarray": labels,
                "autorange": "reversed",
                "fixedrange": True,
                "tickfont": {"size": 10},
            },
            "updatemenus": [_menu(indicators)],
        }
    )
    bars = {
        "type": "bar",
        "orientation": "h",
        "x": values,
        "y": labels,
        "text": texts,
        "textposition": "outside",
        "cliponaxis": False,
        "textfont": {"size": 10, "color": charts.MUTED_COLOR},
        "marker": {"color": charts.EXPORT_COLOR},
        "hovertemplate": "%{y}\u00a0: %{text}<extra></extra>",
    }
    return {"data": [bars], "layout": layout}
