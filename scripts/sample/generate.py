"""Write the embedded synthetic sample: the customs' regional and national files for France.

Why it exists: the warehouse must build, and its tests must run, on any machine
without network access, and its numbers must be checkable against a published
report. So this script writes files exactly in the layout the customs service
(DGDDI) publishes (``raw_layout.FIXED_LAYOUTS``), deterministically from a
fixed seed, with the shapes of real departmental trade (a few products and
partners dominate each department, neighbours and large economies weigh as
they do in French trade, departments specialise, ports import hydrocarbons,
some national trade is allocated to no department). Its 2024 totals for
Loiret, Centre-Val de Loire and France equal, to the 0.1 million euros, the
figures printed in the Loiret 2024 fiche
(../shared/reference/published_figures_2024.csv). Every other number is
invented: the data is synthetic and says so in its manifest.

Each year gets two zips. ``raw_layout.regional_archive_name`` holds the
regional file, one member per flow (``regional_member_name``): no header,
``;``, ``\\n``, ten fields per line: flow, quarter (1-4), year, department
(the customs' code: ``20`` Corsica, ``9A``-``9E`` overseas, ``99`` Monaco),
DGDDI region code, A129, CPF4, partner country, value in whole euros, mass in
kg. The trade is drawn as annual cells (department x A129 x partner, whole
euros), and each cell is split exactly into one to three CPF4 classes of its
A129 code and into quarters (large cells in all four, small ones in fewer);
masses are values divided by a price per kg drawn per A38 division. As in the
real regional file there is no line for the trade allocated to no department:
that trade is only in the national file (``national_archive_name``), in its
own ten-field layout (flow, month, year, CPF6, A129, NC8, country, euros, kg,
supplementary unit), which holds for each flow, quarter, A129, CPF4 and
partner the sum of all departments plus the unallocated part, in one month of
the quarter, under synthetic CPF6 and NC8 codes (the CPF4 plus two digits,
then two more). The label annexes (real files, ``seeds/customs_annexes/``) are
copied byte-exact into ``annexes/``.

With ``--declaration-lines N`` it writes the same annual cells as
declaration-level files instead (``raw_layout.DECLARATIONS``, the project's
older header-based layout, with the warehouse's department codes and ``00``
for the unallocated trade): each cell's euros split exactly into about N
lines, each with a month and a line number, one plain CSV per region and
year. That gives the benchmark tens of millions of raw rows that dbt must
aggregate back. It is vectorised with numpy and written by DuckDB's CSV
writer, because a Python loop over 20 million lines would take minutes; the
published files are written the same way.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import re
import shutil
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import duckdb
import numpy as np

from scripts.ingest import layout as raw_layout
from scripts.paths import SAMPLE_RAW_DIR, SEEDS_DIR
from scripts.reference.seeds import ANNEX_DIR, ANNEXES

SEED = 2024_45
CALIBRATION_YEAR = 2024
DEFAULT_FIRST_YEAR = 2020
DEFAULT_LAST_YEAR = 2024
FLOWS = ("E", "I")
#: Seeds the sample is drawn from (their bytes are part of generator_version).
SEED_FILES = ("departments.csv", "products_a129.csv", "products_cpf4.csv", "countries.csv")
#: Folder of the sample holding the label annexes.
ANNEX_FOLDER = "annexes"

# 2024 totals in euros. Their values in million euros round to the published
# figures (Loiret 13 225.3 / 13 109.2, Centre-Val de Loire 27 859.4 / 26 662.5,
# France 580 354.5 / 684 776.3); the euro digits below the rounding are invented.
LOIRET = "45"
CENTRE_VAL_DE_LOIRE = "24"
CALIBRATED_TOTALS_EUR: dict[str, dict[str, int]] = {
    "department": {"E": 13_225_276_543, "I": 13_109_234_567},
    "region": {"E": 27_859_387_654, "I": 26_662_523_456},
    "country": {"E": 580_354_512_345, "I": 684_776_298_765},
}

# Share of national trade that the files allocate to no department.
UNALLOCATED_SHARE = {"E": 0.035, "I": 0.045}

# National trade relative to 2024, by year (shape of the 2015-2024 decade:
# the 2020 slump, the 2022 energy-price surge in imports). Other years
# extrapolate at 3 % a year.
YEAR_FACTORS: dict[str, dict[int, float]] = {
    "E": {2015: 0.78, 2016: 0.78, 2017: 0.81, 2018: 0.84, 2019: 0.86,
          2020: 0.74, 2021: 0.86, 2022: 1.00, 2023: 1.03, 2024: 1.00},
    "I": {2015: 0.74, 2016: 0.74, 2017: 0.78, 2018: 0.81, 2019: 0.82,
          2020: 0.72, 2021: 0.86, 2022: 1.10, 2023: 1.02, 2024: 1.00},
}  # fmt: skip

# National product structure by A38 division (share of the flow).
A38_WEIGHTS: dict[str, dict[str, float]] = {
    "E": {"AZ": 3.0, "BZ": 1.0, "CA": 12.0, "CB": 7.0, "CC": 3.0, "CD": 3.0, "CE": 14.0,
          "CF": 6.0, "CG": 5.0, "CH": 8.0, "CI": 7.0, "CJ": 5.0, "CK": 9.0, "CL": 19.0,
          "CM": 4.0, "DZ": 2.0, "EZ": 1.0, "JA": 0.5, "MA": 0.01, "MC": 0.01, "SZ": 0.005},
    "I": {"AZ": 2.0, "BZ": 9.0, "CA": 9.0, "CB": 9.0, "CC": 3.0, "CD": 6.0, "CE": 9.0,
          "CF": 5.0, "CG": 5.0, "CH": 8.0, "CI": 11.0, "CJ": 6.0, "CK": 10.0, "CL": 17.0,
          "CM": 4.0, "DZ": 1.0, "EZ": 0.5, "JA": 0.5, "MA": 0.01, "MC": 0.01, "SZ": 0.005},
}  # fmt: skip
#: Weight of an A38 division the table above does not name (arts and antiques, RZ).
OTHER_DIVISION_WEIGHT = 0.2

# National partner structure (share of the flow, in percent); every other
# current partner of the reference list (country_group 'country') shares a
# small tail. Monaco is no partner: it lies inside France's statistical
# territory (it is the customs' department 99).
COUNTRY_WEIGHTS: dict[str, dict[str, float]] = {
    "E": {"DE": 13.5, "IT": 8.0, "ES": 8.0, "BE": 7.5, "US": 8.0, "GB": 6.0, "NL": 5.0,
          "CH": 4.0, "CN": 4.0, "PL": 2.5, "JP": 1.5, "SG": 1.2, "PT": 1.2, "AE": 1.0,
          "SE": 1.0, "AT": 1.0, "IE": 0.8, "CZ": 0.8, "TR": 0.8, "KR": 0.8, "DZ": 0.8,
          "MA": 0.8, "IN": 0.7, "HK": 0.7, "CA": 0.7, "SA": 0.6, "DK": 0.6, "RO": 0.6,
          "TN": 0.6, "HU": 0.5, "AU": 0.5, "BR": 0.5, "MX": 0.5, "QA": 0.4, "FI": 0.4,
          "GR": 0.4, "LU": 0.5, "NO": 0.4, "SK": 0.3, "SN": 0.3, "CI": 0.3},
    "I": {"DE": 16.0, "BE": 10.0, "NL": 8.5, "IT": 8.0, "ES": 8.0, "CN": 8.5, "US": 6.5,
          "GB": 4.0, "CH": 3.0, "IE": 2.0, "PL": 1.5, "CZ": 1.0, "TR": 1.0, "NO": 1.0,
          "VN": 1.0, "JP": 1.0, "PT": 1.0, "IN": 0.8, "SE": 0.8, "AT": 0.8, "KR": 0.8,
          "TW": 0.7, "DZ": 0.7, "MA": 0.7, "TN": 0.6, "BD": 0.6, "KZ": 0.6, "SA": 0.5,
          "NG": 0.5, "LY": 0.4, "AZ": 0.3, "IQ": 0.3, "RU": 0.3, "SK": 0.4, "HU": 0.4,
          "RO": 0.4, "TH": 0.4, "MY": 0.3, "LU": 0.3, "DK": 0.3, "FI": 0.3, "BR": 0.3},
}  # fmt: skip
TAIL_TOTAL_WEIGHT = 7.0
# Uninhabited or tiny territories trade next to nothing.
MINOR_TERRITORIES = ("AQ", "BV", "CC", "CX", "GS", "HM", "IO", "NF", "NU", "PN", "TF", "TK", "UM")
SPECIAL_COUNTRY_WEIGHTS = {"QU": 0.15, "QS": 0.1}

# Products that dominate, or hardly appear in, their A38 division: crude oil
# and gas make most extractive imports; printing, sewage sludge and works of
# art are rarities in goods trade.
WITHIN_DIVISION: dict[str, float] = {
    "B06Z": 25.0, "B05Z": 0.5, "C18Z": 0.1, "R90Z": 0.05, "R91Z": 0.05, "J59Z": 0.3,
    "D35B": 0.3, "E37Z": 0.05,
}  # fmt: skip
# CPF4 classes whose label says they are services (support services to
# agriculture, film production, hairdressing...) are rare in goods trade.
SERVICE_CPF4_WEIGHT = 0.02
# Outside the departments that specialise in them (ports, refineries), crude
# oil, gas and refined products are rare.
ENERGY_ELSEWHERE = 0.1

# Hydrocarbon suppliers weigh far more for crude oil, gas and refined products.
ENERGY_DIVISIONS = ("BZ", "CD")
ENERGY_SUPPLIERS = {"NO": 25.0, "US": 6.0, "KZ": 30.0, "NG": 30.0, "SA": 25.0, "DZ": 15.0,
                    "LY": 30.0, "AZ": 30.0, "IQ": 30.0, "GB": 4.0, "RU": 10.0}  # fmt: skip

# Relative economic weight of the largest trading departments (default 1) and
# their tilt towards exports (>1) or imports (<1): aerospace, wine and
# spirits export; ports and the Paris area import.
DEPARTMENT_SIZE: dict[str, float] = {
    "75": 9.0, "92": 9.0, "13": 9.0, "59": 8.0, "69": 7.0, "31": 10.0, "76": 8.0,
    "67": 5.0, "44": 5.0, "33": 5.0, "95": 4.0, "94": 5.0, "93": 4.0, "77": 4.0,
    "78": 5.0, "91": 4.0, "57": 4.0, "68": 3.5, "38": 4.0, "62": 3.0, "06": 2.0,
    "34": 2.0, "35": 3.0, "63": 3.0, "74": 3.0, "51": 3.0, "25": 2.5, "60": 2.5,
    "45": 4.0, "28": 2.0, "37": 2.0, "54": 2.0, "42": 2.0, "01": 2.0, "64": 2.0,
    "49": 2.0, "29": 2.0, "21": 2.0, "80": 1.5, "27": 2.0, "14": 1.5, "72": 1.5,
    "99": 0.25,  # Monaco: a small trade, counted by the customs with PACA
}  # fmt: skip
#: Overseas departments (warehouse codes) trade less than their size says.
OVERSEAS_DEPARTMENTS = ("971", "972", "973", "974", "976")
EXPORT_TILT: dict[str, float] = {
    "31": 2.2, "33": 1.3, "51": 2.0, "16": 2.0, "64": 1.4, "63": 1.3, "25": 1.3,
    "76": 0.6, "13": 0.6, "95": 0.6, "75": 0.8, "92": 0.8, "94": 0.6, "93": 0.7,
    "59": 0.8, "44": 0.8, "77": 0.7, "971": 0.2, "972": 0.2, "973": 0.4, "974": 0.2,
    "976": 0.1,
}  # fmt: skip

# Specialities: A38 divisions a department trades far more than France does.
SPECIALITIES: dict[str, dict[str, float]] = {
    "31": {"CL": 12.0}, "33": {"CA": 4.0, "CL": 3.0}, "51": {"CA": 8.0}, "16": {"CA": 10.0},
    "21": {"CA": 3.0}, "76": {"BZ": 8.0, "CD": 6.0}, "13": {"BZ": 8.0, "CD": 4.0, "CH": 2.0},
    "45": {"CE": 5.0, "CF": 4.0, "CK": 1.5}, "28": {"CE": 4.0, "CF": 2.0},
    "69": {"CE": 2.5, "CF": 2.5}, "67": {"CF": 2.0, "CK": 2.0}, "68": {"CK": 2.0, "CE": 2.0},
    "25": {"CL": 4.0}, "78": {"CL": 4.0}, "44": {"CL": 2.5, "CD": 3.0},
    "59": {"CH": 2.5, "CL": 1.5}, "57": {"CH": 3.0}, "63": {"CG": 6.0}, "74": {"CK": 3.0},
    "38": {"CI": 2.5, "CE": 1.5}, "35": {"CA": 2.5, "CL": 1.5}, "29": {"CA": 4.0},
    "22": {"CA": 4.0}, "56": {"CA": 3.0}, "50": {"CA": 3.0}, "64": {"CL": 2.5},
    "65": {"CL": 2.5}, "40": {"CC": 3.0}, "75": {"CB": 4.0, "CM": 2.0},
    "92": {"CF": 2.5, "CI": 1.5}, "95": {"CI": 2.5, "CB": 1.5}, "94": {"CA": 2.0},
    "971": {"CA": 4.0}, "972": {"CA": 4.0}, "974": {"CA": 4.0}, "976": {"CA": 3.0},
}  # fmt: skip

# Border and overseas neighbours weigh more for nearby departments.
NEIGHBOURS: dict[str, dict[str, float]] = {
    "59": {"BE": 3.0}, "62": {"BE": 1.5, "GB": 2.0}, "08": {"BE": 2.5}, "02": {"BE": 1.5},
    "67": {"DE": 2.5}, "68": {"DE": 2.0, "CH": 3.0}, "57": {"DE": 2.0, "LU": 3.0},
    "54": {"LU": 2.5, "DE": 1.5}, "25": {"CH": 3.0}, "90": {"CH": 2.5}, "39": {"CH": 2.0},
    "74": {"CH": 4.0}, "01": {"CH": 2.5}, "06": {"IT": 2.5}, "99": {"IT": 2.0}, "73": {"IT": 2.5},
    "05": {"IT": 1.5}, "04": {"IT": 1.5}, "64": {"ES": 3.0}, "66": {"ES": 3.0},
    "65": {"ES": 2.0}, "09": {"ES": 2.0}, "31": {"ES": 1.3}, "11": {"ES": 1.5},
    "20": {"IT": 2.5}, "971": {"US": 2.0}, "972": {"US": 1.5},
    "973": {"BR": 6.0, "SR": 8.0}, "974": {"MU": 10.0, "MG": 10.0, "ZA": 3.0},
    "976": {"KM": 15.0, "MG": 8.0},
}  # fmt: skip


# How an annual cell is split: one quarter below the first threshold, two,
# three, then all four from the last; one CPF4 class below the first CPF4
# threshold, then two, then three (never more than the A129 code has). Most
# cells are small, so the regional file has about 2.4 lines per cell.
QUARTER_THRESHOLDS_EUR = (100_000, 500_000, 2_000_000)
CPF4_THRESHOLDS_EUR = (1_000_000, 10_000_000)
#: Relative trade by quarter (a summer dip), for the quarters a cell is drawn in.
QUARTER_PROFILE = (1.0, 1.03, 0.92, 1.05)

# Typical value per kg (euros) by A38 division, which the masses divide
# values by (with a yearly draw per division and noise per line): bulk
# energy, ores and waste are cheap, pharmaceuticals, electronics and art dear.
PRICE_PER_KG_EUR: dict[str, float] = {
    "AZ": 1.2, "BZ": 0.5, "CA": 3.5, "CB": 25.0, "CC": 1.5, "CD": 0.8, "CE": 2.5,
    "CF": 80.0, "CG": 3.5, "CH": 4.5, "CI": 60.0, "CJ": 15.0, "CK": 20.0, "CL": 25.0,
    "CM": 20.0, "DZ": 0.2, "EZ": 0.3, "JA": 30.0, "MA": 200.0, "MC": 100.0, "RZ": 2000.0,
    "SZ": 80.0,
}  # fmt: skip
# Kilograms per supplementary unit for the few A129 codes whose national
# lines carry one (litres of drinks, vehicles, cycles, garments, pairs of
# shoes, phones); other lines leave the field empty.
KG_PER_SUPPLEMENTARY_UNIT: dict[str, float] = {
    "C11Z": 1.0, "C29A": 1400.0, "C30E": 25.0, "C14Z": 0.4, "C15Z": 0.9, "C26C": 0.5,
}  # fmt: skip


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


def year_factor(flow: str, year: int) -> float:
    """National trade in ``year`` relative to 2024."""
    table = YEAR_FACTORS[flow]
    if year in table:
        return table[year]
    edge = min(table) if year < min(table) else max(table)
    return table[edge] * 1.03 ** (year - edge)


def split_exactly(total: int | np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Integer parts of ``total`` proportional to ``weights`` that sum to it exactly.

    Floors every share and gives the remaining euros to the largest fractional
    shares, so that published totals are reproduced to the euro. With 2-D
    ``weights`` (one row per total) it splits each of an array of totals along
    its row at once; zero weights get nothing.
    """
    weights = np.asarray(weights, dtype=np.float64)
    if weights.ndim == 1:
        return split_exactly(np.array([total], dtype=np.int64), weights[None, :])[0]
    totals = np.asarray(total, dtype=np.int64)
    shares = weights / weights.sum(axis=1, keepdims=True) * totals[:, None]
    parts = np.floor(shares).astype(np.int64)
    remainder = totals - parts.sum(axis=1)
    fractions = np.where(weights > 0, shares - parts, -1.0)  # zero weights come last
    order = np.argsort(-fractions, axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(weights.shape[1])[None, :], axis=1)
    if remainder.min(initial=0) < 0 or (remainder > (weights > 0).sum(axis=1)).any():
        raise ArithmeticError("a split does not add up to its total")
    return parts + (ranks < remainder[:, None])


class SampleGenerator:
    """Draws department totals, product x country cells and their published split."""

    def __init__(self, reference: Reference, seed: int = SEED, detail: float = 1.0) -> None:
        self.ref = reference
        self.seed = seed
        self.detail = detail
        self.dept_codes = [d.code for d in reference.departments]
        self.dept_index = {code: i for i, code in enumerate(self.dept_codes)}
        #: Department codes and the unallocated one, as declaration files index them.
        self.dept_codes_all = [*self.dept_codes, raw_layout.UNALLOCATED_DEPARTMENT]
        self.region_of = {d.code: d.region for d in reference.departments}
        self.customs_codes = [d.customs_code for d in reference.departments]
        self.customs_regions = [d.customs_region for d in reference.departments]
        self.product_codes = np.array([code for code, _ in reference.products])
        self.product_a38 = np.array([a38 for _, a38 in reference.products])
        # one entry per partner code; its rows (periods) say in which years it is valid
        self._country_rows: dict[str, list[Country]] = {}
        for country in reference.countries:
            self._country_rows.setdefault(country.code, []).append(country)
        self.country_codes = np.array(sorted(self._country_rows))
        groups = np.array([self._latest(code).group for code in self.country_codes])
        self._current = np.array([
            self._latest(code).valid_to == int(raw_layout.OPEN_VALIDITY)
            for code in self.country_codes
        ])  # fmt: skip
        self._valid: dict[int, np.ndarray] = {}
        self._read_cpf4(reference)
        self._check_codes()
        self._national_products = {flow: self._national_product_weights(flow) for flow in FLOWS}
        self._national_countries = {
            flow: self._national_country_weights(flow, groups) for flow in FLOWS
        }
        self._totals_2024 = {flow: self._department_totals_2024(flow) for flow in FLOWS}

    def _latest(self, code: str) -> Country:
        return max(self._country_rows[code], key=lambda row: row.valid_from)

    def _read_cpf4(self, reference: Reference) -> None:
        """The CPF4 classes of each A129 code, as a padded table, with national weights."""
        self.cpf4_codes = np.array(sorted(code for code, _, _ in reference.cpf4))
        position = {code: i for i, code in enumerate(self.cpf4_codes.tolist())}
        product_index = {code: i for i, code in enumerate(self.product_codes.tolist())}
        members: list[list[int]] = [[] for _ in self.product_codes]
        services = np.zeros(len(self.cpf4_codes), dtype=bool)
        for code, a129, label in reference.cpf4:
            if a129 not in product_index:
                raise ValueError(f"CPF4 {code} belongs to {a129}, not in products_a129.csv")
            members[product_index[a129]].append(position[code])
            services[position[code]] = label.startswith("Services")
        if empty := [p for p, m in zip(self.product_codes, members, strict=True) if not m]:
            raise ValueError(f"A129 codes without a CPF4 class in products_cpf4.csv: {empty}")
        width = max(len(m) for m in members)
        self._cpf4_count = np.array([len(m) for m in members])
        self._cpf4_table = np.full((len(members), width), -1, dtype=np.int64)
        for i, m in enumerate(members):
            self._cpf4_table[i, : len(m)] = sorted(m)
        # national structure within each A129 code, drawn once
        weights = self._rng(8).lognormal(0.0, 1.0, size=len(self.cpf4_codes))
        weights[services] *= SERVICE_CPF4_WEIGHT
        padded = np.where(self._cpf4_table >= 0, weights[self._cpf4_table], 0.0)
        with np.errstate(divide="ignore"):
            self._cpf4_log_weight = np.log(padded)  # -inf where padded

    def _check_codes(self) -> None:
        """Fail loudly if a code written in this module is missing from the seeds."""
        current = set(self.country_codes[self._current])
        named = {c for table in COUNTRY_WEIGHTS.values() for c in table}
        named |= set(ENERGY_SUPPLIERS) | set(SPECIAL_COUNTRY_WEIGHTS) | set(MINOR_TERRITORIES)
        named |= {c for table in NEIGHBOURS.values() for c in table}
        missing = named - current  # a partner the generator names must still be valid
        known_divisions = set(self.product_a38)
        divisions = {d for table in A38_WEIGHTS.values() for d in table}
        divisions |= {d for table in SPECIALITIES.values() for d in table}
        divisions |= set(ENERGY_DIVISIONS) | set(PRICE_PER_KG_EUR)
        missing |= divisions - known_divisions
        missing |= known_divisions - set(PRICE_PER_KG_EUR)  # every division needs a price
        missing |= (set(WITHIN_DIVISION) | set(KG_PER_SUPPLEMENTARY_UNIT)) - set(self.product_codes)
        departments = set(DEPARTMENT_SIZE) | set(EXPORT_TILT) | set(SPECIALITIES)
        departments |= set(NEIGHBOURS) | set(OVERSEAS_DEPARTMENTS) | {LOIRET}
        missing |= departments - set(self.dept_codes)
        if CENTRE_VAL_DE_LOIRE not in self.region_of.values():
            missing.add(CENTRE_VAL_DE_LOIRE)
        if missing:
            raise ValueError(f"codes used by the generator are not in the seeds: {sorted(missing)}")

    def _rng(self, *keys: int) -> np.random.Generator:
        return np.random.default_rng([self.seed, *keys])

    def valid_countries(self, year: int) -> np.ndarray:
        """Which partner codes have a meaning valid in ``year`` (a mask on ``country_codes``)."""
        if year not in self._valid:
            self._valid[year] = np.array([
                any(row.valid_in(year) for row in self._country_rows[code])
                for code in self.country_codes
            ])  # fmt: skip
        return self._valid[year]

    def _national_product_weights(self, flow: str) -> np.ndarray:
        rng = self._rng(1, FLOWS.index(flow))
        division = np.array([
            A38_WEIGHTS[flow].get(a38, OTHER_DIVISION_WEIGHT) for a38 in self.product_a38
        ])  # fmt: skip
        within = rng.lognormal(0.0, 0.8, size=len(self.product_codes))
        within *= np.array([WITHIN_DIVISION.get(code, 1.0) for code in self.product_codes])
        # Each division's weight is split among its A129 products.
        totals = {a38: within[self.product_a38 == a38].sum() for a38 in set(self.product_a38)}
        return division * within / np.array([totals[a38] for a38 in self.product_a38])

    def _national_country_weights(self, flow: str, groups: np.ndarray) -> np.ndarray:
        rng = self._rng(2, FLOWS.index(flow))
        named = COUNTRY_WEIGHTS[flow]
        weights = np.zeros(len(self.country_codes))
        # the tail: current partner countries (not the customs' special codes)
        tail = np.array(
            [code not in named and group == "country" and current for code, group, current in
             zip(self.country_codes, groups, self._current, strict=True)]
        )  # fmt: skip
        tail_draw = rng.lognormal(0.0, 1.0, size=int(tail.sum()))
        tail_draw *= np.where(np.isin(self.country_codes[tail], MINOR_TERRITORIES), 0.01, 1.0)
        weights[tail] = tail_draw / tail_draw.sum() * TAIL_TOTAL_WEIGHT
        for i, code in enumerate(self.country_codes):
            weights[i] = named.get(code, SPECIAL_COUNTRY_WEIGHTS.get(code, weights[i]))
        return weights

    def _department_weight(self, code: str, flow: str) -> float:
        rng = self._rng(3, self.dept_index[code])
        size = DEPARTMENT_SIZE.get(code, 1.0) * rng.lognormal(0.0, 0.3)
        if code in OVERSEAS_DEPARTMENTS:
            size *= 0.4
        tilt = EXPORT_TILT.get(code, 1.0)
        return size * (tilt if flow == "E" else 1.0 / tilt)

    def _department_totals_2024(self, flow: str) -> dict[str, int]:
        """Calibrated 2024 totals: fixed Loiret, region and France, the rest by weight."""
        france = CALIBRATED_TOTALS_EUR["country"][flow]
        region = CALIBRATED_TOTALS_EUR["region"][flow]
        totals = {LOIRET: CALIBRATED_TOTALS_EUR["department"][flow]}
        in_region = [c for c in self.dept_codes if self.region_of[c] == CENTRE_VAL_DE_LOIRE]
        others_in_region = [c for c in in_region if c != LOIRET]
        outside = [c for c in self.dept_codes if self.region_of[c] != CENTRE_VAL_DE_LOIRE]
        allocated = round(france * (1.0 - UNALLOCATED_SHARE[flow]))
        for codes, amount in (
            (others_in_region, region - totals[LOIRET]),
            (outside, allocated - region),
        ):
            weights = np.array([self._department_weight(c, flow) for c in codes])
            totals.update(zip(codes, split_exactly(amount, weights).tolist(), strict=True))
        totals[raw_layout.UNALLOCATED_DEPARTMENT] = france - sum(totals.values())
        return totals

    def department_total(self, code: str, flow: str, year: int) -> int:
        """Total of one department (or the unallocated part) for one flow and year, in euros."""
        base = self._totals_2024[flow][code]
        if year == CALIBRATION_YEAR:
            return base
        index = self.dept_index.get(code, len(self.dept_codes))
        drift = self._rng(4, index, FLOWS.index(flow), year).normal(0.0, 0.06)
        return round(base * year_factor(flow, year) * math.exp(drift))

    def table_indices(
        self, code: str, flow: str, year: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Product x country cells of one department, flow and year: positions and euros.

        Positions rather than codes let the writers hand millions of lines to
        DuckDB as small integers. Only partner codes valid in ``year`` get trade.
        """
        index = self.dept_index.get(code, len(self.dept_codes))
        flow_i = FLOWS.index(flow)
        structure = self._rng(5, index, flow_i)
        yearly = self._rng(6, index, flow_i, year)
        total = self.department_total(code, flow, year)
        size = total / CALIBRATED_TOTALS_EUR["country"][flow] * 100  # percent of France

        specialities = SPECIALITIES.get(code, {})
        boost = np.array([
            specialities.get(a38, ENERGY_ELSEWHERE if a38 in ENERGY_DIVISIONS else 1.0)
            for a38 in self.product_a38
        ])  # fmt: skip
        product_w = (
            self._national_products[flow]
            * boost
            * structure.lognormal(0.0, 1.7, size=len(self.product_codes))
            * yearly.lognormal(0.0, 0.15, size=len(self.product_codes))
        )
        neighbours = NEIGHBOURS.get(code, {})
        near = np.array([neighbours.get(c, 1.0) for c in self.country_codes])
        country_w = (
            self._national_countries[flow]
            * near
            * self.valid_countries(year)
            * structure.lognormal(0.0, 0.6, size=len(self.country_codes))
            * yearly.lognormal(0.0, 0.1, size=len(self.country_codes))
        )
        n_products = int(np.clip((18 + 40 * math.sqrt(size)) * self.detail, 10, len(product_w)))
        n_countries = int(np.clip((25 + 60 * math.sqrt(size)) * self.detail, 15, len(country_w)))
        keep_p = np.sort(np.argsort(-product_w, kind="stable")[:n_products])
        keep_c = np.sort(np.argsort(-country_w, kind="stable")[:n_countries])

        cells = np.outer(product_w[keep_p], country_w[keep_c])
        cells *= structure.lognormal(0.0, 0.9, size=cells.shape)
        if flow == "I":
            energy = np.isin(self.product_a38[keep_p], ENERGY_DIVISIONS)
            suppliers = np.array([ENERGY_SUPPLIERS.get(c, 1.0) for c in self.country_codes[keep_c]])
            cells[energy] *= suppliers
        cells /= cells.sum()
        # Thin the long tail the way confidentiality and small flows thin real tables.
        cells[cells < 2e-6 / self.detail] = 0.0
        values = split_exactly(total, cells.ravel())
        nonzero = np.flatnonzero(values)
        rows, cols = np.divmod(nonzero, len(keep_c))
        return keep_p[rows], keep_c[cols], values[nonzero]

    def published_rows(self, code: str, flow: str, year: int) -> dict[str, np.ndarray]:
        """The lines of one department (or the unallocated part) in the regional layout.

        Every cell of ``table_indices`` (same seed, same euros) is split
        exactly into one to three CPF4 classes of its A129 code and one to four
        quarters, by its size; the lines carry positions (product, CPF4,
        country), the quarter (1-4), euros and a mass in kg.
        """
        products, countries, values = self.table_indices(code, flow, year)
        index = self.dept_index.get(code, len(self.dept_codes))
        rng = self._rng(9, index, FLOWS.index(flow), year)
        cell, cpf4, quarter, euros = self.split_cells(products, values, rng)
        return {
            "product": products[cell],
            "cpf4": cpf4,
            "quarter": quarter,
            "country": countries[cell],
            "value": euros,
            "mass": self.masses(products[cell], euros, year, rng),
        }

    def split_cells(
        self, products: np.ndarray, values: np.ndarray, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Split annual cells into CPF4 x quarter lines: (cell, CPF4, quarter, euros) per line.

        The number of quarters and CPF4 classes grows with the cell's value
        (QUARTER_THRESHOLDS_EUR, CPF4_THRESHOLDS_EUR). Classes are drawn
        without replacement by their national weight within the A129 code,
        quarters by QUARTER_PROFILE (Gumbel top-k: one vectorised draw for all
        cells); the euros are split with ``split_exactly``, so the lines of a
        cell sum to it exactly, and lines left with no euro are dropped.
        """
        m = len(values)
        n_quarters = 1 + np.searchsorted(QUARTER_THRESHOLDS_EUR, values, side="right")
        n_cpf4 = np.minimum(
            1 + np.searchsorted(CPF4_THRESHOLDS_EUR, values, side="right"),
            self._cpf4_count[products],
        )
        slots = len(CPF4_THRESHOLDS_EUR) + 1
        log_w = self._cpf4_log_weight[products]
        keys = -(log_w + rng.gumbel(size=log_w.shape))  # ascending: the winners first
        if keys.shape[1] > slots:  # the best ``slots`` classes, then in order
            best = np.argpartition(keys, slots - 1, axis=1)[:, :slots]
        else:
            best = np.broadcast_to(np.arange(keys.shape[1]), keys.shape)
        ranked = np.argsort(np.take_along_axis(keys, best, axis=1), axis=1, kind="stable")
        chosen = np.take_along_axis(best, ranked, axis=1)
        cpf4 = np.take_along_axis(self._cpf4_table[products], chosen, axis=1)
        cpf4_w = np.exp(np.take_along_axis(log_w, chosen, axis=1))
        cpf4_w *= rng.lognormal(0.0, 0.5, size=cpf4_w.shape)
        cpf4_w *= np.arange(slots)[None, :] < n_cpf4[:, None]

        profile = np.log(np.array(QUARTER_PROFILE))
        order = np.argsort(-(profile + rng.gumbel(size=(m, 4))), axis=1, kind="stable")
        rank = np.empty_like(order)
        np.put_along_axis(rank, order, np.arange(4)[None, :], axis=1)
        quarter_w = np.exp(profile) * rng.lognormal(0.0, 0.2, size=(m, 4))
        quarter_w *= rank < n_quarters[:, None]

        weights = (cpf4_w[:, :, None] * quarter_w[:, None, :]).reshape(m, slots * 4)
        parts = split_exactly(values, weights)
        cell, slot = np.nonzero(parts)
        return cell, cpf4[cell, slot // 4], (slot % 4 + 1).astype(np.int8), parts[cell, slot]

    def masses(
        self, products: np.ndarray, euros: np.ndarray, year: int, rng: np.random.Generator
    ) -> np.ndarray:
        """Kilograms of each line: euros over a price per kg of its A38 division (>= 1 kg)."""
        divisions = sorted(PRICE_PER_KG_EUR)
        level = self._rng(10, year).lognormal(0.0, 0.15, size=len(divisions))
        price = {a38: PRICE_PER_KG_EUR[a38] * f for a38, f in zip(divisions, level, strict=True)}
        per_product = np.array([price[a38] for a38 in self.product_a38])
        kg = euros / (per_product[products] * rng.lognormal(0.0, 0.5, size=len(euros)))
        return np.maximum(1, np.rint(kg)).astype(np.int64)

    def national_rows(
        self, lines: dict[str, np.ndarray], flow: str, year: int
    ) -> dict[str, np.ndarray]:
        """The national file's lines from all regional lines plus the unallocated ones.

        ``lines`` holds every line of the departments and of the unallocated
        part for one flow and year; they are summed by quarter, A129, CPF4 and
        partner, and each sum is written in one month of its quarter under a
        synthetic CPF6 (the CPF4 plus two digits) and NC8 (the CPF6 plus two).
        """
        n_cpf4, n_country = len(self.cpf4_codes), len(self.country_codes)
        key = lines["quarter"].astype(np.int64) * len(self.product_codes) + lines["product"]
        key = (key * n_cpf4 + lines["cpf4"]) * n_country + lines["country"]
        order = np.argsort(key, kind="stable")
        key = key[order]
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        value = np.add.reduceat(lines["value"][order], starts)
        mass = np.add.reduceat(lines["mass"][order], starts)
        first = order[starts]
        quarter = lines["quarter"][first].astype(np.int64)
        product = lines["product"][first]
        rng = self._rng(11, FLOWS.index(flow), year)
        month = 3 * (quarter - 1) + 1 + rng.integers(0, 3, size=len(first))
        cpf6 = rng.choice(np.array([10, 11, 12, 20, 30, 90]), size=len(first))
        nc8 = rng.choice(np.array([0, 10, 11, 19, 20, 90, 99]), size=len(first))
        per_unit = np.array([KG_PER_SUPPLEMENTARY_UNIT.get(p, 0.0) for p in self.product_codes])
        unit_kg = per_unit[product]
        with np.errstate(divide="ignore", invalid="ignore"):
            units = np.where(unit_kg > 0, np.maximum(1, np.rint(mass / unit_kg)), 0)
        table = {
            "month": month.astype(np.int8),
            "product": product,
            "cpf4": lines["cpf4"][first],
            "cpf6": cpf6.astype(np.int8),
            "nc8": nc8.astype(np.int8),
            "country": lines["country"][first],
            "value": value,
            "mass": mass,
            "units": units.astype(np.int64),  # 0: no supplementary unit
        }
        listed = np.lexsort((table["country"], table["nc8"], table["cpf6"], table["cpf4"],
                             table["month"]))  # fmt: skip
        return {name: column[listed] for name, column in table.items()}

    def declarations(
        self, code: str, flow: str, year: int, mean_lines: int
    ) -> dict[str, np.ndarray]:
        """Declaration lines of one department's cells: product, country, month, euros.

        Each cell of ``table_indices`` (same seed, same euros) becomes about
        ``mean_lines`` lines whose values sum to the cell exactly.
        """
        products, countries, values = self.table_indices(code, flow, year)
        index = self.dept_index.get(code, len(self.dept_codes))
        rng = self._rng(7, index, FLOWS.index(flow), year)
        cell, months, euros = split_into_lines(values, mean_lines, rng)
        return {
            "product": products[cell].astype(np.int16),
            "country": countries[cell].astype(np.int16),
            "month": months,
            "value": euros,
        }


def split_into_lines(
    values: np.ndarray, mean_lines: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split each value (whole euros, > 0) into lines: (value index, month, euros) per line.

    A value gets a random number of lines between 1 and ``2 * mean_lines - 1``
    (mean ``mean_lines``), but never more lines than euros, so that every line
    is worth at least one euro. Each line gets one euro plus a random
    (exponential) share of the rest, floored; the euros the floors leave (fewer
    than the lines) go one each to the first lines of the value, so the lines
    sum to it exactly. Months are drawn uniformly. All of it is array
    arithmetic: 20 million lines take seconds.
    """
    if len(values) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.astype(np.int8), empty
    counts = np.minimum(rng.integers(1, 2 * mean_lines, size=len(values)), values)
    starts = np.cumsum(counts) - counts
    cell = np.repeat(np.arange(len(values)), counts)
    weights = rng.exponential(size=len(cell))
    spare = values - counts
    shares = weights / np.add.reduceat(weights, starts)[cell] * spare[cell]
    parts = np.floor(shares).astype(np.int64)
    leftover = spare - np.add.reduceat(parts, starts)
    if leftover.min() < 0 or (leftover > counts).any():  # a float rounding beyond a euro
        raise ArithmeticError("declaration lines do not split their cell exactly")
    position = np.arange(len(cell)) - starts[cell]
    euros = 1 + parts + (position < leftover[cell])
    months = rng.integers(1, 13, size=len(cell), dtype=np.int8)
    return cell, months, euros


def generator_version(seeds_dir: Path = SEEDS_DIR, annex_dir: Path = ANNEX_DIR) -> str:
    """Fingerprint of this generator, the seeds it draws from and the annexes it copies.

    Stored in the sample's manifest so that the main job regenerates a sample
    written by an older generator instead of silently reusing it.
    """
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for name in SEED_FILES:
        digest.update((seeds_dir / name).read_bytes())
    for name in ANNEXES:
        digest.update((annex_dir / name).read_bytes())
    return digest.hexdigest()[:16]


def _zip_entry(name: str) -> zipfile.ZipInfo:
    """A zip member with a fixed date, so the same seed gives byte-identical archives."""
    info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def write_declarations(
    con: duckdb.DuckDBPyConnection,
    generator: SampleGenerator,
    codes: list[str],
    year: int,
    mean_lines: int,
    target: Path,
) -> int:
    """Write the declaration lines of some departments for one year as one CSV; count them.

    Lines are numbered 1.. in the file; codes travel as small integers and are
    looked up in lists by DuckDB, which writes the CSV (in insertion order).
    """
    parts: list[dict[str, np.ndarray]] = []
    for code in codes:
        for flow in FLOWS:
            lines = generator.declarations(code, flow, year, mean_lines)
            size = len(lines["value"])
            lines["department"] = np.full(size, generator.dept_codes_all.index(code), np.int16)
            lines["flow"] = np.full(size, FLOWS.index(flow), np.int8)
            parts.append(lines)
    table = {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}
    table["line"] = np.arange(1, len(table["value"]) + 1, dtype=np.int64)
    names = [f'"{name}"' for name in raw_layout.DECLARATIONS_HEADER]
    expressions = ["$flows[flow + 1]", "$year", "month", "$departments[department + 1]",
                   "$products[product + 1]", "$countries[country + 1]", "line",
                   "value"]  # fmt: skip
    columns = ", ".join(f"{e} as {n}" for e, n in zip(expressions, names, strict=True))
    con.register("declaration_lines", table)
    try:
        con.execute(
            f"copy (select {columns} from declaration_lines) to $path "
            f"(format csv, header true, delimiter '{raw_layout.SAMPLE_SEPARATOR}')",
            {
                "flows": list(FLOWS),
                "year": year,
                "departments": generator.dept_codes_all,
                "products": generator.product_codes.tolist(),
                "countries": generator.country_codes.tolist(),
                "path": str(target),
            },
        )
    finally:
        con.unregister("declaration_lines")
    return len(table["value"])


def _sql_literal(value: object) -> str:
    """A code, a year or a list of codes as a DuckDB literal (codes are letters and digits)."""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        if not re.fullmatch(r"[0-9A-Za-z]+", value):
            raise ValueError(f"not a code: {value!r}")
        return f"'{value}'"
    if isinstance(value, list):
        return "[" + ", ".join(_sql_literal(item) for item in value) + "]"
    raise TypeError(f"no literal for {value!r}")


def _copy_lines(
    con: duckdb.DuckDBPyConnection,
    table: dict[str, np.ndarray],
    expressions: list[str],
    params: dict[str, object],
    target: Path,
) -> None:
    """Write ``table`` through ``expressions`` as a headerless ``;`` file, in row order.

    ``$name`` in an expression is ``params[name]`` written as a literal: code
    lists passed as query parameters cost DuckDB's Python client seconds.
    """
    select = re.sub(r"\$(\w+)", lambda m: _sql_literal(params[m.group(1)]), ", ".join(expressions))
    con.register("sample_lines", table)
    try:
        con.execute(
            f"copy (select {select} from sample_lines) to $path "
            "(format csv, header false, delimiter ';')",
            {"path": str(target)},
        )
    finally:
        con.unregister("sample_lines")


#: Fields of the regional file (raw_layout.REGIONAL), from positions in the code lists.
REGIONAL_EXPRESSIONS = [
    "$flow", "quarter", "$year", "$departments[department + 1]", "$regions[department + 1]",
    "$products[product + 1]", "$cpf4[cpf4 + 1]", "$countries[country + 1]", "value", "mass",
]  # fmt: skip
#: Fields of the national file (raw_layout.NATIONAL): synthetic CPF6 and NC8 codes.
NATIONAL_EXPRESSIONS = [
    "$flow", "lpad(cast(month as varchar), 2, '0')", "$year",
    "$cpf4[cpf4 + 1] || cast(cpf6 as varchar)", "$products[product + 1]",
    "$cpf4[cpf4 + 1] || cast(cpf6 as varchar) || lpad(cast(nc8 as varchar), 2, '0')",
    "$countries[country + 1]", "value", "mass", "nullif(units, 0)",
]  # fmt: skip


def _write_published_year(generator: SampleGenerator, year_dir: Path, year: int) -> dict[str, int]:
    """The year's regional and national zips (both flows in each); count their lines.

    The regional lines are sorted by quarter, department (customs code),
    A129, CPF4 and partner, as an extract of the real file would be.
    """
    customs_order = np.argsort(generator.customs_codes, kind="stable")
    department_rank = np.empty(len(customs_order), dtype=np.int64)
    department_rank[customs_order] = np.arange(len(customs_order))
    params: dict[str, object] = {
        "year": year,
        "departments": generator.customs_codes,
        "regions": generator.customs_regions,
        "products": generator.product_codes.tolist(),
        "cpf4": generator.cpf4_codes.tolist(),
        "countries": generator.country_codes.tolist(),
    }
    counts = {"regional": 0, "national": 0}
    archives = {
        "regional": (raw_layout.regional_archive_name(year), raw_layout.regional_member_name),
        "national": (raw_layout.national_archive_name(year), raw_layout.national_member_name),
    }
    with tempfile.TemporaryDirectory() as temporary, duckdb.connect() as con:
        con.execute("set enable_progress_bar = false")
        con.execute("set preserve_insertion_order = true")
        written: dict[str, list[tuple[str, Path]]] = {"regional": [], "national": []}
        for flow in FLOWS:
            parts = []
            for index, code in enumerate(generator.dept_codes):
                lines = generator.published_rows(code, flow, year)
                lines["department"] = np.full(len(lines["value"]), index, dtype=np.int16)
                parts.append(lines)
            regional = {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}
            listed = np.lexsort((regional["country"], regional["cpf4"], regional["product"],
                                 department_rank[regional["department"]],
                                 regional["quarter"]))  # fmt: skip
            regional = {name: column[listed] for name, column in regional.items()}
            unallocated = generator.published_rows(raw_layout.UNALLOCATED_DEPARTMENT, flow, year)
            everything = {
                name: np.concatenate([regional[name], unallocated[name]]) for name in unallocated
            }
            national = generator.national_rows(everything, flow, year)
            for kind, table, expressions in (
                ("regional", regional, REGIONAL_EXPRESSIONS),
                ("national", national, NATIONAL_EXPRESSIONS),
            ):
                member = archives[kind][1](year, flow)
                target = Path(temporary) / member
                _copy_lines(con, table, expressions, {**params, "flow": flow}, target)
                written[kind].append((member, target))
                counts[kind] += len(table["value"])
        for kind, (archive, _) in archives.items():
            with zipfile.ZipFile(year_dir / archive, "w") as zipped:
                for member, path in written[kind]:
                    zipped.writestr(_zip_entry(member), path.read_bytes(), compresslevel=1)
    return counts


def copy_annexes(out_dir: Path, annex_dir: Path = ANNEX_DIR) -> None:
    """The real label annexes, byte-exact, as the customs ship them next to the data."""
    target = out_dir / ANNEX_FOLDER
    target.mkdir(parents=True, exist_ok=True)
    for name in ANNEXES:
        shutil.copyfile(annex_dir / name, target / name)


def _write_declarations_year(
    generator: SampleGenerator, year_dir: Path, year: int, mean_lines: int
) -> int:
    """One declarations CSV per region and one for the unallocated trade; count the lines."""
    regions = sorted(set(generator.region_of.values()))
    written = 0
    with duckdb.connect() as con:
        con.execute("set enable_progress_bar = false")
        con.execute("set preserve_insertion_order = true")
        for region in regions:
            codes = [c for c in generator.dept_codes if generator.region_of[c] == region]
            target = year_dir / raw_layout.declarations_file_name(region, year)
            written += write_declarations(con, generator, codes, year, mean_lines, target)
        target = year_dir / raw_layout.declarations_file_name(None, year)
        unallocated = [raw_layout.UNALLOCATED_DEPARTMENT]
        written += write_declarations(con, generator, unallocated, year, mean_lines, target)
    return written


def write_sample(
    out_dir: Path,
    years: Iterable[int],
    seed: int = SEED,
    detail: float = 1.0,
    reference: Reference | None = None,
    declaration_lines: int = 0,
) -> dict[str, object]:
    """Write the sample into ``out_dir`` (replacing an earlier sample) and return its manifest.

    By default each year gets the regional and national zips of the published
    layout; ``declaration_lines`` > 0 writes the same cells as declaration-level
    files of about that many lines per cell instead. The label annexes are
    copied in both cases.
    """
    if declaration_lines < 0:
        raise ValueError("declaration_lines must be 0 (published files) or more")
    years = sorted(set(years))
    if CALIBRATION_YEAR not in years:
        raise ValueError(f"the sample must include {CALIBRATION_YEAR}, the calibrated year")
    manifest_path = out_dir / raw_layout.DATASET_MANIFEST
    if out_dir.exists() and any(out_dir.iterdir()):
        if not manifest_path.exists() or not json.loads(manifest_path.read_text())["synthetic"]:
            raise FileExistsError(f"{out_dir} holds files that are not a synthetic sample")
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    generator = SampleGenerator(reference or read_reference(), seed=seed, detail=detail)
    copy_annexes(out_dir)
    lines = 0
    counts: dict[str, dict[str, int]] = {"regional": {}, "national": {}}
    for year in years:
        year_dir = out_dir / str(year)
        year_dir.mkdir()
        if declaration_lines:
            lines += _write_declarations_year(generator, year_dir, year, declaration_lines)
        else:
            for kind, count in _write_published_year(generator, year_dir, year).items():
                counts[kind][str(year)] = count

    manifest: dict[str, object] = {
        "name": "Échantillon synthétique / synthetic sample",
        "synthetic": True,
        "description": (
            "Synthetic demonstration data generated by scripts/sample/generate.py, written "
            "in the customs' published layout: per year, the regional file (quarter, "
            "department, A129, CPF4, partner; euros and kg) and the national file (month, "
            "synthetic CPF6 and NC8 codes), headerless, with the real label annexes. Only "
            "the 2024 totals of Loiret, Centre-Val de Loire and France match published "
            "figures; every detail is invented. Not real customs data."
        ),
        "seed": seed,
        "detail": detail,
        "generator_version": generator_version(),
        "years": years,
    }
    if declaration_lines:
        manifest["description"] = (
            "Synthetic demonstration data generated by scripts/sample/generate.py, written "
            f"as synthetic declaration lines (the project's header-based declarations "
            f"layout): each departmental value is split into about {declaration_lines} lines "
            "(invented months and line numbers, values in euros) that sum to it exactly, for "
            "volume benchmarks; the real label annexes are copied alongside. Only the 2024 "
            "totals of Loiret, Centre-Val de Loire and France match published figures; every "
            "detail is invented. Not real customs data."
        )
        manifest["declaration_lines"] = declaration_lines
        manifest["line_count"] = lines
    else:
        manifest["line_counts"] = counts
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SAMPLE_RAW_DIR, help="output folder")
    parser.add_argument("--first-year", type=int, default=DEFAULT_FIRST_YEAR)
    parser.add_argument("--last-year", type=int, default=DEFAULT_LAST_YEAR)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--detail", type=float, default=1.0,
        help="multiplies the number of products and partners per department (benchmarks)",
    )  # fmt: skip
    parser.add_argument(
        "--declaration-lines", type=int, default=0, metavar="N",
        help="write declaration-level files, about N lines per cell, instead of the "
             "published regional and national files (benchmarks; 0, the default, is off)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    started = time.perf_counter()
    years = range(args.first_year, args.last_year + 1)
    manifest = write_sample(
        args.out, years, seed=args.seed, detail=args.detail,
        declaration_lines=args.declaration_lines,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    if args.declaration_lines:
        lines = f" ({manifest['line_count']:,} declaration lines)"
    else:
        counts = cast(dict[str, dict[str, int]], manifest["line_counts"])
        lines = (f" ({sum(counts['regional'].values()):,} regional lines, "
                 f"{sum(counts['national'].values()):,} national lines)")  # fmt: skip
    print(f"synthetic sample {args.first_year}-{args.last_year}{lines} written to {args.out} "
          f"in {elapsed:.1f} s")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
