"""The seed lists the synthetic sample is drawn from, read from the dbt seeds.

Why apart: the generator draws from the same departments, products, CPF4
classes and countries the warehouse is built with; reading them is one job,
drawing from them another (``cells``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from scripts.paths import SEEDS_DIR


@dataclass(frozen=True)
class Department:
    """One department of the seed: the warehouse's codes and the customs' codes."""

    code: str  # department_code (INSEE, 20 for Corsica, 99 for Monaco)
    region: str  # INSEE region_code
    customs_code: str  # customs_department_code (9A..9E overseas)
    customs_region: str  # DGDDI region code


@dataclass(frozen=True)
class Country:
    """One row of the countries seed: a partner code in one validity period."""

    code: str
    group: str  # "country" or "special"
    valid_from: int  # YYYYMM
    valid_to: int  # YYYYMM, 999912 = still valid

    def valid_in(self, year: int) -> bool:
        """Whether this meaning of the code is valid in some month of ``year``."""
        return self.valid_from <= year * 100 + 12 and self.valid_to >= year * 100 + 1


@dataclass(frozen=True)
class Reference:
    """The seed lists the sample is drawn from."""

    departments: list[Department]
    products: list[tuple[str, str]]  # (a129_code, a38_code)
    cpf4: list[tuple[str, str, str]]  # (cpf4_code, a129_code, label), classes with an A129
    countries: list[Country]  # one per row of countries.csv (a code may repeat)


def read_reference(seeds_dir: Path = SEEDS_DIR) -> Reference:
    """Read departments, products, CPF4 classes and countries from the dbt seeds."""

    def rows(name: str) -> list[dict[str, str]]:
        with (seeds_dir / name).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    return Reference(
        departments=[
            Department(
                r["department_code"],
                r["region_code"],
                r["customs_department_code"],
                r["customs_region_code"],
            )
            for r in rows("departments.csv")
        ],
        products=[(r["a129_code"], r["a38_code"]) for r in rows("products_a129.csv")],
        cpf4=[
            (r["cpf4_code"], r["a129_code"], r["cpf4_label"])
            for r in rows("products_cpf4.csv")
            if r["a129_code"]
        ],
        countries=[
            Country(r["country_code"], r["country_group"], int(r["valid_from"]), int(r["valid_to"]))
            for r in rows("countries.csv")
        ],
    )
