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

Declaration-level files (one line per customs declaration line, with a month
and a line number, values in euros) are a long table with two more columns;
they exist to load a realistic volume of rows, which dbt sums back to the
departmental grain. A header is recognised by the first layout of ``LAYOUTS``
whose required columns it has all, and none of whose ``excluded`` columns it
has, so a declarations header is never read as a plain long table (which
would drop its month and line number).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

#: Columns of ``raw.customs_trade`` that hold published values (as text).
RAW_COLUMNS: tuple[str, ...] = (
    "flow_code",
    "year",
    "department_code",
    "product_code",
    "country_code",
    "value",
    "value_unit",
    "month",
    "line_number",
)

#: Columns of ``RAW_COLUMNS`` only declaration-level files fill (NULL for the other layouts).
DECLARATION_COLUMNS: tuple[str, ...] = ("month", "line_number")


@dataclass(frozen=True)
class Layout:
    """A file shape: which published header names feed which raw column."""

    name: str
    shape: str  # "long", "cross" or "labels"
    required: dict[str, tuple[str, ...]]
    optional: dict[str, tuple[str, ...]]
    description: str
    #: Raw columns whose presence in a header means the file is another layout.
    excluded: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Unit of values when the value header does not say (None: the data set's default).
    unit: str | None = None

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
_MONTH = ("Mois", "Month", "Mois de declaration")
_LINE = ("Numero de ligne", "Ligne", "Line", "Line number", "No ligne", "Numero ligne")
_LABEL = ("Libelle", "Libelle A129", "Libelle produit", "Intitule")

DECLARATIONS = Layout(
    name="declarations",
    shape="long",
    required={"flow_code": _FLOW, "year": _YEAR, "month": _MONTH, "department_code": _DEPARTMENT,
              "product_code": _PRODUCT, "country_code": _COUNTRY, "line_number": _LINE,
              "value": _VALUE},
    optional={},
    description=(
        "one customs declaration line per line: flow, year, month, department, product, "
        "country, line number (unique in the file), value in euros"
    ),
    unit="eur",
)  # fmt: skip
LONG = Layout(
    name="long",
    shape="long",
    required={"flow_code": _FLOW, "year": _YEAR, "department_code": _DEPARTMENT,
              "product_code": _PRODUCT, "country_code": _COUNTRY, "value": _VALUE},
    optional={},
    description="one value per line: flow, year, department, product, country, value",
    # a month or a line number makes it a (possibly incomplete) declarations file
    excluded={"month": _MONTH, "line_number": _LINE},
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
#: In the order headers are tried: declarations before long, whose columns they include.
LAYOUTS: tuple[Layout, ...] = (DECLARATIONS, LONG, CROSS, LABELS)

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

#: The declaration-level layout as the sample generator writes it (values in euros).
DECLARATIONS_HEADER = (
    "Flux", "Annee", "Mois", "Departement", "Code A129", "Code Pays", "Numero de ligne",
    "Valeur (euros)",
)  # fmt: skip


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


def declarations_file_name(region_code: str | None, year: int) -> str:
    """File name of one region's declaration lines (None: those allocated to no department)."""
    if region_code is None:
        return f"declarations_france_non_ventile_{year}.csv"
    return f"declarations_region_{region_code}_{year}.csv"
