"""Build the country reference seed used to label customs trade partners.

Why this script exists: French country names are easy to get subtly wrong
when typed by hand (accents, official vs. usual forms, renamed states).
Instead, names come from pycountry, which bundles the ISO 3166-1 list and
its maintained French translations. Only what ISO does not cover is written
here by hand: the EU customs geonomenclature codes that are not ISO
countries (confidential or unspecified partners, ship stores, ...).

Rules applied:
- France (FR) is left out, and so are the overseas departments (GP, MQ, GF,
  RE, YT): in French customs statistics they are part of France, so their
  trade with France is not foreign trade.
- When pycountry has a usual short name (``common_name``, e.g. "Corée du
  Sud"), its French translation is used; otherwise the French translation of
  the ISO ``name`` is used.

Output columns: country_code, country_name, iso_alpha3, is_eu27,
country_group ("country" or "special"). Rows are sorted by country_code so
that the file is byte-for-byte reproducible for a given pycountry version.

Usage:
    python scripts/build_country_seed.py [OUTPUT_CSV]
"""

from __future__ import annotations

import argparse
import csv
import gettext
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pycountry

DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "seeds" / "reference" / "countries.csv"

FIELDNAMES = ["country_code", "country_name", "iso_alpha3", "is_eu27", "country_group"]

# The 27 member states of the European Union (since 1 February 2020).
EU27: frozenset[str] = frozenset(
    {
        "AT",  # Autriche
        "BE",  # Belgique
        "BG",  # Bulgarie
        "CY",  # Chypre
        "CZ",  # Tchéquie
        "DE",  # Allemagne
        "DK",  # Danemark
        "EE",  # Estonie
        "ES",  # Espagne
        "FI",  # Finlande
        "FR",  # France
        "GR",  # Grèce
        "HR",  # Croatie
        "HU",  # Hongrie
        "IE",  # Irlande
        "IT",  # Italie
        "LT",  # Lituanie
        "LU",  # Luxembourg
        "LV",  # Lettonie
        "MT",  # Malte
        "NL",  # Pays-Bas
        "PL",  # Pologne
        "PT",  # Portugal
        "RO",  # Roumanie
        "SE",  # Suède
        "SI",  # Slovénie
        "SK",  # Slovaquie
    }
)

# France itself and the overseas departments, which customs counts as France.
EXCLUDED: frozenset[str] = frozenset({"FR", "GP", "MQ", "GF", "RE", "YT"})


class Partner(NamedTuple):
    """One row of the countries seed."""

    code: str
    name: str
    group: str


# Customs partner codes that are not ISO 3166-1 countries, with French names.
NON_ISO_PARTNERS: tuple[Partner, ...] = (
    Partner("XI", "Royaume-Uni (Irlande du Nord)", "country"),
    Partner("XK", "Kosovo", "country"),
    Partner("XC", "Ceuta", "country"),
    Partner("XL", "Melilla", "country"),
    Partner("QP", "Haute mer", "special"),
    Partner("QQ", "Avitaillement et soutage", "special"),
    Partner("QR", "Avitaillement et soutage, échanges intra-UE", "special"),
    Partner("QS", "Avitaillement et soutage, échanges extra-UE", "special"),
    Partner("QU", "Pays et territoires non déterminés", "special"),
    Partner("QV", "Pays non déterminés, échanges intra-UE", "special"),
    Partner("QW", "Pays non déterminés, échanges extra-UE", "special"),
    Partner("QX", "Pays non précisés pour raisons commerciales ou militaires", "special"),
    Partner("QY", "Secret, échanges intra-UE", "special"),
    Partner("QZ", "Secret, échanges extra-UE", "special"),
)


def french_translator() -> Callable[[str], str]:
    """Return a function translating pycountry's English names into French."""
    translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    return translation.gettext


def build_rows() -> list[dict[str, str]]:
    """Assemble the seed rows, sorted by country code."""
    to_french = french_translator()
    rows: dict[str, dict[str, str]] = {}

    for country in pycountry.countries:
        code = country.alpha_2
        if code in EXCLUDED:
            continue
        common_name = getattr(country, "common_name", None)
        name = to_french(common_name) if common_name else to_french(country.name)
        rows[code] = {
            "country_code": code,
            "country_name": name,
            "iso_alpha3": country.alpha_3,
            "is_eu27": "true" if code in EU27 else "false",
            "country_group": "country",
        }

    for partner in NON_ISO_PARTNERS:
        if partner.code in rows:
            raise ValueError(f"{partner.code} is already an ISO 3166-1 code")
        rows[partner.code] = {
            "country_code": partner.code,
            "country_name": partner.name,
            "iso_alpha3": "",
            "is_eu27": "false",
            "country_group": partner.group,
        }

    return [rows[code] for code in sorted(rows)]


def write_csv(rows: list[dict[str, str]], output: Path) -> None:
    """Write rows as UTF-8 CSV (no BOM), quoting only where needed."""
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle,
            fieldnames=FIELDNAMES,
            quoting=csv.QUOTE_MINIMAL,
            lineterminator="\n",
        )
        writer.writeheader()
        writer.writerows(rows)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description="Write the countries reference seed from pycountry data."
    )
    parser.add_argument(
        "output",
        nargs="?",
        type=Path,
        default=DEFAULT_OUTPUT,
        help=f"CSV file to write (default: {DEFAULT_OUTPUT})",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Build the seed and report how many rows were written."""
    args = parse_args(argv)
    rows = build_rows()
    write_csv(rows, args.output)
    print(f"Wrote {len(rows)} rows to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
