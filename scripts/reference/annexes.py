"""Reading the customs' label annexes and INSEE's COG extracts, as their bytes are.

Why apart: every annex is decoded by what its bytes are (never by what its
readme says), parsed with the csv module and checked line by line against the
published layout; reading the inputs right is one job, building the seeds
from them another (``builders``).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from scripts.ingest import layout as raw_layout
from scripts.paths import PROJECT_DIR
from scripts.reference.facts import NAME_TYPES

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
