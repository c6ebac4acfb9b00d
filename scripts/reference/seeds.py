"""Rebuild the reference seeds from the label annexes the customs really publish.

Why this script exists: the codes of the customs files (partner countries with
their validity periods, A129 and CPF4 products, the customs' own department
and region codes) are facts published by the customs service (DGDDI) in the
label annexes of its open data. Typed by hand, or taken from another list
(pycountry, an INSEE table), they drift from what the data files carry: a
partner code that changed meaning (XS is Saba until 2005, Serbia since), a
department the customs publish under another code (Corsica as ``20``,
Guadeloupe as ``9A``), a label the customs spell their own way. So the seeds
are rebuilt from the annexes kept byte-exact in ``seeds/customs_annexes/``
(see PROVENANCE.md there), and ``--check`` tells when a committed seed no
longer matches them.

What the annexes do not say is written once here, each with its source:
EU membership, which partner codes are not foreign countries, the A38 and
A129 aggregation rules of INSEE's NA 2008, and how a customs department code
becomes the warehouse's department code. INSEE facts the annexes do not carry
(department and region names, INSEE region codes, A38 parents of known A129
codes) are kept from the committed seeds, which the script checks instead of
inventing. ISO alpha-3 codes come from pycountry (pinned in requirements.txt).
The name type of each department and region (INSEE's TNCC, which decides "du
Loiret", "de l'Ain") comes from the COG files kept in ``seeds/sources/cog/``
(see PROVENANCE.md there), joined by code.

Every annex is decoded by what its bytes are, never by what its readme says
(Libelle_CPF4_rev2.1.txt is cp1252 although the readme announces UTF-8),
parsed with the csv module (labels holding ';' are double-quoted), and every
line's field count is checked against the published layout declared in
``scripts/ingest/layout.py``. Output is UTF-8 CSV with ``\\n`` line ends, sorted,
so a rerun is byte-identical.

Usage:
    trade seeds            # rewrite the seeds
    trade seeds --check    # exit 1 if a seed differs
"""

from __future__ import annotations

import argparse
import codecs
import csv
import io
import json
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pycountry

from scripts.ingest import layout as raw_layout
from scripts.paths import PROJECT_DIR, SEEDS_DIR

ANNEX_DIR = PROJECT_DIR / "seeds" / "customs_annexes"
COG_DIR = PROJECT_DIR / "seeds" / "sources" / "cog"
#: Etalab's COG 2026 extracts the name types are read from (PROVENANCE.md).
COG_DEPARTMENTS = "departements.json"
COG_REGIONS = "regions.json"

COUNTRY_ANNEX = "Libelle_PAYS.txt"
A129_ANNEX = "Libelle_A129.txt"
CPF4_ANNEX = "Libelle_CPF4_rev2.1.txt"
DEPARTMENT_ANNEX = "Departement_region.txt"
#: The annexes the seeds are built from (the generator copies them into the sample).
ANNEXES: tuple[str, ...] = (A129_ANNEX, CPF4_ANNEX, COUNTRY_ANNEX, DEPARTMENT_ANNEX)

#: Validity end the annexes write for "still valid" (YYYYMM).
OPEN_VALIDITY = int(raw_layout.OPEN_VALIDITY)

# ----------------------------------------------------------------- countries

# The 27 member states of the European Union since 1 February 2020 (the United
# Kingdom left on 31 January 2020). France is one of them.
EU27: frozenset[str] = frozenset(
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    }
)  # fmt: skip

# Partner codes of Libelle_PAYS.txt that name no foreign partner territory
# (country_group 'special'); every other code is a 'country', historical
# groupings of territories included (XA Océanie américaine, XU UEBL...),
# because trade with them was trade with real places abroad.
SPECIAL_COUNTRIES: dict[str, str] = {
    # the customs' technical codes
    "QP": "high seas",
    "QQ": "automatic corrections",
    "QR": "ship and aircraft stores and bunkering, intra-EU trade",
    "QS": "ship and aircraft stores and bunkering, trade with third countries",
    "QT": "stores (until 2000)",
    "QU": "countries and territories not determined",
    "QV": "countries not determined, intra-EU trade (until 2011)",
    "QW": "countries not determined, trade with third countries (until 2011)",
    "QX": "countries not specified for commercial or military reasons",
    "QY": "countries not determined, intra-EU (Eurostat, until 2009)",
    "QZ": "countries not determined, extra-EU (Eurostat, until 2009)",
    # an aggregate, not a partner
    "EU": "the European Union as a whole",
    # France itself: French goods re-imported as they were exported
    "FR": "French goods returned",
    # The overseas departments are inside France's statistical territory (since
    # 1997; Mayotte since it became a department): the regional file reports
    # them as departments 9A-9E, and trade between French territories is not
    # foreign trade, so as partner codes they are not foreign countries.
    "GP": "Guadeloupe, a French department",
    "MQ": "Martinique, a French department",
    "GF": "Guyane, a French department",
    "RE": "La Réunion, a French department",
    "YT": "Mayotte, a French department",
}

# Which side of the EU27 / extra-EU split each code counts on (is_intra_eu),
# besides the 26 other member states. The codes of intra-EU trade whose
# partner is not named (stores and bunkering QR, not determined QV and QY,
# the Union as a whole EU) are trade with the Union; France itself (goods
# returned) and its overseas departments lie inside it. Every other special
# code (not determined QU, extra-EU QS, QW, QZ, high seas QP, corrections
# QQ, stores QT) counts outside: the customs tie it to no member state.
INTRA_EU_SPECIAL: frozenset[str] = frozenset(
    {"QR", "QV", "QY", "EU", "FR", "GP", "MQ", "GF", "RE", "YT"}
)

# ------------------------------------------------------------------ products

# A38 division of each CPF/NAF division (two digits), INSEE's NA 2008: the
# A38 level groups whole divisions, so an A129 code (section letter, division,
# letter) belongs to the A38 division of its two digits. Rows: first division,
# last division, A38 code.
A38_DIVISION_RANGES: tuple[tuple[int, int, str], ...] = (
    (1, 3, "AZ"), (5, 9, "BZ"), (10, 12, "CA"), (13, 15, "CB"), (16, 18, "CC"),
    (19, 19, "CD"), (20, 20, "CE"), (21, 21, "CF"), (22, 23, "CG"), (24, 25, "CH"),
    (26, 26, "CI"), (27, 27, "CJ"), (28, 28, "CK"), (29, 30, "CL"), (31, 33, "CM"),
    (35, 35, "DZ"), (36, 39, "EZ"), (41, 43, "FZ"), (45, 47, "GZ"), (49, 53, "HZ"),
    (55, 56, "IZ"), (58, 60, "JA"), (61, 61, "JB"), (62, 63, "JC"), (64, 66, "KZ"),
    (68, 68, "LZ"), (69, 71, "MA"), (72, 72, "MB"), (73, 75, "MC"), (77, 82, "NZ"),
    (84, 84, "OZ"), (85, 85, "PZ"), (86, 86, "QA"), (87, 88, "QB"), (90, 93, "RZ"),
    (94, 96, "SZ"), (97, 98, "TZ"), (99, 99, "UZ"),
)  # fmt: skip

# A129 code of each CPF group (three digits) in the divisions NA 2008 splits
# into several A129 codes. This is our transcription of INSEE's NA 2008 A129
# definitions (CPF rev. 2.1 groups); real data rows carry their own A129 code,
# so the table only labels the CPF4 seed and drives the synthetic sample.
# Divisions not listed here have one A129 code (suffix Z), taken from the annex.
# C25D (forging, metal treatment, machining: groups 25.5 and 25.6) is not in
# the customs annex: those are services, not goods, and their CPF4 codes keep
# no A129 code in the seed.
A129_BY_CPF_GROUP: dict[str, str] = {
    "101": "C10A", "102": "C10B", "103": "C10C", "104": "C10D", "105": "C10E",
    "106": "C10F", "107": "C10G", "108": "C10H", "109": "C10K",
    "171": "C17A", "172": "C17B",
    "201": "C20A", "204": "C20B", "202": "C20C", "203": "C20C", "205": "C20C", "206": "C20C",
    "221": "C22A", "222": "C22B",
    "231": "C23A", "232": "C23B", "233": "C23B", "234": "C23B", "235": "C23B", "236": "C23B",
    "237": "C23B", "239": "C23B",
    "241": "C24A", "242": "C24A", "243": "C24A", "244": "C24B", "245": "C24C",
    "251": "C25A", "252": "C25B", "253": "C25B", "254": "C25C", "255": "C25D", "256": "C25D",
    "257": "C25E", "259": "C25E",
    "261": "C26A", "262": "C26B", "263": "C26C", "264": "C26D", "265": "C26E", "266": "C26F",
    "267": "C26G", "268": "C26G",
    "271": "C27B", "272": "C27B", "273": "C27B", "274": "C27B", "275": "C27A", "279": "C27B",
    "281": "C28A", "282": "C28A", "283": "C28B", "284": "C28C", "289": "C28D",
    "291": "C29A", "292": "C29A", "293": "C29B",
    "301": "C30A", "302": "C30B", "303": "C30C", "304": "C30D", "309": "C30E",
    "321": "C32A", "322": "C32A", "323": "C32C", "324": "C32C", "325": "C32B", "329": "C32C",
    "351": "D35A", "352": "D35B", "353": "D35B",
}  # fmt: skip

# --------------------------------------------------------------- departments

# Warehouse department code of each customs department code that differs from
# it. The regional file and Departement_region.txt write the overseas
# departments 9A-9E (DGDDI, "Description des jeux de données", 09/05/2022);
# the warehouse uses their INSEE codes. Every other customs code is the
# warehouse code as it is: INSEE codes, Corsica as one department 20 (the
# customs do not split 2A/2B), and 99 for the Principality of Monaco. This is
# the only place the correspondence is written.
CUSTOMS_TO_WAREHOUSE_DEPARTMENT: dict[str, str] = {
    "9A": "971",  # Guadeloupe
    "9B": "972",  # Martinique
    "9C": "973",  # Guyane
    "9D": "974",  # La Réunion
    "9E": "976",  # Mayotte
}

# Departments of the customs annex that INSEE's department list does not hold
# as such: name, INSEE region, whether it is a French department. Corsica is
# one department in the customs files (INSEE region 94, Corse). Monaco is no
# French department, but it lies inside France's statistical territory and the
# customs count it with Provence-Alpes-Côte d'Azur (INSEE region 93).
NON_INSEE_DEPARTMENTS: dict[str, tuple[str, str, bool]] = {
    "20": ("Corse", "94", True),
    "99": ("Principauté de Monaco", "93", False),
}
#: INSEE's two Corsican departments, which the customs publish as one (20).
CORSICA_INSEE = ("2A", "2B")

# ---------------------------------------------------------------- name types

#: INSEE's TNCC codes ("type de nom en clair"): 0 and 1 no article (before a
#: consonant, before a vowel), 2 le, 3 la, 4 les, 5 l', 6 aux, 7 las, 8 los.
#: The article forms of each code are the seed name_articles.csv.
NAME_TYPES = range(9)

# Departments of the customs files that the COG does not list, and their name
# type. Corsica as one (20, "Corse") is named like INSEE's region 94, same name
# and same territory: it takes that region's type from the COG (0: "de Corse",
# "en Corse"), not that of 2A/2B (3). Monaco is no French territory; its name
# "Principauté de Monaco" takes "la" (3: "de la Principauté de Monaco").
DEPARTMENT_NAME_TYPE_OF_REGION: dict[str, str] = {"20": "94"}
NON_COG_NAME_TYPES: dict[str, int] = {"99": 3}

# ------------------------------------------------------------------- outputs

COUNTRY_COLUMNS = ("country_code", "valid_from", "valid_to", "country_name", "iso_alpha3",
                   "is_eu27", "is_intra_eu", "country_group")  # fmt: skip
A129_COLUMNS = ("a129_code", "a129_label", "a38_code", "valid_from", "valid_to")
CPF4_COLUMNS = ("cpf4_code", "cpf4_label", "a129_code", "valid_from", "valid_to")
DEPARTMENT_COLUMNS = ("department_code", "department_name", "region_code",
                      "customs_department_code", "customs_region_code",
                      "is_french_department", "name_type")  # fmt: skip
REGION_COLUMNS = ("region_code", "region_name", "customs_region_code", "name_type")

#: The seeds this script writes, in the order it builds them.
SEED_NAMES: tuple[str, ...] = (
    "countries.csv", "products_a129.csv", "products_cpf4.csv", "departments.csv",
    "regions.csv",
)  # fmt: skip


class AnnexError(ValueError):
    """An annex that does not read as its published layout says."""


# ------------------------------------------------------------------ reading


def detect_encoding(data: bytes) -> str:
    """The encoding of an annex, from its bytes: a UTF-8 BOM, valid UTF-8, else cp1252."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


@dataclass(frozen=True)
class Annex:
    """One annex read: its encoding and its lines as {raw column: value} by layout position."""

    name: str
    encoding: str
    rows: list[dict[str, str]]


def read_annex(path: Path) -> Annex:
    """Decode and parse one annex, checking every line against its published layout.

    The layout is the one ``raw_layout`` recognises by the file's name; a line
    whose field count matches none of its field lists refuses the file.
    """
    found = raw_layout.fixed_layout_for(path.name)
    if found is None:
        raise AnnexError(f"{path.name}: no published layout has this file name")
    layout, _ = found
    field_lists = {len(fields): fields for fields in layout.field_lists()}
    data = path.read_bytes()
    encoding = detect_encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:  # cp1252 leaves five bytes undefined
        raise AnnexError(f"{path.name}: neither UTF-8 nor cp1252 ({error})") from error
    rows: list[dict[str, str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"')
    for number, fields in enumerate(reader, start=1):
        names = field_lists.get(len(fields))
        if names is None:
            expected = " or ".join(str(n) for n in sorted(field_lists))
            raise AnnexError(
                f"{path.name}, line {number}: {len(fields)} fields, the {layout.name} "
                f"layout has {expected}"
            )
        rows.append({name: value for name, value in zip(names, fields, strict=True) if name})
    if not rows:
        raise AnnexError(f"{path.name}: no line")
    return Annex(path.name, encoding, rows)


@dataclass(frozen=True)
class CogName:
    """One territory of the COG extract: its name, its region (departments) and name type."""

    name: str
    region: str
    name_type: int


def read_cog(path: Path) -> dict[str, CogName]:
    """The territories of one COG extract (a JSON list), by code, every entry checked.

    An entry without its fields, or with a name type that is not one of
    INSEE's TNCC codes, refuses the file with its position and the reason.
    """
    try:
        entries = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise AnnexError(f"{path.name}: not UTF-8 JSON ({error})") from error
    if not isinstance(entries, list) or not entries:
        raise AnnexError(f"{path.name}: not a non-empty JSON list")
    names: dict[str, CogName] = {}
    for number, entry in enumerate(entries, start=1):
        where = f"{path.name}, entry {number}"
        try:
            code, name, name_type = entry["code"], entry["nom"], entry["typeLiaison"]
        except (KeyError, TypeError) as error:
            raise AnnexError(f"{where}: no field {error}") from error
        if not isinstance(name_type, int) or name_type not in NAME_TYPES:
            raise AnnexError(f"{where} ({code}): typeLiaison {name_type!r} is no TNCC code 0-8")
        if code in names:
            raise AnnexError(f"{where}: code {code} twice")
        names[code] = CogName(name, entry.get("region", code), name_type)
    return names


def _cog_match(cog: CogName, code: str, name: str, region: str, where: str) -> int:
    """The COG's name type for a seed row, once its name and region are the seed's."""
    if (cog.name, cog.region) != (name, region):
        raise AnnexError(
            f"{where}: {code} is {cog.name!r} in region {cog.region}, "
            f"the seed has {name!r} in region {region}"
        )
    return cog.name_type


def read_seed(path: Path) -> list[dict[str, str]]:
    """Rows of a committed seed (UTF-8 CSV with a header)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _period(row: dict[str, str], where: str) -> tuple[int, int]:
    """A row's validity as YYYYMM integers, checked."""
    try:
        start, end = int(row["valid_from"]), int(row["valid_to"])
    except ValueError as error:
        raise AnnexError(f"{where}: validity is not YYYYMM ({error})") from error
    if not (190001 <= start <= end <= OPEN_VALIDITY) or not (1 <= start % 100 <= 12):
        raise AnnexError(f"{where}: impossible validity {start}-{end}")
    return start, end


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


# ------------------------------------------------------------------ writing


def csv_text(columns: Sequence[str], rows: Iterable[dict[str, str]]) -> str:
    """Rows as the seeds store them: UTF-8 CSV, header first, ``\\n``, minimal quoting."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n",
                            quoting=csv.QUOTE_MINIMAL)  # fmt: skip
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def build_seeds(
    annex_dir: Path = ANNEX_DIR, seeds_dir: Path = SEEDS_DIR, cog_dir: Path = COG_DIR
) -> dict[str, str]:
    """The text of every seed this script owns, by file name.

    ``seeds_dir`` supplies the INSEE columns the annexes do not carry (the
    committed seeds, which are also where the output normally goes);
    ``cog_dir`` the COG extracts the name types come from.
    """
    annexes = {name: read_annex(annex_dir / name) for name in ANNEXES}
    cog_departments = read_cog(cog_dir / COG_DEPARTMENTS)
    cog_regions = read_cog(cog_dir / COG_REGIONS)
    a38_codes = {row["a38_code"] for row in read_seed(seeds_dir / "products_a38.csv")}
    countries = build_countries(annexes[COUNTRY_ANNEX])
    a129 = build_products_a129(
        annexes[A129_ANNEX], read_seed(seeds_dir / "products_a129.csv"), a38_codes
    )
    cpf4 = build_products_cpf4(annexes[CPF4_ANNEX], a129)
    departments = build_departments(
        annexes[DEPARTMENT_ANNEX], read_seed(seeds_dir / "departments.csv"),
        cog_departments, cog_regions,
    )  # fmt: skip
    regions = build_regions(read_seed(seeds_dir / "regions.csv"), departments, cog_regions)
    texts = {
        "countries.csv": csv_text(COUNTRY_COLUMNS, countries),
        "products_a129.csv": csv_text(A129_COLUMNS, a129),
        "products_cpf4.csv": csv_text(CPF4_COLUMNS, cpf4),
        "departments.csv": csv_text(DEPARTMENT_COLUMNS, departments),
        "regions.csv": csv_text(REGION_COLUMNS, regions),
    }
    assert tuple(texts) == SEED_NAMES
    return texts


def differing_seeds(texts: dict[str, str], seeds_dir: Path) -> list[str]:
    """Names of the seeds whose committed bytes differ from ``texts`` (or are missing)."""
    return [
        name
        for name, text in texts.items()
        if not (seeds_dir / name).is_file()
        or (seeds_dir / name).read_bytes() != text.encode("utf-8")
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annexes", type=Path, default=ANNEX_DIR, help="the customs annexes")
    parser.add_argument(
        "--seeds", type=Path, default=SEEDS_DIR,
        help="the committed seeds (INSEE columns are read there)",
    )  # fmt: skip
    parser.add_argument("--cog", type=Path, default=COG_DIR, help="the COG extracts (name types)")
    parser.add_argument("--out", type=Path, default=None, help="write here (default: --seeds)")
    parser.add_argument(
        "--check", action="store_true",
        help="write nothing; exit 1 if a seed in --out (default --seeds) differs",
    )  # fmt: skip
    args = parser.parse_args(argv)
    out = args.out or args.seeds
    texts = build_seeds(args.annexes, args.seeds, args.cog)
    if args.check:
        differing = differing_seeds(texts, out)
        for name in differing:
            print(f"{out / name} differs from what the customs annexes give", file=sys.stderr)
        if differing:
            print("run: trade seeds", file=sys.stderr)
            return 1
        print(f"{len(texts)} seeds match the customs annexes")
        return 0
    out.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (out / name).write_bytes(text.encode("utf-8"))
    print(f"wrote {', '.join(texts)} to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
