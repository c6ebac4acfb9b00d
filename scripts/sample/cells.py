"""Draws the sample's trade: department totals, product x country cells, their split.

Why apart: this is the statistical model of the sample (shapes of real
departmental trade, calibrated totals); writing its rows in one layout or
another is done by ``published`` and ``declarations``.
"""

from __future__ import annotations

import math

import numpy as np

from scripts.ingest import layout as raw_layout
from scripts.sample.calibration import (
    A38_WEIGHTS,
    CALIBRATED_TOTALS_EUR,
    CALIBRATION_YEAR,
    CENTRE_VAL_DE_LOIRE,
    COUNTRY_WEIGHTS,
    CPF4_THRESHOLDS_EUR,
    DEPARTMENT_SIZE,
    ENERGY_DIVISIONS,
    ENERGY_ELSEWHERE,
    ENERGY_SUPPLIERS,
    EXPORT_TILT,
    FLOWS,
    KG_PER_SUPPLEMENTARY_UNIT,
    LOIRET,
    MINOR_TERRITORIES,
    NEIGHBOURS,
    OTHER_DIVISION_WEIGHT,
    OVERSEAS_DEPARTMENTS,
    PRICE_PER_KG_EUR,
    QUARTER_PROFILE,
    QUARTER_THRESHOLDS_EUR,
    SEED,
    SERVICE_CPF4_WEIGHT,
    SPECIAL_COUNTRY_WEIGHTS,
    SPECIALITIES,
    TAIL_TOTAL_WEIGHT,
    UNALLOCATED_SHARE,
    WITHIN_DIVISION,
)
from scripts.sample.reference import Country, Reference
from scripts.sample.splits import split_exactly, split_into_lines, year_factor


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
