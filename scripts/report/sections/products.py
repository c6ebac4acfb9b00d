"""Section 2, product mix: what the territory imports and exports, by product.

Why together: the treemap and the per-flow tables (top A129 products, then
the A38 families) read the same rows of reports/queries/product_mix.sql.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from scripts.report import charts
from scripts.report import formatting as fmt
from scripts.report.charts import Spec, escape, million
from scripts.report.queries import Row, TerritoryKey
from scripts.report.sections.common import Chart, Money, SiteView
from scripts.report.sections.treemap_layout import (
    CHAR_WIDTH,
    TEXT_MARGIN,
    Box,
    Padding,
    smallest_boxes,
    tile_text,
    wrap_to,
)

TOP_PRODUCTS_IN_TABLE = 15
# The treemap's panels, left to right, on every page: imports, then exports (the order
# of the fiche's legend and of the partner chart, imports left of exports).
PANELS = ("import", "export")


@dataclass(frozen=True)
class ProductRow:
    """A product (A129) or a family (A38, ``group`` empty) in a flow's table."""

    rank: int
    code: str
    label: str
    money: Money
    share: str
    group: str = ""


@dataclass(frozen=True)
class OtherProducts:
    """The products after the table's top ones, summed."""

    count: int
    money: Money
    share: str


@dataclass(frozen=True)
class ProductTable:
    """One flow's tables: its top products, the rest, and its families."""

    flow: str
    title: str
    total: Money
    top: list[ProductRow]
    rest: OtherProducts | None
    groups: list[ProductRow]


@dataclass(frozen=True)
class ProductMix:
    """What templates/sections/products.html shows."""

    chart: Chart
    tables: list[ProductTable]


def _ranked(rows: Sequence[Row], level: str) -> list[Row]:
    return sorted((row for row in rows if row["product_level"] == level), key=_rank_in_flow)


def _rank_in_flow(row: Row) -> int:
    return row["rank_in_flow"]


def _product_row(row: Row, group: str = "") -> ProductRow:
    return ProductRow(
        rank=row["rank_in_flow"],
        code=row["product_code"],
        label=row["product_label"],
        money=Money.of(row["value_eur"]),
        share=fmt.percent(row["share_of_flow"]),
        group=group,
    )


def _flow_table(rows: Sequence[Row], flow: str, total: Decimal) -> ProductTable:
    """A flow's top products (A129), the rest summed, and its families (A38)."""
    flow_rows = [row for row in rows if row["flow"] == flow]
    detail = _ranked(flow_rows, "a129")
    groups = _ranked(flow_rows, "a38")
    group_labels = {row["product_code"]: row["product_label"] for row in groups}
    top, rest = detail[:TOP_PRODUCTS_IN_TABLE], detail[TOP_PRODUCTS_IN_TABLE:]
    other = OtherProducts(
        count=len(rest),
        money=Money.of(sum((row["value_eur"] for row in rest), Decimal(0))),
        share=fmt.percent(sum(row["share_of_flow"] or 0.0 for row in rest)),
    )
    return ProductTable(
        flow=flow,
        title=f"Biens {'exportés' if flow == 'export' else 'importés'}",
        total=Money.of(total),
        top=[_product_row(row, group_labels.get(row["parent_product_code"], "")) for row in top],
        rest=other if rest else None,
        groups=[_product_row(row) for row in groups],
    )


def build(site: SiteView, key: TerritoryKey, totals: Row) -> ProductMix | None:
    """The treemap of both flows, and per flow its top products and families."""
    level, code = key
    rows = site.data.products.get(key, [])
    if not rows:
        return None
    flow_totals = {"import": totals["imports_eur"], "export": totals["exports_eur"]}
    chart = Chart(
        id=f"chart-products-{level}-{code}".lower(),
        kind="treemap",
        description=(
            f"Produits importés (en bleu) et exportés (en violet) par {site.name(key)} : "
            "surfaces proportionnelles aux montants."
        ),
        spec=product_treemap(rows, flow_totals),
    )
    tables = [_flow_table(rows, flow, flow_totals[flow]) for flow in PANELS]
    return ProductMix(chart=chart, tables=tables)


# --- chart ----------------------------------------------------------------------------------

CHART_HEIGHT = 620
PANEL_GAP = 0.02  # of the chart's width, between the two panels
PANEL_TOP = 0.94  # of the chart's height; the panel titles (flow and total) sit above
# The trace's paddings in px: between boxes, and around a family's boxes (its title on top).
PADDING = Padding(inner=3.0, top=20.0, side=3.0)
# Panel sizes (px) the labels are fitted to: half of the chart on a 1 120 px wide page.
# Narrower (print, phone), the boxes are laid out anew and plotly shrinks each label to
# its box, hiding it below the minimum size: the figures stay in the tables.
PANEL_SIZES = ((523.0, 579.0),)


class _Tiles:
    """The parallel arrays of one flow's treemap trace, filled one box at a time."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.labels: list[str] = []
        self.parents: list[str] = []
        self.values: list[float] = []
        self.texts: list[str] = []
        self.hovers: list[str] = []
        self.colors: list[str] = []
        self.text_colors: list[str] = []

    def add(self, node: tuple[str, str, str, float], text: str, hover: str, colors: tuple) -> None:
        """``node`` is (id, label, parent id, value); ``colors`` (fill, text)."""
        node_id, label, parent, value = node
        self.ids.append(node_id)
        self.labels.append(label)
        self.parents.append(parent)
        self.values.append(value)
        self.texts.append(text)
        self.hovers.append(hover)
        self.colors.append(colors[0])
        self.text_colors.append(colors[1])


def _tree(rows: Sequence[Row], flow: str) -> tuple[Box, dict[str, str]]:
    """The flow's boxes as plotly will nest them, and each product's parent box id."""
    root = Box(flow, 0.0)
    frames = {
        row["product_code"]: Box(f"{flow}/a38/{row['product_code']}", 0.0)
        for row in rows
        if row["product_level"] == "a38"
    }
    root.children.extend(frames.values())
    parents = {}
    for row in rows:
        if row["product_level"] == "a129" and row["value_eur"] > 0:
            frame = frames.get(row["parent_product_code"], root)
            box = Box(f"{flow}/a129/{row['product_code']}", million(row["value_eur"]))
            frame.children.append(box)
            parents[box.id] = frame.id
    return root, parents


def _text(lines: Sequence[str]) -> str:
    return "<br>".join(escape(line) for line in lines)


def _flow_trace(
    rows: Sequence[Row],
    flow: str,
    total: Decimal,
    domain: list[float],
    panel: tuple[float, float] = PANEL_SIZES[0],
) -> Spec:
    """One flow's panel: its families (A38) as frames, its products (A129) as boxes.

    Each box's label is fitted to the size plotly will give it (see
    :mod:`treemap_layout`); the tooltip always holds the full label.
    """
    color, tint = (
        (charts.EXPORT_COLOR, charts.EXPORT_TINT)
        if flow == "export"
        else (charts.IMPORT_COLOR, charts.IMPORT_TINT)
    )
    words = charts.FLOW_WORDS[flow]
    root, parents = _tree(rows, flow)
    sizes = smallest_boxes(root, [panel], PADDING)
    tiles = _Tiles()
    title = f"{words.capitalize()}\u00a0: {fmt.million_eur_with_unit(total)}"
    # the panel's title is written above it (an annotation): its own header stays empty
    tiles.add((flow, "", "", 0.0), "", escape(title), ("#ffffff", color))
    for row in rows:
        level, code = row["product_level"], row["product_code"]
        node_id = f"{flow}/{level}/{code}"
        if node_id not in sizes:
            continue  # a product worth nothing: no box
        label, share = row["product_label"], fmt.percent(row["share_of_flow"])
        amount = fmt.million_eur_with_unit(row["value_eur"])
        hover = (
            f"<b>{escape(label)}</b> ({level.upper()} {escape(code)})<br>"
            f"{amount}, {share} des {words}"
        )
        width, height = sizes[node_id]
        if level == "a38":
            columns = int((width - TEXT_MARGIN) // CHAR_WIDTH)
            lines = wrap_to(f"{label} ({share})", columns, 1) or wrap_to(label, columns, 1)
            # plotly writes a frame's label, not its text, in the frame's header
            node, colors = (node_id, _text(lines), flow, 0.0), (tint, charts.TEXT_COLOR)
        else:
            lines = tile_text(label, [amount, share], width, height)
            node = (node_id, escape(label), parents[node_id], million(row["value_eur"]))
            colors = (color, "#ffffff")
        tiles.add(node, _text(lines), hover, colors)
    return _trace_spec(tiles, domain)


def _trace_spec(tiles: _Tiles, domain: list[float]) -> Spec:
    """A flow's boxes as a plotly treemap trace placed in its panel."""
    return {
        "type": "treemap",
        "domain": {"x": domain, "y": [0.0, PANEL_TOP]},
        "ids": tiles.ids,
        "labels": tiles.labels,
        "parents": tiles.parents,
        "values": tiles.values,
        "branchvalues": "remainder",
        "text": tiles.texts,
        "texttemplate": "%{text}",
        "textposition": "top left",
        "customdata": tiles.hovers,
        "hovertemplate": "%{customdata}<extra></extra>",
        "marker": {
            "colors": tiles.colors,
            "line": {"color": "#ffffff", "width": 1.5},
            "pad": {"t": PADDING.top, "l": PADDING.side, "r": PADDING.side, "b": PADDING.side},
        },
        "tiling": {"pad": PADDING.inner},
        "pathbar": {"visible": False},
        "insidetextfont": {"color": tiles.text_colors, "size": 12},
        "outsidetextfont": {"color": charts.TEXT_COLOR, "size": 12},
        "sort": True,
    }


def product_treemap(products: Sequence[Row], totals: dict[str, Decimal]) -> Spec:
    """Two treemap panels side by side: imports (blue) on the left, exports (violet) right.

    Each panel fills its half of the chart with its own flow, as the fiche
    does: a box's area is the product's weight in that flow, so a small flow
    (an overseas department's exports) still gets a readable panel. The two
    totals are written above the panels, where the reader compares them;
    a flow with no product keeps its title and says so. Box areas are the
    A129 values: ``branchvalues`` "remainder" with zero-valued frames makes a
    frame exactly the sum of its products, so float rounding can never make
    plotly drop one. On a phone (the "narrow" variant report.js draws below
    560 px) the panels are stacked, imports above exports, each as wide as the
    screen: side by side, each would get 180 px and its title would be cut.
    """
    width = (1 - PANEL_GAP) / 2
    traces, titles, narrow_traces, narrow_titles = [], [], [], []
    for index, flow in enumerate(PANELS):
        domain = [index * (width + PANEL_GAP), index * (width + PANEL_GAP) + width]
        rows = [row for row in products if row["flow"] == flow]
        words = charts.FLOW_WORDS[flow]
        title = f"<b>{words.capitalize()}\u00a0: {fmt.million_eur_with_unit(totals[flow])}</b>"
        if any(row["value_eur"] > 0 for row in rows):
            traces.append(_flow_trace(rows, flow, totals[flow], domain))
            # on a phone, labels fitted to the panel's size there
            narrow = _flow_trace(rows, flow, totals[flow], domain, NARROW_PANEL_SIZE)
            narrow_traces.append(
                {"domain": {"x": [0.0, 1.0], "y": NARROW_PANELS[index]}, "text": narrow["text"]}
            )
        else:
            title += f"<br>aucun bien {'exporté' if flow == 'export' else 'importé'}"
        color = charts.EXPORT_COLOR if flow == "export" else charts.IMPORT_COLOR
        titles.append(_panel_title(title, flow, color, sum(domain) / 2, 1.0))
        narrow_titles.append(_panel_title(title, flow, color, 0.5, NARROW_PANELS[index][1] + 0.04))
    layout = charts.base_layout(CHART_HEIGHT, {"l": 2, "r": 2, "t": 2, "b": 2})
    layout["uniformtext"] = {"minsize": 10, "mode": "hide"}
    narrow_layout = {**layout, "height": NARROW_HEIGHT, "annotations": narrow_titles}
    layout["annotations"] = titles
    return {
        "data": traces,
        "layout": layout,
        "narrow": {"layout": narrow_layout, "data": narrow_traces},
    }


# The phone variant: the panels stacked (paper fractions of y, imports on top), each
# titled just above it.
NARROW_HEIGHT = 820
NARROW_PANELS = ([0.52, 0.955], [0.0, 0.435])
# A panel's size in px there: the chart on a 390 px screen is 362 px wide.
NARROW_PANEL_SIZE = (358.0, 352.0)


def _panel_title(text: str, flow: str, color: str, x: float, y: float) -> Spec:
    """A panel's title (its flow and total) as an annotation centred at (x, y) of the paper."""
    return {
        "text": text,
        "x": x,
        "y": y,
        "xref": "paper",
        "yref": "paper",
        "xanchor": "center",
        "yanchor": "top",
        "showarrow": False,
        "font": {"size": 14, "color": color},
        "name": f"panel-{flow}",
    }
