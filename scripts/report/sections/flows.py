"""Sections 3 and 4, flows: which product goes to which country, as a diagram and tables.

Why a cache: the flow diagrams of a region and of France appear, compact, on
the comparison section of every page below them; :class:`FlowBlocks` builds
each diagram once per site. The rows are those of reports/queries/flow_links.sql.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from scripts.report import charts
from scripts.report import formatting as fmt
from scripts.report.queries import Row, TerritoryKey
from scripts.report.sections import flow_chart
from scripts.report.sections.common import Chart, Money, SiteView


@dataclass(frozen=True)
class NodeRow:
    """A bar of the diagram in the node tables: a product or a country, or "Autres"."""

    rank: int | None
    label: str
    money: Money
    share: str
    is_other: bool


@dataclass(frozen=True)
class LinkRow:
    """A product-country link in the link tables."""

    source: str
    target: str
    money: Money
    share: str
    is_top: bool
    rank: int | None


@dataclass(frozen=True)
class FlowBlock:
    """One flow diagram with its totals and tables (nodes, largest links, every link)."""

    territory: str  # "level:code", tagged on the tables so that tests and scripts find them
    territory_name: str
    flow: str
    chart: Chart
    total: Money
    left_title: str
    right_title: str
    left: list[NodeRow]
    right: list[NodeRow]
    top_links: list[LinkRow]
    links: list[LinkRow]


def _node_rows(nodes: Sequence[flow_chart.FlowNode]) -> list[NodeRow]:
    return [
        NodeRow(
            rank=node.rank,
            label=node.label,
            money=Money.of(node.value_eur),
            share=fmt.percent(node.share),
            is_other=node.code == charts.OTHER_CODE,
        )
        for node in nodes
    ]


def _link_row(row: Row, flow: str) -> LinkRow:
    product = flow_chart.link_end_label(row, "product")
    country = flow_chart.link_end_label(row, "country")
    source, target = (product, country) if flow == "export" else (country, product)
    return LinkRow(
        source=source,
        target=target,
        money=Money.of(row["value_eur"]),
        share=fmt.percent(row["share_of_flow"]),
        is_top=row["is_top_link"],
        rank=row["link_rank"],
    )


def _titles(flow: str) -> tuple[str, str]:
    """The (left, right) column titles: exports read product -> country, imports the reverse."""
    products = "Produits exportés" if flow == "export" else "Produits importés"
    countries = "Pays de destination" if flow == "export" else "Pays d'origine"
    return (products, countries) if flow == "export" else (countries, products)


def build(site: SiteView, key: TerritoryKey, flow: str, compact: bool) -> FlowBlock | None:
    """The flow diagram of a territory, or None when it has no such flow.

    ``compact`` is the smaller diagram of the comparison section, without the
    table of every link.
    """
    links = [row for row in site.data.flow_links.get(key, []) if row["flow"] == flow]
    if not links:
        return None
    left, right = flow_chart.flow_nodes(links, flow)
    level, code = key
    spec = (
        flow_chart.flow_sankey(links, flow, value_px=320, product_label_px=290, font_size=11)
        if compact
        else flow_chart.flow_sankey(links, flow)
    )
    spec = flow_chart.with_narrow_variant(links, flow, spec)
    left_title, right_title = _titles(flow)
    name = site.name(key)
    top_links = [_link_row(row, flow) for row in links if row["is_top_link"]]
    return FlowBlock(
        territory=f"{level}:{code}",
        territory_name=name,
        flow=flow,
        chart=Chart(
            id=f"chart-{flow}-flows-{level}-{code}".lower(),
            kind="sankey",
            description=(
                f"Diagramme de flux des {charts.FLOW_WORDS[flow]} {site.name_de(key)} : "
                f"{left_title.lower()} à gauche, {right_title.lower()} à droite."
            ),
            spec=spec,
        ),
        total=Money.of(sum((node.value_eur for node in left), Decimal(0))),
        left_title=left_title,
        right_title=right_title,
        left=_node_rows(left),
        right=_node_rows(right),
        top_links=sorted(top_links, key=lambda link: link.rank),
        links=[] if compact else [_link_row(row, flow) for row in links],
    )


class FlowBlocks:
    """The flow blocks of a site, each built once (region and France recur on many pages)."""

    def __init__(self, site: SiteView) -> None:
        self.site = site
        self._blocks: dict[tuple[TerritoryKey, str, bool], FlowBlock | None] = {}

    def get(self, key: TerritoryKey, flow: str, compact: bool) -> FlowBlock | None:
        cache_key = (key, flow, compact)
        if cache_key not in self._blocks:
            self._blocks[cache_key] = build(self.site, key, flow, compact)
        return self._blocks[cache_key]
