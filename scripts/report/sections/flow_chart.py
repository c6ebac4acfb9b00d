"""The Sankey diagram of one territory's flow (sections 3 to 5): nodes, layout, links.

Why apart from :mod:`.flows`: the diagram places its bars and their labels
by hand, which is most of the code; the flow section only builds the tables
around it. Nodes and links are the rows of reports/queries/flow_links.sql.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from scripts.report import charts
from scripts.report import formatting as fmt
from scripts.report.charts import FLOW_WORDS, OTHER_CODE, Spec, escape, million
from scripts.report.queries import Row

TOP_LINK_COLOR = "rgba(200, 32, 42, 0.72)"
LINK_COLOR = "rgba(110, 116, 134, 0.26)"
COUNTRY_NODE_COLOR = "#4f5666"
OTHER_NODE_COLOR = "#a9adb6"
OTHER_PRODUCTS = "Autres produits"
OTHER_COUNTRIES = "Autres pays"


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


def link_end_label(row: Row, kind: str) -> str:
    """The display name of a link's product or country, with the side-specific "Autres"."""
    if kind == "product":
        return OTHER_PRODUCTS if row["product_code"] == OTHER_CODE else row["product_label"]
    return OTHER_COUNTRIES if row["country_code"] == OTHER_CODE else row["country_name"]


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


def _side_labels(nodes: Sequence[FlowNode], width: int, font_size: int) -> list[tuple[str, float]]:
    """Each bar's label (name wrapped to the margin, then amount and share) and its height."""
    line_px = font_size * 1.3
    chars = max(int((width - 18) / (font_size * 0.56)), 12)
    side = []
    for node in nodes:
        name_lines = [escape(line) for line in charts.wrap(node.label, chars)]
        amount, share = fmt.million_eur_with_unit(node.value_eur), fmt.percent(node.share)
        # amount and share on one line, or on two in a narrow margin (a phone's)
        one_line = len(amount) + len(share) + 3 <= chars
        figures = [f"{amount} · {share}"] if one_line else [amount, share]
        muted = [f"<span style='color:{charts.MUTED_COLOR}'>{line}</span>" for line in figures]
        lines = [*name_lines, *muted]
        side.append(("<br>".join(lines), line_px * len(lines) + 4))
    return side


@dataclass
class _Nodes:
    """The node arrays of the Sankey trace and the label annotations, filled column by column."""

    labels: list[str] = field(default_factory=list)
    xs: list[float] = field(default_factory=list)
    ys: list[float] = field(default_factory=list)
    colors: list[str] = field(default_factory=list)
    hovers: list[str] = field(default_factory=list)
    annotations: list[Spec] = field(default_factory=list)
    index: dict[tuple[str, str], int] = field(default_factory=dict)


def _label_annotation(column: int, y: float, text: str, font_size: int) -> Spec:
    return {
        "xref": "paper",
        "yref": "paper",
        "x": column,
        "y": y,
        "xanchor": "right" if column == 0 else "left",
        "xshift": -12 if column == 0 else 12,
        "yanchor": "middle",
        "align": "right" if column == 0 else "left",
        "text": text,
        "showarrow": False,
        "font": {"size": font_size},
    }


@dataclass(frozen=True)
class _Layout:
    """Where the bars go: gap between bars, scale (px per euro), plot height and margins."""

    pad: int
    scale: float
    plot_h: float
    margin: dict[str, int]
    font_size: int


def _add_column(
    out: _Nodes,
    column: int,
    kind: str,
    nodes: Sequence[FlowNode],
    labels: list[tuple[str, float]],
    geometry: _Layout,
    flow: str,
) -> None:
    """One column's bars, stacked top-down, with their labels spread apart in the margin."""
    centres, position = [], 0.0
    for node in nodes:
        size = float(node.value_eur) * geometry.scale
        centres.append(position + size / 2)
        position += size + geometry.pad
    sizes = [size for _, size in labels]
    margin, plot_h = geometry.margin, geometry.plot_h
    label_centres = _spread(centres, sizes, -margin["t"], plot_h + margin["b"])
    product_color = charts.EXPORT_COLOR if flow == "export" else charts.IMPORT_COLOR
    kind_color = product_color if kind == "product" else COUNTRY_NODE_COLOR
    for node, centre, label_centre, (text, _) in zip(
        nodes, centres, label_centres, labels, strict=True
    ):
        out.index[(kind, node.code)] = len(out.labels)
        out.labels.append("")
        out.xs.append(0.001 if column == 0 else 0.999)
        out.ys.append(min(max(centre / plot_h, 0.001), 0.999))
        out.colors.append(OTHER_NODE_COLOR if node.code == OTHER_CODE else kind_color)
        out.hovers.append(
            f"<b>{escape(node.label)}</b><br>{fmt.million_eur_with_unit(node.value_eur)}, "
            f"{fmt.percent(node.share)} des {FLOW_WORDS[flow]}"
        )
        out.annotations.append(
            _label_annotation(column, 1 - label_centre / plot_h, text, geometry.font_size)
        )


def _link_arrays(links: Sequence[Row], flow: str, index: dict[tuple[str, str], int]) -> Spec:
    """The link part of the trace: one link per product-country pair, the top ones red."""
    sources, targets, values, colors, hovers = [], [], [], [], []
    for row in links:
        if row["value_eur"] <= 0:
            continue
        product, country = ("product", row["product_code"]), ("country", row["country_code"])
        source, target = (product, country) if flow == "export" else (country, product)
        sources.append(index[source])
        targets.append(index[target])
        values.append(million(row["value_eur"]))
        colors.append(TOP_LINK_COLOR if row["is_top_link"] else LINK_COLOR)
        hovers.append(
            f"<b>{escape(link_end_label(row, source[0]))} → "
            f"{escape(link_end_label(row, target[0]))}</b><br>"
            f"{fmt.million_eur_with_unit(row['value_eur'])}, {fmt.percent(row['share_of_flow'])} "
            f"des {FLOW_WORDS[flow]}"
        )
    return {
        "source": sources,
        "target": targets,
        "value": values,
        "color": colors,
        "customdata": hovers,
        "hovertemplate": "%{customdata}<extra></extra>",
    }


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
    exporting = flow == "export"
    left_px, right_px = (
        (product_label_px, country_label_px) if exporting else (country_label_px, product_label_px)
    )
    kinds = ("product", "country") if exporting else ("country", "product")
    labels = [_side_labels(left, left_px, font_size), _side_labels(right, right_px, font_size)]
    label_sizes = sorted(size for side in labels for _, size in side)
    pad = round(min(max(label_sizes[len(label_sizes) // 2], 16.0), 48.0))
    plot_h = (max(len(left), len(right)) - 1) * pad + value_px
    scale = min((plot_h - pad * (len(side) - 1)) / max(float(total), 1.0) for side in (left, right))
    margin = {"l": left_px, "r": right_px, "t": 12, "b": 12}
    geometry = _Layout(pad=pad, scale=scale, plot_h=plot_h, margin=margin, font_size=font_size)
    nodes = _Nodes()
    for column, side_nodes in enumerate((left, right)):
        _add_column(nodes, column, kinds[column], side_nodes, labels[column], geometry, flow)
    trace = {
        "type": "sankey",
        "arrangement": "fixed",
        "node": {
            "label": nodes.labels,
            "x": nodes.xs,
            "y": nodes.ys,
            "pad": pad,
            "thickness": 14,
            "color": nodes.colors,
            "line": {"color": "#ffffff", "width": 0.5},
            "customdata": nodes.hovers,
            "hovertemplate": "%{customdata}<extra></extra>",
        },
        "link": _link_arrays(links, flow, nodes.index),
    }
    layout = charts.base_layout(round(plot_h) + margin["t"] + margin["b"], margin)
    layout["annotations"] = nodes.annotations
    return {"data": [trace], "layout": layout}


# The phone variant: narrower label margins, a smaller font, the bars placed anew.
NARROW = {"value_px": 300, "product_label_px": 138, "country_label_px": 118, "font_size": 10}


def with_narrow_variant(links: Sequence[Row], flow: str, spec: Spec) -> Spec:
    """``spec`` plus the diagram a phone draws (report.js picks it below 560 px).

    Only what differs is stored: the layout (margins, height, labels) and the
    bars' positions; the links, the longest part, are the wide diagram's.
    """
    narrow = flow_sankey(links, flow, **NARROW)
    node = narrow["data"][0]["node"]
    return {
        **spec,
        "narrow": {
            "layout": narrow["layout"],
            "data": [{"node": {"y": node["y"], "pad": node["pad"], "thickness": 10}}],
        },
    }
