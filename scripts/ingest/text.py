"""Turn a file's bytes into UTF-8 text the CSV reader can number: encodings, spreadsheets,
blank lines and quoted line breaks.

Why: DuckDB's reader skips blank lines and counts records, not lines, and reads
one encoding; the customs ship UTF-8 with or without a byte-order mark and
Windows-1252, and users drop spreadsheets. Every record keeps the physical
line a user sees in an editor.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path

from scripts.ingest import layout as raw_layout
from scripts.ingest.sources import SourceFile, refuse

SPREADSHEETS = (".xlsx", ".xls")
SEPARATORS = (";", "\t", ",", "|")


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
        raise refuse(label, _line_of(data, data.index(b"\x00")), "-",
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
        raise refuse(
            label,
            _line_of(data, error.start),
            "-",
            f"unknown text encoding: neither UTF-8 nor Windows-1252 ({error})",
        ) from error
    mixed = _UTF8_SEQUENCE.search(data)
    if mixed:
        line = _line_of(data, mixed.start())
        raise refuse(
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
                raise refuse(f"{label}#{title}", number, get_column_letter(column),
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
        raise refuse(label, 0, "-", f"unreadable spreadsheet ({error})") from error
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
        raise refuse(label, previous + 1, "-", f"broken quoting ({error})") from error
    return records


#: A line made only of whitespace (none at all included), with the line breaks around it.
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


def _needs_numbering(body: str) -> bool:
    """Whether records and physical lines differ: a blank line, or a quoted field on two lines.

    DuckDB's reader skips blank lines and counts records, so such a file is
    numbered by line before it is read.
    """
    # A blank line is "\n", whitespace other than a line break, "\n" once the text is framed
    # by line breaks: the same lines as ``(?m)^[^\S\n]*$``, and a search for a literal
    # start runs several times faster than one trying every position.
    if _BLANK_LINE.search(f"\n{body}\n"):
        return True
    return '"' in body and any(line.count('"') % 2 for line in body.split("\n"))


def _text_file(data: bytes, label: str, target: Path, digest: str | None) -> SourceFile:
    """Decode a text table into ``target`` as UTF-8, numbered by physical line if need be."""
    text = decode(data, label)
    if b"\r" in data:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    digest = digest or hashlib.sha256(data).hexdigest()
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
    if data.isascii() and b"\r" not in data:
        target.write_bytes(data)  # the text's UTF-8 already: no need to encode it again
    else:
        target.write_text(text, encoding="utf-8")
    lines = body.count("\n") + 1 if body else 0
    return SourceFile(target, label, digest, fixed=fixed, stated=stated,
                      data_lines=max(lines - header_lines, 0))  # fmt: skip


def table_files(
    data: bytes, name: str, label: str, target: Path, digest: str | None = None
) -> list[SourceFile]:
    """The files to load from one table's bytes (a spreadsheet gives one per sheet);
    ``digest``, the bytes' SHA-256 when the caller has it already."""
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
    return [_text_file(data, label, target, digest)]


def detect_separator(header_line: str) -> str:
    """The candidate separator the header line uses most (``;`` when none)."""
    counts = {sep: header_line.count(sep) for sep in SEPARATORS}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ";"
