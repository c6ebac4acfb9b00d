"""What a load may do only with the user's consent: remove every row of a file, or load
strictly while rows an earlier quarantine load set aside stay there.

Why apart from the loader: these refusals are a policy, written once, with the
messages naming the option that lifts each one.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from scripts.ingest.files import RawInputError, RawInputProblem

MAX_REPORTED_PROBLEMS = 20


@dataclass(frozen=True)
class Removal:
    """Rows of one file that a load removes from ``raw``, and why."""

    source_file: str
    rows_before: int
    rows_after: int
    why: str  # "file vanished", "file changed" or "data set replaced"
    #: Whether removing them needs ``allow_removals`` (all its rows, not the synthetic sample).
    needs_consent: bool

    @property
    def rows_removed(self) -> int:
        return self.rows_before - self.rows_after

    def __str__(self) -> str:
        return (f"{self.source_file}: {self.rows_removed:,} of its {self.rows_before:,} rows "
                f"removed ({self.why})")  # fmt: skip


class LoadRefused(RawInputError):
    """A refusal that the user can lift with an option, which the message names."""

    def __init__(self, problems: list[RawInputProblem], total: int, hints: list[str]) -> None:
        super().__init__(problems, total=total)
        self.args = ("\n".join([str(self.args[0]), *hints]),)


ALLOW_REMOVALS_HINT = (
    "Removing every row of a file needs consent: re-run with --allow-removals "
    "(trade load or trade build) to remove them, or put the file back."
)
QUARANTINE_HINT = (
    "A strict load refuses the rows an earlier --quarantine load set aside: fix the file(s) "
    "and load again, re-run with --quarantine, or keep them aside and load strictly all the "
    "same with --accept-quarantined."
)


@dataclass(frozen=True)
class Consent:
    """What a load may do that it refuses by default."""

    allow_removals: bool = False
    accept_quarantined: bool = False


#: The default: refuse both.
NO_CONSENT = Consent()


def count_rows_before(con: duckdb.DuckDBPyConnection) -> None:
    """``rows_before``: the rows each file to be removed or replaced has in ``raw``, counted
    before the load deletes them (``removals`` compares them with what the load leaves)."""
    con.execute(
        "create or replace temp table rows_before as "
        "select source_file, count(*) as rows_before from ("
        "select source_file from raw.customs_trade union all "
        "select source_file from raw.customs_national_trade union all "
        "select source_file from raw.customs_labels union all "
        "select source_file from raw.product_labels) "
        "where source_file in (select source_file from removed_files) group by source_file"
    )


def removals(con: duckdb.DuckDBPyConnection, dataset_name: str) -> list[Removal]:
    """Files that will have fewer rows in ``raw`` after this load than before it.

    Fills ``removals`` (the audit's ``rows_removed``). Rows before are
    ``rows_before``; rows after the load are the incoming rows that load (not
    those quarantined), counted only for files that had rows before: a first
    load counts none of its millions of rows.
    """
    con.execute(
        "create or replace temp table removals as "
        "with after as (select source_file, count(*) as rows_after from ("
        "select source_file, source_line from incoming union all "
        "select source_file, source_line from incoming_national) as i "
        "where source_file in (select source_file from removed_files) "
        "and not exists (select 1 from problems as p where p.source_file = i.source_file "
        "and p.source_line = i.source_line) group by source_file "
        "union all select source_file, count(*) from incoming_annex group by source_file "
        "union all select source_file, count(*) from incoming_labels group by source_file) "
        "select b.source_file, b.rows_before, coalesce(a.rows_after, 0) as rows_after, "
        "b.rows_before - coalesce(a.rows_after, 0) as rows_removed, "
        "case when b.source_file in (select source_file from read_files) then 'file changed' "
        "when b.source_file in (select source_file from vanished_files) then 'file vanished' "
        "else 'data set replaced' end as why, "
        "not (coalesce(old.is_synthetic, false) and old.dataset_name <> $name) as consent "
        "from rows_before as b left join after as a using (source_file) "
        "left join raw.load_audit as old using (source_file) "
        "where b.rows_before > coalesce(a.rows_after, 0)",
        {"name": dataset_name},
    )
    rows = con.execute(
        "select source_file, rows_before, rows_after, why, consent and rows_after = 0 "
        "from removals order by source_file"
    ).fetchall()
    return [Removal(label, int(before), int(after), why, bool(consent))
            for label, before, after, why, consent in rows]  # fmt: skip


def quarantined_and_kept(con: duckdb.DuckDBPyConnection) -> list[RawInputProblem]:
    """One problem per kept file that still has rows in ``raw.quarantine``, with its first."""
    rows = con.execute(
        "select source_file, count(distinct source_line), min(source_line), "
        "arg_min(column_name || ': ' || reason, (source_line, column_name)) "
        "from raw.quarantine where source_file not in (select source_file from removed_files) "
        "group by source_file order by source_file"
    ).fetchall()
    return [
        RawInputProblem(label, int(first), "-", f"{count:,} row(s) of this file are in "
                        f"raw.quarantine from an earlier --quarantine load (first: {reason})")
        for label, count, first, reason in rows
    ]  # fmt: skip


def refuse_without_consent(
    con: duckdb.DuckDBPyConnection, removals: list[Removal], quarantine: bool, consent: Consent
) -> None:
    """Refuse a load that would empty files, or load strictly over quarantined rows,
    unless the user said so (the message names the option)."""
    problems: list[RawInputProblem] = []
    hints: list[str] = []
    if not quarantine and not consent.accept_quarantined:
        kept = quarantined_and_kept(con)
        problems += kept
        hints += [QUARANTINE_HINT] if kept else []
    emptied = [r for r in removals if r.needs_consent]
    if emptied and not consent.allow_removals:
        problems += [RawInputProblem(r.source_file, 0, "-", f"this load would remove all "
                                     f"{r.rows_before:,} rows of the file ({r.why})")
                     for r in emptied]  # fmt: skip
        hints.append(ALLOW_REMOVALS_HINT)
    if problems:
        raise LoadRefused(problems[:MAX_REPORTED_PROBLEMS], total=len(problems), hints=hints)
