"""Write a checked load to the raw schema and its audit, in one transaction.

Why apart from the loader: this is the only code that changes ``raw``; it
applies the plan (rows of changed and vanished files out, clean rows in,
invalid ones to the quarantine, one audit row per file) all at once or not
at all, and the audit is counted from what was written.
"""

from __future__ import annotations

import duckdb

from scripts.ingest.files import INCOMING_TABLES, SourceFile
from scripts.ingest.layout import LABEL_COLUMNS, NATIONAL_COLUMNS, RAW_COLUMNS
from scripts.ingest.raw_schema import RAW_TABLES


def clean_rows_filter(con: duckdb.DuckDBPyConnection) -> str:
    """SQL keeping the incoming rows that have no problem (all of them when none has one).

    Why the test first: the anti-join against the problems costs seconds per
    million rows, and a load reaching this point in strict mode has no problem
    at all. Rows go in no particular order: a sort of every row cost more than
    the insert itself, and nothing reads ``raw`` by its physical order.
    """
    if not con.execute("select count(*) from problems").fetchone()[0]:
        return ""
    return ("where not exists (select 1 from problems as p where p.source_file = "
            "i.source_file and p.source_line = i.source_line)")  # fmt: skip


def publish(
    con: duckdb.DuckDBPyConnection,
    to_read: list[SourceFile],
    to_remove: list[str],
    dataset_name: str,
    is_synthetic: bool,
) -> None:
    """Apply the plan in one transaction; roll back on any error."""
    columns = ", ".join(RAW_COLUMNS)
    con.execute("begin transaction")
    try:
        for table in RAW_TABLES:
            con.execute(
                f"delete from raw.{table} where source_file in (select * from removed_files)"
            )
        con.execute(
            "insert into raw.product_labels select product_code, product_label, source_file, "
            "source_line, current_timestamp from incoming_labels"
        )
        labels = ", ".join(LABEL_COLUMNS)
        con.execute(
            f"insert into raw.customs_labels ({labels}, source_file, source_line, loaded_at) "
            f"select {labels}, source_file, source_line, current_timestamp from incoming_annex"
        )
        clean = clean_rows_filter(con)
        con.execute(
            f"insert into raw.customs_trade ({columns}, source_file, source_line, loaded_at) "
            f"select {columns}, source_file, source_line, current_timestamp "
            f"from incoming as i {clean}"
        )
        national = ", ".join(NATIONAL_COLUMNS)
        con.execute(
            f"insert into raw.customs_national_trade ({national}, source_file, source_line, "
            f"loaded_at) select {national}, source_file, source_line, current_timestamp "
            f"from incoming_national as i {clean}"
        )
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
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise


def quarantine_rows(con: duckdb.DuckDBPyConnection) -> None:
    """Every problem of the incoming rows to ``raw.quarantine``, with the row it is about."""
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


def count_by_file(tables: tuple[str, ...], counted: str = "count(*)") -> str:
    """SQL counting the rows of the files being read, per file, over ``tables``."""
    rows = " union all ".join(
        f"select * from (select source_file, {counted} as n from {t} where source_file in "
        "(select source_file from read_files) group by source_file)" for t in tables
    )  # fmt: skip
    return f"(select source_file, sum(n) as n from ({rows}) group by source_file)"


def write_audit(con: duckdb.DuckDBPyConnection, dataset_name: str, is_synthetic: bool) -> None:
    """One audit row per file read, counted from what was written, not from intentions.

    Rows read are the rows the reader produced; rows loaded are the file's
    rows in the raw tables; rows quarantined its rows in ``raw.quarantine``
    (a line there once per problem: counted once, or once per country cell of
    a cross table). A file whose rows do not add up stops the load.
    """
    read = count_by_file(INCOMING_TABLES)
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
