"""The raw customs file layouts, declared once for the generator and the loader.

The departmental files of the customs service are tables of trade values by
flow, year, department, product (CPF, A129 level) and partner country, in
thousands of euros with three decimals (so exact to the euro), shipped as one
zip per region with a file of product labels. They have come in two shapes:
long tables (one value per line) and cross tables (one line per product, one
column per partner country). Each layout below maps the column names a
publisher has used to the English names of the ``raw`` schema; a renamed
column in a new vintage is one more name in a tuple here. Headers are compared
without accents, case or surrounding spaces.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Columns of ``raw.customs_trade`` that hold published values (as text).
RAW_COLUMNS: tuple[str, ...] = (
    "flow_code",
    "year",
    "department_code",
    "product_code",
    "country_code",
    "value",
    "value_unit",
)


@dataclass(frozen=True)
class Layout:
    """A file shape: which published header names feed which raw column."""

    name: str
    shape: str  # "long", "cross" or "labels"
    required: dict[str, tuple[str, ...]]
    optional: dict[str, tuple[str, ...]]
    description: str

    def expected(self) -> list[str]:
        """The first accepted name of each required column, for error messages."""
        return [names[0] for names in self.required.values()]


_FLOW = ("Flux", "Flow", "Sens")
_YEAR = ("Annee", "Year")
_DEPARTMENT = ("Departement", "Dept", "Code departement")
_PRODUCT = ("Code A129", "A129", "Code produit", "Code CPF", "Produit")
_COUNTRY = ("Code Pays", "Pays", "Code pays partenaire")
_VALUE = (
    "Valeur", "Valeur (k€)", "Valeur en milliers d'euros", "Valeur (milliers d'euros)",
    "Valeur (euros)", "Valeur en euros",
)  # fmt: skip
_LABEL = ("Libelle", "Libelle A129", "Libelle produit", "Intitule")

LONG = Layout(
    name="long",
    shape="long",
    required={"flow_code": _FLOW, "year": _YEAR, "department_code": _DEPARTMENT,
              "product_code": _PRODUCT, "country_code": _COUNTRY, "value": _VALUE},
    optional={},
    description="one value per line: flow, year, department, product, country, value",
)  # fmt: skip
CROSS = Layout(
    name="cross",
    shape="cross",
    required={"product_code": _PRODUCT},
    optional={"flow_code": _FLOW, "year": _YEAR, "department_code": _DEPARTMENT},
    description=(
        "one line per product, one column per partner country (headers are country codes); "
        "flow, year and department come from columns or from a file name like 45_export_2024"
    ),
)
LABELS = Layout(
    name="labels",
    shape="labels",
    required={"product_code": _PRODUCT, "product_label": _LABEL},
    optional={},
    description="product codes and their labels",
)
LAYOUTS: tuple[Layout, ...] = (LONG, CROSS, LABELS)

#: Flow codes as published: E = exports (FOB), I = imports (CIF).
FLOW_CODES: dict[str, str] = {"E": "export", "I": "import"}

#: Department code the files use for national trade allocated to no department.
UNALLOCATED_DEPARTMENT = "00"

#: Unit of values when neither the header nor the data set's manifest says.
DEFAULT_UNIT = "keur"

#: Optional JSON file at the root of a raw folder describing the data set.
DATASET_MANIFEST = "dataset.json"

#: What a cross table's file name may tell: department, flow and year.
CROSS_FILE_NAME = re.compile(
    r"(?P<department>2A|2B|97[1-6]|\d{2})[_-](?P<flow>export|import|exp|imp|E|I)[_-]"
    r"(?P<year>(?:19|20)\d{2})",
    re.IGNORECASE,
)

#: The project's own long layout, as the sample generator writes it.
SAMPLE_HEADER = ("Flux", "Annee", "Departement", "Code A129", "Code Pays", "Valeur")
SAMPLE_SEPARATOR = ";"


def normalise_header(name: str) -> str:
    """A header as layouts compare it: no accents, lower case, single spaces."""
    decomposed = unicodedata.normalize("NFKD", name.replace("\ufeff", ""))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.strip().strip('"').lower().split())


def unit_from_header(header: str) -> str | None:
    """'keur' or 'eur' when a value column's header states its unit."""
    text = normalise_header(header)
    if "milliers" in text or "k€" in text or "keur" in text:
        return "keur"
    if "euro" in text or "€" in text:
        return "eur"
    return None


def format_keur(value_eur: int) -> str:
    """Euros as the files print them: thousands of euros with three decimals."""
    return f"{value_eur // 1000}.{value_eur % 1000:03d}"


def department_member_name(department_code: str, year: int) -> str:
    """File name of one department's table inside its region's zip."""
    return f"dept_{department_code}_{year}.csv"


def region_archive_name(region_code: str, year: int) -> str:
    """File name of one region's zip for one year."""
    return f"region_{region_code}_{year}.zip"


def unallocated_file_name(year: int) -> str:
    """File name of the national trade allocated to no department."""
    return f"france_non_ventile_{year}.csv"
