"""Section 1, partner balance: the main partner countries, imports against exports.

Why together: the butterfly chart and the table below it show the same rows
of reports/queries/partner_balance.sql, so both are built here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scripts.report import charts
from scripts.report import formatting as fmt
from scripts.report.charts import Spec, escape, million
from scripts.report.queries import Row, TerritoryKey
from scripts.report.sections.common import Chart, Money, SiteView


@dataclass(frozen=True)
class PartnerRow:
    """One partner country in the table."""

    name: str
    eu: bool
    imports: Money
    exports: Money
    balance: Money
    positive: bool
    import_share: str
    export_share: str
    import_rank: int | None
    export_rank: int | None


@dataclass(frozen=True)
class PartnerBalance:
    """What templates/sections/partners.html shows."""

    chart: Chart
    rows: list[PartnerRow]


def build(site: SiteView, key: TerritoryKey) -> PartnerBalance | None:
    """The partner chart and table of a territory, or None when it traded with no one."""
    rows = site.data.partners.get(key, [])
    if not rows:
        return None
    level, code = key
    table = [
        PartnerRow(
            name=row["country_name"],
            eu=row["is_eu27"],
            imports=Money.of(row["imports_eur"]),
            exports=Money.of(row["exports_eur"]),
            balance=Money.of(row["balance_eur"], signed=True),
            positive=row["balance_eur"] >= 0,
            import_share=fmt.percent(row["import_share"]),
            export_share=fmt.percent(row["export_share"]),
            import_rank=row["import_rank"],
            export_rank=row["export_rank"],
        )
        for row in rows
    ]
    chart = Chart(
        id=f"chart-partners-{level}-{code}".lower(),
        kind="bar",
        description=(
            f"Importations (à gauche) et exportations (à droite) {site.name_de(key)} "
            "avec ses principaux pays partenaires, et solde par pays."
        ),
        spec=partner_balance_chart(rows),
    )
    return PartnerBalance(chart=chart, rows=table)


# --- chart ----------------------------------------------------------------------------------


def _partner_hover(row: Row) -> str:
    name = escape(row["country_name"])
    return (
        f"<b>{name}</b><br>Importations\u00a0: {fmt.million_eur_with_unit(row['imports_eur'])}"
        f"<br>Exportations\u00a0: {fmt.million_eur_with_unit(row['exports_eur'])}"
        f"<br>Solde\u00a0: {fmt.million_eur_with_unit(row['balance_eur'], signed=True)}"
    )


def _partner_bars(partners: Sequence[Row], font_size: int) -> list[Spec]:
    """The import bars (left panel) and export bars (right panel), one row per partner."""
    bar = {
        "type": "bar",
        "orientation": "h",
        "y": [row["country_code"] for row in partners],
        "customdata": [_partner_hover(row) for row in partners],
        "hovertemplate": "%{customdata}<extra></extra>",
        "textposition": "outside",
        "cliponaxis": False,
        "textfont": {"size": font_size, "color": charts.MUTED_COLOR},
    }
    return [
        {
            **bar,
            "name": "Importations",
            "x": [million(row["imports_eur"]) for row in partners],
            "xaxis": "x",
            "yaxis": "y",
            "marker": {"color": charts.IMPORT_COLOR},
            "text": [fmt.million_eur(row["imports_eur"]) for row in partners],
        },
        {
            **bar,
            "name": "Exportations",
            "x": [million(row["exports_eur"]) for row in partners],
            "xaxis": "x2",
            "yaxis": "y",
            "marker": {"color": charts.EXPORT_COLOR},
            "text": [fmt.million_eur(row["exports_eur"]) for row in partners],
        },
    ]


@dataclass(frozen=True)
class _Shape:
    """What differs between the wide butterfly and the phone one.

    Wide, the country names sit in a gap between the two panels; on a phone
    that gap is too narrow for them, so the panels touch and each name is
    written above its pair of bars, in rows made taller for it.
    """

    gap: float  # share of the width between the panels, for the names
    row_px: int
    bargap: float
    font_size: int
    name_shift: int  # px above the row's centre where the name's baseline sits
    reach: float  # the axes reach this times the largest bar, room for its value
    margin: dict[str, int]
    balance_title: str
    tick_labels: bool


WIDE = _Shape(0.20, 30, 0.28, 12, 0, 1.28, {"l": 8, "r": 96, "t": 34, "b": 28}, "Solde (M€)", True)
NARROW = _Shape(0.02, 44, 0.56, 11, 10, 1.5, {"l": 4, "r": 70, "t": 30, "b": 8}, "Solde", False)


def _row_annotations(row: Row, shape: _Shape) -> list[Spec]:
    """The country name (between the panels, or above the bars) and its balance, coloured."""
    balance = row["balance_eur"]
    color = charts.SURPLUS_COLOR if balance >= 0 else charts.DEFICIT_COLOR
    above = shape.name_shift > 0
    name_lines = [row["country_name"]] if above else charts.wrap(row["country_name"], 22)
    return [
        {
            "xref": "paper",
            "yref": "y",
            "x": 0.5,
            "y": row["country_code"],
            "yshift": shape.name_shift,
            "yanchor": "bottom" if above else "middle",
            "text": "<br>".join(escape(line) for line in name_lines),
            "showarrow": False,
            "xanchor": "center",
            "font": {"size": shape.font_size},
        },
        {
            "xref": "paper",
            "yref": "y",
            "x": 1,
            "xshift": 6 if above else 10,
            "y": row["country_code"],
            "text": f"<b>{fmt.million_eur(balance, signed=True)}</b>",
            "showarrow": False,
            "xanchor": "left",
            "align": "left",
            "font": {"size": shape.font_size, "color": color},
        },
    ]


def _column_titles(shape: _Shape) -> list[Spec]:
    left, right = 0.5 - shape.gap / 2, 0.5 + shape.gap / 2
    return [
        {
            "xref": "paper",
            "yref": "paper",
            "x": x,
            "y": 1,
            "yanchor": "bottom",
            "yshift": 8,
            "xshift": 6 if x == 1 else 0,
            "xanchor": anchor,
            "text": f"<b>{text}</b>",
            "showarrow": False,
            "font": {"size": shape.font_size, "color": charts.MUTED_COLOR},
        }
        for x, anchor, text in (
            (left, "right", "◀ Importations (M€)"),
            (right, "left", "Exportations (M€) ▶"),
            (1, "left", shape.balance_title),
        )
    ]


def partner_balance_chart(partners: Sequence[Row]) -> Spec:
    """A butterfly chart: imports to the left, exports to the right, balance in a column.

    Each main partner is one row, largest total trade at the top; the country
    name sits between the two panels and the balance is written at the right,
    green for a surplus and red for a deficit, as the fiche's reading key says.
    The spec carries a "narrow" variant for phones (see :class:`_Shape`).
    """
    wide = _butterfly(partners, WIDE)
    narrow = _butterfly(partners, NARROW)
    textfont = narrow["data"][0]["textfont"]
    return {**wide, "narrow": {"layout": narrow["layout"], "data": [{"textfont": textfont}] * 2}}


def _butterfly(partners: Sequence[Row], shape: _Shape) -> Spec:
    imports = [million(row["imports_eur"]) for row in partners]
    exports = [million(row["exports_eur"]) for row in partners]
    reach = max([*imports, *exports, 0.001]) * shape.reach
    annotations = [note for row in partners for note in _row_annotations(row, shape)]
    axis = {**charts.AXIS, "showticklabels": shape.tick_labels}
    margin = shape.margin
    layout = charts.base_layout(margin["t"] + margin["b"] + shape.row_px * len(partners), margin)
    left, right = 0.5 - shape.gap / 2, 0.5 + shape.gap / 2
    layout.update(
        {
            "xaxis": {**axis, "domain": [0, left], "range": [reach, 0]},
            "xaxis2": {**axis, "domain": [right, 1], "range": [0, reach], "anchor": "y"},
            "yaxis": {
                "autorange": "reversed",
                "showticklabels": False,
                "fixedrange": True,
                "type": "category",
            },
            "bargap": shape.bargap,
            "annotations": [*annotations, *_column_titles(shape)],
        }
    )
    return {"data": _partner_bars(partners, shape.font_size - 1), "layout": layout}
