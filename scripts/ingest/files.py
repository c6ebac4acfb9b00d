"""Find raw customs files, recognise their layout and prepare them for the loader.

Why a module of its own: this is the part that meets whatever a publisher or a
user drops in the folder. First the files the customs really publish: the
regional and national open-data files and their label annexes, with no header
line, recognised by their file name and field count (``raw_layout.FIXED_LAYOUTS``),
loose or inside the customs' zips, in UTF-8 with or without a byte-order mark
or in Windows-1252 (the CPF4 annex), detected, never assumed. Then files users
assemble themselves in the older header-based layouts: CSV or spreadsheets,
semicolons, tabs or commas, long or cross tables, recognised by their header.
It reads the rows with DuckDB's CSV reader and refuses a file whose structure
is broken (not a zip, empty, an unknown name or layout, a line with the wrong
number of fields) with the file, line and reason, before anything reaches the
warehouse.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import zipfile
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from scripts.ingest import layout as raw_layout
from scripts.ingest.headers import file_year, names_from_file, read_header, recognise
from scripts.ingest.readers import INCOMING_TABLES, read_into_raw
from scripts.ingest.sources import RawInputError, RawInputProblem, SourceFile, refuse
from scripts.ingest.text import (
    SPREADSHEETS,
    decode,
    detect_separator,
    spreadsheet_tables,
    table_files,
)

#: The reading's names other modules use, wherever they are defined now.
__all__ = ["INCOMING_TABLES", "RawInputError", "RawInputProblem", "SourceFile", "decode",
           "detect_separator", "discover", "file_year", "names_from_file", "read_header",
           "read_into_raw", "read_manifest", "recognise", "spreadsheet_tables"]  # fmt: skip


def _scratch_file(scratch: Path, label: str) -> Path:
    """Where a table's UTF-8 copy goes: a name made from its label, never the label itself.

    No name found in a folder or a zip reaches the file system, so a member
    called ``../../x.csv`` cannot write outside the scratch folder, and a file
    called ``t[1].csv`` is not a glob pattern to DuckDB's reader.
    """
    return scratch / "tables" / f"{hashlib.sha256(label.encode()).hexdigest()[:24]}.csv"


def _is_table(name: str) -> bool:
    return name.lower().endswith((".csv", ".txt", *SPREADSHEETS))


#: Files shipped beside the data that hold no rows: the customs' readme and PDF
#: description, this project's manifest and download log.
#: A readme is text (.txt, .md or no extension): "readme_2024.csv" is a table, not skipped.
DOCUMENTATION = re.compile(
    r"((lisez[-_ ]?moi|readme)[^/.]*(\.txt|\.md)?|[^/]*\.pdf|[^/]*\.md|dataset\.json"
    r"|downloads\.jsonl)",
    re.IGNORECASE,
)


def _kind(name: str) -> str:
    """'zip', 'table', 'documentation' or 'unknown', from a file's own name."""
    base = name.rsplit("/", 1)[-1]
    if DOCUMENTATION.fullmatch(base):
        return "documentation"
    if base.lower().endswith(".zip"):
        return "zip"
    if _is_table(base):
        return "table"
    return "unknown"


def _unknown(label: str) -> RawInputError:
    names = "; ".join(layout.names for layout in raw_layout.FIXED_LAYOUTS)
    return refuse(label, 0, "-", "unrecognised file name: not a customs data file or annex "
                   f"({names}), not a .csv/.txt/.xlsx/.xls table, not a zip and not "
                   "documentation (LISEZ-MOI, README, .pdf)")  # fmt: skip


#: Whether a table (its label, its bytes' SHA-256) is already loaded as it would be read now.
Unchanged = Callable[[str, str], bool]


def _never_loaded(label: str, sha256: str) -> bool:
    return False


def discover(folder: Path, scratch: Path, unchanged: Unchanged = _never_loaded) -> list[SourceFile]:
    """Every table under ``folder`` (zip members included), as UTF-8 text in ``scratch``.

    A text table ``unchanged`` says is already loaded is only hashed (see
    ``SourceFile.prepared``): its rows stay as they are, and decoding and
    writing it would only cost time.

    A file that is neither a table, a zip nor documentation is refused by name,
    never skipped in silence: a user who drops a file in the folder expects it
    to count.

    Files are prepared by a few threads (unzipping, hashing and writing release
    Python's lock), but the tables come back in the folder's sorted order and
    the first file in that order with a problem is the one refused, as if they
    were prepared one after the other.
    """
    if not folder.is_dir():
        raise refuse(str(folder), 0, "-", "the raw folder does not exist or is not a folder")
    paths = sorted(p for p in folder.rglob("*") if p.is_file())
    found: list[SourceFile] = []
    pool = ThreadPoolExecutor(max_workers=PREPARE_THREADS)
    try:
        jobs = [pool.submit(_prepare, path, folder, scratch, unchanged) for path in paths]
        for prepared in jobs:
            found += prepared.result()
    finally:
        # after a refusal, the files not yet started are not prepared for nothing
        pool.shutdown(wait=True, cancel_futures=True)
    return found


#: Threads preparing files at once (each holds one file's text in memory).
PREPARE_THREADS = min(4, os.cpu_count() or 1)


def _prepare(path: Path, folder: Path, scratch: Path, unchanged: Unchanged) -> list[SourceFile]:
    """The tables of one file of the folder (a zip's members, or the file itself)."""
    relative = path.relative_to(folder).as_posix()
    kind = _kind(relative)
    if relative.lower() != raw_layout.DATASET_MANIFEST and path.name.lower() == (
        raw_layout.DATASET_MANIFEST
    ):
        raise _misplaced_manifest(relative)
    if kind == "zip":
        return _extract(path, relative, scratch, unchanged)
    if kind == "table":
        return _table(_read_bytes(path, relative), path.name, relative, scratch, unchanged)
    if kind == "unknown":
        raise _unknown(relative)
    return []


def _read_bytes(path: Path, label: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise refuse(label, 0, "-", f"unreadable file ({error.strerror or error})") from error


def _misplaced_manifest(label: str) -> RawInputError:
    return refuse(
        label,
        0,
        "-",
        f"{raw_layout.DATASET_MANIFEST} is read only at the root of "
        "the raw folder: this one would be ignored; move it there or delete it",
    )


def _leaves_folder(member: str) -> bool:
    """Whether a zip member name is absolute or climbs out of its archive's folder."""
    parts = member.replace("\\", "/").split("/")
    return member.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]


def _table(
    data: bytes, name: str, label: str, scratch: Path, unchanged: Unchanged
) -> list[SourceFile]:
    """A table's files to load: prepared, or only hashed when it is loaded unchanged.

    A spreadsheet is always prepared: the tables it holds are named by its sheets.
    """
    digest = None
    if not name.lower().endswith(SPREADSHEETS):
        digest = hashlib.sha256(data).hexdigest()
        if unchanged(label, digest):
            return [SourceFile(_scratch_file(scratch, label), label, digest, prepared=False)]
    return table_files(data, name, label, _scratch_file(scratch, label), digest)


def _extract(path: Path, relative: str, scratch: Path, unchanged: Unchanged) -> list[SourceFile]:
    try:
        archive = zipfile.ZipFile(path)
    except Exception as error:  # BadZipFile, EOFError, OSError...: the zip cannot be opened
        raise refuse(relative, 0, "-", f"not a zip file, or a damaged one ({error})") from error
    members: list[SourceFile] = []
    with archive:
        infos = sorted(archive.infolist(), key=lambda info: info.filename)
        counts = Counter(info.filename for info in infos)
        for info in infos:
            member, label = info.filename, f"{relative}!{info.filename}"
            if _leaves_folder(member):
                raise refuse(label, 0, "-", "zip member name leaves its archive's folder "
                              "(absolute path or '..'): refused, nothing extracted")  # fmt: skip
            if counts[member] > 1:
                raise refuse(label, 0, "-", f"the zip holds {counts[member]} members of this "
                              "name: which one is meant cannot be known")  # fmt: skip
            kind = _kind(member)
            if info.is_dir() or kind == "documentation":
                if member.rsplit("/", 1)[-1].lower() == raw_layout.DATASET_MANIFEST:
                    raise _misplaced_manifest(label)
                continue
            if kind == "zip":
                raise refuse(label, 0, "-", "a zip inside a zip is not read: extract it into "
                              "the raw folder")  # fmt: skip
            if kind != "table":
                raise _unknown(label)
            try:
                data = archive.read(info)
            except Exception as error:  # truncated, corrupt, encrypted, unsupported method
                raise refuse(label, 0, "-", f"unreadable zip member ({error})") from error
            members += _table(data, member, label, scratch, unchanged)
    if not members:
        raise refuse(relative, 0, "-", "the zip holds no data table (no .csv, .txt, .xlsx "
                      "or .xls member besides documentation)")  # fmt: skip
    return members


def read_manifest(folder: Path) -> tuple[str, bool, str]:
    """Name of the data set, whether it is synthetic, and the default unit of its values.

    The manifest is refused unless every field is there with its type and the
    unit is one the loader knows: a unit spelled otherwise ("kEUR") defaulted to
    euros would make every value 1 000 times too small.
    """
    manifest = folder / raw_layout.DATASET_MANIFEST
    label = raw_layout.DATASET_MANIFEST
    if not manifest.exists():
        return ("Douanes (DGDDI) departmental files", False, raw_layout.DEFAULT_UNIT)
    try:
        content = json.loads(decode(_read_bytes(manifest, label), label))
    except json.JSONDecodeError as error:
        raise refuse(label, error.lineno, "-", f"not valid JSON ({error.msg})") from error
    expected = 'an object like {"name": "...", "synthetic": false, "value_unit": "keur"}'
    if not isinstance(content, dict):
        raise refuse(label, 1, "-", f"not {expected}")
    for key, kind in (("name", str), ("synthetic", bool)):
        if not isinstance(content.get(key), kind):
            raise refuse(label, 1, key, f"missing or not a {kind.__name__} (expected {expected})")
    unit = content.get("value_unit", raw_layout.DEFAULT_UNIT)
    if unit not in raw_layout.VALUE_UNITS:
        raise refuse(label, 1, "value_unit", f"unknown unit {unit!r}: expected one of "
                      f"{', '.join(map(repr, raw_layout.VALUE_UNITS))}")  # fmt: skip
    # other fields describe the data set; one that looks like a unit would be ignored
    misspelt = sorted(k for k in content if k != "value_unit" and re.search(
        r"unit|devise|currency", k, re.IGNORECASE))  # fmt: skip
    if misspelt:
        raise refuse(label, 1, misspelt[0], "not a field the loader reads: the unit of the "
                      "values is value_unit")  # fmt: skip
    return (content["name"], content["synthetic"], unit)
