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

What the annexes do not say is written once, in ``facts``, each with its source:
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
``scripts/ingest/layout.py`` (``annexes`` reads them, ``builders`` makes the
seeds' rows, this module writes them and is the ``seeds`` command). Output
is UTF-8 CSV with ``\\n`` line ends, sorted, so a rerun is byte-identical.

Usage:
    trade seeds            # rewrite the seeds
    trade seeds --check    # exit 1 if a seed differs
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from scripts.paths import SEEDS_DIR
from scripts.reference.annexes import (
    A129_ANNEX,
    ANNEX_DIR,
    ANNEXES,
    COG_DEPARTMENTS,
    COG_DIR,
    COG_REGIONS,
    COUNTRY_ANNEX,
    CPF4_ANNEX,
    DEPARTMENT_ANNEX,
    AnnexError,
    detect_encoding,
    read_annex,
    read_cog,
    read_seed,
)
from scripts.reference.builders import (
    build_countries,
    build_departments,
    build_products_a129,
    build_products_cpf4,
    build_regions,
)
from scripts.reference.facts import CORSICA_INSEE, INTRA_EU_SPECIAL, SPECIAL_COUNTRIES

#: The names other modules and the tests take from here (this module is the
#: seeds' front: the command, and what it builds from).
__all__ = [
    "A129_ANNEX", "ANNEXES", "ANNEX_DIR", "COG_DIR", "CORSICA_INSEE", "COUNTRY_ANNEX",
    "CPF4_ANNEX", "DEPARTMENT_ANNEX", "INTRA_EU_SPECIAL", "SEED_NAMES", "SPECIAL_COUNTRIES",
    "AnnexError", "build_seeds", "detect_encoding", "main", "read_annex", "read_cog",
]  # fmt: skip

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
