"""What the loader says about its input: the tables it found, and the reasons it refuses one.

Why a module of its own: every part of the reading (files, text, headers,
readers) locates its refusals the same way, by file, line, column and reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scripts.ingest.layout import FixedLayout


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


def refuse(label: str, line: int, column: str, reason: str) -> RawInputError:
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
    #: False for a file the warehouse already holds with these bytes, read the same way:
    #: only hashed, its text neither decoded nor written (the load reads only new or
    #: changed files, so adding a year does not prepare the years before it).
    prepared: bool = True
