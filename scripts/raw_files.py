"""Find raw customs files and read them, as text, into a DuckDB scratch table.

Why a module of its own: finding files (loose CSV or members of regional
zips), fingerprinting them and reading them with DuckDB's CSV reader is the
part that meets whatever a publisher or a user drops in the folder. It
refuses a file whose structure is broken (not a zip, empty, a missing column,
a line with the wrong number of fields) with the file, line and reason, before
anything is written to the warehouse.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from scripts import raw_layout

RAW_COLUMNS = list(raw_layout.COLUMNS.values())


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


@dataclass(frozen=True)
class SourceFile:
    """A CSV to load: where DuckDB reads it, the name lineage records, its fingerprint."""

    path: Path
    label: str
    sha256: str


def discover(folder: Path, scratch: Path) -> list[SourceFile]:
    """Every CSV under ``folder``, zip members extracted into ``scratch``, in a stable order."""
    if not folder.is_dir():
        raise FileNotFoundError(f"raw folder {folder} does not exist")
    found: list[SourceFile] = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.suffix.lower() == ".csv":
            found.append(SourceFile(path, relative, hashlib.sha256(path.read_bytes()).hexdigest()))
        elif path.suffix.lower() == ".zip":
            found += _extract(path, relative, scratch)
    return found


def _extract(path: Path, relative: str, scratch: Path) -> list[SourceFile]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        problem = RawInputProblem(relative, 0, "-", f"not a zip file ({error})")
        raise RawInputError([problem]) from error
    members: list[SourceFile] = []
    with archive:
        for member in sorted(archive.namelist()):
            if not member.lower().endswith(".csv"):
                continue
            try:
                data = archive.read(member)
            except (zipfile.BadZipFile, OSError) as error:  # truncated or corrupt archive
                problem = RawInputProblem(f"{relative}!{member}", 0, "-", f"unreadable ({error})")
                raise RawInputError([problem]) from error
            target = scratch / relative / member
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            digest = hashlib.sha256(data).hexdigest()
            members.append(SourceFile(target, f"{relative}!{member}", digest))
    return members


def read_manifest(folder: Path) -> tuple[str, bool]:
    """Name of the data set and whether it is synthetic (real files have no manifest)."""
    manifest = folder / raw_layout.DATASET_MANIFEST
    if not manifest.exists():
        return ("Douanes (DGDDI) departmental files", False)
    content = json.loads(manifest.read_text(encoding="utf-8"))
    return (str(content["name"]), bool(content["synthetic"]))


def read_header(source: SourceFile) -> list[str]:
    """Column names on the first line of a file (only that line is read here)."""
    with source.path.open(encoding="utf-8-sig", errors="replace") as handle:
        first = handle.readline().rstrip("\r\n")
    if not first:
        raise RawInputError([RawInputProblem(source.label, 1, "-", "empty file, no header line")])
    return [name.strip().strip('"') for name in first.split(raw_layout.SEPARATOR)]


def read_into_scratch(con: duckdb.DuckDBPyConnection, files: list[SourceFile]) -> None:
    """Copy every file, as text, into the temporary table ``incoming`` with its line numbers.

    The header is checked against the declared layout first; the rows are then
    read by DuckDB with that exact schema (no sniffing), so a row with too many
    or too few fields is refused with the line DuckDB stopped at.
    """
    published = list(raw_layout.COLUMNS)
    con.execute(
        "create or replace temp table incoming ("
        + ", ".join(f"{c} varchar" for c in RAW_COLUMNS)
        + ", source_file varchar, source_line integer)"
    )
    for source in files:
        found = read_header(source)
        missing = [c for c in published if c not in found]
        if missing:
            raise RawInputError([
                RawInputProblem(source.label, 1, c,
                                f"missing column (expected {published}, found {found})")
                for c in missing
            ])  # fmt: skip
        schema = {f"c{i}": "VARCHAR" for i in range(len(found))}
        selected = ", ".join(f"c{found.index(name)}" for name in published)
        try:
            con.execute(
                f"insert into incoming select {selected}, $label, (ordinality + 1)::integer "
                "from read_csv($path, sep=$sep, header=false, skip=1, auto_detect=false, "
                "columns=$schema, quote='\"', encoding='utf-8') with ordinality",
                {"label": source.label, "path": str(source.path),
                 "sep": raw_layout.SEPARATOR, "schema": schema},
            )  # fmt: skip
        except duckdb.Error as error:
            problem = RawInputProblem(source.label, *_reader_location(error))
            raise RawInputError([problem]) from error


def _reader_location(error: Exception) -> tuple[int, str, str]:
    """Line and reason from a DuckDB CSV reader error (it names the line it stopped at)."""
    message = str(error)
    found = re.search(r"\bLine: (\d+)", message)
    detail = re.search(r"Expected Number of Columns: \d+ Found: \d+", message)
    reason = detail.group(0) if detail else message.strip().splitlines()[0]
    return (int(found.group(1)) if found else 0, "-", reason)
