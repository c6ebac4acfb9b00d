"""The raw customs file layouts, declared once for the generator and the loader.

Two families live here. The **published layouts** (``FIXED_LAYOUTS``) are the
files the customs service (DGDDI) really ships in its open data: no header
line, ``;``-separated, recognised by their file name and field count, never by
guessing. Their field order comes from DGDDI's own description of the data
sets (``Description-des-jeux-de-donnees-derniere-publication_EMEBI.pdf``,
09/05/2022) and, for the label annexes, from real published files committed in
``seeds/customs_annexes/``. Which of them a real file confirms is said on each
layout (``evidence``) and in the README.

The **header-based layouts** (``LAYOUTS``) below them were modelled before a
real file was at hand: no published file backs them, they are kept for files
users assemble themselves and for the benchmark's declaration-level volume.

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
from dataclasses import dataclass, field

# re-exported: the generator, the downloader and the tests know these names as layout's
from scripts.ingest.file_names import (  # noqa: F401
    DECLARATIONS_HEADER,
    SAMPLE_HEADER,
    SAMPLE_SEPARATOR,
    declarations_file_name,
    department_member_name,
    format_keur,
    national_archive_name,
    national_member_name,
    region_archive_name,
    regional_archive_name,
    regional_member_name,
    unallocated_file_name,
)  # fmt: skip

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
    "quarter",
    "region_code",
    "cpf4_code",
    "mass_kg",
)

#: Columns of ``RAW_COLUMNS`` only declaration-level files fill (NULL for the other layouts).
DECLARATION_COLUMNS: tuple[str, ...] = ("month", "line_number")

#: Columns of ``RAW_COLUMNS`` only the published regional file fills.
REGIONAL_ONLY_COLUMNS: tuple[str, ...] = ("quarter", "region_code", "cpf4_code", "mass_kg")

#: Columns of ``raw.customs_national_trade`` (the national NC8 file), as text.
NATIONAL_COLUMNS: tuple[str, ...] = (
    "flow_code",
    "month",
    "year",
    "cpf6_code",
    "product_code",
    "nc8_code",
    "country_code",
    "value",
    "mass_kg",
    "supplementary_unit",
)

#: Columns of ``raw.customs_labels`` (the label annexes), as text.
LABEL_COLUMNS: tuple[str, ...] = (
    "annex",
    "code",
    "label",
    "valid_from",
    "valid_to",
    "region_code",
    "region_label",
    "supplementary_unit_flag",
    "supplementary_unit_label",
)


@dataclass(frozen=True)
class FixedLayout:
    """A headerless published file: which raw column each field feeds, by position.

    ``fields`` maps positions to raw columns (``None``: a field the layout
    publishes empty, such as the trailing ``;;;;;;`` of the NC8 annex).
    ``file_name`` is matched against the file's own name (case-insensitive);
    its named groups ``flow`` (E/I, or Export/Import) and ``year`` state what
    every line of the file must then carry. ``target`` is the raw table the
    rows go to; ``annex`` the annex name kept in ``raw.customs_labels``.
    """

    name: str
    target: str  # "trade", "national" or "labels"
    file_name: re.Pattern[str]
    fields: tuple[str | None, ...]
    description: str
    evidence: str
    annex: str | None = None
    #: Other accepted field counts, each with its own field list (older vintages).
    variants: tuple[tuple[str | None, ...], ...] = ()
    #: How its numbers are written (``NUMBER_CONVENTIONS``); None: not declared.
    numbers: str | None = None

    @property
    def names(self) -> str:
        """The file names the layout accepts, as a person would write them."""
        return self.description.split(":", 1)[0]

    def field_lists(self) -> tuple[tuple[str | None, ...], ...]:
        """Every accepted field list, the current vintage first."""
        return (self.fields, *self.variants)


#: Whole numbers only: no decimal mark, no grouping mark.
WHOLE_NUMBERS = "whole"
#: A comma marks the decimals (French usage); spaces may group thousands.
DECIMAL_COMMA = "decimal comma"
#: How a layout may declare its numbers. A layout that declares none (the
#: header-based ones, which no published file backs) leaves it to each file: a
#: value like "6,401" reads 6.401 with a decimal comma but 6401 with a thousands
#: comma, so it is refused unless another line of the same file uses a decimal
#: comma unambiguously ("12,5", "1234,567", "0,401"). A decimal point is read as
#: one (the project's own files write "1200.500"); French files group thousands
#: with spaces, not points.
NUMBER_CONVENTIONS = {
    WHOLE_NUMBERS: "whole numbers, no decimal or grouping mark",
    DECIMAL_COMMA: "a comma marks the decimals",
}

_FLOW_NAME = r"(?P<flow>export|import|e|i)"
_YEARLY_FLOW = r"(?P<year>(?:19|20)\d{2})_(?P<flow2>export|import)"
REGIONAL = FixedLayout(
    name="regional",
    target="trade",
    file_name=re.compile(
        rf"(?:regional_cpf4pays{_FLOW_NAME}|region_{_YEARLY_FLOW})\.txt",
        re.IGNORECASE,
    ),
    fields=("flow_code", "quarter", "year", "department_code", "region_code", "product_code",
            "cpf4_code", "country_code", "value", "mass_kg"),
    description=(
        "REGIONAL_CPF4PAYSE/I.txt (the last five completed quarters) or Region_YYYY_Export/"
        "Import.txt (yearly archives): the regional open-data file, flow, quarter, year, "
        "department (customs code), region (DGDDI code), A129, CPF4, country, value in euros, "
        "mass in kg"
    ),
    evidence=(
        "DGDDI data-set description (PDF, 09/05/2022): field order and two example rows; "
        "the yearly archive name Region_2019_Export.txt from a public copy of the 2019 zip. "
        "No whole published data file was available offline. Whole numbers: every value and "
        "mass the PDF prints is whole (euros, kg); that no line has decimals is a guess."
    ),
    numbers=WHOLE_NUMBERS,
)  # fmt: skip
NATIONAL = FixedLayout(
    name="national",
    target="national",
    file_name=re.compile(
        rf"(?:national_nc8pays{_FLOW_NAME}|national_{_YEARLY_FLOW})\.txt",
        re.IGNORECASE,
    ),
    fields=("flow_code", "month", "year", "cpf6_code", "product_code", "nc8_code",
            "country_code", "value", "mass_kg", "supplementary_unit"),
    variants=(("flow_code", "month", "year", "nc8_code", "country_code", "value", "mass_kg",
               "supplementary_unit"),),
    description=(
        "NATIONAL_NC8PAYSE/I.txt (the last 13 months) or National_YYYY_Export/Import.txt "
        "(yearly archives): the national open-data file, flow, month, year, CPF6, A129, NC8, "
        "country, value in euros, mass in kg, supplementary unit; the 2012-2016 vintages have "
        "8 fields (no CPF6, no A129)"
    ),
    evidence=(
        "DGDDI data-set description (PDF): field order and an example row. The 8-field order "
        "of 2012-2016 and the yearly archive name National_YYYY_Export.txt are assumptions "
        "(no such file seen). Whole numbers: every value and mass the PDF prints is whole; "
        "that no line has decimals is a guess."
    ),
    numbers=WHOLE_NUMBERS,
)  # fmt: skip
_PERIOD_ANNEX = ("code", "label", "valid_from", "valid_to")
A129_LABELS = FixedLayout(
    name="a129_labels", target="labels", annex="A129",
    file_name=re.compile(r"libelle_a129\.txt", re.IGNORECASE),
    fields=_PERIOD_ANNEX,
    description="Libelle_A129.txt: A129 code; label; valid from YYYYMM; valid to YYYYMM",
    evidence="real published file (seeds/customs_annexes/Libelle_A129.txt)",
)  # fmt: skip
CPF4_LABELS = FixedLayout(
    name="cpf4_labels", target="labels", annex="CPF4",
    file_name=re.compile(r"libelle_cpf4[^/]*\.txt", re.IGNORECASE),
    fields=_PERIOD_ANNEX,
    description="Libelle_CPF4*.txt: CPF4 code; label; valid from YYYYMM; valid to YYYYMM",
    evidence="real published files (Libelle_CPF4_rev2.1.txt in cp1252, Libelle_CPF4.txt 2019)",
)  # fmt: skip
CPF6_LABELS = FixedLayout(
    name="cpf6_labels", target="labels", annex="CPF6",
    file_name=re.compile(r"libelle_cpf6[^/]*\.txt", re.IGNORECASE),
    fields=_PERIOD_ANNEX,
    description="Libelle_CPF6*.txt: CPF6 code; label; valid from YYYYMM; valid to YYYYMM",
    evidence="the open-data readme (LISEZ-MOI.txt) only; no such file seen",
)  # fmt: skip
NC8_LABELS = FixedLayout(
    name="nc8_labels", target="labels", annex="NC8",
    file_name=re.compile(r"libelle_nc8[^/]*\.txt", re.IGNORECASE),
    fields=("code", "label", "supplementary_unit_flag", "supplementary_unit_label",
            "valid_from", "valid_to", None, None, None, None, None, None),
    variants=(("code", "label", "supplementary_unit_flag", "supplementary_unit_label",
               "valid_from", "valid_to"),),
    description=(
        "Libelle_NC8_YYYY.txt: NC8; label; supplementary unit (0/1); its label; first year; "
        "last year (9999 = current); six empty fields"
    ),
    evidence="the open-data readme (LISEZ-MOI.txt) only; no such file seen",
)  # fmt: skip
COUNTRY_LABELS = FixedLayout(
    name="country_labels", target="labels", annex="PAYS",
    file_name=re.compile(r"libelle_pays\.txt", re.IGNORECASE),
    fields=_PERIOD_ANNEX,
    description=(
        "Libelle_PAYS.txt: country code; label; valid from YYYYMM; valid to YYYYMM "
        "(a code may come back with another meaning: XS is Saba until 2005, Serbia since)"
    ),
    evidence="real published files (seeds/customs_annexes/Libelle_PAYS.txt, 2019 vintage)",
)  # fmt: skip
DEPARTMENT_LABELS = FixedLayout(
    name="department_regions", target="labels", annex="DEPARTEMENT",
    file_name=re.compile(r"departement_region\.txt", re.IGNORECASE),
    fields=("code", "label", "region_code", "region_label"),
    variants=(("code", "label", "region_code", "region_label", "valid_from", "valid_to"),),
    description=(
        "Departement_region.txt: customs department code; label; DGDDI region code; region "
        "label (the readme announces two validity fields the real file does not have)"
    ),
    evidence="real published file (seeds/customs_annexes/Departement_region.txt)",
)  # fmt: skip
#: The published layouts, recognised by file name (then field count) without a header.
FIXED_LAYOUTS: tuple[FixedLayout, ...] = (
    REGIONAL, NATIONAL, A129_LABELS, CPF4_LABELS, CPF6_LABELS, NC8_LABELS, COUNTRY_LABELS,
    DEPARTMENT_LABELS,
)  # fmt: skip


def layout_label(layout: FixedLayout, fields: tuple[str | None, ...]) -> str:
    """The name rows of one vintage of a layout carry (``national_8_fields`` for 2012-2016)."""
    return layout.name if fields == layout.fields else f"{layout.name}_{len(fields)}_fields"


#: Validity end the annexes write for "still valid".
OPEN_VALIDITY = "999912"


def fixed_layout_for(file_name: str) -> tuple[FixedLayout, dict[str, str]] | None:
    """The published layout a file name belongs to, and the flow and year it states.

    Only the file's own name counts (not its folder or zip), so that a file
    renamed by a user is refused rather than guessed.
    """
    base = re.split(r"[/\\!]", file_name)[-1]
    for layout in FIXED_LAYOUTS:
        found = layout.file_name.fullmatch(base)
        if found:
            groups = {k: v for k, v in found.groupdict().items() if v}
            stated: dict[str, str] = {}
            flow = groups.get("flow") or groups.get("flow2")
            if flow:
                stated["flow_code"] = flow[0].upper()
            if "year" in groups:
                stated["year"] = groups["year"]
            return layout, stated
    return None


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
    #: How its numbers are written (``NUMBER_CONVENTIONS``); None: each file's lines decide.
    numbers: str | None = None

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
#: Columns of a cross table that are not read: its totals, derived from the country columns.
CROSS_TOTALS = ("Total",)
#: In the order headers are tried: declarations before long, whose columns they include.
LAYOUTS: tuple[Layout, ...] = (DECLARATIONS, LONG, CROSS, LABELS)

#: Flow codes as published: E = exports (FOB), I = imports (CIF).
FLOW_CODES: dict[str, str] = {"E": "export", "I": "import"}

#: Department code the files use for national trade allocated to no department.
UNALLOCATED_DEPARTMENT = "00"

#: Unit of values when neither the header nor the data set's manifest says.
DEFAULT_UNIT = "keur"

#: Units a manifest may state (staging multiplies "keur" by 1 000); any other is refused.
VALUE_UNITS = ("keur", "eur")

#: Optional JSON file at the root of a raw folder describing the data set.
DATASET_MANIFEST = "dataset.json"
