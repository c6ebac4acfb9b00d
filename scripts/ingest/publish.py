"""Finish a checked load: quarantine, audit; the caller then commits the transaction.

Why apart from the loader: this is the code that settles what ``raw`` keeps
of the rows read (they were read straight into the raw tables, inside the
load's transaction): invalid ones move to the quarantine, the audit rows of
changed and vanished files go, and one audit row per file is counted from
what was written. The loader commits all of it at once, or rolls it back
with the reading.
"""

from __future__ import annotations

import duckdb

from scripts.ingest.layout import NATIONAL_COLUMNS, RAW_COLUMNS
from scripts.ingest.raw_schema import RAW_TABLES


def publish(con: duckdb.DuckDBPyConnection, dataset_name: str, is_synthetic: bool) -> None:
    """Move the problem rows to the quarantine and write the audit, in the open transaction.

    Rows go to the quarantine only in quarantine mode: a strict load reaching
    this point has no problem at all, and the test spares it the scans.
    """
    for table in ("quarantine", "load_audit"):
        con.execute(f"delete from raw.{table} where source_file in (select * from removed_files)")
    if con.execute("select count(*) from problems").fetchone()[0]:
        quarantine_rows(con)
    con.execute(
        "insert into raw.load_audit (source_file, file_sha256, dataset_name, is_synthetic, "
        "rows_read, rows_loaded, rows_quarantined, loaded_at, rows_removed, file_vanished) "
        "select v.source_file, v.sha256, $name, $synthetic, 0, 0, 0, current_timestamp, "
        "coalesce(r.rows_removed, 0), true from vanished_files as v "
        "left join removals as r using (source_file)",
        {"name": dataset_name, "synthetic": is_synthetic},
    )
    write_audit(con, dataset_name, is_synthetic)


def quarantine_rows(con: duckdb.DuckDBPyConnection) -> None:
    """Every problem of the incoming rows to ``raw.quarantine``, with the row it is about;
    the rows with a problem out of the raw tables (every row of the line: a cross table's
    line gives a row per country cell)."""
    quarantined = list(dict.fromkeys([*RAW_COLUMNS, *NATIONAL_COLUMNS]))
    for table, target, present in (
        ("incoming", "customs_trade", RAW_COLUMNS),
        ("incoming_national", "customs_national_trade", NATIONAL_COLUMNS),
    ):
        values = ", ".join(f"i.{c}" if c in present else "null" for c in quarantined)
        con.execute(
            "insert into raw.quarantine (source_file, source_line, column_name, reason, "
            f"{', '.join(quarantined)}, quarantined_at, target_table) select p.source_file, "
            f"p.source_line, p.column_name, p.reason, {values}, current_timestamp, "
            f"'{target}' from problems as p join {table} as i using (source_file, "
            "source_line) order by p.source_file, p.source_line, p.column_name"
        )
        con.execute(
            f"delete from raw.{target} as t where exists (select 1 from problems as p "
            "where p.source_file = t.source_file and p.source_line = t.source_line)"
        )


def count_by_file(tables: tuple[str, ...], counted: str = "count(*)") -> str:
    """SQL counting the rows of the files being read, per file, over ``tables``."""
    rows = " union all ".join(
        f"select * from (select source_file, {counted} as n from {t} where source_file in "
        "(select source_file from read_files) group by source_file)" for t in tables
    )  # fmt: skip
    return f"(select source_file, sum(n) as n from ({rows}) group by source_file)"


def write_audit(con: duckdb.DuckDBPyConnection, dataset_name: str, is_synthetic: bool) -> None:
    """One audit row per file read, counted from what was written, not from intentions.

    Rows read are the rows the reader produced (``rows_read``); rows loaded are the file's
    rows in the raw tables; rows quarantined its rows in ``raw.quarantine``
    (a line there once per problem: counted once, or once per country cell of
    a cross table). A file whose rows do not add up stops the load.
    """
    read = "rows_read"  # counted before the quarantine took its rows
    loaded = count_by_file(tuple(f"raw.{t}" for t in RAW_TABLES
                                  if t not in {"quarantine", "load_audit"}))  # fmt: skip
    quarantined = count_by_file(
        ("raw.quarantine",), "count(distinct source_line || '|' || coalesce(country_code, ''))"
    )
    con.execute(
        "insert into raw.load_audit (source_file, file_sha256, dataset_name, is_synthetic, "
        "rows_read, rows_loaded, rows_quarantined, loaded_at, read_fingerprint, rows_removed, "
        "file_vanished) "
        "select f.source_file, f.sha256, $name, $synthetic, coalesce(r.n, 0), coalesce(l.n, 0), "
        "coalesce(q.n, 0), current_timestamp, f.fingerprint, coalesce(removed.rows_removed, 0), "
        f"false from read_files as f "
        f"left join {read} as r using (source_file) left join {loaded} as l using (source_file) "
        f"left join {quarantined} as q using (source_file) "
        "left join removals as removed using (source_file)",
        {"name": dataset_name, "synthetic": is_synthetic},
    )
    unbalanced = con.execute(
        "select source_file, rows_read, rows_loaded, rows_quarantined from raw.load_audit "
        "where source_file in (select source_file from read_files) "
        "and rows_read <> rows_loaded + rows_quarantined order by source_file limit 5"
    ).fetchall()
    if unbalanced:
        raise RuntimeError(f"loader error, nothing written: rows read <> loaded + quarantined "
                           f"(file, read, loaded, quarantined): {unbalanced}")  # fmt: skip
