"""The numbers the synthetic sample is drawn with: its calibration and its shapes.

Why apart: these are the sample's facts (published 2024 totals it must
reproduce, the national product and partner structure, department sizes and
specialities, prices per kg), read by the generator's drawing code
(``cells``) and by the tests; a reader tuning the sample changes this module
alone. Everything except the calibrated totals is invented.
"""

from __future__ import annotations

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
