"""What every section shares: money and chart blocks, page names, the site's territories.

Why here: a section builder needs the territories' names and the links
between pages, and hands the templates amounts and charts in one shape; these
are defined once for all sections.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from scripts.report import formatting as fmt
from scripts.report.queries import TerritoryKey, YearData

FRANCE: TerritoryKey = ("country", "FR")
LEVEL_LABELS = {"department": "Département", "region": "Région", "country": "Pays"}
FILE_PREFIXES = {"department": "departement", "region": "region"}
FLOWS = ("export", "import")


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


def territory_chart(key: TerritoryKey, name: str, kind: str, text: str, spec: Any) -> Chart:
    """A chart of one territory, with the element id ``chart-<name>-<level>-<code>``."""
    level, code = key
    return Chart(id=f"chart-{name}-{level}-{code}".lower(), kind=kind, description=text, spec=spec)


@dataclass(frozen=True)
class Money:
    """An amount in euros with its display text (million euros)."""

    eur: Decimal
    text: str

    @classmethod
    def of(cls, value_eur: Decimal, signed: bool = False) -> Money:
        return cls(value_eur, fmt.million_eur(value_eur, signed=signed))


@dataclass(frozen=True)
class SiteView:
    """One year of data and the pages of this site: names and links between territories."""

    data: YearData
    rendered: frozenset[TerritoryKey]

    def link(self, key: TerritoryKey) -> str | None:
        """The relative URL of a territory's page, or None when it is not part of this site."""
        return page_filename(key) if key in self.rendered else None

    def name(self, key: TerritoryKey) -> str:
        return self.data.territories[key]["territory_name"]

    def name_de(self, key: TerritoryKey) -> str:
        """The name after "de", with INSEE's article: "du Loiret", "de l'Ain", "de la France"."""
        return self.data.territories[key]["name_with_de"]
