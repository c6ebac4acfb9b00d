"""The raw customs file layout, declared once for the generator and the loader.

The departmental files of the customs service are tables of trade values by
flow, year, department, product (CPF, A129 level) and partner country, in
thousands of euros with three decimals (so exact to the euro), shipped as one
zip per region. The project lands them as semicolon-separated CSV members of
such zips, with the columns below. Keeping the published column names here,
mapped to the English names of the ``raw`` schema, means a renamed column in a
new vintage is a one-line change.
"""

from __future__ import annotations

#: Column name as published -> column name in ``raw.customs_trade``.
COLUMNS: dict[str, str] = {
    "Flux": "flow_code",
    "Annee": "year",
    "Departement": "department_code",
    "Code A129": "product_code",
    "Code Pays": "country_code",
    "Valeur": "value_keur",
}

#: Flow codes as published: E = exports (FOB), I = imports (CIF).
FLOW_CODES: dict[str, str] = {"E": "export", "I": "import"}

SEPARATOR = ";"

#: Department code the files use for national trade allocated to no department.
UNALLOCATED_DEPARTMENT = "00"

#: Columns that together identify one published value.
KEY_COLUMNS: tuple[str, ...] = ("Flux", "Annee", "Departement", "Code A129", "Code Pays")

#: Optional JSON file at the root of a raw folder describing the data set.
DATASET_MANIFEST = "dataset.json"


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
