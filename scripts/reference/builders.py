"""Building each reference seed's rows from the annexes, the COG and the committed seeds.

Why apart: each builder joins what the customs publish with the facts of
``facts`` and the INSEE columns kept in the committed seeds, and fails on
anything it would otherwise have to invent.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

import pycountry

from scripts.reference.annexes import (
    COG_DEPARTMENTS,
    COG_REGIONS,
    OPEN_VALIDITY,
    Annex,
    AnnexError,
    CogName,
    _cog_match,
    _period,
)
from scripts.reference.facts import (
    A38_DIVISION_RANGES,
    A129_BY_CPF_GROUP,
    CORSICA_INSEE,
    CUSTOMS_TO_WAREHOUSE_DEPARTMENT,
    DEPARTMENT_NAME_TYPE_OF_REGION,
    EU27,
    INTRA_EU_SPECIAL,
    NON_COG_NAME_TYPES,
    NON_INSEE_DEPARTMENTS,
    SPECIAL_COUNTRIES,
)

# ----------------------------------------------------------------- building


def build_countries(annex: Annex) -> list[dict[str, str]]:
    """One row per line of Libelle_PAYS.txt, with ISO alpha-3, EU membership and group."""
    rows: list[dict[str, str]] = []
    for row in annex.rows:
        code = row["code"]
        start, end = _period(row, f"{annex.name}, {code}")
        iso = pycountry.countries.get(alpha_2=code) if end == OPEN_VALIDITY else None
        rows.append({
            "country_code": code,
            "valid_from": str(start),
            "valid_to": str(end),
            "country_name": row["label"],
            "iso_alpha3": iso.alpha_3 if iso else "",
            # FR is France's own goods coming back, not a partner: never an EU partner
            "is_eu27": "true" if code in EU27 and code not in SPECIAL_COUNTRIES else "false",
            "is_intra_eu": "true" if code in EU27 or code in INTRA_EU_SPECIAL else "false",
            "country_group": "special" if code in SPECIAL_COUNTRIES else "country",
        })  # fmt: skip
    rows.sort(key=lambda r: (r["country_code"], int(r["valid_from"])))
    _check_periods(rows, "country_code", annex.name)
    current = {r["country_code"] for r in rows if int(r["valid_to"]) == OPEN_VALIDITY}
    if not_current := EU27 - current:
        raise AnnexError(f"{annex.name}: EU member states without a current row: {not_current}")
    return rows


def _check_periods(rows: list[dict[str, str]], key: str, where: str) -> None:
    """Rows of one code (sorted by start) must not overlap in time."""
    by_code: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for row in rows:
        by_code[row[key]].append((int(row["valid_from"]), int(row["valid_to"])))
    for code, periods in by_code.items():
        for (_, end), (start, _) in pairwise(periods):
            if start <= end:
                raise AnnexError(f"{where}: periods of {code} overlap")


def a38_of_division(division: int) -> str:
    """The A38 division a CPF/NAF division (two digits) belongs to."""
    for first, last, a38 in A38_DIVISION_RANGES:
        if first <= division <= last:
            return a38
    raise AnnexError(f"division {division:02d} is in no A38 division")


def build_products_a129(
    annex: Annex, current: list[dict[str, str]], a38_codes: set[str]
) -> list[dict[str, str]]:
    """One row per line of Libelle_A129.txt: label as published, A38 parent, validity.

    The A38 parent is the committed seed's where the code is there (and must
    agree with the A38 rule), else the rule's.
    """
    kept = {row["a129_code"]: row["a38_code"] for row in current}
    rows: list[dict[str, str]] = []
    for row in annex.rows:
        code = row["code"]
        start, end = _period(row, f"{annex.name}, {code}")
        derived = a38_of_division(int(code[1:3]))
        a38 = kept.get(code, derived)
        if a38 != derived:
            raise AnnexError(f"{code}: the seed's A38 {a38} is not the rule's {derived}")
        if a38 not in a38_codes:
            raise AnnexError(f"{code}: A38 {a38} is not in products_a38.csv")
        rows.append({"a129_code": code, "a129_label": row["label"], "a38_code": a38,
                     "valid_from": str(start), "valid_to": str(end)})  # fmt: skip
    rows.sort(key=lambda r: (r["a129_code"], int(r["valid_from"])))
    _unique(rows, "a129_code", annex.name)
    return rows


def a129_of_cpf4(cpf4: str, single_by_division: dict[str, str], split: set[str]) -> str:
    """The A129 code of a CPF4 class, or '' when its division has none in the annex."""
    division = cpf4[:2]
    if division in split:
        if cpf4[:3] not in A129_BY_CPF_GROUP:
            raise AnnexError(f"CPF4 {cpf4}: group {cpf4[:3]} is not in A129_BY_CPF_GROUP")
        return A129_BY_CPF_GROUP[cpf4[:3]]
    return single_by_division.get(division, "")


def build_products_cpf4(annex: Annex, a129_rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """One row per line of the CPF4 annex, with the A129 code the class belongs to."""
    by_division: dict[str, list[str]] = defaultdict(list)
    for row in a129_rows:
        by_division[row["a129_code"][1:3]].append(row["a129_code"])
    single = {d: codes[0] for d, codes in by_division.items() if codes == [f"{codes[0][:3]}Z"]}
    split = set(by_division) - set(single)
    published = {row["a129_code"] for row in a129_rows}
    ruled = {a129 for group, a129 in A129_BY_CPF_GROUP.items() if group[:2] in split}
    if unreachable := {c for c in published if c[1:3] in split} - ruled:
        raise AnnexError(f"A129 codes the group table never gives: {sorted(unreachable)}")
    if stray := {g[:2] for g in A129_BY_CPF_GROUP} - split:
        raise AnnexError(f"A129_BY_CPF_GROUP has divisions the annex does not split: {stray}")
    rows: list[dict[str, str]] = []
    for row in annex.rows:
        code = row["code"]
        if len(code) != 4 or not code.isdigit():
            raise AnnexError(f"{annex.name}: CPF4 code {code!r} is not four digits")
        start, end = _period(row, f"{annex.name}, {code}")
        a129 = a129_of_cpf4(code, single, split)
        rows.append({"cpf4_code": code, "cpf4_label": row["label"],
                     "a129_code": a129 if a129 in published else "",
                     "valid_from": str(start), "valid_to": str(end)})  # fmt: skip
    rows.sort(key=lambda r: (r["cpf4_code"], int(r["valid_from"])))
    _unique(rows, "cpf4_code", annex.name)
    if without := published - {r["a129_code"] for r in rows}:
        raise AnnexError(f"A129 codes with no CPF4 class: {sorted(without)}")
    return rows


def department_name_type(
    code: str, name: str, region: str, cog: dict[str, CogName], cog_regions: dict[str, CogName]
) -> int:
    """A department's name type: the COG's, else its region's or the rule for Monaco."""
    if code in cog:
        return _cog_match(cog[code], code, name, region, COG_DEPARTMENTS)
    if code in DEPARTMENT_NAME_TYPE_OF_REGION:
        region_code = DEPARTMENT_NAME_TYPE_OF_REGION[code]
        if region_code not in cog_regions:
            raise AnnexError(f"{COG_REGIONS}: no region {region_code} for department {code}")
        return _cog_match(cog_regions[region_code], code, name, region_code, COG_REGIONS)
    if code in NON_COG_NAME_TYPES:
        return NON_COG_NAME_TYPES[code]
    raise AnnexError(f"{COG_DEPARTMENTS}: no department {code} ({name}) and no rule for it")


def build_departments(
    annex: Annex,
    current: list[dict[str, str]],
    cog: dict[str, CogName],
    cog_regions: dict[str, CogName],
) -> list[dict[str, str]]:
    """One row per line of Departement_region.txt, under the warehouse's department code.

    Names and INSEE regions come from the committed seed (INSEE's list), or
    from NON_INSEE_DEPARTMENTS for Corsica as one and Monaco; name types from
    the COG extract.
    """
    insee = {row["department_code"]: row for row in current}
    rows: list[dict[str, str]] = []
    for row in annex.rows:
        customs = row["code"]
        code = CUSTOMS_TO_WAREHOUSE_DEPARTMENT.get(customs, customs)
        if code in NON_INSEE_DEPARTMENTS:
            name, region, french = NON_INSEE_DEPARTMENTS[code]
        elif code in insee:
            name, region, french = insee[code]["department_name"], insee[code]["region_code"], True
        else:
            raise AnnexError(
                f"{annex.name}: department {customs} ({row['label']}) is neither in the "
                "departments seed nor in NON_INSEE_DEPARTMENTS"
            )
        rows.append({
            "department_code": code, "department_name": name, "region_code": region,
            "customs_department_code": customs, "customs_region_code": row["region_code"],
            "is_french_department": "true" if french else "false",
            "name_type": str(department_name_type(code, name, region, cog, cog_regions)),
        })  # fmt: skip
    rows.sort(key=lambda r: r["department_code"])
    _unique(rows, "department_code", annex.name)
    _unique(rows, "customs_department_code", annex.name)
    written = {r["department_code"] for r in rows}
    if missing := set(insee) - written - set(CORSICA_INSEE):
        raise AnnexError(f"{annex.name} lacks departments of the seed: {sorted(missing)}")
    return rows


def build_regions(
    current: list[dict[str, str]], departments: list[dict[str, str]], cog: dict[str, CogName]
) -> list[dict[str, str]]:
    """The INSEE regions of the committed seed, each with its DGDDI code and name type."""
    customs: dict[str, set[str]] = defaultdict(set)
    for row in departments:
        customs[row["region_code"]].add(row["customs_region_code"])
    rows: list[dict[str, str]] = []
    for row in current:
        codes = customs.get(row["region_code"], set())
        if len(codes) != 1:
            raise AnnexError(
                f"region {row['region_code']} has DGDDI region codes {sorted(codes)}, not one"
            )
        code, name = row["region_code"], row["region_name"]
        if code not in cog:
            raise AnnexError(f"{COG_REGIONS}: no region {code} ({name})")
        name_type = _cog_match(cog[code], code, name, code, COG_REGIONS)
        rows.append({"region_code": code, "region_name": name,
                     "customs_region_code": codes.pop(), "name_type": str(name_type)})  # fmt: skip
    if unknown := set(customs) - {r["region_code"] for r in rows}:
        raise AnnexError(f"departments in regions absent from regions.csv: {sorted(unknown)}")
    rows.sort(key=lambda r: r["region_code"])
    return rows


def _unique(rows: list[dict[str, str]], key: str, where: str) -> None:
    seen: set[str] = set()
    for row in rows:
        if row[key] in seen:
            raise AnnexError(f"{where}: {key} {row[key]} twice")
        seen.add(row[key])
