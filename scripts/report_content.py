"""Turn the mart rows of one year into what each page shows: figures, tables, charts.

Why separate from the templates: the templates only lay things out, so every
number a reader sees is formatted here, once, by :mod:`scripts.report_format`,
and every chart comes from :mod:`scripts.report_charts`. Region and France flow
diagrams appear on many pages; they are built once and reused.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from scripts import report_charts as charts
from scripts import report_format as fmt
from scripts.report_queries import Row, TerritoryKey, YearData

FRANCE: TerritoryKey = ("country", "FR")
LEVEL_LABELS = {"department": "Département", "region": "Région", "country": "Pays"}
FILE_PREFIXES = {"department": "departement", "region": "region"}
TOP_PRODUCTS_IN_TABLE = 15
SOURCE_TEXT = (
    "Direction générale des Douanes et Droits indirects (DGDDI), statistiques du commerce "
    "extérieur par département et par région"
)


def page_filename(key: TerritoryKey) -> str:
    """The file name of a territory's page: departement-45.html, region-24.html, france.html.

    The level is part of the name because department and region codes overlap
    (department 24 is the Dordogne, region 24 Centre-Val de Loire).
    """
    level, code = key
    if level == "country":
        return "france.html"
    return f"{FILE_PREFIXES[level]}-{code}.html"


def sort_name(name: str) -> str:
    """A name without accents, so that "Île-de-France" sorts among the I."""
    decomposed = unicodedata.normalize("NFD", name)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


@dataclass(frozen=True)
class Chart:
    """A chart on a page: its element id, kind, accessible description and plotly spec."""

    id: str
    kind: str
    description: str
    spec: dict[str, Any]


@dataclass(frozen=True)
class Money:
    """An amount in euros with its display text (million euros)."""

    eur: Decimal
    text: str

    @classmethod
    def of(cls, value_eur: Decimal, signed: bool = False) -> Money:
        return cls(value_eur, fmt.million_eur(value_eur, signed=signed))


@dataclass
class FlowBlock:
    """One flow diagram with its totals and tables (nodes, largest links, every link)."""

    territory: str  # "level:code", tagged on the tables so that tests and scripts find them
    territory_name: str
    flow: str
    chart: Chart
    total: Money
    left_title: str
    right_title: str
    left: list[dict[str, Any]]
    right: list[dict[str, Any]]
    top_links: list[dict[str, Any]]
    links: list[dict[str, Any]] = field(default_factory=list)


def _node_rows(nodes: Sequence[charts.FlowNode]) -> list[dict[str, Any]]:
    return [
        {
            "rank": node.rank,
            "label": node.label,
            "money": Money.of(node.value_eur),
            "share": fmt.percent(node.share),
            "is_other": node.code == charts.OTHER_CODE,
        }
        for node in nodes
    ]


def _link_row(row: Row, flow: str) -> dict[str, Any]:
    product = charts.link_end_label(row, "product")
    country = charts.link_end_label(row, "country")
    source, target = (product, country) if flow == "export" else (country, product)
    return {
        "source": source,
        "target": target,
        "money": Money.of(row["value_eur"]),
        "share": fmt.percent(row["share_of_flow"]),
        "is_top": row["is_top_link"],
        "rank": row["link_rank"],
    }


class SiteContent:
    """Builds page contexts for one year of data; caches what several pages share."""

    def __init__(self, data: YearData, rendered: set[TerritoryKey]) -> None:
        self.data = data
        self.rendered = rendered
        self._flows: dict[tuple[TerritoryKey, str, bool], FlowBlock] = {}

    # -- links and names ----------------------------------------------------------------

    def link(self, key: TerritoryKey) -> str | None:
        """The relative URL of a territory's page, or None when it is not part of this site."""
        return page_filename(key) if key in self.rendered else None

    def name(self, key: TerritoryKey) -> str:
        return self.data.territories[key]["territory_name"]

    # -- shared blocks ------------------------------------------------------------------

    def provenance(self) -> dict[str, Any]:
        """Source line and data set(s) the pages were built from."""
        datasets = [
            {
                "name": row["dataset_name"],
                "synthetic": row["is_synthetic"],
                "files": fmt.integer(row["file_count"]),
                "rows": fmt.integer(row["row_count"]),
                "loaded": fmt.long_date(row["loaded_at"]) if row["loaded_at"] else "–",
                "years": f"{row['first_year']}–{row['last_year']}",
            }
            for row in self.data.provenance
        ]
        return {"source": SOURCE_TEXT, "datasets": datasets, "synthetic": self.data.is_synthetic}

    def flow_block(self, key: TerritoryKey, flow: str, compact: bool) -> FlowBlock | None:
        """The flow diagram of a territory (cached: region and France recur on many pages)."""
        cache_key = (key, flow, compact)
        if cache_key in self._flows:
            return self._flows[cache_key]
        links = [row for row in self.data.flow_links.get(key, []) if row["flow"] == flow]
        if not links:
            return None
        left, right = charts.flow_nodes(links, flow)
        total = sum((node.value_eur for node in left), Decimal(0))
        level, code = key
        spec = (
            charts.flow_sankey(links, flow, value_px=320, product_label_px=290, font_size=11)
            if compact
            else charts.flow_sankey(links, flow)
        )
        products_title = "Produits exportés" if flow == "export" else "Produits importés"
        countries_title = "Pays de destination" if flow == "export" else "Pays d'origine"
        left_title, right_title = (
            (products_title, countries_title)
            if flow == "export"
            else (countries_title, products_title)
        )
        name = self.name(key)
        block = FlowBlock(
            territory=f"{level}:{code}",
            territory_name=name,
            flow=flow,
            chart=Chart(
                id=f"chart-{flow}-flows-{level}-{code}".lower(),
                kind="sankey",
                description=(
                    f"Diagramme de flux des {charts.FLOW_WORDS[flow]} de {name} : "
                    f"{left_title.lower()} à gauche, {right_title.lower()} à droite."
                ),
                spec=spec,
            ),
            total=Money.of(total),
            left_title=left_title,
            right_title=right_title,
            left=_node_rows(left),
            right=_node_rows(right),
            top_links=[_link_row(row, flow) for row in links if row["is_top_link"]],
            links=[] if compact else [_link_row(row, flow) for row in links],
        )
        block.top_links.sort(key=lambda link: link["rank"])
        self._flows[cache_key] = block
        return block

    # -- sections of a territory page ---------------------------------------------------

    def key_figures(self, key: TerritoryKey, row: Row) -> dict[str, Any]:
        """The headline figures with the fiche's precision, and their context lines."""
        level = key[0]
        region = f"de la région {row['region_name']}" if row.get("region_name") else ""
        previous = self.data.year - 1

        def flow_figures(flow: str) -> dict[str, Any]:
            plural = "exports" if flow == "export" else "imports"
            notes = []
            if level == "department":
                notes.append(
                    {
                        "id": f"{flow}_share_of_region",
                        "prefix": "soit",
                        "value": fmt.percent(row[f"{flow}_share_of_region"]),
                        "suffix": f"des {charts.FLOW_WORDS[flow]} {region}",
                    }
                )
            if level in ("department", "region"):
                notes.append(
                    {
                        "id": f"{flow}_share_of_france",
                        "prefix": "soit",
                        "value": fmt.percent(row[f"{flow}_share_of_france"], 2),
                        "suffix": f"des {charts.FLOW_WORDS[flow]} de la France",
                    }
                )
            change = row[f"{plural}_change_ratio"]
            if change is not None:
                before = fmt.million_eur_with_unit(row[f"{plural}_previous_year_eur"])
                notes.append(
                    {
                        "id": f"{plural}_change",
                        "prefix": "",
                        "value": fmt.percent(change, 1, signed=True),
                        "suffix": f"par rapport à {previous} ({before})",
                    }
                )
            return {
                "id": plural,
                "label": charts.FLOW_WORDS[flow].capitalize(),
                "money": Money.of(row[f"{plural}_eur"]),
                "notes": notes,
            }

        balance = row["balance_eur"]
        balance_notes = []
        if row["balance_change_eur"] is not None:
            balance_notes.append(
                {
                    "id": "balance_change",
                    "prefix": "",
                    "value": fmt.million_eur_with_unit(row["balance_change_eur"], signed=True),
                    "suffix": f"par rapport à {previous}",
                }
            )
        coverage = row["coverage_ratio"]
        return {
            "flows": [flow_figures("export"), flow_figures("import")],
            "balance": {
                "id": "balance",
                "label": "Solde commercial",
                "money": Money.of(balance, signed=True),
                "positive": balance >= 0,
                "notes": balance_notes,
            },
            "coverage": {
                "id": "coverage",
                "label": "Taux de couverture",
                "value": fmt.percent(coverage) if coverage is not None else "–",
            },
        }

    def partners(self, key: TerritoryKey) -> dict[str, Any] | None:
        rows = self.data.partners.get(key, [])
        if not rows:
            return None
        level, code = key
        table = [
            {
                "name": row["country_name"],
                "eu": row["is_eu27"],
                "imports": Money.of(row["imports_eur"]),
                "exports": Money.of(row["exports_eur"]),
                "balance": Money.of(row["balance_eur"], signed=True),
                "positive": row["balance_eur"] >= 0,
                "import_share": fmt.percent(row["import_share"]),
                "export_share": fmt.percent(row["export_share"]),
                "import_rank": row["import_rank"],
                "export_rank": row["export_rank"],
            }
            for row in rows
        ]
        chart = Chart(
            id=f"chart-partners-{level}-{code}".lower(),
            kind="bar",
            description=(
                f"Importations (à gauche) et exportations (à droite) de {self.name(key)} "
                "avec ses principaux pays partenaires, et solde par pays."
            ),
            spec=charts.partner_balance_chart(rows),
        )
        return {"chart": chart, "rows": table}

    def products(self, key: TerritoryKey, totals: Row) -> dict[str, Any] | None:
        """The treemap of both flows, and per flow its top products and families."""
        level, code = key
        rows = self.data.products.get(key, [])
        if not rows:
            return None
        flow_totals = {"import": totals["imports_eur"], "export": totals["exports_eur"]}
        tables = []
        for flow in ("import", "export"):
            flow_rows = [row for row in rows if row["flow"] == flow]
            detail = sorted(
                (row for row in flow_rows if row["product_level"] == "a129"),
                key=lambda row: row["rank_in_flow"],
            )
            groups = sorted(
                (row for row in flow_rows if row["product_level"] == "a38"),
                key=lambda row: row["rank_in_flow"],
            )
            group_labels = {row["product_code"]: row["product_label"] for row in groups}
            top = detail[:TOP_PRODUCTS_IN_TABLE]
            rest = detail[TOP_PRODUCTS_IN_TABLE:]
            rest_eur = sum((row["value_eur"] for row in rest), Decimal(0))
            rest_share = sum(row["share_of_flow"] or 0.0 for row in rest)
            tables.append(
                {
                    "flow": flow,
                    "title": f"Biens {'exportés' if flow == 'export' else 'importés'}",
                    "total": Money.of(flow_totals[flow]),
                    "top": [
                        {
                            "rank": row["rank_in_flow"],
                            "code": row["product_code"],
                            "label": row["product_label"],
                            "group": group_labels.get(row["parent_product_code"], ""),
                            "money": Money.of(row["value_eur"]),
                            "share": fmt.percent(row["share_of_flow"]),
                        }
                        for row in top
                    ],
                    "rest": {
                        "count": len(rest),
                        "money": Money.of(rest_eur),
                        "share": fmt.percent(rest_share),
                    }
                    if rest
                    else None,
                    "groups": [
                        {
                            "rank": row["rank_in_flow"],
                            "code": row["product_code"],
                            "label": row["product_label"],
                            "money": Money.of(row["value_eur"]),
                            "share": fmt.percent(row["share_of_flow"]),
                        }
                        for row in groups
                    ],
                }
            )
        chart = Chart(
            id=f"chart-products-{level}-{code}".lower(),
            kind="treemap",
            description=(
                f"Produits importés (en bleu) et exportés (en violet) par {self.name(key)} : "
                "surfaces proportionnelles aux montants."
            ),
            spec=charts.product_treemap(rows, flow_totals, self.data.year),
        )
        return {"chart": chart, "tables": tables}

    def comparison_rows(self, keys: Sequence[TerritoryKey]) -> list[dict[str, Any]]:
        """Totals of the territory, its region and France side by side."""
        rows = []
        for key in keys:
            row = self.data.key_figures.get(key)
            if row is None:
                continue
            rows.append(
                {
                    "key": key,
                    "name": self.name(key),
                    "level": LEVEL_LABELS[key[0]],
                    "url": self.link(key),
                    "exports": Money.of(row["exports_eur"]),
                    "imports": Money.of(row["imports_eur"]),
                    "balance": Money.of(row["balance_eur"], signed=True),
                    "positive": row["balance_eur"] >= 0,
                    "coverage": fmt.percent(row["coverage_ratio"]),
                }
            )
        return rows

    def members(self, key: TerritoryKey) -> list[dict[str, Any]]:
        """The departments of a region, or the regions of France, with their weight.

        The rows come from reports/queries/members.sql (largest exporter first),
        the query the Evidence pages show too.
        """
        decimals = {"region": 1, "country": 2}.get(key[0])  # the fiche's precision
        if decimals is None:
            return []
        rows = []
        for figures in self.data.members.get(key, []):
            member = (figures["territory_level"], figures["territory_code"])
            rows.append(
                {
                    "code": member[1],
                    "name": self.name(member),
                    "url": self.link(member),
                    "exports": Money.of(figures["exports_eur"]),
                    "imports": Money.of(figures["imports_eur"]),
                    "balance": Money.of(figures["balance_eur"], signed=True),
                    "positive": figures["balance_eur"] >= 0,
                    "export_share": fmt.percent(figures["export_share_of_parent"], decimals),
                    "import_share": fmt.percent(figures["import_share_of_parent"], decimals),
                }
            )
        return rows

    # -- whole pages --------------------------------------------------------------------

    def territory_page(self, key: TerritoryKey) -> dict[str, Any]:
        """Everything the territory template needs for one page."""
        territory = self.data.territories[key]
        level, code = key
        figures = self.data.key_figures.get(key)
        region_key = ("region", territory["region_code"]) if level == "department" else None
        comparison_keys: list[TerritoryKey] = []
        if level == "department" and region_key:
            comparison_keys = [region_key, FRANCE]
        elif level == "region":
            comparison_keys = [FRANCE]
        page: dict[str, Any] = {
            "key": key,
            "title": f"{territory['territory_name']} ({code})"
            if level != "country"
            else territory["territory_name"],
            "territory": territory,
            "level_label": LEVEL_LABELS[level],
            "region_url": self.link(region_key) if region_key else None,
            "france_url": self.link(FRANCE) if key != FRANCE else None,
            "year": self.data.year,
            "provenance": self.provenance(),
            "has_data": figures is not None,
        }
        if figures is None:
            return page
        key_figures = self.key_figures(key, figures)
        page.update(
            {
                "figures": key_figures,
                "partners": self.partners(key),
                "products": self.products(key, figures),
                "flows": {
                    flow: self.flow_block(key, flow, compact=False) for flow in ("export", "import")
                },
                "shares": {
                    flow: [note for note in block["notes"] if "share" in note["id"]]
                    for flow, block in zip(("export", "import"), key_figures["flows"], strict=True)
                },
                "comparison": {
                    "rows": self.comparison_rows([key, *comparison_keys]),
                    "flows": [
                        {
                            "flow": flow,
                            "blocks": [
                                self.flow_block(other, flow, compact=True)
                                for other in comparison_keys
                            ],
                        }
                        for flow in ("export", "import")
                    ],
                }
                if comparison_keys
                else None,
                "members": self.members(key),
            }
        )
        return page

    def index_page(self) -> dict[str, Any]:
        """The site index: France, then each region with its departments."""
        territories = self.data.territories
        shown = {key[1] for key in self.rendered if key[0] == "region"}
        shown |= {
            territories[key]["region_code"] for key in self.rendered if key[0] == "department"
        }
        regions = sorted(
            (("region", code) for code in shown if ("region", code) in territories),
            key=lambda key: (key[1] < "10", sort_name(self.name(key))),
        )

        def entry(key: TerritoryKey) -> dict[str, Any]:
            figures = self.data.key_figures.get(key)
            return {
                "code": key[1],
                "name": self.name(key),
                "url": self.link(key),
                "exports": Money.of(figures["exports_eur"]) if figures else None,
                "imports": Money.of(figures["imports_eur"]) if figures else None,
                "balance": Money.of(figures["balance_eur"], signed=True) if figures else None,
                "positive": figures is not None and figures["balance_eur"] >= 0,
            }

        groups = []
        for region in regions:
            departments = sorted(
                (
                    key
                    for key in territories
                    if key[0] == "department"
                    and key in self.rendered
                    and territories[key]["region_code"] == region[1]
                ),
                key=lambda key: key[1],
            )
            groups.append({"region": entry(region), "departments": [entry(k) for k in departments]})
        return {
            "year": self.data.year,
            "provenance": self.provenance(),
            "france": entry(FRANCE) if FRANCE in self.rendered else None,
            "groups": groups,
            "page_count": len(self.rendered),
        }
