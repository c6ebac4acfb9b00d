"""The rows a load brings and the rows it keeps, as views over the raw tables.

Why views: the loader reads every file straight into the raw tables, inside
the load's transaction (``scripts/ingest/load.py``), so that each row is
written once. After the rows of changed and vanished files are deleted (in
the same transaction), a raw row is either *incoming* (its file is being
read) or *kept*; the checks (``scripts/ingest/checks.py``), the audit and the
quarantine read the two through these views, under the names they had when
the rows were first read into tables of their own.

What a check needs to know of a trade row's file, and ``raw`` does not keep
(the year its name states, the layout it was read as, the flow its name
states), is one row per file in ``incoming_files``, joined back; the join
also picks the incoming rows out of the table.
"""

from __future__ import annotations

import duckdb

from scripts.ingest.layout import LABEL_COLUMNS, NATIONAL_COLUMNS, RAW_COLUMNS

#: The views of the rows being read, each row with its file and line.
INCOMING_TABLES = ("incoming", "incoming_national", "incoming_annex", "incoming_labels")

#: The raw tables rows are read into (the others are written by the audit and the quarantine).
DATA_TABLES = ("customs_trade", "customs_national_trade", "customs_labels", "product_labels")


def create_work_tables(
    con: duckdb.DuckDBPyConnection,
    read: list[list[str]],
    removed: list[str],
    vanished: dict[str, str],
) -> None:
    """The load's plan as temporary tables: files read (label, SHA-256, fingerprint), files
    whose rows go, vanished files (label, last SHA-256), and the facts of the files read.

    Temporary tables, not tables of the warehouse: they live as long as the
    connection, and a transaction may write them beside the warehouse's own.
    """
    con.execute("create or replace temp table read_files "
                "(source_file varchar, sha256 varchar, fingerprint varchar)")  # fmt: skip
    if read:
        con.executemany("insert into read_files values (?, ?, ?)", read)
    con.execute("create or replace temp table vanished_files (source_file varchar, sha256 text)")
    if vanished:
        con.executemany("insert into vanished_files values (?, ?)",
                        [list(item) for item in vanished.items()])  # fmt: skip
    con.execute("create or replace temp table removed_files (source_file varchar)")
    if removed:
        con.executemany("insert into removed_files values (?)", [[label] for label in removed])
    con.execute("create or replace temp table incoming_files (source_file varchar, "
                "file_year varchar, layout varchar, file_flow varchar)")  # fmt: skip


def delete_removed_rows(con: duckdb.DuckDBPyConnection) -> None:
    """Delete the rows of changed, vanished and replaced files from the raw data tables.

    Done before the reading, so that a changed file's new rows are the only
    rows of its name; the quarantine and the audit keep theirs until the
    publication (the consent checks read them).
    """
    for table in DATA_TABLES:
        con.execute(f"delete from raw.{table} where source_file in (select * from removed_files)")


#: An incoming row whose key might not start with its flow and year as the kept rows'
#: do (every kept row passed the checks: a flow E or I, a four-digit year).
_IRREGULAR_KEY_START = (
    "flow_code is null or contains(flow_code, '|') "
    "or not coalesce(regexp_full_match(trim(year), '(19|20)[0-9]{2}'), false)"
)


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """``incoming``, ``incoming_national``, ``incoming_annex``, ``incoming_labels``: the rows
    being read; ``kept``, ``kept_national``, ``kept_annex``: the raw rows that stay, as the
    duplicate checks compare incoming keys with them.

    Why kept trade rows are limited to the incoming rows' years: a row's key
    starts with its flow and year, and kept rows passed the checks, so a kept
    row of another year cannot share a key with an incoming row, and its
    reading only cost time (adding a year to nine would read all nine). When an
    incoming row's flow or year is such that its key could start otherwise
    (missing, malformed, holding the key's separator), every kept row is
    compared.

    Called before the reading, when the raw tables hold only the kept rows: a
    table with none (a first load, a full reload) gets an empty view, which
    spares the checks a scan of every incoming row.

    Why the incoming trade rows are also picked by their load time: the
    readers stamp every row with ``current_timestamp``, the start of the
    load's transaction, and the rows of the files being read were deleted
    first, so the rows of those files are exactly the rows with this time. As
    a constant, the time lets DuckDB skip every stored row group (their load
    times are older) before it evaluates a check; through the join alone, each
    check's filter ran on every kept row too (adding a year to nine: a fifth of
    the checks' CPU).
    """
    this_load = con.execute("select cast(current_timestamp as varchar)").fetchone()[0]
    for view, table, columns in (("incoming", "customs_trade", RAW_COLUMNS),
                                 ("incoming_national", "customs_national_trade",
                                  NATIONAL_COLUMNS)):  # fmt: skip
        picked = ", ".join(f"t.{column}" for column in columns)
        con.execute(
            f"create or replace temp view {view} as select {picked}, t.source_file, "
            "t.source_line, f.file_year, f.layout, f.file_flow "
            f"from raw.{table} as t inner join incoming_files as f using (source_file) "
            f"where t.loaded_at = timestamptz '{this_load}'"
        )
    read = "source_file in (select source_file from read_files)"
    labels = ", ".join(LABEL_COLUMNS)
    con.execute(f"create or replace temp view incoming_annex as select {labels}, source_file, "
                f"source_line from raw.customs_labels where {read}")  # fmt: skip
    con.execute("create or replace temp view incoming_labels as select product_code, "
                f"product_label, source_file, source_line from raw.product_labels "
                f"where {read}")  # fmt: skip
    for kept, table, incoming in (("kept", "customs_trade", "incoming"),
                                  ("kept_national", "customs_national_trade",
                                   "incoming_national")):  # fmt: skip
        con.execute(
            f"create or replace temp view {kept} as select * from raw.{table} "
            f"where {_any_kept(con, table)} and not {read} "
            f"and (trim(year) in (select trim(year) from {incoming}) "
            f"or coalesce((select bool_or({_IRREGULAR_KEY_START}) from {incoming}), false))"
        )
    con.execute(f"create or replace temp view kept_annex as select * from raw.customs_labels "
                f"where {_any_kept(con, 'customs_labels')} and not {read}")  # fmt: skip


def _any_kept(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """SQL ``true`` if the raw table holds rows now (before the reading: kept rows)."""
    return str(bool(con.execute(f"select count(*) from raw.{table}").fetchone()[0])).lower()


def count_read_rows(con: duckdb.DuckDBPyConnection) -> None:
    """``rows_read``: the rows each file gave the reader, counted before any is quarantined
    (the audit's rows read)."""
    rows = " union all ".join(
        f"select source_file, count(*) as n from {view} group by source_file"
        for view in INCOMING_TABLES
    )  # fmt: skip
    con.execute("create or replace temp table rows_read as select source_file, sum(n) as n "
                f"from ({rows}) group by source_file")  # fmt: skip
