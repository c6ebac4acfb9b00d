"""Write the embedded synthetic sample: customs files for every department of France.

Why it exists: the warehouse must build, and its tests must run, on any machine
without network access, and its numbers must be checkable against a published
report. So this script writes files in exactly the raw layout
(``scripts/raw_layout.py``), deterministically from a fixed seed, with the
shapes of real departmental trade (a few products and partners dominate each
department, neighbours and large economies weigh as they do in French trade,
departments specialise, ports import hydrocarbons, some national trade is
allocated to no department). Its 2024 totals for Loiret, Centre-Val de Loire
and France equal, to the 0.1 million euros, the figures printed in the Loiret
2024 fiche (../shared/reference/published_figures_2024.csv). Every other number
is invented: the data is synthetic and says so in its manifest.

With ``--declaration-lines N`` it writes the same cells as declaration-level
files instead (``raw_layout.DECLARATIONS``): each cell's euros split exactly
into about N lines, each with a month and a line number, one plain CSV per
region and year. That gives the benchmark tens of millions of raw rows that
dbt must aggregate back to exactly the marts of the departmental sample. It is
vectorised with numpy and written by DuckDB's CSV writer, because a Python
loop over 20 million lines would take minutes.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import shutil
import sys
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

from scripts import raw_layout
from scripts.paths import SAMPLE_RAW_DIR, SEEDS_DIR

SEED = 2024_45
CALIBRATION_YEAR = 2024
DEFAULT_FIRST_YEAR = 2020
DEFAULT_LAST_YEAR = 2024
FLOWS = ("E", "I")

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
          "CM": 4.0, "DZ": 2.0, "EZ": 1.0, "JA": 0.5},
    "I": {"AZ": 2.0, "BZ": 9.0, "CA": 9.0, "CB": 9.0, "CC": 3.0, "CD": 6.0, "CE": 9.0,
          "CF": 5.0, "CG": 5.0, "CH": 8.0, "CI": 11.0, "CJ": 6.0, "CK": 10.0, "CL": 17.0,
          "CM": 4.0, "DZ": 1.0, "EZ": 0.5, "JA": 0.5},
}  # fmt: skip

# National partner structure (share of the flow, in percent); every other
# country of the reference list shares a small tail.
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
# and gas make most extractive imports; repair, printing and works of art are
# services or rarities in goods trade.
WITHIN_DIVISION: dict[str, float] = {
    "B06Z": 25.0, "B05Z": 0.5, "C33Z": 0.03, "C18Z": 0.1, "R90Z": 0.05, "J59Z": 0.3,
    "D35B": 0.3,
}  # fmt: skip
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
}  # fmt: skip
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
    "74": {"CH": 4.0}, "01": {"CH": 2.5}, "06": {"IT": 2.5, "MC": 8.0}, "73": {"IT": 2.5},
    "05": {"IT": 1.5}, "04": {"IT": 1.5}, "64": {"ES": 3.0}, "66": {"ES": 3.0},
    "65": {"ES": 2.0}, "09": {"ES": 2.0}, "31": {"ES": 1.3}, "11": {"ES": 1.5},
    "2A": {"IT": 2.5}, "2B": {"IT": 2.5}, "971": {"US": 2.0}, "972": {"US": 1.5},
    "973": {"BR": 6.0, "SR": 8.0}, "974": {"MU": 10.0, "MG": 10.0, "ZA": 3.0},
    "976": {"KM": 15.0, "MG": 8.0},
}  # fmt: skip


@dataclass(frozen=True)
class Reference:
    """The seed lists the sample is drawn from."""

    departments: list[tuple[str, str]]  # (department_code, region_code)
    products: list[tuple[str, str]]  # (a129_code, a38_code)
    countries: list[tuple[str, str]]  # (country_code, country_group)


def read_reference(seeds_dir: Path = SEEDS_DIR) -> Reference:
    """Read departments, products and countries from the dbt seeds."""

    def rows(name: str) -> list[dict[str, str]]:
        with (seeds_dir / name).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    return Reference(
        departments=[(r["department_code"], r["region_code"]) for r in rows("departments.csv")],
        products=[(r["a129_code"], r["a38_code"]) for r in rows("products_a129.csv")],
        countries=[(r["country_code"], r["country_group"]) for r in rows("countries.csv")],
    )


def year_factor(flow: str, year: int) -> float:
    """National trade in ``year`` relative to 2024."""
    table = YEAR_FACTORS[flow]
    if year in table:
        return table[year]
    edge = min(table) if year < min(table) else max(table)
    return table[edge] * 1.03 ** (year - edge)


def split_exactly(total: int, weights: np.ndarray) -> np.ndarray:
    """Integer parts of ``total`` proportional to ``weights`` that sum to it exactly.

    Floors every share and gives the remaining euros to the largest shares, so
    that published totals are reproduced to the euro.
    """
    shares = weights / weights.sum() * total
    parts = np.floor(shares).astype(np.int64)
    remainder = int(total - parts.sum())
    if remainder:
        order = np.argsort(-(shares - parts), kind="stable")[:remainder]
        parts[order] += 1
    return parts


class SampleGenerator:
    """Draws department totals and product x country tables from one seed."""

    def __init__(self, reference: Reference, seed: int = SEED, detail: float = 1.0) -> None:
        self.ref = reference
        self.seed = seed
        self.detail = detail
        self.dept_codes = [code for code, _ in reference.departments]
        self.dept_index = {code: i for i, code in enumerate(self.dept_codes)}
        #: Department codes and the unallocated one, as declaration files index them.
        self.dept_codes_all = [*self.dept_codes, raw_layout.UNALLOCATED_DEPARTMENT]
        self.region_of = dict(reference.departments)
        self.product_codes = np.array([code for code, _ in reference.products])
        self.product_a38 = np.array([a38 for _, a38 in reference.products])
        self.country_codes = np.array([code for code, _ in reference.countries])
        groups = np.array([group for _, group in reference.countries])
        self._check_codes()
        self._national_products = {flow: self._national_product_weights(flow) for flow in FLOWS}
        self._national_countries = {
            flow: self._national_country_weights(flow, groups) for flow in FLOWS
        }
        self._totals_2024 = {flow: self._department_totals_2024(flow) for flow in FLOWS}

    def _check_codes(self) -> None:
        """Fail loudly if a code written in this module is missing from the seeds."""
        known_countries = set(self.country_codes)
        named = {c for table in COUNTRY_WEIGHTS.values() for c in table}
        named |= set(ENERGY_SUPPLIERS) | set(SPECIAL_COUNTRY_WEIGHTS)
        named |= {c for table in NEIGHBOURS.values() for c in table}
        missing = named - known_countries
        known_divisions = set(self.product_a38)
        divisions = {d for table in A38_WEIGHTS.values() for d in table}
        divisions |= {d for table in SPECIALITIES.values() for d in table}
        missing |= divisions - known_divisions
        missing |= set(WITHIN_DIVISION) - set(self.product_codes)
        departments = set(DEPARTMENT_SIZE) | set(EXPORT_TILT) | set(SPECIALITIES)
        missing |= (departments | set(NEIGHBOURS)) - set(self.dept_codes)
        if missing:
            raise ValueError(f"codes used by the generator are not in the seeds: {sorted(missing)}")

    def _rng(self, *keys: int) -> np.random.Generator:
        return np.random.default_rng([self.seed, *keys])

    def _national_product_weights(self, flow: str) -> np.ndarray:
        rng = self._rng(1, FLOWS.index(flow))
        division = np.array([A38_WEIGHTS[flow].get(a38, 0.2) for a38 in self.product_a38])
        within = rng.lognormal(0.0, 0.8, size=len(self.product_codes))
        within *= np.array([WITHIN_DIVISION.get(code, 1.0) for code in self.product_codes])
        # Each division's weight is split among its A129 products.
        totals = {a38: within[self.product_a38 == a38].sum() for a38 in set(self.product_a38)}
        return division * within / np.array([totals[a38] for a38 in self.product_a38])

    def _national_country_weights(self, flow: str, groups: np.ndarray) -> np.ndarray:
        rng = self._rng(2, FLOWS.index(flow))
        named = COUNTRY_WEIGHTS[flow]
        weights = np.zeros(len(self.country_codes))
        tail = np.array(
            [code not in named and group == "country" for code, group in
             zip(self.country_codes, groups, strict=True)]
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
        if code in ("971", "972", "973", "974", "976"):
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

    def table(self, code: str, flow: str, year: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Product x country cells of one department, flow and year: codes and euros."""
        products, countries, values = self.table_indices(code, flow, year)
        return self.product_codes[products], self.country_codes[countries], values

    def table_indices(
        self, code: str, flow: str, year: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Cells of ``table`` as positions in the product and country lists, and euros.

        Positions rather than codes let the declaration-level writer hand
        millions of lines to DuckDB as small integers.
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

    def csv_text(self, code: str, year: int) -> str:
        """One department's (or the unallocated part's) file: both flows, header first."""
        sep = raw_layout.SAMPLE_SEPARATOR
        header = sep.join(raw_layout.SAMPLE_HEADER)
        lines = [header]
        for flow in FLOWS:
            products, countries, values = self.table(code, flow, year)
            prefix = f"{flow}{sep}{year}{sep}{code}{sep}"
            lines.extend(
                f"{prefix}{p}{sep}{c}{sep}{v // 1000}.{v % 1000:03d}"
                for p, c, v in zip(products.tolist(), countries.tolist(), values.tolist(),
                                   strict=True)
            )  # fmt: skip
        return "\n".join(lines) + "\n"

    def declarations(
        self, code: str, flow: str, year: int, mean_lines: int
    ) -> dict[str, np.ndarray]:
        """Declaration lines of one department's cells: product, country, month, euros.

        Each cell of ``table`` (same seed, same euros) becomes about
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


def generator_version(seeds_dir: Path = SEEDS_DIR) -> str:
    """Fingerprint of this generator and the seeds it draws from.

    Stored in the sample's manifest so that the main job regenerates a sample
    written by an older generator instead of silently reusing it.
    """
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for name in ("departments.csv", "products_a129.csv", "countries.csv"):
        digest.update((seeds_dir / name).read_bytes())
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


def _write_departmental_year(generator: SampleGenerator, year_dir: Path, year: int) -> None:
    """One zip per region of department files, and the unallocated file (the usual sample)."""
    regions = sorted({region for _, region in generator.ref.departments})
    for region in regions:
        archive = year_dir / raw_layout.region_archive_name(region, year)
        with zipfile.ZipFile(archive, "w", compresslevel=1) as zipped:
            for code in generator.dept_codes:
                if generator.region_of[code] == region:
                    member = raw_layout.department_member_name(code, year)
                    zipped.writestr(_zip_entry(member), generator.csv_text(code, year))
    unallocated = generator.csv_text(raw_layout.UNALLOCATED_DEPARTMENT, year)
    (year_dir / raw_layout.unallocated_file_name(year)).write_text(unallocated)


def _write_declarations_year(
    generator: SampleGenerator, year_dir: Path, year: int, mean_lines: int
) -> int:
    """One declarations CSV per region and one for the unallocated trade; count the lines."""
    regions = sorted({region for _, region in generator.ref.departments})
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

    ``declaration_lines`` > 0 writes the same cells as declaration-level files
    of about that many lines per cell instead of the departmental zips.
    """
    if declaration_lines < 0:
        raise ValueError("declaration_lines must be 0 (departmental files) or more")
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
    lines = 0
    for year in years:
        year_dir = out_dir / str(year)
        year_dir.mkdir()
        if declaration_lines:
            lines += _write_declarations_year(generator, year_dir, year, declaration_lines)
        else:
            _write_departmental_year(generator, year_dir, year)

    manifest: dict[str, object] = {
        "name": "Échantillon synthétique / synthetic sample",
        "synthetic": True,
        "description": (
            "Synthetic demonstration data generated by scripts/generate_sample.py. "
            "Only the 2024 totals of Loiret, Centre-Val de Loire and France match "
            "published figures; every detail is invented. Not real customs data."
        ),
        "seed": seed,
        "detail": detail,
        "generator_version": generator_version(),
        "years": years,
    }
    if declaration_lines:
        manifest["description"] = str(manifest["description"]) + (
            f" Written as synthetic declaration lines: each departmental value is split "
            f"into about {declaration_lines} lines (invented months and line numbers, values "
            "in euros) that sum to it exactly, for volume benchmarks."
        )
        manifest["declaration_lines"] = declaration_lines
        manifest["line_count"] = lines
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
             "departmental zips (benchmarks; 0, the default, is off)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    started = time.perf_counter()
    years = range(args.first_year, args.last_year + 1)
    manifest = write_sample(
        args.out, years, seed=args.seed, detail=args.detail,
        declaration_lines=args.declaration_lines,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    lines = f" ({manifest['line_count']:,} declaration lines)" if args.declaration_lines else ""
    print(f"synthetic sample {args.first_year}-{args.last_year}{lines} written to {args.out} "
          f"in {elapsed:.1f} s")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
