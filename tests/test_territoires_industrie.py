"""The Territoires d'industrie seed is the ANCT's list, whole, with the departments of its communes.

Expected values are computed here from the committed source extracts with the
test's own reading (a commune's department from its INSEE code, not from the
extract's department field), or are published facts checked by hand; none is
read back from the seed the script wrote.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from scripts.paths import SEEDS_DIR
from scripts.reference import territoires_industrie as ti

SOURCES = ti.SOURCE_DIR
# The number of Territoires d'industrie the programme announced for its 2023-2027 phase.
PUBLISHED_COUNT = 183


def _seed() -> list[dict[str, str]]:
    with (SEEDS_DIR / "territoires_industrie.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _source_territoires() -> list[dict[str, str]]:
    return json.loads((SOURCES / ti.TERRITOIRES_FILE).read_text(encoding="utf-8"))


def _insee_department(commune_code: str) -> str:
    """INSEE's rule: overseas communes carry a three-digit department, others two characters."""
    return commune_code[:3] if commune_code.startswith("97") else commune_code[:2]


def _departments_from_sources() -> dict[str, set[str]]:
    """Territory id -> the departments of the communes of its groupements (20 for Corsica)."""
    groupements = json.loads((SOURCES / ti.GROUPEMENTS_FILE).read_text(encoding="utf-8"))
    result: dict[str, set[str]] = {}
    for record in _source_territoires():
        sirens = re.findall(r"\((\d{9})\)", record["liste_geo"])
        codes = {
            _insee_department(commune)
            for siren in sirens
            for commune, _ in groupements[siren]["communes"]
        }
        result[record["id_territoire"]] = {"20" if c in ("2A", "2B") else c for c in codes}
    return result


def test_the_committed_seed_is_what_the_script_builds(tmp_path: Path) -> None:
    assert ti.main(["--out", str(tmp_path)]) == 0
    built = (tmp_path / ti.SEED_NAME).read_bytes()
    assert built == (SEEDS_DIR / ti.SEED_NAME).read_bytes()
    assert ti.main(["--check"]) == 0


def test_check_fails_when_the_seed_differs(tmp_path: Path) -> None:
    (tmp_path / ti.SEED_NAME).write_text("territoire_industrie_id\n", encoding="utf-8")
    assert ti.main(["--check", "--out", str(tmp_path)]) == 1


def test_every_territory_of_the_source_is_in_the_seed_once() -> None:
    source_ids = {record["id_territoire"] for record in _source_territoires()}
    assert len(source_ids) == len(_source_territoires()) == PUBLISHED_COUNT
    rows = _seed()
    assert {row["territoire_industrie_id"] for row in rows} == source_ids
    names = {row["territoire_industrie_id"]: row["territoire_industrie_name"] for row in rows}
    # The pages know a territory by its name: no two territories share one.
    assert len(set(names.values())) == len(names)


def test_each_territory_lies_in_the_departments_of_its_communes() -> None:
    expected = _departments_from_sources()
    seeded: dict[str, set[str]] = {}
    for row in _seed():
        seeded.setdefault(row["territoire_industrie_id"], set()).add(row["department_code"])
    assert seeded == expected
    for row in _seed():
        assert int(row["department_count"]) == len(expected[row["territoire_industrie_id"]])


def test_known_territories_by_hand() -> None:
    by_name: dict[str, set[str]] = {}
    for row in _seed():
        by_name.setdefault(row["territoire_industrie_name"], set()).add(row["department_code"])
    # The three of the Loiret fiche, and territories whose spread is public knowledge.
    assert {name for name, codes in by_name.items() if "45" in codes} == {
        "Est du Loiret",
        "Nord Loiret",
        "Orléans Métropole – Beauce Loirétaine",
    }
    assert by_name["Nord Franche-Comté"] == {"25", "70", "90"}
    assert by_name["Aurillac – Figeac – Rodez"] == {"12", "15", "46"}
    assert by_name["Lacq – Pau – Tarbes"] == {"64", "65"}
    # Names with a stray final space in the source come out clean.
    assert "Pays de Gex – Genevois – Terre Valserhône" in by_name


def test_seed_uses_the_warehouse_department_codes() -> None:
    with (SEEDS_DIR / "departments.csv").open(encoding="utf-8", newline="") as handle:
        known = {row["department_code"] for row in csv.DictReader(handle)}
    codes = {row["department_code"] for row in _seed()}
    assert codes <= known
    assert not codes & {"2A", "2B"}


def test_a_malformed_groupement_names_the_territory_and_the_item(tmp_path: Path) -> None:
    record = {"id_territoire": "ti-9999", "lib_territoire": "X", "liste_geo": "CC Sans Siren"}
    (tmp_path / ti.TERRITOIRES_FILE).write_text(json.dumps([record]), encoding="utf-8")
    with pytest.raises(ti.SourceError, match=r"territory 1 \(ti-9999\).*CC Sans Siren"):
        ti.read_territoires(tmp_path / ti.TERRITOIRES_FILE)


def test_an_unknown_groupement_or_department_is_refused() -> None:
    territoire = ti.Territoire("ti-9999", "X", (("CC Inconnue", "200000000"),))
    with pytest.raises(ti.SourceError, match="no communes for ti-9999 CC Inconnue"):
        ti.territoire_departments(territoire, {}, {"01"})
    with pytest.raises(ti.SourceError, match="department 975"):
        ti.territoire_departments(territoire, {"200000000": [("97501", "975")]}, {"01"})
