"""Rebuild the Territoires d'industrie seed from the ANCT's own list.

Why this script exists: the department pages say which Territoires d'industrie
cover the department, and a territory that spreads over several departments
must say so on each of them (the fiche's method note sends the reader to every
department's page). Typed by hand, the list was 16 rows in 11 departments while
the programme's 2023-2027 phase counts 183 territories, so 90 pages wrongly
said a department had none. The list is therefore rebuilt from two public
files kept in ``seeds/sources/territoires_industrie/`` (see PROVENANCE.md
there):

- ``territoires_2023_2027.json``: the 183 territories of the ANCT's list
  (identifier, name, and the groupements each one brings together: EPCI, EPT
  or single communes, named with their SIREN);
- ``groupements_2023.json``: the communes of those groupements on 1 January
  2023 with each commune's department (INSEE's Code officiel géographique and
  the DGCL's EPCI composition, as packaged by Etalab).

A territory covers the departments of the communes of its groupements; 2A and
2B become the warehouse's ``20`` (the customs publish Corsica as one). The
seed has one row per territory and department, with the number of departments
the territory covers, sorted, UTF-8, ``\\n`` line ends, so a rerun is
byte-identical. ``--check`` tells when the committed seed no longer matches the
sources; ``--refresh-sources`` rewrites the two extracts from the original
files (the ANCT's GeoJSON and the unpacked npm package), whose geometry and
unrelated groupements are dropped.

Usage:
    trade territoires           # rewrite the seed
    trade territoires --check   # exit 1 if it differs
    trade territoires --refresh-sources ti_geom.geojson package/data
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from scripts.paths import PROJECT_DIR, SEEDS_DIR
from scripts.reference.seeds import CORSICA_INSEE

SOURCE_DIR = PROJECT_DIR / "seeds" / "sources" / "territoires_industrie"
TERRITOIRES_FILE = "territoires_2023_2027.json"
GROUPEMENTS_FILE = "groupements_2023.json"
SEED_NAME = "territoires_industrie.csv"
SEED_COLUMNS = (
    "territoire_industrie_id",
    "territoire_industrie_name",
    "department_code",
    "department_count",
)
#: How the pages name the list they show (its phase and the version of the ANCT's files).
LIST_LABEL = "liste 2023-2027 de l'ANCT (version du 4 juillet 2024)"

#: One groupement of a territory in the ANCT's ``liste_geo``: "CC du Pithiverais (244500484)".
GROUPEMENT_ITEM = re.compile(r"^(?P<name>.+) \((?P<siren>\d{9})\)$")
#: The warehouse's code for Corsica, which the customs publish as one department.
CORSICA = "20"


class SourceError(ValueError):
    """A source file that does not read as this script expects."""


@dataclass(frozen=True)
class Territoire:
    """One Territoire d'industrie of the ANCT's list."""

    territoire_id: str
    name: str
    #: (name, SIREN) of each groupement, in the list's order.
    groupements: tuple[tuple[str, str], ...]


# ------------------------------------------------------------------ reading


def clean_name(name: str) -> str:
    """A territory name without the stray spaces the list has at the end of two names."""
    return " ".join(name.split())


def parse_territoire(properties: dict[str, str], where: str) -> Territoire:
    """One feature's properties, with its groupement list split and checked."""
    try:
        territoire_id = properties["id_territoire"]
        name = clean_name(properties["lib_territoire"])
        items = properties["liste_geo"].split("; ")
    except (KeyError, AttributeError) as error:
        raise SourceError(f"{where}: missing or malformed field {error}") from error
    groupements = []
    for item in items:
        match = GROUPEMENT_ITEM.match(item.strip())
        if not match:
            raise SourceError(f"{where} ({territoire_id}): groupement not 'name (SIREN)': {item!r}")
        groupements.append((match["name"], match["siren"]))
    if not territoire_id or not name:
        raise SourceError(f"{where}: empty identifier or name")
    return Territoire(territoire_id, name, tuple(groupements))


def read_territoires(path: Path) -> list[Territoire]:
    """The territories of the extract, each identifier once."""
    records = json.loads(path.read_text(encoding="utf-8"))
    territoires = [
        parse_territoire(record, f"{path.name}, territory {number}")
        for number, record in enumerate(records, start=1)
    ]
    seen: set[str] = set()
    for territoire in territoires:
        if territoire.territoire_id in seen:
            raise SourceError(f"{path.name}: territory {territoire.territoire_id} twice")
        seen.add(territoire.territoire_id)
    return territoires


def read_groupements(path: Path) -> dict[str, list[tuple[str, str]]]:
    """SIREN -> the (commune code, INSEE department) of each of its communes."""
    records = json.loads(path.read_text(encoding="utf-8"))
    return {
        siren: [(commune, department) for commune, department in record["communes"]]
        for siren, record in records.items()
    }


def read_departments(seeds_dir: Path = SEEDS_DIR) -> set[str]:
    """The warehouse's department codes (departments.csv)."""
    with (seeds_dir / "departments.csv").open(encoding="utf-8", newline="") as handle:
        return {row["department_code"] for row in csv.DictReader(handle)}


# ----------------------------------------------------------------- building


def warehouse_department(insee_code: str, known: set[str], where: str) -> str:
    """An INSEE department code under the warehouse's codes (2A and 2B are 20)."""
    code = CORSICA if insee_code in CORSICA_INSEE else insee_code
    if code not in known:
        raise SourceError(f"{where}: department {insee_code} is not in departments.csv")
    return code


def territoire_departments(
    territoire: Territoire, groupements: dict[str, list[tuple[str, str]]], known: set[str]
) -> list[str]:
    """The sorted warehouse departments of the communes of a territory's groupements."""
    departments: set[str] = set()
    for name, siren in territoire.groupements:
        where = f"{territoire.territoire_id} {name} ({siren})"
        if siren not in groupements:
            raise SourceError(f"{GROUPEMENTS_FILE}: no communes for {where}")
        for _, department in groupements[siren]:
            departments.add(warehouse_department(department, known, where))
    if not departments:
        raise SourceError(f"{territoire.territoire_id}: no department")
    return sorted(departments)


def build_rows(
    territoires: Iterable[Territoire],
    groupements: dict[str, list[tuple[str, str]]],
    known: set[str],
) -> list[dict[str, str]]:
    """One row per territory and department it covers, sorted by territory then department."""
    rows = []
    for territoire in sorted(territoires, key=lambda t: t.territoire_id):
        departments = territoire_departments(territoire, groupements, known)
        for department in departments:
            rows.append(
                {
                    "territoire_industrie_id": territoire.territoire_id,
                    "territoire_industrie_name": territoire.name,
                    "department_code": department,
                    "department_count": str(len(departments)),
                }
            )
    return rows


def seed_text(rows: Iterable[dict[str, str]]) -> str:
    """Rows as the seeds store them: UTF-8 CSV, header first, ``\\n``, minimal quoting."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(SEED_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def build_seed(source_dir: Path = SOURCE_DIR, seeds_dir: Path = SEEDS_DIR) -> str:
    """The text of the seed, from the two source extracts and departments.csv."""
    territoires = read_territoires(source_dir / TERRITOIRES_FILE)
    groupements = read_groupements(source_dir / GROUPEMENTS_FILE)
    return seed_text(build_rows(territoires, groupements, read_departments(seeds_dir)))


# ------------------------------------------------------- refreshing sources


def refresh_sources(geojson: Path, package_data: Path, out_dir: Path = SOURCE_DIR) -> None:
    """Rewrite the two extracts from the ANCT's GeoJSON and Etalab's package data.

    The territories keep their properties as published (geometry dropped);
    the groupements are the EPCI and EPT the territories name, with their
    communes, plus the communes named alone, each with its department.
    """
    features = json.loads(geojson.read_text(encoding="utf-8"))["features"]
    properties = [feature["properties"] for feature in features]
    territoires = [
        parse_territoire(record, f"{geojson.name}, feature {number}")
        for number, record in enumerate(properties, start=1)
    ]
    wanted = {siren for t in territoires for _, siren in t.groupements}
    communes = [
        commune
        for commune in json.loads((package_data / "communes.json").read_text(encoding="utf-8"))
        if commune["type"] == "commune-actuelle"
    ]
    department_of = {commune["code"]: commune["departement"] for commune in communes}
    groupements: dict[str, dict[str, object]] = {}
    for kind_file in ("epci.json", "ept.json"):
        for record in json.loads((package_data / kind_file).read_text(encoding="utf-8")):
            if record["code"] in wanted:
                groupements[record["code"]] = {
                    "type": record["type"],
                    "nom": record["nom"],
                    "communes": sorted(
                        [member["code"], department_of[member["code"]]]
                        for member in record["membres"]
                    ),
                }
    for commune in communes:
        if commune.get("siren") in wanted and commune["siren"] not in groupements:
            groupements[commune["siren"]] = {
                "type": "COM",
                "nom": commune["nom"],
                "communes": [[commune["code"], commune["departement"]]],
            }
    if missing := sorted(wanted - groupements.keys()):
        raise SourceError(f"{package_data}: no groupement for SIREN {', '.join(missing)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / TERRITOIRES_FILE).write_text(_json_lines(properties), encoding="utf-8")
    ordered = {siren: groupements[siren] for siren in sorted(groupements)}
    (out_dir / GROUPEMENTS_FILE).write_text(_json_object_lines(ordered), encoding="utf-8")


def _json_lines(records: list[dict[str, str]]) -> str:
    """A JSON array with one record per line, so a diff shows which territory changed."""
    body = ",\n".join(json.dumps(record, ensure_ascii=False) for record in records)
    return f"[\n{body}\n]\n"


def _json_object_lines(records: dict[str, dict[str, object]]) -> str:
    """A JSON object with one member per line."""
    body = ",\n".join(
        f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}"
        for key, value in records.items()
    )
    return f"{{\n{body}\n}}\n"


# --------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, default=SOURCE_DIR, help="the source extracts")
    parser.add_argument("--seeds", type=Path, default=SEEDS_DIR, help="departments.csv is here")
    parser.add_argument("--out", type=Path, default=None, help="write here (default: --seeds)")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if the seed differs"
    )
    parser.add_argument(
        "--refresh-sources", nargs=2, type=Path, metavar=("GEOJSON", "PACKAGE_DATA"),
        help="rewrite the extracts from ti_geom.geojson and decoupage-administratif's data/",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.refresh_sources:
        refresh_sources(*args.refresh_sources, out_dir=args.sources)
        print(f"wrote {TERRITOIRES_FILE} and {GROUPEMENTS_FILE} to {args.sources}")
    out = (args.out or args.seeds) / SEED_NAME
    text = build_seed(args.sources, args.seeds)
    if args.check:
        if not out.is_file() or out.read_bytes() != text.encode("utf-8"):
            print(f"{out} differs from what the sources give", file=sys.stderr)
            print("run: trade territoires", file=sys.stderr)
            return 1
        print(f"{out.name} matches the Territoires d'industrie sources")
        return 0
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(text.encode("utf-8"))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
