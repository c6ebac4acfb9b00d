"""The names and headers the synthetic sample writes its files with (the customs' own
names where they are known, assumed where not, as each docstring says).

Why apart from the layouts: they are what the generator and the benchmark write,
not what the loader recognises; the loader knows files by the layouts only.
"""

from __future__ import annotations

#: The project's own long layout, as the sample generator writes it.
SAMPLE_HEADER = ("Flux", "Annee", "Departement", "Code A129", "Code Pays", "Valeur")
SAMPLE_SEPARATOR = ";"

#: The declaration-level layout as the sample generator writes it (values in euros).
DECLARATIONS_HEADER = (
    "Flux", "Annee", "Mois", "Departement", "Code A129", "Code Pays", "Numero de ligne",
    "Valeur (euros)",
)  # fmt: skip


def format_keur(value_eur: int) -> str:
    """Euros as the files print them: thousands of euros with three decimals."""
    return f"{value_eur // 1000}.{value_eur % 1000:03d}"


def regional_archive_name(year: int) -> str:
    """The sample's zip of one year of the regional file (the real zip's name is not known)."""
    return f"Region_{year}.zip"


def regional_member_name(year: int, flow_code: str) -> str:
    """A yearly regional file, as the customs name it inside their archive."""
    return f"Region_{year}_{'Export' if flow_code == 'E' else 'Import'}.txt"


def national_archive_name(year: int) -> str:
    """The sample's zip of one year of the national file (an assumed name)."""
    return f"National_{year}.zip"


def national_member_name(year: int, flow_code: str) -> str:
    """A yearly national file (named by analogy with the regional one: an assumption)."""
    return f"National_{year}_{'Export' if flow_code == 'E' else 'Import'}.txt"


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
