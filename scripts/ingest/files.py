"""Find raw customs files, recognise their layout and read them into DuckDB scratch tables.

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

import csv
import hashlib
import io
import json
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import duckdb

from scripts.ingest import layout as raw_layout
from scripts.ingest.layout import (
    LABEL_COLUMNS,
    NATIONAL_COLUMNS,
    RAW_COLUMNS,
    FixedLayout,
    Layout,
    normalise_header,
)

SPREADSHEETS = (".xlsx", ".xls")
SEPARATORS = (";", "\t", ",", "|")
#: Long tables read per DuckDB scan (many small scans are slow, one huge one costs memory).
BATCH_FILES = 64
LINE_COLUMN = "__line"


@dataclass(frozen=True)
class RawInputProblem:
    """One reason a raw file or row was refused, located as precisely as the file allows."""

    source_file: str
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source_file}, line {self.line}, column {self.column!r}: {self.reason}"


class RawInputError(Exception):
    """Raised when raw input is refused; nothing has been written to the warehouse."""

    def __init__(self, problems: list[RawInputProblem], total: int | None = None) -> None:
        self.problems = problems
        total = total if total is not None else len(problems)
        shown = "\n".join(f"  - {p}" for p in problems)
        more = f"\n  ... and {total - len(problems)} more" if total > len(problems) else ""
        super().__init__(f"raw input refused ({total} problem(s)); warehouse unchanged:\n"
                         f"{shown}{more}")  # fmt: skip


def _refuse(label: str, line: int, column: str, reason: str) -> RawInputError:
    return RawInputError([RawInputProblem(label, line, column, reason)])


@dataclass(frozen=True)
class SourceFile:
    """A table to load: its UTF-8 text in scratch, the name lineage records, its fingerprint.

    ``numbered`` files carry their original line number as a first column
    (spreadsheets, and text files with blank lines, which DuckDB skips).
    """

    path: Path
    label: str
    sha256: str
    numbered: bool = False
    #: The published layout its file name names (None: a header-based file).
    fixed: FixedLayout | None = None
    #: What the file name states of every line (flow_code, year), as sorted pairs.
    stated: tuple[tuple[str, str], ...] = ()
    #: Non-blank records below the header (all of them for a headerless layout), counted
    #: as the file is prepared: the rows read must account for every one of them.
    data_lines: int = 0


#: A multi-byte UTF-8 sequence ("\xc3\xa9" for "é", "\xe2\x80\x99" for "’"): its
#: presence in a file that is not valid UTF-8 means two encodings were mixed.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


def decode(data: bytes, label: str) -> str:
    """Text of a file: UTF-8 with or without BOM, else Windows-1252, detected per file.

    The customs ship both (their CPF4 annex is Windows-1252 although its
    readme says UTF-8). A file that is not valid UTF-8 but holds UTF-8
    multi-byte sequences mixes the two encodings: it is refused, since any
    single reading would turn some of its labels into mojibake. NUL bytes
    (UTF-16, a binary file) are refused too: neither encoding has them in text.
    """
    if b"\x00" in data:
        raise _refuse(label, _line_of(data, data.index(b"\x00")), "-",
                      "unknown text encoding: NUL bytes (UTF-16 or a binary file?); "
                      "save it as UTF-8 or Windows-1252")  # fmt: skip
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        utf8_error = error
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise _refuse(
            label,
            _line_of(data, error.start),
            "-",
            f"unknown text encoding: neither UTF-8 nor Windows-1252 ({error})",
        ) from error
    mixed = _UTF8_SEQUENCE.search(data)
    if mixed:
        line = _line_of(data, mixed.start())
        raise _refuse(
            label,
            line,
            "-",
            "mixed text encodings: UTF-8 characters in a file "
            f"that is not valid UTF-8 (first invalid byte on line "
            f"{_line_of(data, utf8_error.start)})",
        )
    return text


def _line_of(data: bytes, offset: int) -> int:
    """1-based line of a byte offset."""
    return data.count(b"\n", 0, offset) + 1


def _numbered_text(records: list[tuple[int, list[str]]]) -> str:
    """Records written as ``;``-separated text, each prefixed with its physical line number."""
    out = io.StringIO()
    for number, row in records:
        cells = [c.replace('"', '""') for c in row]
        out.write(f"{number};" + ";".join(f'"{c}"' for c in cells) + "\n")
    return out.getvalue()


def _is_blank(row: list[str]) -> bool:
    """A record with no text at all (an empty or white line; a row of empty spreadsheet cells)."""
    return not "".join(row).strip()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(data: bytes) -> list[tuple[str, list[list[object]], list[list[object]]]]:
    """(title, cached values, cell contents) of each sheet of an .xlsx workbook.

    The cell contents show a formula where the cached values show what it last
    computed, or nothing when the workbook was written by a program that does
    not compute formulas: that cell must not be read as empty.
    """
    import openpyxl

    passes = []
    for data_only in (True, False):
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
        passes.append([(s.title, [list(r) for r in s.iter_rows(values_only=True)])
                       for s in book.worksheets])  # fmt: skip
        book.close()
    return [(title, values, contents)
            for (title, values), (_, contents) in zip(*passes, strict=True)]  # fmt: skip


def _refuse_uncomputed_formulas(
    label: str, title: str, values: list[list[object]], contents: list[list[object]]
) -> None:
    from openpyxl.utils import get_column_letter

    for number, (row, written) in enumerate(zip(values, contents, strict=False), start=1):
        for column, (value, content) in enumerate(zip(row, written, strict=False), start=1):
            if value is None and content is not None:
                raise _refuse(f"{label}#{title}", number, get_column_letter(column),
                              f"formula {content!s} has no computed value in the file: open "
                              "and save the workbook in a spreadsheet program, or paste "
                              "the values")  # fmt: skip


def spreadsheet_tables(data: bytes, name: str, label: str) -> list[tuple[str, str, int]]:
    """(label, numbered text, data lines) for each sheet of an .xlsx or .xls workbook."""
    try:
        if name.lower().endswith(".xlsx"):
            read = _xlsx_rows(data)
        else:
            import xlrd

            book = xlrd.open_workbook(file_contents=data)
            read = [(s.name, rows, rows) for s in book.sheets()
                    for rows in [[s.row_values(i) for i in range(s.nrows)]]]  # fmt: skip
    except Exception as error:  # any parser failure means the workbook is unreadable
        raise _refuse(label, 0, "-", f"unreadable spreadsheet ({error})") from error
    tables = []
    for title, values, contents in read:
        _refuse_uncomputed_formulas(label, title, values, contents)
        rows = [[_cell_text(v) for v in row] for row in values]
        records = [(n, row) for n, row in enumerate(rows, start=1) if not _is_blank(row)]
        if records:
            tables.append((f"{label}#{title}", _numbered_text(records), len(records) - 1))
    return tables


def _records(body: str, separator: str, label: str) -> list[tuple[int, list[str]]]:
    """Non-blank records of a text with the physical line each starts on (quotes honoured).

    A quoted field may span lines; the record is numbered by its first line,
    as an editor shows it.
    """
    reader = csv.reader(io.StringIO(body), delimiter=separator, strict=True)
    records, previous = [], 0
    try:
        for row in reader:
            if not _is_blank(row):
                records.append((previous + 1, row))
            previous = reader.line_num
    except csv.Error as error:
        raise _refuse(label, previous + 1, "-", f"broken quoting ({error})") from error
    return records


def _needs_numbering(body: str) -> bool:
    """Whether records and physical lines differ: a blank line, or a quoted field on two lines.

    DuckDB's reader skips blank lines and counts records, so such a file is
    numbered by line before it is read.
    """
    if re.search(r"(?m)^[^\S\n]*$", body):
        return True
    return '"' in body and any(line.count('"') % 2 for line in body.split("\n"))


def _text_file(data: bytes, label: str, target: Path) -> SourceFile:
    """Decode a text table into ``target`` as UTF-8, numbered by physical line if need be."""
    text = decode(data, label).replace("\r\n", "\n").replace("\r", "\n")
    digest = hashlib.sha256(data).hexdigest()
    target.parent.mkdir(parents=True, exist_ok=True)
    found = raw_layout.fixed_layout_for(label)
    fixed, stated = (found[0], tuple(sorted(found[1].items()))) if found else (None, ())
    header_lines = 0 if fixed else 1
    body = text[:-1] if text.endswith("\n") else text
    if _needs_numbering(body):
        first = next((line for line in body.split("\n") if line.strip()), "")
        separator = ";" if fixed else detect_separator(first)
        records = _records(body, separator, label)
        target.write_text(_numbered_text(records), encoding="utf-8")
        return SourceFile(target, label, digest, numbered=True, fixed=fixed, stated=stated,
                          data_lines=max(len(records) - header_lines, 0))  # fmt: skip
    target.write_text(text, encoding="utf-8")
    lines = body.count("\n") + 1 if body else 0
    return SourceFile(target, label, digest, fixed=fixed, stated=stated,
                      data_lines=max(lines - header_lines, 0))  # fmt: skip


def _table_files(data: bytes, name: str, label: str, target: Path) -> list[SourceFile]:
    if name.lower().endswith(SPREADSHEETS):
        digest = hashlib.sha256(data).hexdigest()
        files = []
        for index, (sheet_label, text, lines) in enumerate(spreadsheet_tables(data, name, label)):
            sheet_path = target.with_name(f"{target.name}.{index}.csv")
            sheet_path.parent.mkdir(parents=True, exist_ok=True)
            sheet_path.write_text(text, encoding="utf-8")
            files.append(SourceFile(sheet_path, sheet_label, digest, numbered=True,
                                    data_lines=lines))  # fmt: skip
        return files
    return [_text_file(data, label, target)]


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
    return _refuse(label, 0, "-", "unrecognised file name: not a customs data file or annex "
                   f"({names}), not a .csv/.txt/.xlsx/.xls table, not a zip and not "
                   "documentation (LISEZ-MOI, README, .pdf)")  # fmt: skip


def discover(folder: Path, scratch: Path) -> list[SourceFile]:
    """Every table under ``folder`` (zip members included), as UTF-8 text in ``scratch``.

    A file that is neither a table, a zip nor documentation is refused by name,
    never skipped in silence: a user who drops a file in the folder expects it
    to count.
    """
    if not folder.is_dir():
        raise _refuse(str(folder), 0, "-", "the raw folder does not exist or is not a folder")
    found: list[SourceFile] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        kind = _kind(relative)
        if relative.lower() != raw_layout.DATASET_MANIFEST and path.name.lower() == (
            raw_layout.DATASET_MANIFEST
        ):
            raise _misplaced_manifest(relative)
        if kind == "zip":
            found += _extract(path, relative, scratch)
        elif kind == "table":
            found += _table_files(_read_bytes(path, relative), path.name, relative,
                                  _scratch_file(scratch, relative))  # fmt: skip
        elif kind == "unknown":
            raise _unknown(relative)
    return found


def _read_bytes(path: Path, label: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise _refuse(label, 0, "-", f"unreadable file ({error.strerror or error})") from error


def _misplaced_manifest(label: str) -> RawInputError:
    return _refuse(
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


def _extract(path: Path, relative: str, scratch: Path) -> list[SourceFile]:
    try:
        archive = zipfile.ZipFile(path)
    except Exception as error:  # BadZipFile, EOFError, OSError...: the zip cannot be opened
        raise _refuse(relative, 0, "-", f"not a zip file, or a damaged one ({error})") from error
    members: list[SourceFile] = []
    with archive:
        infos = sorted(archive.infolist(), key=lambda info: info.filename)
        counts = Counter(info.filename for info in infos)
        for info in infos:
            member, label = info.filename, f"{relative}!{info.filename}"
            if _leaves_folder(member):
                raise _refuse(label, 0, "-", "zip member name leaves its archive's folder "
                              "(absolute path or '..'): refused, nothing extracted")  # fmt: skip
            if counts[member] > 1:
                raise _refuse(label, 0, "-", f"the zip holds {counts[member]} members of this "
                              "name: which one is meant cannot be known")  # fmt: skip
            kind = _kind(member)
            if info.is_dir() or kind == "documentation":
                if member.rsplit("/", 1)[-1].lower() == raw_layout.DATASET_MANIFEST:
                    raise _misplaced_manifest(label)
                continue
            if kind == "zip":
                raise _refuse(label, 0, "-", "a zip inside a zip is not read: extract it into "
                              "the raw folder")  # fmt: skip
            if kind != "table":
                raise _unknown(label)
            try:
                data = archive.read(info)
            except Exception as error:  # truncated, corrupt, encrypted, unsupported method
                raise _refuse(label, 0, "-", f"unreadable zip member ({error})") from error
            members += _table_files(data, member, label, _scratch_file(scratch, label))
    if not members:
        raise _refuse(relative, 0, "-", "the zip holds no data table (no .csv, .txt, .xlsx "
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
        raise _refuse(label, error.lineno, "-", f"not valid JSON ({error.msg})") from error
    expected = 'an object like {"name": "...", "synthetic": false, "value_unit": "keur"}'
    if not isinstance(content, dict):
        raise _refuse(label, 1, "-", f"not {expected}")
    for key, kind in (("name", str), ("synthetic", bool)):
        if not isinstance(content.get(key), kind):
            raise _refuse(label, 1, key, f"missing or not a {kind.__name__} (expected {expected})")
    unit = content.get("value_unit", raw_layout.DEFAULT_UNIT)
    if unit not in raw_layout.VALUE_UNITS:
        raise _refuse(label, 1, "value_unit", f"unknown unit {unit!r}: expected one of "
                      f"{', '.join(map(repr, raw_layout.VALUE_UNITS))}")  # fmt: skip
    # other fields describe the data set; one that looks like a unit would be ignored
    misspelt = sorted(k for k in content if k != "value_unit" and re.search(
        r"unit|devise|currency", k, re.IGNORECASE))  # fmt: skip
    if misspelt:
        raise _refuse(label, 1, misspelt[0], "not a field the loader reads: the unit of the "
                      "values is value_unit")  # fmt: skip
    return (content["name"], content["synthetic"], unit)


def detect_separator(header_line: str) -> str:
    """The candidate separator the header line uses most (``;`` when none)."""
    counts = {sep: header_line.count(sep) for sep in SEPARATORS}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ";"


def read_header(source: SourceFile) -> tuple[list[str], str]:
    """Column names on the first line of a table, and its separator."""
    with source.path.open(encoding="utf-8") as handle:
        first = handle.readline().rstrip("\n")
    if not first.strip():
        raise _refuse(source.label, 1, "-", "empty file, no header line")
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
    raise _refuse(label, 1, "-", f"unknown layout: the file name is none of the customs' "
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
        raise _refuse(label, 0, "-", f"its path declares different years ({said}): move or "
                      "rename the file so that its folder and names agree")  # fmt: skip
    return next(iter(declared.values()), None)


def create_scratch_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The work tables: raw columns and lineage, plus what the checks need to know of a
    row's file (the year its name states, the layout it was read as)."""
    columns = ", ".join(f"{c} varchar" for c in RAW_COLUMNS)
    con.execute(
        f"create or replace table scratch.incoming ({columns}, source_file varchar, "
        "source_line integer, file_year varchar, layout varchar, file_flow varchar)"
    )
    national = ", ".join(f"{c} varchar" for c in NATIONAL_COLUMNS)
    con.execute(
        f"create or replace table scratch.incoming_national ({national}, source_file varchar, "
        "source_line integer, file_year varchar, layout varchar, file_flow varchar)"
    )
    annex = ", ".join(f"{c} varchar" for c in LABEL_COLUMNS)
    con.execute(
        f"create or replace table scratch.incoming_annex ({annex}, source_file varchar, "
        "source_line integer)"
    )
    con.execute(
        "create or replace table scratch.incoming_labels (product_code varchar, "
        "product_label varchar, source_file varchar, source_line integer)"
    )


def _scan(
    source: SourceFile, width: int, separator: str, skip: int = 1
) -> tuple[str, dict[str, object]]:
    """SQL (and parameters) reading a table's data rows as v0..vN with their line number.

    ``skip`` is the number of header lines (1, or 0 for the headerless
    published layouts); the line number is the line in the file as published.
    """
    extra = 1 if source.numbered else 0
    schema = {f"c{i}": "VARCHAR" for i in range(width + extra)}
    line = "cast(c0 as integer)" if source.numbered else f"cast(ordinality + {skip} as integer)"
    shift = 1 if source.numbered else 0
    names = ", ".join(f"c{i + shift} as v{i}" for i in range(width))
    # escape: RFC 4180's doubled quote; without it DuckDB reads "a ""b""" as no row at all
    sql = (f"select {names}, {line} as line from read_csv($path, sep=$sep, header=false, "
           f"skip={skip}, auto_detect=false, columns=$schema, quote='\"', escape='\"', "
           "encoding='utf-8', strict_mode=true) with ordinality")  # fmt: skip
    return sql, {"path": str(source.path), "sep": separator, "schema": schema}


def _unit(layout: Layout, header: list[str], positions: dict[str, int], default_unit: str) -> str:
    """The value header's unit, else the layout's own (declarations: euros), else the default."""
    if "value" in positions:
        stated = raw_layout.unit_from_header(header[positions["value"]])
        if stated:
            return stated
    return layout.unit or default_unit


def _long_insert(layout: Layout, positions: dict[str, int], prefix: str) -> str:
    """``insert into incoming (...) select`` of a long table's columns, as ``prefix`` + N.

    The target columns are named, so the order of ``RAW_COLUMNS`` never has to
    match a position; raw columns the layout has not (month and line number of
    a departmental file) are NULL. The statement goes on with the unit, label,
    line and file-year expressions and the layout name.
    """
    picked = [
        f"{prefix}{positions[c]}" if c in positions else "null"
        for c in RAW_COLUMNS if c != "value_unit"
    ]  # fmt: skip
    targets = [c for c in RAW_COLUMNS if c != "value_unit"]
    return (f"insert into incoming ({', '.join(targets)}, value_unit, source_file, source_line, "
            f"file_year, layout) select {', '.join(picked)}")  # fmt: skip


def read_table(con: duckdb.DuckDBPyConnection, source: SourceFile, default_unit: str) -> str:
    """Read one table into the scratch tables; return the name of its layout."""
    header, separator = read_header(source)
    layout, positions = recognise(header, source.label)
    scan, params = _scan(source, len(header), separator)
    params["label"] = source.label
    if layout.shape != "labels":
        params |= {"year": file_year(source.label), "layout": layout.name,
                   "unit": _unit(layout, header, positions, default_unit)}  # fmt: skip
    if layout.shape == "labels":
        sql = (f"insert into incoming_labels select v{positions['product_code']}, "
               f"v{positions['product_label']}, $label, line from ({scan})")  # fmt: skip
    elif layout.shape == "long":
        insert = _long_insert(layout, positions, "v")
        sql = f"{insert}, $unit, $label, line, $year, $layout from ({scan})"
    else:
        sql, params = _cross_sql(source, header, positions, scan, params)
    try:
        con.execute(sql, params)
    except duckdb.Error as error:
        raise RawInputError([RawInputProblem(source.label, *_reader_location(error))]) from error
    return layout.name


def _cross_sql(
    source: SourceFile, header: list[str], positions: dict[str, int], scan: str,
    params: dict[str, object],
) -> tuple[str, dict[str, object]]:  # fmt: skip
    """Unpivot a cross table: one row per product and non-empty country cell."""
    named = names_from_file(source.label)
    values: dict[str, str] = {}
    for column in ("flow_code", "year", "department_code"):
        if column in positions:
            values[column] = f"v{positions[column]}"
        elif column in named:
            params[column] = named[column]
            values[column] = f"${column}"
        else:
            raise _refuse(source.label, 1, "-", f"cross table without {column}: no column "
                          "and no file name like 45_export_2024")  # fmt: skip
    countries = _cross_value_columns(source.label, header, set(positions.values()))
    cells = ", ".join(f"{{'country': '{header[i].strip()}', 'value': v{i}}}" for i in countries)
    sql = (
        "insert into incoming (flow_code, year, department_code, product_code, country_code, "
        "value, value_unit, source_file, source_line, file_year, layout) "
        f"select {values['flow_code']}, {values['year']}, "
        f"{values['department_code']}, v{positions['product_code']}, cell.country, "
        "cell.value, $unit, $label, line, $year, $layout from "
        f"(select *, unnest([{cells}]) as cell from ({scan})) "
        "where trim(coalesce(cell.value, '')) <> ''"
    )
    return sql, params


def _cross_value_columns(label: str, header: list[str], used: set[int]) -> list[int]:
    """The columns of a cross table whose cells are values: every one but its keys and labels.

    A named column that is neither a partner country code, a label nor a
    totals column is refused (its values would otherwise vanish); an unnamed
    one (a trailing separator) is read as a country with an empty code, so a
    value in it is refused by the row checks rather than dropped.
    """
    labels = {
        normalise_header(name)
        for name in (*raw_layout.LABELS.required["product_label"], *raw_layout.CROSS_TOTALS)
    }
    columns, seen = [], set()
    for index, name in enumerate(header):
        code = name.strip()
        if index in used or normalise_header(code) in labels:
            continue
        if code and not re.fullmatch(r"[A-Z][A-Z0-9]", code):
            raise _refuse(label, 1, code, "a cross table's columns are the product, flow, year, "
                          "department, a label, a total or partner country codes (two "
                          "capitals): this one is none of them")  # fmt: skip
        if code and code in seen:
            raise _refuse(label, 1, code, "partner country column repeated")
        seen.add(code)
        columns.append(index)
    return columns


def names_from_file(label: str) -> dict[str, str]:
    """Department, flow (E/I) and year a cross table's file name states, if any."""
    found = raw_layout.CROSS_FILE_NAME.search(label.rsplit("!", 1)[-1])
    if not found:
        return {}
    flow = found.group("flow").upper()[0]
    return {"department_code": found.group("department"), "flow_code": flow,
            "year": found.group("year")}  # fmt: skip


def read_into_scratch(
    con: duckdb.DuckDBPyConnection, files: list[SourceFile], default_unit: str
) -> dict[str, str]:
    """Read every file into ``incoming`` / ``incoming_labels``; return each file's layout."""
    create_scratch_tables(con)
    layouts: dict[str, str] = {}
    batches: dict[tuple[tuple[str, ...], str], list[SourceFile]] = {}
    for source in files:
        if source.fixed is not None:
            layouts[source.label] = read_fixed(con, source)
            continue
        header, separator = read_header(source)
        layout, _ = recognise(header, source.label)
        if layout.shape == "long" and not source.numbered:
            batches.setdefault((tuple(header), separator), []).append(source)
        else:
            layouts[source.label] = read_table(con, source, default_unit)
    for (header, separator), sources in batches.items():
        # Chunks keep the per-file line numbering (a window over the chunk) small in memory.
        for start in range(0, len(sources), BATCH_FILES):
            chunk = sources[start : start + BATCH_FILES]
            name = _read_long_batch(con, chunk, list(header), separator, default_unit)
        layouts |= {source.label: name for source in sources}
    _check_every_line_read(con, files, layouts)
    return layouts


#: Every scratch table rows are read into, each row with its file and line.
INCOMING_TABLES = ("incoming", "incoming_national", "incoming_annex", "incoming_labels")


def _check_every_line_read(
    con: duckdb.DuckDBPyConnection, files: list[SourceFile], layouts: dict[str, str]
) -> None:
    """Refuse any file with a data line that gave no row: no line may vanish in silence.

    The count of data lines was taken as each file was prepared, apart from
    the reader; a line that yields no row (a cross-table product line with no
    value at all, a reader that skipped it) refuses its file.
    """
    con.execute("create or replace table scratch.expected_lines (source_file varchar, "
                "data_lines bigint)")  # fmt: skip
    if files:
        con.executemany("insert into scratch.expected_lines values (?, ?)",
                        [[f.label, f.data_lines] for f in files])  # fmt: skip
    read = " union all ".join(f"select source_file, source_line from {t}" for t in INCOMING_TABLES)
    short = con.execute(
        "select e.source_file, e.data_lines, coalesce(r.lines, 0) from expected_lines as e "
        f"left join (select source_file, count(distinct source_line) as lines from ({read}) "
        "group by source_file) as r using (source_file) "
        "where e.data_lines <> coalesce(r.lines, 0) order by e.source_file"
    ).fetchall()
    if not short:
        return
    by_label = {f.label: f for f in files}
    problems = []
    for label, expected, got in short:
        present = {line for (line,) in con.execute(
            f"select distinct source_line from ({read}) where source_file = ?", [label]
        ).fetchall()}  # fmt: skip
        missing = [line for line in _data_line_numbers(by_label[label]) if line not in present]
        why = (
            "a product line with no value in any partner-country column: fill it or delete it"
            if layouts.get(label) == "cross"
            else "the reader gave no row for it"
        )
        problems.append(RawInputProblem(
            label, missing[0] if missing else 0, "-",
            f"{expected} data lines but {got} read; this line holds data and was not read ({why})",
        ))  # fmt: skip
    raise RawInputError(problems)


def _data_line_numbers(source: SourceFile) -> list[int]:
    """The physical line of every data record of a prepared file (header excluded)."""
    header = 0 if source.fixed else 1
    if not source.numbered:
        return list(range(header + 1, header + source.data_lines + 1))
    with source.path.open(encoding="utf-8", newline="") as handle:
        numbers = [int(row[0]) for row in csv.reader(handle, delimiter=";") if row]
    return numbers[header:]


def _first_record(source: SourceFile) -> list[str]:
    """Fields of the first line of a headerless file (quotes honoured), without its number."""
    with source.path.open(encoding="utf-8", newline="") as handle:
        first = next(csv.reader(handle, delimiter=";"), [])
    return first[1:] if source.numbered else first


def read_fixed(con: duckdb.DuckDBPyConnection, source: SourceFile) -> str:
    """Read one published headerless file into its scratch table; return its layout name.

    The file name chose the layout; the field count of the first line chooses
    among its vintages (the national file had 8 fields until 2016, 10 since),
    and DuckDB's strict reader refuses any later line with another count.
    """
    layout = source.fixed
    assert layout is not None
    first = _first_record(source)
    if not first or not any(cell.strip() for cell in first):
        raise _refuse(source.label, 1, "-", f"empty file: the {layout.name} layout has data "
                      "lines and no header")  # fmt: skip
    fields = next((f for f in layout.field_lists() if len(f) == len(first)), None)
    if fields is None:
        counts = " or ".join(str(len(f)) for f in layout.field_lists())
        raise _refuse(source.label, 1, "-", f"{len(first)} fields, the {layout.name} layout has "
                      f"{counts} ({layout.description})")  # fmt: skip
    scan, params = _scan(source, len(fields), ";", skip=0)
    name = raw_layout.layout_label(layout, fields)
    params["label"] = source.label
    picked = {column: f"v{i}" for i, column in enumerate(fields) if column is not None}
    if layout.target == "labels":
        targets = [c for c in LABEL_COLUMNS if c in picked]
        sql = (f"insert into incoming_annex (annex, {', '.join(targets)}, source_file, "
               f"source_line) select $annex, {', '.join(picked[c] for c in targets)}, $label, "
               f"line from ({scan})")  # fmt: skip
        params["annex"] = layout.annex
    else:
        stated = dict(source.stated)
        # A yearly file (Region_2019_Export.txt) declares its year, with its folder and zip;
        # a rolling one (REGIONAL_CPF4PAYSE.txt: the last five quarters, NATIONAL_NC8PAYSE.txt:
        # the last 13 months) spans two years, so no folder or zip name can give it one.
        year = file_year(source.label) if "year" in stated else None
        params |= {"layout": name, "year": year, "flow": stated.get("flow_code")}
        table, columns = (("incoming", RAW_COLUMNS) if layout.target == "trade"
                          else ("incoming_national", NATIONAL_COLUMNS))  # fmt: skip
        targets = [c for c in columns if c in picked]
        unit = ", value_unit" if layout.target == "trade" else ""
        unit_value = ", 'eur'" if layout.target == "trade" else ""
        sql = (f"insert into {table} ({', '.join(targets)}{unit}, source_file, source_line, "
               f"file_year, layout, file_flow) select {', '.join(picked[c] for c in targets)}"
               f"{unit_value}, $label, line, $year, $layout, $flow from ({scan})")  # fmt: skip
    try:
        con.execute(sql, params)
    except duckdb.Error as error:
        raise RawInputError([RawInputProblem(source.label, *_reader_location(error))]) from error
    return name


def _read_long_batch(
    con: duckdb.DuckDBPyConnection, sources: list[SourceFile], header: list[str],
    separator: str, default_unit: str,
) -> str:  # fmt: skip
    """Read many long tables sharing one header in a single DuckDB scan; return their layout.

    One scan of 500 files is many times faster than 500 scans; each row's line
    is its rank within its file (files are read in order, rows in file order).
    """
    layout, positions = recognise(header, sources[0].label)
    con.execute("create or replace table scratch.batch_files (path varchar, label varchar, "
                "file_year varchar)")  # fmt: skip
    con.executemany(
        "insert into batch_files values (?, ?, ?)",
        [[str(s.path), s.label, file_year(s.label)] for s in sources],
    )
    schema = {f"c{i}": "VARCHAR" for i in range(len(header))}
    sql = (
        f"{_long_insert(layout, positions, 'r.c')}, $unit, f.label, cast(row_number() over "
        "(partition by r.filename order by r.ordinality) + 1 as integer), f.file_year, $layout "
        "from read_csv($paths, sep=$sep, header=false, skip=1, auto_detect=false, "
        "columns=$schema, quote='\"', escape='\"', encoding='utf-8', strict_mode=true, "
        "filename=true) "
        "with ordinality as r join batch_files as f on r.filename = f.path"
    )
    params = {"paths": [str(s.path) for s in sources], "sep": separator, "schema": schema,
              "unit": _unit(layout, header, positions, default_unit),
              "layout": layout.name}  # fmt: skip
    try:
        con.execute(sql, params)
    except duckdb.Error as error:
        failing = re.search(r"file = (\S+)", str(error))
        if not failing:  # not a problem of one file (memory, disk): report it as it is
            raise
        label = {str(s.path): s.label for s in sources}.get(failing.group(1), failing.group(1))
        raise RawInputError([RawInputProblem(label, *_reader_location(error))]) from error
    return layout.name


def _reader_location(error: Exception) -> tuple[int, str, str]:
    """Line and reason from a DuckDB CSV reader error (it names the line it stopped at)."""
    message = str(error)
    found = re.search(r"\bLine: (\d+)", message)
    detail = re.search(r"Expected Number of Columns: \d+ Found: \d+", message)
    reason = detail.group(0) if detail else message.strip().splitlines()[0]
    return (int(found.group(1)) if found else 0, "-", reason)
