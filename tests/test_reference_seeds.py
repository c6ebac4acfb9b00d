"""The reference seeds are the customs annexes, read byte-true: encodings, quotes, periods, codes.

Expected values come from the annex files themselves (their raw bytes) or
from published facts (the open-data readme's examples, the EU membership,
INSEE's department codes), never from the script's own tables.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import pytest

from scripts.paths import SEEDS_DIR
from scripts.reference import seeds

ANNEXES = seeds.ANNEX_DIR
SHARED = Path(__file__).resolve().parents[2] / "shared" / "reference" / "customs-open-data"


def _seed(name: str) -> list[dict[str, str]]:
    with (SEEDS_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _annex_lines(name: str) -> list[bytes]:
    """The annex's lines as raw bytes (CRLF files: no empty line at the end)."""
    data = (ANNEXES / name).read_bytes()
    assert data.endswith(b"\r\n")
    return data[:-2].split(b"\r\n")


def test_the_script_rebuilds_exactly_the_committed_seeds(tmp_path: Path) -> None:
    assert seeds.main(["--out", str(tmp_path)]) == 0
    for name in seeds.SEED_NAMES:
        assert (tmp_path / name).read_bytes() == (SEEDS_DIR / name).read_bytes(), name
    assert seeds.main(["--check"]) == 0


def test_check_fails_when_a_committed_seed_drifts(tmp_path: Path) -> None:
    shutil.copytree(SEEDS_DIR, tmp_path / "seeds")
    countries = tmp_path / "seeds" / "countries.csv"
    countries.write_text(countries.read_text(encoding="utf-8").replace("Serbie", "Serbia"))
    assert seeds.main(["--check", "--seeds", str(tmp_path / "seeds")]) == 1


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared reference folder is not here")
def test_the_annexes_are_byte_copies_of_the_published_files() -> None:
    for name in (*seeds.ANNEXES, "LISEZ-MOI.txt"):
        assert (ANNEXES / name).read_bytes() == (SHARED / name).read_bytes(), name


def test_encoding_is_detected_from_the_bytes() -> None:
    assert seeds.detect_encoding(b"\xef\xbb\xbfA01Z;x") == "utf-8-sig"
    assert seeds.detect_encoding("Céréales".encode()) == "utf-8"
    assert seeds.detect_encoding("Céréales".encode("cp1252")) == "cp1252"
    assert seeds.detect_encoding(b"AD;Andorre") == "utf-8"


def test_the_cp1252_cpf4_annex_keeps_its_accents() -> None:
    raw = _annex_lines(seeds.CPF4_ANNEX)[0]
    assert raw.startswith("0111;Céréales".encode("cp1252"))  # not UTF-8 bytes
    assert seeds.read_annex(ANNEXES / seeds.CPF4_ANNEX).encoding == "cp1252"
    cpf4 = {row["cpf4_code"]: row for row in _seed("products_cpf4.csv")}
    # the example line of the open-data readme (LISEZ-MOI.txt)
    assert cpf4["0111"]["cpf4_label"] == (
        "Céréales (à l'exclusion du riz), légumineuses et oléagineux"
    )
    assert (cpf4["0111"]["valid_from"], cpf4["0111"]["valid_to"]) == ("201501", "999912")


def test_the_bom_of_the_a129_annex_is_not_part_of_the_first_code() -> None:
    assert (ANNEXES / seeds.A129_ANNEX).read_bytes().startswith(b"\xef\xbb\xbfA01Z;")
    rows = _seed("products_a129.csv")
    assert rows[0]["a129_code"] == "A01Z"
    # the readme's example, typographic apostrophe as published
    assert rows[0]["a129_label"] == "Produits de la culture et de l’élevage"
    for name in seeds.SEED_NAMES:
        assert "\ufeff" not in (SEEDS_DIR / name).read_text(encoding="utf-8"), name


def test_quoted_labels_holding_a_semicolon_come_through_whole() -> None:
    line = next(x for x in _annex_lines(seeds.A129_ANNEX) if x.startswith(b"C26E;"))
    published = line.decode("utf-8").split('"')[1]
    # as published: a no-break space before the semicolon (French typography)
    assert published == "Appareils de mesure, d'essai et de navigation\u00a0; articles d'horlogerie"
    labels = {row["a129_code"]: row["a129_label"] for row in _seed("products_a129.csv")}
    assert labels["C26E"] == published
    cpf4 = {row["cpf4_code"]: row["cpf4_label"] for row in _seed("products_cpf4.csv")}
    assert cpf4["1071"] == "Pain ; pâtisseries et viennoiseries fraîches"


def test_a_country_code_keeps_each_of_its_periods() -> None:
    rows = _seed("countries.csv")
    xs = [
        (r["valid_from"], r["valid_to"], r["country_name"])
        for r in rows
        if r["country_code"] == "XS"
    ]
    assert xs == [("190001", "200505", "Saba"), ("200506", "999912", "Serbie")]
    for code in ("QU", "XK"):
        assert sum(r["country_code"] == code for r in rows) == 2


def test_countries_has_one_row_per_line_of_the_annex() -> None:
    lines = _annex_lines(seeds.COUNTRY_ANNEX)
    rows = _seed("countries.csv")
    assert len(rows) == len(lines) == 289
    published = {tuple(x.decode("utf-8").split(";")) for x in lines}  # no quoted label there
    assert {
        (r["country_code"], r["country_name"], r["valid_from"], r["valid_to"]) for r in rows
    } == (published)


def test_eu_membership_iso_codes_and_groups() -> None:
    rows = {(r["country_code"], r["valid_from"]): r for r in _seed("countries.csv")}
    eu = {code for (code, _), r in rows.items() if r["is_eu27"] == "true"}
    # the 26 member states other than France: FR is France's own goods returned
    assert len(eu) == 26 and {"DE", "HR", "CY"} <= eu and not {"GB", "FR"} & eu
    assert rows[("DE", "190001")]["iso_alpha3"] == "DEU"
    assert rows[("QA", "190001")]["iso_alpha3"] == "QAT"  # Qatar, a country
    assert rows[("QA", "190001")]["country_group"] == "country"
    assert rows[("XS", "200506")]["iso_alpha3"] == ""  # customs code of Serbia, not ISO
    assert rows[("AN", "190001")]["iso_alpha3"] == ""  # Netherlands Antilles, ended 2012
    for code in ("QU", "QS", "EU", "FR"):
        assert {r["country_group"] for (c, _), r in rows.items() if c == code} == {"special"}
    # the EU side of each code (is_intra_eu): member states, and the special
    # codes of intra-EU trade; QU (side unknown) and the extra-EU codes outside
    intra = {code for (code, _), r in rows.items() if r["is_intra_eu"] == "true"}
    assert eu < intra and "GB" not in intra
    assert {"QR", "QV", "QY", "EU", "FR"} <= intra
    assert not {"QU", "QS", "QW", "QZ", "QP", "QQ", "QT"} & intra
    assert seeds.INTRA_EU_SPECIAL.issubset(seeds.SPECIAL_COUNTRIES)
    # XI is Saint-Martin (southern part) until 2005-12 in the annex: no Northern Ireland
    assert [(r["valid_to"], r["country_name"]) for (c, _), r in rows.items() if c == "XI"] == [
        ("200512", "Saint-Martin, partie méridionale")
    ]


def test_departments_are_the_customs_departments_under_the_warehouse_codes() -> None:
    rows = _seed("departments.csv")
    lines = _annex_lines(seeds.DEPARTMENT_ANNEX)
    assert len(rows) == len(lines) == 101
    by_customs = {r["customs_department_code"]: r for r in rows}
    overseas = {"9A": ("971", "Guadeloupe", "01"), "9B": ("972", "Martinique", "02"),
                "9C": ("973", "Guyane", "03"), "9D": ("974", "La Réunion", "04"),
                "9E": ("976", "Mayotte", "06")}  # fmt: skip
    for customs, (code, name, region) in overseas.items():
        row = by_customs[customs]
        assert (row["department_code"], row["department_name"], row["region_code"]) == (
            code, name, region
        )  # fmt: skip
        assert row["customs_region_code"] == "24"
    corse, monaco = by_customs["20"], by_customs["99"]
    assert (corse["department_code"], corse["department_name"], corse["region_code"]) == (
        "20", "Corse", "94"
    )  # fmt: skip
    assert corse["is_french_department"] == "true"
    assert (monaco["department_code"], monaco["region_code"], monaco["customs_region_code"]) == (
        "99", "93", "21"
    )  # fmt: skip
    assert monaco["is_french_department"] == "false"
    loiret = by_customs["45"]
    assert (loiret["department_code"], loiret["region_code"], loiret["customs_region_code"]) == (
        "45", "24", "04"
    )  # fmt: skip
    assert not {"2A", "2B"} & {r["department_code"] for r in rows}
    for row in rows:  # the annex's own region code, line by line
        if row["customs_department_code"] not in {*overseas, "20", "99"}:
            assert row["department_code"] == row["customs_department_code"]
    published = {x.decode("utf-8").split(";")[0]: x.decode("utf-8").split(";")[2] for x in lines}
    assert {r["customs_department_code"]: r["customs_region_code"] for r in rows} == published


def test_regions_carry_their_dgddi_code() -> None:
    regions = {r["region_code"]: r["customs_region_code"] for r in _seed("regions.csv")}
    assert regions["24"] == "04"  # Centre-Val de Loire
    assert regions["11"] == "03"  # Île-de-France
    assert regions["93"] == "21" and regions["94"] == "22"
    assert {regions[code] for code in ("01", "02", "03", "04", "06")} == {"24"}


def test_territoires_use_the_warehouse_department_codes() -> None:
    departments = {r["department_code"] for r in _seed("departments.csv")}
    rows = _seed("territoires_industrie.csv")
    assert rows and {r["department_code"] for r in rows} <= departments


def test_every_cpf4_of_a_division_with_an_a129_code_gets_one_of_that_division() -> None:
    a129 = {x.decode("utf-8-sig").split(";")[0] for x in _annex_lines(seeds.A129_ANNEX)}
    divisions = {code[1:3] for code in a129}
    # Forging, metal treatment and machining (CPF groups 25.5 and 25.6) are NA 2008's
    # C25D, which the customs annex does not list (services, not goods).
    no_published_a129 = {"2550", "2561", "2562"}
    rows = _seed("products_cpf4.csv")
    assert len(rows) == len(_annex_lines(seeds.CPF4_ANNEX))
    for row in rows:
        code, product = row["cpf4_code"], row["a129_code"]
        if code[:2] in divisions and code not in no_published_a129:
            assert product in a129, code
            assert product[1:3] == code[:2], code
        else:
            assert product == "", code
    by_code = {row["cpf4_code"]: row["a129_code"] for row in rows}
    # a few classes checked against NA 2008 by hand
    assert by_code["1101"] == "C11Z"  # spirits: one A129 code for division 11
    assert by_code["2042"] == "C20B"  # perfumes
    assert by_code["2060"] == "C20C"  # man-made fibres
    assert by_code["2751"] == "C27A"  # household appliances
    assert by_code["3030"] == "C30C"  # aircraft
    assert by_code["3250"] == "C32B"  # medical instruments
    assert by_code["3511"] == "D35A"  # electricity
    assert by_code["4100"] == ""  # construction: no goods
    assert {by_code[c] for c in by_code if c[:2] in divisions} - {""} == a129


def test_a129_parents_follow_the_a38_divisions() -> None:
    rows = {r["a129_code"]: r["a38_code"] for r in _seed("products_a129.csv")}
    assert rows["C20B"] == "CE" and rows["C30C"] == "CL" and rows["E37Z"] == "EZ"
    assert rows["M71Z"] == "MA" and rows["M74Z"] == "MC" and rows["S96Z"] == "SZ"
    a38 = {r["a38_code"] for r in _seed("products_a38.csv")}
    assert set(rows.values()) <= a38


def test_a_line_with_the_wrong_field_count_refuses_the_annex(tmp_path: Path) -> None:
    annex = tmp_path / "Libelle_PAYS.txt"
    annex.write_bytes(b"AD;Andorre;190001;999912\r\nAE;Emirats arabes unis;190001\r\n")
    with pytest.raises(seeds.AnnexError, match="line 2: 3 fields"):
        seeds.read_annex(annex)
    with pytest.raises(seeds.AnnexError, match="no published layout"):
        seeds.read_annex(tmp_path / "countries.txt")


# ------------------------------------------------------------ name types (COG)

COG = seeds.COG_DIR

#: sha256 of the COG files as found (seeds/sources/cog/PROVENANCE.md).
COG_SHA256 = {
    "departements.json": "1ebe7e0ad0a49653c899087194344ec67f7115b728c4e1b98f741bd655b545e0",
    "regions.json": "98cb7c781d09577634b9e104dfbb92e39a0d10ae0e1c6c20978a49a474e1dba5",
    "departement2020.csv": "ed274294e4cdac373900d7e74ad239f5eb1fb2d550e80d400a42158ad17d5c1b",
    "region2020.csv": "36559eba6805af455ac58518cde229ec3b4c9f8d3f316ec91aecd5ce6d30c83a",
}


def _insee_2020(name: str, key: str) -> dict[str, str]:
    """TNCC by code in one of INSEE's own COG 2020 files."""
    with (COG / name).open(encoding="utf-8", newline="") as handle:
        return {row[key]: row["tncc"] for row in csv.DictReader(handle)}


def test_the_cog_files_are_the_files_found() -> None:
    for name, digest in COG_SHA256.items():
        assert hashlib.sha256((COG / name).read_bytes()).hexdigest() == digest, name
    assert (COG / "departement2020.csv").read_bytes().count(b"\r\n") == 102  # INSEE's CRLF


def test_name_types_agree_with_insee_own_2020_files() -> None:
    """INSEE's COG 2020 (its own CSV files) against the seeds built from Etalab's 2026 extract.

    One change is known: INSEE moved Maine-et-Loire from type 2 ("du") in 2020
    to 0 ("de") by 2024 (PROVENANCE.md).
    """
    departments = {r["department_code"]: r["name_type"] for r in _seed("departments.csv")}
    insee = _insee_2020("departement2020.csv", "dep")
    assert len(insee) == 101
    corsica = {code: insee.pop(code) for code in ("2A", "2B")}
    assert corsica == {"2A": "3", "2B": "3"}  # Corse-du-Sud, Haute-Corse: "la"
    differing = {code for code, tncc in insee.items() if departments[code] != tncc}
    assert differing == {"49"}
    assert (insee["49"], departments["49"]) == ("2", "0")
    regions = {r["region_code"]: r["name_type"] for r in _seed("regions.csv")}
    assert regions == _insee_2020("region2020.csv", "reg")


def test_name_types_of_known_names() -> None:
    # what French writes after "de", checked by hand against each name
    departments = {r["department_name"]: r["name_type"] for r in _seed("departments.csv")}
    assert departments["Paris"] == "0"  # de Paris
    assert departments["Eure-et-Loir"] == "1"  # d'Eure-et-Loir
    assert departments["Loiret"] == "2"  # du Loiret
    assert departments["Gironde"] == "3"  # de la Gironde
    assert departments["Bouches-du-Rhône"] == "4"  # des Bouches-du-Rhône
    assert departments["Ain"] == "5"  # de l'Ain
    assert departments["La Réunion"] == "0"  # the article is part of the name
    # not in the COG: Corsica as one named like INSEE's region 94, Monaco "la"
    assert departments["Corse"] == "0" and departments["Principauté de Monaco"] == "3"
    regions = {r["region_name"]: r["name_type"] for r in _seed("regions.csv")}
    assert regions["Centre-Val de Loire"] == "2"  # du Centre-Val de Loire
    assert regions["Hauts-de-France"] == "4"  # des Hauts-de-France
    assert regions["Île-de-France"] == "1"  # d'Île-de-France
    assert regions["Corse"] == "0"


def test_a_cog_entry_with_an_impossible_name_type_refuses_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "departements.json"
    bad.write_text(
        '[{"code":"01","region":"84","nom":"Ain","typeLiaison":5},\n'
        '{"code":"02","region":"32","nom":"Aisne","typeLiaison":9}]\n',
        encoding="utf-8",
    )
    with pytest.raises(seeds.AnnexError, match=r"departements.json, entry 2 \(02\): typeLiaison 9"):
        seeds.read_cog(bad)
    bad.write_text('[{"code":"01","nom":"Ain"}]', encoding="utf-8")
    with pytest.raises(seeds.AnnexError, match="entry 1: no field 'typeLiaison'"):
        seeds.read_cog(bad)


def test_a_cog_name_that_is_not_the_seed_name_refuses_the_build(tmp_path: Path) -> None:
    cog = tmp_path / "cog"
    shutil.copytree(COG, cog)
    text = (cog / "departements.json").read_text(encoding="utf-8")
    (cog / "departements.json").write_text(text.replace('"nom":"Loiret"', '"nom":"Loir"'))
    with pytest.raises(seeds.AnnexError, match="45 is 'Loir' in region 24, the seed has 'Loiret'"):
        seeds.build_seeds(cog_dir=cog)
