"""Recognise a table's layout from its header, and what its path says of its year.

Why apart from the reading: recognising is pure Python over a header line
and a file name, so it is the part to read when a file is refused as an
unknown layout or for a year its folder contradicts.
"""

from __future__ import annotations

import csv
import re
import unicodedata

from scripts.ingest import layout as raw_layout
from scripts.ingest.layout import Layout
from scripts.ingest.sources import RawInputError, RawInputProblem, SourceFile, refuse
from scripts.ingest.text import detect_separator

#: What a cross table's file name may tell: department, flow and year.
CROSS_FILE_NAME = re.compile(
    r"(?P<department>2A|2B|97[1-6]|\d{2})[_-](?P<flow>export|import|exp|imp|E|I)[_-]"
    r"(?P<year>(?:19|20)\d{2})",
    re.IGNORECASE,
)


def normalise_header(name: str) -> str:
    """A header as layouts compare it: no accents, lower case, single spaces."""
    decomposed = unicodedata.normalize("NFKD", name.replace("\ufeff", ""))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.strip().strip('"').lower().split())


def unit_from_header(header: str) -> str | None:
    """'keur' or 'eur' when a value column's header states its unit."""
    text = normalise_header(header)
    if "milliers" in text or "k€" in text or "keur" in text:
        return "keur"
    if "euro" in text or "€" in text:
        return "eur"
    return None


def read_header(source: SourceFile) -> tuple[list[str], str]:
    """Column names on the first line of a table, and its separator."""
    with source.path.open(encoding="utf-8") as handle:
        first = handle.readline().rstrip("\n")
    if not first.strip():
        raise refuse(source.label, 1, "-", "empty file, no header line")
    separator = ";" if source.numbered else detect_separator(first)
    # the csv module reads a quoted name as RFC 4180 says ("Valeur ""k€""" is Valeur "k€")
    names = [name.strip() for name in next(csv.reader([first], delimiter=separator))]
    return (names[1:] if source.numbered else names), separator


def _find(header: list[str], accepted: tuple[str, ...]) -> int | None:
    wanted = {normalise_header(name) for name in accepted}
    for index, name in enumerate(header):
        if normalise_header(name) in wanted:
            return index
    return None


def _country_columns(header: list[str], used: set[int]) -> list[int]:
    """Columns of a cross table whose header is a partner country code."""
    return [i for i, name in enumerate(header)
            if i not in used and re.fullmatch(r"[A-Z][A-Z0-9]", name.strip())]  # fmt: skip


def recognise(header: list[str], label: str) -> tuple[Layout, dict[str, int]]:
    """The layout a header belongs to, and the position of each of its columns.

    Layouts are tried in order; one is skipped when a column it excludes is
    present, so a header with a month or a line number is never read as a
    plain long table (dropping them would turn declaration lines into
    duplicate keys, or worse, hide a broken declarations file).
    """
    for layout in raw_layout.LAYOUTS:
        positions = {raw: _find(header, names) for raw, names in layout.required.items()}
        if any(index is None for index in positions.values()):
            continue
        if any(_find(header, names) is not None for names in layout.excluded.values()):
            continue
        optional = {raw: _find(header, names) for raw, names in layout.optional.items()}
        positions.update({raw: i for raw, i in optional.items() if i is not None})
        if layout.shape == "cross" and not _country_columns(header, set(positions.values())):
            continue
        return layout, positions  # type: ignore[return-value]
    # A header that has most of a layout's columns is that layout with columns missing
    # (on a tie, the layout that misses fewest: a long table without its country is
    # not a declarations file without its country, month and line number).
    closest = max(
        raw_layout.LAYOUTS,
        key=lambda layout: (_found_count(header, layout), -len(layout.required)),
    )
    if _found_count(header, closest) >= 2 and closest.shape != "cross":
        raise RawInputError([
            RawInputProblem(label, 1, names[0], f"missing column (the {closest.name} layout "
                            f"expects {closest.expected()}; found {header})")
            for names in closest.required.values() if _find(header, names) is None
        ])  # fmt: skip
    expected = "; ".join(f"{layout.name}: {layout.expected()}" for layout in raw_layout.LAYOUTS)
    published = "; ".join(layout.names for layout in raw_layout.FIXED_LAYOUTS)
    raise refuse(label, 1, "-", f"unknown layout: the file name is none of the customs' "
                  f"published files ({published}), which have no header, and its first line is "
                  f"no known header (expected {expected}; found {header})")  # fmt: skip


def _found_count(header: list[str], layout: Layout) -> int:
    return sum(_find(header, names) is not None for names in layout.required.values())


_YEAR = r"(?<!\d)((?:19|20)\d{2})(?!\d)"


def file_year(label: str) -> str | None:
    """The year a file's path declares, which every row of the file must then carry.

    A folder declares its year when its whole name is one (``2024/``); a zip or
    the file itself when its name carries exactly one year (``Region_2024.zip``,
    ``dept_45_2024.csv``; a name with two years is a range and declares none).
    Why every part counts, not only the file's name: a file of 2023 dropped in
    ``2024/`` would otherwise load as 2024's data. Parts that declare different
    years refuse the file whole: which one is right cannot be known.
    """
    parts = re.split(r"[/\\!]", label)
    declared: dict[str, str] = {}
    for index, part in enumerate(parts):
        if index < len(parts) - 1 and not part.lower().endswith(".zip"):
            if re.fullmatch(_YEAR, part):
                declared[f"folder '{part}'"] = part
            continue
        years = set(re.findall(_YEAR, part))
        if len(years) == 1:
            declared[f"name '{part}'"] = years.pop()
    if len(set(declared.values())) > 1:
        said = ", ".join(f"{where} says {year}" for where, year in declared.items())
        raise refuse(label, 0, "-", f"its path declares different years ({said}): move or "
                      "rename the file so that its folder and names agree")  # fmt: skip
    return next(iter(declared.values()), None)


def names_from_file(label: str) -> dict[str, str]:
    """Department, flow (E/I) and year a cross table's file name states, if any."""
    found = CROSS_FILE_NAME.search(label.rsplit("!", 1)[-1])
    if not found:
        return {}
    flow = found.group("flow").upper()[0]
    return {"department_code": found.group("department"), "flow_code": flow,
            "year": found.group("year")}  # fmt: skip
