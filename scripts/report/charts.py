"""Plotly figure specifications (plain dicts) for the report charts.

Why plain dicts rather than ``plotly.graph_objects``: a page holds up to
eleven charts and the site ~120 pages; building validated figure objects
would dominate the render time, while plotly.js only needs the JSON. The
tests validate these dicts against plotly's schema instead.

Every label that comes from the warehouse is HTML-escaped before it goes into
a chart: plotly.js interprets a small HTML subset in text (``<b>``, ``<br>``)
and decodes entities, so an escaped label is drawn literally and a label
such as ``<script>`` can neither inject markup nor break the layout. All
numbers shown as text are formatted by :mod:`scripts.report.formatting`.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from scripts.report import formatting as fmt
from scripts.report.queries import Row

Spec = dict[str, Any]

EXPORT_COLOR = "#6c3f99"  # violet, like the fiche's exported goods
EXPORT_TINT = "#d9c8ea"
IMPORT_COLOR = "#1f62a8"  # blue, like the fiche's imported goods
IMPORT_TINT = "#c6d9ef"
SURPLUS_COLOR = "#1b7a3a"
DEFICIT_COLOR = "#c0262d"
TOP_LINK_COLOR = "rgba(200, 32, 42, 0.72)"
LINK_COLOR = "rgba(110, 116, 134, 0.26)"
COUNTRY_NODE_COLOR = "#4f5666"
OTHER_NODE_COLOR = "#a9adb6"
TEXT_COLOR = "#1d2330"
MUTED_COLOR = "#5b6170"
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
# Plotly's own tick labels: decimal comma and narrow no-break space, as babel writes fr_FR.
SEPARATORS = ",\u202f"
FLOW_WORDS = {"export": "exportations", "import": "importations"}
OTHER_PRODUCTS = "Autres produits"
OTHER_COUNTRIES = "Autres pays"
OTHER_CODE = "AUTRES"


def escape(label: str) -> str:
    """A warehouse label made safe for plotly's HTML-like text rendering."""
    return html.escape(label, quote=False)


def wrap(label: str, width: int, max_lines: int = 2) -> list[str]:
    """Break a long product label into at most ``max_lines`` lines (the last shortened)."""
    lines = textwrap.wrap(label, width=width) or [""]
    if len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1 :])
        lines = [*lines[: max_lines - 1], textwrap.shorten(rest, width=width, placeholder=" …")]
    return lines


def million(value_eur: Decimal | float) -> float:
    """Euros -> million euros as a float, the unit every chart axis uses."""
    return float(value_eur) / 1_000_000


def base_layout(height: int, margin: dict[str, int]) -> Spec:
    """Layout settings shared by every chart: French separators, fonts, no title."""
    return {
        "height": height,
        "autosize": True,
        "margin": margin,
        "separators": SEPARATORS,
        "font": {"family": FONT_FAMILY, "size": 12, "color": TEXT_COLOR},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "showlegend": False,
        "hoverlabel": {"font": {"family": FONT_FAMILY, "size": 12}, "align": "left"},
    }


# --- 1. Territorial trade balance -------------------------------------------------------


def partner_balance_chart(partners: Sequence[Row]) -> Spec:
    """A butterfly chart: imports to the left, exports to the right, balance in a column.

    Each main partner is one row, largest total trade at the top; the country
    name sits between the two panels and the balance is written at the right,
    green for a surplus and red for a deficit, as the fiche's reading key says.
    """
    codes = [row["country_code"] for row in partners]
    imports = [million(row["imports_eur"]) for row in partners]
    exports = [million(row["exports_eur"]) for row in partners]
    reach = max([*imports, *exports, 0.001]) * 1.28
    row_height = 30
    height = 70 + row_height * len(partners)

    def hover(row: Row) -> str:
        name = escape(row["country_name"])
        return (
            f"<b>{name}</b><br>Importations\u00a0: {fmt.million_eur_with_unit(row['imports_eur'])}"
            f"<br>Exportations\u00a0: {fmt.million_eur_with_unit(row['exports_eur'])}"
            f"<br>Solde\u00a0: {fmt.million_eur_with_unit(row['balance_eur'], signed=True)}"
        )

    hovers = [hover(row) for row in partners]
    bar = {
        "type": "bar",
        "orientation": "h",
        "y": codes,
        "customdata": hovers,
        "hovertemplate": "%{customdata}<extra></extra>",
        "textposition": "outside",
        "cliponaxis": False,
        "textfont": {"size": 11, "color": MUTED_COLOR},
    }
    data = [
        {
            **bar,
            "name": "Importations",
            "x": imports,
            "xaxis": "x",
            "yaxis": "y",
            "marker": {"color": IMPORT_COLOR},
            "text": [fmt.million_eur(row["imports_eur"]) for row in partners],
        },
        {
            **bar,
            "name": "Exportations",
            "x": exports,
            "xaxis": "x2",
            "yaxis": "y",
            "marker": {"color": EXPORT_COLOR},
            "text": [fmt.million_eur(row["exports_eur"]) for row in partners],
        },
    ]
    annotations: list[Spec] = []
    for row in partners:
        annotations.append(
            {
                "xref": "paper",
                "yref": "y",
                "x": 0.5,
                "y": row["country_code"],
                "text": "<br>".join(escape(line) for line in wrap(row["country_name"], 22)),
                "showarrow": False,
                "xanchor": "center",
                "font": {"size": 12},
            }
        )
        balance = row["balance_eur"]
        annotations.append(
            {
                "xref": "paper",
                "yref": "y",
                "x": 1,
                "xshift": 10,
                "y": row["country_code"],
                "text": f"<b>{fmt.million_eur(balance, signed=True)}</b>",
                "showarrow": False,
                "xanchor": "left",
                "align": "left",
                "font": {"size": 12, "color": SURPLUS_COLOR if balance >= 0 else DEFICIT_COLOR},
            }
        )
    for x, anchor, text in (
        (0.40, "right", "◀ Importations (M€)"),
        (0.60, "left", "Exportations (M€) ▶"),
        (1, "left", "Solde (M€)"),
    ):
        annotations.append(
            {
                "xref": "paper",
                "yref": "paper",
                "x": x,
                "y": 1,
                "yanchor": "bottom",
                "yshift": 8,
                "xshift": 10 if x == 1 else 0,
                "xanchor": anchor,
                "text": f"<b>{text}</b>",
                "showarrow": False,
                "font": {"size": 12, "color": MUTED_COLOR},
            }
        )
    axis = {
        "showgrid": True,
        "gridcolor": "#e3e5ea",
        "zeroline": True,
        "zerolinecolor": "#9aa0ab",
        "tickfont": {"size": 11, "color": MUTED_COLOR},
        "separatethousands": True,
        "fixedrange": True,
    }
    layout = base_layout(height, {"l": 8, "r": 96, "t": 34, "b": 28})
    layout.update(
        {
            "xaxis": {**axis, "domain": [0, 0.40], "range": [reach, 0]},
            "xaxis2": {**axis, "domain": [0.60, 1], "range": [0, reach], "anchor": "y"},
            "yaxis": {
                "autorange": "reversed",
                "showticklabels": False,
                "fixedrange": True,
                "type": "category",
            },
            "bargap": 0.28,
            "annotations": annotations,
        }
    )
    return {"data": data, "layout": layout}


# --- 2. Main activities -----------------------------------------------------------------


def product_treemap(products: Sequence[Row], totals: dict[str, Decimal], year: int) -> Spec:
    """One treemap of both flows: imports (blue) and exports (violet) side by side.

    Each flow is a frame whose area is its total, so the relative size of the
    blue and violet areas shows the overall balance; inside, the A38 product
    families are frames and the A129 products are the tiles. Tile areas are the
    A129 values: ``branchvalues`` "remainder" with zero-valued frames makes a
    frame's area exactly the sum of its products, so float rounding can never
    make plotly drop a frame.
    """
    root_id = "total"
    total_text = fmt.million_eur_with_unit(sum(totals.values(), Decimal(0)))
    root_label = f"Échanges {year} (importations + exportations)\u00a0: {total_text}"
    ids, labels, parents, values = [root_id], [escape(root_label)], [""], [0.0]
    texts, hovers, colors, text_colors = (
        [escape(root_label)],
        [escape(root_label)],
        ["#ffffff"],
        [TEXT_COLOR],
    )

    def add(
        node_id: str,
        label: str,
        parent: str,
        value: float,
        text: str,
        hover: str,
        color: str,
        text_color: str,
    ) -> None:
        ids.append(node_id)
        labels.append(label)
        parents.append(parent)
        values.append(value)
        texts.append(text)
        hovers.append(hover)
        colors.append(color)
        text_colors.append(text_color)

    for flow in ("import", "export"):
        rows = [row for row in products if row["flow"] == flow]
        if not rows:
            continue
        color, tint = (
            (EXPORT_COLOR, EXPORT_TINT) if flow == "export" else (IMPORT_COLOR, IMPORT_TINT)
        )
        words = FLOW_WORDS[flow]
        flow_id = flow
        flow_text = f"{words.capitalize()}\u00a0: {fmt.million_eur_with_unit(totals[flow])}"
        add(
            flow_id,
            escape(flow_text),
            root_id,
            0.0,
            f"<b>{escape(flow_text)}</b>",
            escape(flow_text),
            "#ffffff",
            color,
        )
        groups = {row["product_code"] for row in rows if row["product_level"] == "a38"}
        for row in rows:
            label = escape(row["product_label"])
            code = escape(row["product_code"])
            amount = fmt.million_eur_with_unit(row["value_eur"])
            share = fmt.percent(row["share_of_flow"])
            hover = (
                f"<b>{label}</b> ({row['product_level'].upper()} {code})<br>"
                f"{amount}, {share} des {words}"
            )
            if row["product_level"] == "a38":
                add(
                    f"{flow}/a38/{row['product_code']}",
                    label,
                    flow_id,
                    0.0,
                    f"{label} ({share})",
                    hover,
                    tint,
                    TEXT_COLOR,
                )
            elif row["value_eur"] > 0:
                parent = row["parent_product_code"]
                lines = [escape(line) for line in wrap(row["product_label"], 15, 4)]
                add(
                    f"{flow}/a129/{row['product_code']}",
                    label,
                    f"{flow}/a38/{parent}" if parent in groups else flow_id,
                    million(row["value_eur"]),
                    "<br>".join([*lines, amount, share]),
                    hover,
                    color,
                    "#ffffff",
                )
    trace = {
        "type": "treemap",
        "ids": ids,
        "labels": labels,
        "parents": parents,
        "values": values,
        "branchvalues": "remainder",
        "text": texts,
        "texttemplate": "%{text}",
        "customdata": hovers,
        "hovertemplate": "%{customdata}<extra></extra>",
        "marker": {"colors": colors, "line": {"color": "#ffffff", "width": 1.5}},
        "tiling": {"pad": 3},
        "pathbar": {"visible": False},
        "insidetextfont": {"color": text_colors, "size": 12},
        "outsidetextfont": {"color": TEXT_COLOR, "size": 12},
        "sort": True,
    }
    layout = base_layout(620, {"l": 2, "r": 2, "t": 2, "b": 2})
    layout["uniformtext"] = {"minsize": 10, "mode": "hide"}
    return {"data": [trace], "layout": layout}


# --- 3 to 5. Flow diagrams --------------------------------------------------------------


@dataclass(frozen=True)
class FlowNode:
    """One side's bar of a flow diagram: a product or a country, or the "Autres" bucket."""

    code: str
    label: str
    rank: int | None
    value_eur: Decimal
    share: float


def _side_nodes(links: Sequence[Row], side: str) -> list[FlowNode]:
    """Nodes of one side ("product" or "country"), in rank order with "Autres" last."""
    totals: dict[str, Decimal] = {}
    shares: dict[str, float] = {}
    meta: dict[str, tuple[str, int | None]] = {}
    for row in links:
        code = row[f"{side}_code"]
        totals[code] = totals.get(code, Decimal(0)) + row["value_eur"]
        shares[code] = shares.get(code, 0.0) + (row["share_of_flow"] or 0.0)
        label = row["product_label"] if side == "product" else row["country_name"]
        if code == OTHER_CODE:
            label = OTHER_PRODUCTS if side == "product" else OTHER_COUNTRIES
        meta[code] = (label, row[f"{side}_rank"])
    nodes = [
        FlowNode(code, meta[code][0], meta[code][1], totals[code], shares[code]) for code in totals
    ]
    return sorted(nodes, key=lambda node: (node.rank is None, node.rank or 0, node.code))


def flow_nodes(links: Sequence[Row], flow: str) -> tuple[list[FlowNode], list[FlowNode]]:
    """The (left, right) nodes: exports read product -> country, imports country -> product."""
    products = _side_nodes(links, "product")
    countries = _side_nodes(links, "country")
    return (products, countries) if flow == "export" else (countries, products)


def _spread(centres: list[float], heights: list[float], low: float, high: float) -> list[float]:
    """Move label centres apart so that labels of the given heights do not overlap.

    Labels keep their order; a forward pass pushes each below its predecessor,
    a backward pass pulls them back inside ``high``. Labels then sit as close
    as possible to the bar they name.
    """
    tops = []
    floor = low
    for centre, size in zip(centres, heights, strict=True):
        top = max(centre - size / 2, floor)
        tops.append(top)
        floor = top + size
    ceiling = high
    for index in range(len(tops) - 1, -1, -1):
        tops[index] = max(min(tops[index], ceiling - heights[index]), low)
        ceiling = tops[index]
    return [top + size / 2 for top, size in zip(tops, heights, strict=True)]


def flow_sankey(
    links: Sequence[Row],
    flow: str,
    value_px: int = 380,
    product_label_px: int = 320,
    country_label_px: int = 170,
    font_size: int = 12,
) -> Spec:
    """A two-column Sankey diagram of one territory's flow, with labels outside the bars.

    Nodes are placed by hand (``arrangement`` "fixed") so that ranks read top to
    bottom with "Autres" last, and so that each bar's label can be drawn as an
    annotation in the side margin instead of over the flows. Product names are
    long and country names short, so the product side gets the wider margin.
    The gap between bars is the typical label height, so that the labels of
    small bars stay level with them; ``value_px`` is the height left for the
    bars themselves, and the chart grows to fit both.
    """
    left, right = flow_nodes(links, flow)
    total = sum((node.value_eur for node in left), Decimal(0))
    left_px, right_px = (
        (product_label_px, country_label_px)
        if flow == "export"
        else (country_label_px, product_label_px)
    )
    kinds = ("product", "country") if flow == "export" else ("country", "product")
    line_px = font_size * 1.3
    labels: list[list[tuple[str, float]]] = []
    for nodes, width in ((left, left_px), (right, right_px)):
        chars = max(int((width - 18) / (font_size * 0.56)), 12)
        side = []
        for node in nodes:
            name_lines = [escape(line) for line in wrap(node.label, chars)]
            figure = f"{fmt.million_eur_with_unit(node.value_eur)} · {fmt.percent(node.share)}"
            text = "<br>".join([*name_lines, f"<span style='color:{MUTED_COLOR}'>{figure}</span>"])
            side.append((text, line_px * (len(name_lines) + 1) + 4))
        labels.append(side)
    label_sizes = sorted(size for side in labels for _, size in side)
    pad = round(min(max(label_sizes[len(label_sizes) // 2], 16.0), 48.0))
    gaps = max(len(left), len(right)) - 1
    margin = {"l": left_px, "r": right_px, "t": 12, "b": 12}
    plot_h = gaps * pad + value_px
    scale = min((plot_h - pad * (len(side) - 1)) / max(float(total), 1.0) for side in (left, right))
    side_color = {
        "product": EXPORT_COLOR if flow == "export" else IMPORT_COLOR,
        "country": COUNTRY_NODE_COLOR,
    }

    node_labels: list[str] = []
    xs: list[float] = []
    ys: list[float] = []
    colors: list[str] = []
    hovers: list[str] = []
    annotations: list[Spec] = []
    index: dict[tuple[str, str], int] = {}
    for column, nodes in enumerate((left, right)):
        kind = kinds[column]
        centres, position = [], 0.0
        for node in nodes:
            size = float(node.value_eur) * scale
            centres.append(position + size / 2)
            position += size + pad
        sizes = [size for _, size in labels[column]]
        label_centres = _spread(centres, sizes, -margin["t"], plot_h + margin["b"])
        for node, centre, label_centre, (text, _) in zip(
            nodes, centres, label_centres, labels[column], strict=True
        ):
            index[(kind, node.code)] = len(node_labels)
            node_labels.append("")
            xs.append(0.001 if column == 0 else 0.999)
            ys.append(min(max(centre / plot_h, 0.001), 0.999))
            colors.append(OTHER_NODE_COLOR if node.code == OTHER_CODE else side_color[kind])
            hovers.append(
                f"<b>{escape(node.label)}</b><br>{fmt.million_eur_with_unit(node.value_eur)}, "
                f"{fmt.percent(node.share)} des {FLOW_WORDS[flow]}"
            )
            annotations.append(
                {
                    "xref": "paper",
                    "yref": "paper",
                    "x": column,
                    "y": 1 - label_centre / plot_h,
                    "xanchor": "right" if column == 0 else "left",
                    "xshift": -12 if column == 0 else 12,
                    "yanchor": "middle",
                    "align": "right" if column == 0 else "left",
                    "text": text,
                    "showarrow": False,
                    "font": {"size": font_size},
                }
            )

    sources, targets, values, link_colors, link_hovers = [], [], [], [], []
    for row in links:
        if row["value_eur"] <= 0:
            continue
        product, country = ("product", row["product_code"]), ("country", row["country_code"])
        source, target = (product, country) if flow == "export" else (country, product)
        sources.append(index[source])
        targets.append(index[target])
        values.append(million(row["value_eur"]))
        link_colors.append(TOP_LINK_COLOR if row["is_top_link"] else LINK_COLOR)
        source_name = link_end_label(row, source[0])
        target_name = link_end_label(row, target[0])
        link_hovers.append(
            f"<b>{escape(source_name)} → {escape(target_name)}</b><br>"
            f"{fmt.million_eur_with_unit(row['value_eur'])}, {fmt.percent(row['share_of_flow'])} "
            f"des {FLOW_WORDS[flow]}"
        )
    trace = {
        "type": "sankey",
        "arrangement": "fixed",
        "node": {
            "label": node_labels,
            "x": xs,
            "y": ys,
            "pad": pad,
            "thickness": 14,
            "color": colors,
            "line": {"color": "#ffffff", "width": 0.5},
            "customdata": hovers,
            "hovertemplate": "%{customdata}<extra></extra>",
        },
        "link": {
            "source": sources,
            "target": targets,
            "value": values,
            "color": link_colors,
            "customdata": link_hovers,
            "hovertemplate": "%{customdata}<extra></extra>",
        },
    }
    layout = base_layout(round(plot_h) + margin["t"] + margin["b"], margin)
    layout["annotations"] = annotations
    return {"data": [trace], "layout": layout}


def link_end_label(row: Row, kind: str) -> str:
    """The display name of a link's product or country, with the side-specific "Autres"."""
    if kind == "product":
        return OTHER_PRODUCTS if row["product_code"] == OTHER_CODE else row["product_label"]
    return OTHER_COUNTRIES if row["country_code"] == OTHER_CODE else row["country_name"]


# --- 6. Exposure and dependency (issue #8) ------------------------------------------------

AXIS = {
    "showgrid": True,
    "gridcolor": "#e3e5ea",
    "zeroline": True,
    "zerolinecolor": "#9aa0ab",
    "tickfont": {"size": 11, "color": MUTED_COLOR},
    "separatethousands": True,
    "fixedrange": True,
}
GAIN_COLOR = SURPLUS_COLOR
LOSS_COLOR = DEFICIT_COLOR
PERCENT_SUFFIX = "\u00a0%"


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

    layout = base_layout(340, {"l": 70, "r": 20, "t": 20, "b": 40})
    layout.update(
        {
            "showlegend": True,
            "legend": {"orientation": "h", "x": 0, "y": 1.1},
            "xaxis": {
                **AXIS,
                "tickmode": "array",
                "tickvals": years,
                "ticktext": [str(year) for year in years],  # no thousands space in a year
                "zeroline": False,
            },
            "yaxis": {
                **AXIS,
                "title": {"text": "millions d'euros"},
                "rangemode": "tozero",
                "tickformat": ",.0f",
            },
        }
    )
    return {
        "data": [
            trace("exports_eur", "Exportations", EXPORT_COLOR),
            trace("imports_eur", "Importations", IMPORT_COLOR),
        ],
        "layout": layout,
    }


def _hbar_layout(labels: Sequence[str], xaxis: Spec, left: int = 260, legend: bool = False) -> Spec:
    """A horizontal bar layout: one row per label, the first at the top."""
    ticks = ["<br>".join(escape(line) for line in wrap(label, 38)) for label in labels]
    rows = max(len(labels), 1)
    layout = base_layout(
        90 + (44 if legend else 34) * rows, {"l": left, "r": 70, "t": 34 if legend else 10, "b": 40}
    )
    layout.update(
        {
            "showlegend": legend,
            "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
            "bargap": 0.25,
            "xaxis": {**AXIS, **xaxis},
            "yaxis": {
                "tickmode": "array",
                "tickvals": list(range(len(labels))),
                "ticktext": ticks,
                "autorange": "reversed",
                "fixedrange": True,
                "tickfont": {"size": 11},
                "ticksuffix": "  ",
            },
        }
    )
    return layout


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
            "textfont": {"size": 11, "color": MUTED_COLOR},
            "customdata": [
                f"{escape(label)} : {text}" for label, text in zip(labels, texts, strict=True)
            ],
            "hovertemplate": f"{name} – %{{customdata}}<extra></extra>",
        }

    layout = _hbar_layout(
        labels, {"range": [0, 110], "ticksuffix": PERCENT_SUFFIX}, left=170, legend=True
    )
    layout["barmode"] = "group"
    return {
        "data": [
            trace("export_share", "Part des exportations", EXPORT_COLOR),
            trace("import_share", "Part des importations", IMPORT_COLOR),
        ],
        "layout": layout,
    }


def value_bars(
    labels: Sequence[str],
    values: Sequence[float],
    texts: Sequence[str],
    hovers: Sequence[str],
    colors: str | Sequence[str],
    xaxis: Spec,
    reference: float | None = None,
) -> Spec:
    """Horizontal bars, one per label (first at the top), with the value written beside.

    ``reference`` draws a dashed vertical line (RCA = 1 on the specialisation chart).
    """
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "y": list(range(len(labels))),
            "x": list(values),
            "marker": {"color": colors},
            "text": list(texts),
            "textposition": "outside",
            "cliponaxis": False,
            "textfont": {"size": 11, "color": MUTED_COLOR},
            "customdata": list(hovers),
            "hovertemplate": "%{customdata}<extra></extra>",
        }
    ]
    layout = _hbar_layout(labels, xaxis)
    if reference is not None:
        layout["shapes"] = [
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": reference,
                "x1": reference,
                "y0": 0,
                "y1": 1,
                "line": {"color": MUTED_COLOR, "dash": "dash", "width": 1},
            }
        ]
    return {"data": data, "layout": layout}


def us_products_chart(rows: Sequence[Row]) -> Spec:
    """The products sold most to the US (million euros), with the US share of each written."""
    labels = [row["product_label"] for row in rows]
    return value_bars(
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
        EXPORT_COLOR,
        {"title": {"text": "exportations vers les États-Unis, millions d'euros"}},
    )


def specialisation_chart(rows: Sequence[Row]) -> Spec:
    """The products with the highest revealed comparative advantage, RCA = 1 dashed."""
    return value_bars(
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
        EXPORT_COLOR,
        {
            "title": {"text": "avantage comparatif révélé (1 = comme la France)"},
            "rangemode": "tozero",
        },
        reference=1.0,
    )


def movers_chart(rows: Sequence[Row]) -> Spec:
    """Largest gains (green, to the right) and losses (red, to the left), million euros."""
    changes = [million(row["change_eur"]) for row in rows]
    low, high = min([*changes, 0.0]), max([*changes, 0.0])
    pad = (high - low) * 0.16 or 1.0  # room for the values written beside the bars
    return value_bars(
        [row["item_label"] for row in rows],
        [million(row["change_eur"]) for row in rows],
        [fmt.million_eur(row["change_eur"], signed=True) for row in rows],
        [
            f"<b>{escape(row['item_label'])}</b><br>{row['base_year']}\u00a0: "
            f"{fmt.million_eur_with_unit(row['base_value_eur'])}<br>Variation\u00a0: "
            f"{fmt.million_eur_with_unit(row['change_eur'], signed=True)}"
            for row in rows
        ],
        [GAIN_COLOR if row["change_eur"] > 0 else LOSS_COLOR for row in rows],
        {"title": {"text": "variation, millions d'euros"}, "range": [low - pad, high + pad]},
    )


RANKING_INDICATORS = (
    # key, label, how the text next to each bar is written
    ("exports", "Exportations (M€)", "money"),
    ("imports", "Importations (M€)", "money"),
    ("balance", "Solde (M€)", "money"),
    ("growth", "Évolution des exportations sur un an (%)", "percent"),
    ("us_share", "Part des exportations vers les États-Unis (%)", "percent"),
    ("hhi", "Concentration des exportations par pays (HHI, points)", "points"),
)


def ranking_chart(indicators: dict[str, list[tuple[str, float, str]]]) -> Spec:
    """Every department ranked on an indicator chosen in a menu above the chart.

    ``indicators`` maps each key of RANKING_INDICATORS to its (label, value,
    text) triples, highest value first. The menu is plotly's own
    (updatemenus): it swaps the bars without any script of ours.
    """

    def arrays(key: str) -> tuple[list[str], list[float], list[str]]:
        triples = indicators[key]
        return (
            [escape(label) for label, _, _ in triples],
            [value for _, value, _ in triples],
            [text for _, _, text in triples],
        )

    first = RANKING_INDICATORS[0][0]
    labels, values, texts = arrays(first)
    rows = max(len(labels), 1)
    layout = base_layout(110 + 17 * rows, {"l": 210, "r": 80, "t": 70, "b": 30})
    buttons = []
    for key, title, _ in RANKING_INDICATORS:
        if not indicators.get(key):
            continue
        key_labels, key_values, key_texts = arrays(key)
        buttons.append(
            {
                "label": title,
                "method": "update",
                "args": [
                    {"x": [key_values], "y": [key_labels], "text": [key_texts]},
                    {"yaxis.categoryarray": key_labels},
                ],
            }
        )
    layout.update(
        {
            "bargap": 0.2,
            "xaxis": {**AXIS, "side": "top"},
            "yaxis": {
                "type": "category",
                "categoryorder": "array",
                "categoryarray": labels,
                "autorange": "reversed",
                "fixedrange": True,
                "tickfont": {"size": 10},
            },
            "updatemenus": [
                {
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
            ],
        }
    )
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "x": values,
            "y": labels,
            "text": texts,
            "textposition": "outside",
            "cliponaxis": False,
            "textfont": {"size": 10, "color": MUTED_COLOR},
            "marker": {"color": EXPORT_COLOR},
            "hovertemplate": "%{y}\u00a0: %{text}<extra></extra>",
        }
    ]
    return {"data": data, "layout": layout}
