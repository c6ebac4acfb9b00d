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

TOP_PRODUCTS_IN_TABLE = 15


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
        spec=product_treemap(rows, flow_totals, site.data.year),
    )
    tables = [_flow_table(rows, flow, flow_totals[flow]) for flow in ("import", "export")]
    return ProductMix(chart=chart, tables=tables)


# --- chart ----------------------------------------------------------------------------------


class _Tiles:
    """The parallel arrays of a treemap trace, filled one tile at a time."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.labels: list[str] = []
        self.parents: list[str] = []
        self.values: list[float] = []
        self.texts: list[str] = []
        self.hovers: list[str] = []
        self.colors: list[str] = []
        self.text_colors: list[str] = []

    def add(
        self,
        node_id: str,
        label: str,
        parent: str,
        value: float,
        text: str,
        hover: str,
        color: str,
        text_color: str,
    ) -> None:
        self.ids.append(node_id)
        self.labels.append(label)
        self.parents.append(parent)
        self.values.append(value)
        self.texts.append(text)
        self.hovers.append(hover)
        self.colors.append(color)
        self.text_colors.append(text_color)


def _add_flow(tiles: _Tiles, rows: Sequence[Row], flow: str, total: Decimal) -> None:
    """One flow's frame, its A38 families as frames and its A129 products as tiles."""
    color, tint = (
        (charts.EXPORT_COLOR, charts.EXPORT_TINT)
        if flow == "export"
        else (charts.IMPORT_COLOR, charts.IMPORT_TINT)
    )
    words = charts.FLOW_WORDS[flow]
    flow_text = escape(f"{words.capitalize()}\u00a0: {fmt.million_eur_with_unit(total)}")
    tiles.add(flow, flow_text, "total", 0.0, f"<b>{flow_text}</b>", flow_text, "#ffffff", color)
    groups = {row["product_code"] for row in rows if row["product_level"] == "a38"}
    add = tiles.add
    for row in rows:
        label, code = escape(row["product_label"]), escape(row["product_code"])
        amount = fmt.million_eur_with_unit(row["value_eur"])
        share = fmt.percent(row["share_of_flow"])
        hover = (
            f"<b>{label}</b> ({row['product_level'].upper()} {code})<br>"
            f"{amount}, {share} des {words}"
        )
        if row["product_level"] == "a38":
            node_id = f"{flow}/a38/{row['product_code']}"
            add(node_id, label, flow, 0.0, f"{label} ({share})", hover, tint, charts.TEXT_COLOR)
        elif row["value_eur"] > 0:
            parent = row["parent_product_code"]
            lines = [escape(line) for line in charts.wrap(row["product_label"], 15, 4)]
            add(
                f"{flow}/a129/{row['product_code']}",
                label,
                f"{flow}/a38/{parent}" if parent in groups else flow,
                million(row["value_eur"]),
                "<br>".join([*lines, amount, share]),
                hover,
                color,
                "#ffffff",
            )


def product_treemap(products: Sequence[Row], totals: dict[str, Decimal], year: int) -> Spec:
    """One treemap of both flows: imports (blue) and exports (violet) side by side.

    Each flow is a frame whose area is its total, so the relative size of the
    blue and violet areas shows the overall balance; inside, the A38 product
    families are frames and the A129 products are the tiles. Tile areas are the
    A129 values: ``branchvalues`` "remainder" with zero-valued frames makes a
    frame's area exactly the sum of its products, so float rounding can never
    make plotly drop a frame.
    """
    total_text = fmt.million_eur_with_unit(sum(totals.values(), Decimal(0)))
    root_label = escape(f"Échanges {year} (importations + exportations)\u00a0: {total_text}")
    tiles = _Tiles()
    tiles.add("total", root_label, "", 0.0, root_label, root_label, "#ffffff", charts.TEXT_COLOR)
    for flow in ("import", "export"):
        rows = [row for row in products if row["flow"] == flow]
        if rows:
            _add_flow(tiles, rows, flow, totals[flow])
    trace = {
        "type": "treemap",
        "ids": tiles.ids,
        "labels": tiles.labels,
        "parents": tiles.parents,
        "values": tiles.values,
        "branchvalues": "remainder",
        "text": tiles.texts,
        "texttemplate": "%{text}",
        "customdata": tiles.hovers,
        "hovertemplate": "%{customdata}<extra></extra>",
        "marker": {"colors": tiles.colors, "line": {"color": "#ffffff", "width": 1.5}},
        "tiling": {"pad": 3},
        "pathbar": {"visible": False},
        "insidetextfont": {"color": tiles.text_colors, "size": 12},
        "outsidetextfont": {"color": charts.TEXT_COLOR, "size": 12},
        "sort": True,
    }
    layout = charts.base_layout(620, {"l": 2, "r": 2, "t": 2, "b": 2})
    layout["uniformtext"] = {"minsize": 10, "mode": "hide"}
    return {"data": [trace], "layout": layout}
