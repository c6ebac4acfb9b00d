"""Turn the mart rows of one year into what each page shows: figures, tables, charts.

Why separate from the templates: the templates only lay things out, so every
number a reader sees is formatted here, once, by :mod:`scripts.report.formatting`,
and every chart comes from :mod:`scripts.report.charts`. Region and France flow
diagrams appear on many pages; they are built once and reused.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from scripts.reference.territoires_industrie import LIST_LABEL as TERRITOIRES_INDUSTRIE_LIST
from scripts.report import charts
from scripts.report import formatting as fmt
from scripts.report.queries import Row, TerritoryKey, YearData

FRANCE: TerritoryKey = ("country", "FR")
# The title of the fiche the pages reproduce, which a page's title follows with its territory.
FICHE_TITLE = "Les indicateurs clés : commerce extérieur — Territoires d'industrie"
LEVEL_LABELS = {"department": "Département", "region": "Région", "country": "Pays"}
FILE_PREFIXES = {"department": "departement", "region": "region"}
TOP_PRODUCTS_IN_TABLE = 15
# The department rankings (marts.department_rankings): French label and how a value reads.
INDICATORS = {
    "exports_eur": ("Exportations", "money"),
    "imports_eur": ("Importations", "money"),
    "balance_eur": ("Solde commercial", "signed_money"),
    "exports_change_ratio_1y": ("Évolution des exportations sur un an", "change"),
    "exports_change_ratio_5y": ("Évolution des exportations sur cinq ans", "change"),
    "export_partner_hhi": ("Concentration des exportations par pays (HHI)", "hhi"),
    "export_product_hhi": ("Concentration des exportations par produit (HHI)", "hhi"),
    "import_partner_hhi": ("Concentration des importations par pays (HHI)", "hhi"),
    "import_product_hhi": ("Concentration des importations par produit (HHI)", "hhi"),
    "eu27_export_share": ("Part des exportations vers l'Union européenne", "share"),
    "us_export_share": ("Part des exportations vers les États-Unis", "share"),
    "dependent_import_share": (
        "Part des importations dépendant d'un fournisseur à plus de 50 %",
        "share",
    ),
    "specialised_product_count": ("Produits de spécialisation (avantage comparatif > 1)", "count"),
}
MOVER_GROUPS = (
    ("export", "product", "Produits exportés"),
    ("export", "partner", "Pays clients"),
    ("import", "product", "Produits importés"),
    ("import", "partner", "Pays fournisseurs"),
)
SOURCE_TEXT = (
    "Direction générale des Douanes et Droits indirects (DGDDI), statistiques du commerce "
    "extérieur par département et par région"
)


def indicator_text(kind: str, value: float) -> str:
    """An indicator value as the rankings table writes it."""
    if kind in ("money", "signed_money"):
        return fmt.million_eur_with_unit(value, signed=kind == "signed_money")
    if kind == "change":
        return fmt.percent(value, 1, signed=True)
    if kind == "share":
        return fmt.percent(value)
    if kind == "hhi":
        return fmt.hhi_points(value)
    return fmt.integer(int(value))


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
        self._territoire_departments: dict[str, list[TerritoryKey]] | None = None

    # -- links and names ----------------------------------------------------------------

    def link(self, key: TerritoryKey) -> str | None:
        """The relative URL of a territory's page, or None when it is not part of this site."""
        return page_filename(key) if key in self.rendered else None

    def name(self, key: TerritoryKey) -> str:
        return self.data.territories[key]["territory_name"]

    # -- shared blocks ------------------------------------------------------------------

    def period(self) -> dict[str, Any]:
        """What the year's figures cover and where France's come from, for the pages.

        A partial year (the regional file holds the last five quarters) is
        said to be one on every page; France's source depends on whether the
        national file was loaded for the year.
        """
        row = self.data.period
        return {
            "label": row["period_label"],
            "is_complete": row["is_complete_year"],
            "quarters": row["quarters_covered"],
            "france_from_national": row["france_source"] == "national",
        }

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

    # -- 6. exposure and dependency (issue #8) ------------------------------------------

    def _chart(self, key: TerritoryKey, name: str, kind: str, text: str, spec: Any) -> Chart:
        level, code = key
        return Chart(
            id=f"chart-{name}-{level}-{code}".lower(), kind=kind, description=text, spec=spec
        )

    def evolution(self, key: TerritoryKey) -> dict[str, Any] | None:
        """Exports and imports of every year up to the page's, with 1- and 5-year growth."""
        rows = self.data.evolution.get(key, [])
        if not rows:
            return None
        table = [
            {
                "year": row["year"],
                "exports": Money.of(row["exports_eur"]),
                "imports": Money.of(row["imports_eur"]),
                "balance": Money.of(row["balance_eur"], signed=True),
                "positive": row["balance_eur"] >= 0,
                "exports_1y": fmt.percent(row["exports_change_ratio_1y"], 1, signed=True),
                "imports_1y": fmt.percent(row["imports_change_ratio_1y"], 1, signed=True),
                "exports_5y": fmt.percent(row["exports_change_ratio_5y"], 1, signed=True),
                "imports_5y": fmt.percent(row["imports_change_ratio_5y"], 1, signed=True),
            }
            for row in rows
        ]
        latest = rows[-1]
        growth = []
        for plural, word in (("exports", "exportations"), ("imports", "importations")):
            if latest[f"{plural}_change_ratio_1y"] is not None:
                growth.append(
                    {
                        "id": f"{plural}_change_1y",
                        "value": fmt.percent(latest[f"{plural}_change_ratio_1y"], 1, signed=True),
                        "text": f"{word} sur un an (depuis {latest['year'] - 1})",
                    }
                )
            if latest[f"{plural}_change_ratio_5y"] is not None:
                annual = fmt.percent(latest[f"{plural}_annual_change_ratio_5y"], 1, signed=True)
                growth.append(
                    {
                        "id": f"{plural}_change_5y",
                        "value": fmt.percent(latest[f"{plural}_change_ratio_5y"], 1, signed=True),
                        "text": f"{word} sur cinq ans (depuis {latest['base_year_5y']}, "
                        f"soit {annual} par an)",
                    }
                )
        chart = self._chart(
            key,
            "evolution",
            "line",
            f"Évolution des exportations (en violet) et des importations (en bleu) de "
            f"{self.name(key)}, {rows[0]['year']}–{latest['year']}, en millions d'euros.",
            charts.evolution_chart(rows),
        )
        return {"chart": chart, "rows": table, "growth": growth, "first_year": rows[0]["year"]}

    def partner_groups(self, key: TerritoryKey) -> dict[str, Any] | None:
        rows = self.data.partner_groups.get(key, [])
        if not rows:
            return None
        table = [
            {
                "code": row["partner_group_code"],
                "label": row["partner_group_label"],
                "exports": Money.of(row["exports_eur"]),
                "export_share": fmt.percent(row["export_share"]),
                "imports": Money.of(row["imports_eur"]),
                "import_share": fmt.percent(row["import_share"]),
                "balance": Money.of(row["balance_eur"], signed=True),
                "positive": row["balance_eur"] >= 0,
            }
            for row in rows
        ]
        chart = self._chart(
            key,
            "partner-groups",
            "bar",
            f"Part des exportations et des importations de {self.name(key)} avec l'Union "
            "européenne, le reste du monde, les États-Unis, la Chine et le Royaume-Uni.",
            charts.partner_group_chart(rows),
        )
        us = next((row for row in rows if row["partner_group_code"] == "US"), None)
        return {"chart": chart, "rows": table, "us": us}

    def us_products(self, key: TerritoryKey, us_group: Row | None) -> dict[str, Any]:
        rows = self.data.us_products.get(key, [])
        block: dict[str, Any] = {
            "rows": [
                {
                    "rank": row["us_value_rank"],
                    "code": row["product_code"],
                    "label": row["product_label"],
                    "us": Money.of(row["us_exports_eur"]),
                    "product": Money.of(row["product_exports_eur"]),
                    "us_share": fmt.percent(row["us_share_of_product_exports"]),
                    "territory_share": fmt.percent(row["share_of_territory_exports"], 2),
                }
                for row in rows
            ],
            "chart": None,
            "total": Money.of(us_group["exports_eur"]) if us_group else None,
            "share": fmt.percent(us_group["export_share"]) if us_group else None,
        }
        if rows:
            block["chart"] = self._chart(
                key,
                "us-products",
                "bar",
                f"Les produits que {self.name(key)} vend le plus aux États-Unis, en millions "
                "d'euros, avec la part des exportations du produit qui y part.",
                charts.us_products_chart(rows),
            )
        return block

    def concentration(self, key: TerritoryKey) -> list[dict[str, Any]]:
        return [
            {
                "flow": row["flow"],
                "label": row["flow_label"],
                "partner_count": fmt.integer(row["partner_count"]),
                "partner_hhi": fmt.hhi_points(row["partner_hhi"]),
                "partners_80": fmt.integer(row["partners_for_80_pct"]),
                "top_partner": fmt.percent(row["top_partner_share"]),
                "product_count": fmt.integer(row["product_count"]),
                "product_hhi": fmt.hhi_points(row["product_hhi"]),
                "products_80": fmt.integer(row["products_for_80_pct"]),
                "top_product": fmt.percent(row["top_product_share"]),
            }
            for row in self.data.concentration.get(key, [])
        ]

    def import_dependency(self, key: TerritoryKey) -> list[dict[str, Any]]:
        return [
            {
                "rank": row["dependency_rank"],
                "code": row["product_code"],
                "label": row["product_label"],
                "imports": Money.of(row["imports_eur"]),
                "supplier": row["first_supplier_name"],
                "eu": row["first_supplier_is_eu27"],
                "share": fmt.percent(row["first_supplier_share"]),
                "suppliers": fmt.integer(row["supplier_count"]),
            }
            for row in self.data.import_dependency.get(key, [])
        ]

    def specialisation(self, key: TerritoryKey) -> dict[str, Any] | None:
        rows = self.data.specialisation.get(key, [])
        if not rows:
            return None
        table = [
            {
                "rank": row["specialisation_rank"],
                "code": row["product_code"],
                "label": row["product_label"],
                "exports": Money.of(row["exports_eur"]),
                "share": fmt.percent(row["share_of_exports"]),
                "france_share": fmt.percent(row["france_share_of_exports"], 2),
                "rca": fmt.decimal_number(row["rca"], 2),
                "rca_rank": fmt.integer(row["rca_rank"]) if row["rca_rank"] is not None else "–",
            }
            for row in rows
        ]
        chart = self._chart(
            key,
            "specialisation",
            "bar",
            f"Les produits dans lesquels {self.name(key)} est le plus spécialisé : avantage "
            "comparatif révélé (1 = même poids que dans les exportations françaises).",
            charts.specialisation_chart(rows),
        )
        return {"chart": chart, "rows": table}

    def top_movers(self, key: TerritoryKey) -> list[dict[str, Any]]:
        """Per horizon (1 year, then 5 years): a chart per flow and a table per item type."""
        rows = self.data.top_movers.get(key, [])
        horizons = []
        for horizon, words in (("1y", "sur un an"), ("5y", "sur cinq ans")):
            of_horizon = [row for row in rows if row["horizon"] == horizon]
            if not of_horizon:
                continue
            groups = []
            for flow, item_type, title in MOVER_GROUPS:
                chosen = [
                    r for r in of_horizon if r["flow"] == flow and r["item_type"] == item_type
                ]
                gains = sorted(
                    (r for r in chosen if r["direction"] == "gain"), key=lambda r: r["mover_rank"]
                )
                losses = sorted(
                    (r for r in chosen if r["direction"] == "loss"), key=lambda r: r["mover_rank"]
                )
                groups.append(
                    {
                        "flow": flow,
                        "item_type": item_type,
                        "title": title,
                        "rows": [
                            {
                                "direction": r["direction"],
                                "rank": r["mover_rank"],
                                "code": r["item_code"],
                                "label": r["item_label"],
                                "base": Money.of(r["base_value_eur"]),
                                "value": Money.of(r["value_eur"]),
                                "change": Money.of(r["change_eur"], signed=True),
                                "positive": r["change_eur"] > 0,
                                "ratio": fmt.percent(r["change_ratio"], 1, signed=True)
                                if r["change_ratio"] is not None
                                else "nouveau",
                            }
                            for r in [*gains, *losses]
                        ],
                        "ordered": [*gains, *reversed(losses)],
                    }
                )
            chart_list = []
            if horizon == "1y":
                for flow in ("export", "import"):
                    products = next(
                        g for g in groups if g["flow"] == flow and g["item_type"] == "product"
                    )
                    if not products["ordered"]:
                        continue
                    word = charts.FLOW_WORDS[flow]
                    chart_list.append(
                        self._chart(
                            key,
                            f"movers-{flow}",
                            "bar",
                            f"Les produits dont les {word} de {self.name(key)} ont le plus "
                            f"augmenté (en vert) ou baissé (en rouge) {words}, "
                            "en millions d'euros.",
                            charts.movers_chart(products["ordered"]),
                        )
                    )
            horizons.append(
                {
                    "horizon": horizon,
                    "words": words,
                    "base_year": of_horizon[0]["base_year"],
                    "groups": groups,
                    "charts": chart_list,
                }
            )
        return horizons

    def rankings(self, key: TerritoryKey) -> list[dict[str, Any]]:
        """A department's rank among all departments and in its region, per indicator."""
        out = []
        for row in self.data.rankings.get(key, []):
            label, kind = INDICATORS.get(row["indicator_code"], (row["indicator_label"], "share"))
            out.append(
                {
                    "code": row["indicator_code"],
                    "label": label,
                    "value": indicator_text(kind, row["indicator_value"]),
                    "rank": fmt.rank_of(row["rank_among_departments"], row["ranked_departments"]),
                    "region_rank": fmt.rank_of(row["rank_in_region"], row["ranked_in_region"]),
                }
            )
        return out

    def exposure(self, key: TerritoryKey) -> dict[str, Any]:
        """Section 6 of a territory page: evolution, exposure, concentration, dependency."""
        groups = self.partner_groups(key)
        return {
            "evolution": self.evolution(key),
            "groups": groups,
            "us": self.us_products(key, groups["us"] if groups else None),
            "concentration": self.concentration(key),
            "dependency": self.import_dependency(key),
            "specialisation": self.specialisation(key),
            "movers": self.top_movers(key),
            "rankings": self.rankings(key),
        }

    def department_table(self) -> dict[str, Any]:
        """Every department with its main indicators (index page), largest exporter first."""
        rows = []
        for row in self.data.departments:
            key = ("department", row["territory_code"])
            growth, hhi, us = (
                row["exports_change_ratio_1y"],
                row["export_partner_hhi"],
                row["us_export_share"],
            )
            rows.append(
                {
                    "code": row["territory_code"],
                    "name": row["territory_name"],
                    "region": row["region_name"],
                    "url": self.link(key),
                    "exports": Money.of(row["exports_eur"]),
                    "imports": Money.of(row["imports_eur"]),
                    "balance": Money.of(row["balance_eur"], signed=True),
                    "positive": row["balance_eur"] >= 0,
                    "coverage": fmt.percent(row["coverage_ratio"]),
                    "coverage_sort": row["coverage_ratio"],
                    "growth": fmt.percent(growth, 1, signed=True),
                    "growth_sort": growth,
                    "hhi": fmt.hhi_points(hhi) if hhi is not None else "–",
                    "hhi_sort": hhi,
                    "us_share": fmt.percent(us),
                    "us_sort": us,
                    "rank": row["rank_by_exports"],
                }
            )

        def ranked(value: str, text: Any) -> list[tuple[str, float, str]]:
            chosen = [row for row in self.data.departments if row[value] is not None]
            chosen.sort(key=lambda row: (-float(row[value]), row["territory_code"]))
            return [
                (f"{row['territory_name']} ({row['territory_code']})", number, text(row[value]))
                for row in chosen
                for number in [
                    charts.million(row[value]) if value.endswith("_eur") else float(row[value])
                ]
            ]

        indicators = {
            "exports": ranked("exports_eur", fmt.million_eur),
            "imports": ranked("imports_eur", fmt.million_eur),
            "balance": ranked("balance_eur", lambda v: fmt.million_eur(v, signed=True)),
            "growth": ranked("exports_change_ratio_1y", lambda v: fmt.percent(v, 1, signed=True)),
            "us_share": ranked("us_export_share", fmt.percent),
            "hhi": ranked("export_partner_hhi", fmt.hhi_points),
        }
        # Ratios are drawn in percent and the HHI in points, like the texts beside the bars.
        for key, scale in (("growth", 100), ("us_share", 100), ("hhi", 10_000)):
            indicators[key] = [(label, v * scale, text) for label, v, text in indicators[key]]
        chart = Chart(
            id="chart-department-ranking",
            kind="bar",
            description="Classement des départements sur l'indicateur choisi dans le menu "
            "(exportations par défaut), du plus élevé au plus faible.",
            spec=charts.ranking_chart(indicators),
        )
        return {"rows": rows, "chart": chart if rows else None}

    def territoires_industrie(self, key: TerritoryKey) -> list[dict[str, Any]]:
        """A department's Territoires d'industrie, each with the other departments it covers.

        The fiche tells the reader of a territory spread over several
        departments to read each department's page, so every page names the
        others and links to those this site renders. A territory is known by
        its name, which the seed's list gives once per territory.
        """
        if self._territoire_departments is None:
            index: dict[str, list[TerritoryKey]] = defaultdict(list)
            for other, row in sorted(self.data.territories.items()):
                if other[0] == "department":
                    for name in row["territoires_industrie"] or []:
                        index[name].append(other)
            self._territoire_departments = dict(index)
        return [
            {
                "name": name,
                "others": [
                    {"code": other[1], "name": self.name(other), "url": self.link(other)}
                    for other in self._territoire_departments.get(name, [])
                    if other != key
                ],
            }
            for name in self.data.territories[key]["territoires_industrie"] or []
        ]

    # -- whole pages --------------------------------------------------------------------

    def territory_page(self, key: TerritoryKey) -> dict[str, Any]:
        """Everything the territory template needs for one page."""
        territory = self.data.territories[key]
        level = key[0]
        figures = self.data.key_figures.get(key)
        region_key = ("region", territory["region_code"]) if level == "department" else None
        comparison_keys: list[TerritoryKey] = []
        if level == "department" and region_key:
            comparison_keys = [region_key, FRANCE]
        elif level == "region":
            comparison_keys = [FRANCE]
        page: dict[str, Any] = {
            "key": key,
            "title": f"{FICHE_TITLE} — {territory['territory_name']}",
            "territory": territory,
            "territoires_industrie": self.territoires_industrie(key)
            if level == "department"
            else [],
            "territoires_industrie_list": TERRITOIRES_INDUSTRIE_LIST,
            "level_label": LEVEL_LABELS[level],
            "region_url": self.link(region_key) if region_key else None,
            "france_url": self.link(FRANCE) if key != FRANCE else None,
            "year": self.data.year,
            "year_label": self.data.period["period_label"],
            "period": self.period(),
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
                "exposure": self.exposure(key),
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
            "year_label": self.data.period["period_label"],
            "period": self.period(),
            "provenance": self.provenance(),
            "france": entry(FRANCE) if FRANCE in self.rendered else None,
            "groups": groups,
            "page_count": len(self.rendered),
            "departments": self.department_table(),
        }
