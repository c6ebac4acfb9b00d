"""Read prepared tables straight into the warehouse's raw tables with the CSV reader, each
row with its file and line, and refuse a file any of whose data lines gave no row.

Why SQL: DuckDB's strict CSV reader reads millions of lines a second and
refuses a line with the wrong number of fields, naming it; the published
headerless files, long and cross tables and label files each get one
statement (many long tables sharing a header, one scan).

Why straight into ``raw``: every row is then written once. The reading runs
inside the load's transaction (``scripts/ingest/load.py``), which the checks
end with a commit or a rollback, so no other reader ever sees unchecked rows.
What the checks need to know of a row's file and ``raw`` does not keep (the
year its name states, the layout it was read as, its flow) is one row per file
in ``incoming_files``, joined back by the views of ``scripts/ingest/incoming.py``.
"""

from __future__ import annotations

import csv
import re

import duckdb

from scripts.ingest import layout as raw_layout
from scripts.ingest.headers import (
    file_year,
    names_from_file,
    normalise_header,
    read_header,
    recognise,
    unit_from_header,
)
from scripts.ingest.incoming import INCOMING_TABLES
from scripts.ingest.layout import (
    LABEL_COLUMNS,
    NATIONAL_COLUMNS,
    RAW_COLUMNS,
    Layout,
)
from scripts.ingest.sources import RawInputError, RawInputProblem, SourceFile, refuse

#: Long tables read per DuckDB scan (many small scans are slow, one huge one costs memory).
BATCH_FILES = 64
LINE_COLUMN = "__line"


def _note_file(
    con: duckdb.DuckDBPyConnection, label: str, year: str | None, layout: str,
    flow: str | None = None,
) -> None:  # fmt: skip
    """Record what the checks need of a trade file's rows: the year and flow its name
    states, the layout it was read as (``raw`` keeps none of them)."""
    con.execute("insert into incoming_files values (?, ?, ?, ?)", [label, year, layout, flow])


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
        stated = unit_from_header(header[positions["value"]])
        if stated:
            return stated
    return layout.unit or default_unit


def _long_insert(layout: Layout, positions: dict[str, int], prefix: str) -> str:
    """``insert into raw.customs_trade (...) select`` of a long table's columns, as
    ``prefix`` + N.

    The target columns are named, so the order of ``RAW_COLUMNS`` never has to
    match a position; raw columns the layout has not (month and line number of
    a departmental file) are NULL. The statement goes on with the unit, label
    and line expressions.
    """
    picked = [
        f"{prefix}{positions[c]}" if c in positions else "null"
        for c in RAW_COLUMNS if c != "value_unit"
    ]  # fmt: skip
    targets = [c for c in RAW_COLUMNS if c != "value_unit"]
    return (f"insert into raw.customs_trade ({', '.join(targets)}, value_unit, source_file, "
            f"source_line, loaded_at) select {', '.join(picked)}")  # fmt: skip


def read_table(con: duckdb.DuckDBPyConnection, source: SourceFile, default_unit: str) -> str:
    """Read one table into the raw tables; return the name of its layout."""
    header, separator = read_header(source)
    layout, positions = recognise(header, source.label)
    scan, params = _scan(source, len(header), separator)
    params["label"] = source.label
    if layout.shape != "labels":
        params["unit"] = _unit(layout, header, positions, default_unit)
        _note_file(con, source.label, file_year(source.label), layout.name)
    if layout.shape == "labels":
        sql = (f"insert into raw.product_labels (product_code, product_label, source_file, "
               f"source_line, loaded_at) select v{positions['product_code']}, "
               f"v{positions['product_label']}, $label, line, current_timestamp "
               f"from ({scan})")  # fmt: skip
    elif layout.shape == "long":
        insert = _long_insert(layout, positions, "v")
        sql = f"{insert}, $unit, $label, line, current_timestamp from ({scan})"
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
            raise refuse(source.label, 1, "-", f"cross table without {column}: no column "
                          "and no file name like 45_export_2024")  # fmt: skip
    countries = _cross_value_columns(source.label, header, set(positions.values()))
    cells = ", ".join(f"{{'country': '{header[i].strip()}', 'value': v{i}}}" for i in countries)
    sql = (
        "insert into raw.customs_trade (flow_code, year, department_code, product_code, "
        "country_code, value, value_unit, source_file, source_line, loaded_at) "
        f"select {values['flow_code']}, {values['year']}, "
        f"{values['department_code']}, v{positions['product_code']}, cell.country, "
        "cell.value, $unit, $label, line, current_timestamp from "
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
            raise refuse(label, 1, code, "a cross table's columns are the product, flow, year, "
                          "department, a label, a total or partner country codes (two "
                          "capitals): this one is none of them")  # fmt: skip
        if code and code in seen:
            raise refuse(label, 1, code, "partner country column repeated")
        seen.add(code)
        columns.append(index)
    return columns


def read_into_raw(
    con: duckdb.DuckDBPyConnection, files: list[SourceFile], default_unit: str
) -> dict[str, str]:
    """Read every file into the raw tables; return each file's layout.

    The caller has opened the load's transaction and created ``incoming_files``
    and the ``incoming`` views (``scripts/ingest/incoming.py``).
    """
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


def _check_every_line_read(
    con: duckdb.DuckDBPyConnection, files: list[SourceFile], layouts: dict[str, str]
) -> None:
    """Refuse any file with a data line that gave no row: no line may vanish in silence.

    The count of data lines was taken as each file was prepared, apart from
    the reader; a line that yields no row (a cross-table product line with no
    value at all, a reader that skipped it) refuses its file.
    """
    con.execute("create or replace temp table expected_lines (source_file varchar, "
                "data_lines bigint)")  # fmt: skip
    if files:
        con.executemany("insert into expected_lines values (?, ?)",
                        [[f.label, f.data_lines] for f in files])  # fmt: skip
    read = " union all ".join(f"select source_file, source_line from {t}" for t in INCOMING_TABLES)
    # A cross table gives a row per country cell: its lines are counted distinct. Every other
    # table gives one row per line: counting its rows is the same count without a hash table
    # of every line (and a line read twice would show, as a count too large).
    per_line = ("count(*) filter (where layout <> $cross) "
                "+ count(distinct source_line) filter (where layout = $cross)")  # fmt: skip
    counted = " union all ".join(
        f"select source_file, {per_line if t == 'incoming' else 'count(*)'} as lines "
        f"from {t} group by source_file" for t in INCOMING_TABLES
    )  # fmt: skip
    short = con.execute(
        "select e.source_file, e.data_lines, coalesce(r.lines, 0) from expected_lines as e "
        f"left join (select source_file, sum(lines) as lines from ({counted}) "
        "group by source_file) as r using (source_file) "
        "where e.data_lines <> coalesce(r.lines, 0) order by e.source_file",
        {"cross": "cross"},
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
    """Read one published headerless file into its raw table; return its layout name.

    The file name chose the layout; the field count of the first line chooses
    among its vintages (the national file had 8 fields until 2016, 10 since),
    and DuckDB's strict reader refuses any later line with another count.
    """
    layout = source.fixed
    assert layout is not None
    first = _first_record(source)
    if not first or not any(cell.strip() for cell in first):
        raise refuse(source.label, 1, "-", f"empty file: the {layout.name} layout has data "
                      "lines and no header")  # fmt: skip
    fields = next((f for f in layout.field_lists() if len(f) == len(first)), None)
    if fields is None:
        counts = " or ".join(str(len(f)) for f in layout.field_lists())
        raise refuse(source.label, 1, "-", f"{len(first)} fields, the {layout.name} layout has "
                      f"{counts} ({layout.description})")  # fmt: skip
    scan, params = _scan(source, len(fields), ";", skip=0)
    name = raw_layout.layout_label(layout, fields)
    params["label"] = source.label
    picked = {column: f"v{i}" for i, column in enumerate(fields) if column is not None}
    if layout.target == "labels":
        targets = [c for c in LABEL_COLUMNS if c in picked]
        sql = (f"insert into raw.customs_labels (annex, {', '.join(targets)}, source_file, "
               f"source_line, loaded_at) select $annex, {', '.join(picked[c] for c in targets)}, "
               f"$label, line, current_timestamp from ({scan})")  # fmt: skip
        params["annex"] = layout.annex
    else:
        stated = dict(source.stated)
        # A yearly file (Region_2019_Export.txt) declares its year, with its folder and zip;
        # a rolling one (REGIONAL_CPF4PAYSE.txt: the last five quarters, NATIONAL_NC8PAYSE.txt:
        # the last 13 months) spans two years, so no folder or zip name can give it one.
        year = file_year(source.label) if "year" in stated else None
        _note_file(con, source.label, year, name, stated.get("flow_code"))
        table, columns = (("customs_trade", RAW_COLUMNS) if layout.target == "trade"
                          else ("customs_national_trade", NATIONAL_COLUMNS))  # fmt: skip
        targets = [c for c in columns if c in picked]
        unit = ", value_unit" if layout.target == "trade" else ""
        unit_value = ", 'eur'" if layout.target == "trade" else ""
        sql = (f"insert into raw.{table} ({', '.join(targets)}{unit}, source_file, source_line, "
               f"loaded_at) select {', '.join(picked[c] for c in targets)}"
               f"{unit_value}, $label, line, current_timestamp from ({scan})")  # fmt: skip
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
    con.execute("create or replace temp table batch_files (path varchar, label varchar)")
    con.executemany("insert into batch_files values (?, ?)", [[str(s.path), s.label]
                                                             for s in sources])  # fmt: skip
    con.executemany("insert into incoming_files values (?, ?, ?, null)",
                    [[s.label, file_year(s.label), layout.name] for s in sources])  # fmt: skip
    schema = {f"c{i}": "VARCHAR" for i in range(len(header))}
    sql = (
        f"{_long_insert(layout, positions, 'r.c')}, $unit, f.label, cast(row_number() over "
        "(partition by r.filename order by r.ordinality) + 1 as integer), current_timestamp "
        "from read_csv($paths, sep=$sep, header=false, skip=1, auto_detect=false, "
        "columns=$schema, quote='\"', escape='\"', encoding='utf-8', strict_mode=true, "
        "filename=true) "
        "with ordinality as r join batch_files as f on r.filename = f.path"
    )
    params = {"paths": [str(s.path) for s in sources], "sep": separator, "schema": schema,
              "unit": _unit(layout, header, positions, default_unit)}  # fmt: skip
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
