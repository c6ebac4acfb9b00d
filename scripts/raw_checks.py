"""Row-level checks of incoming raw customs rows, as one set-based SQL statement.

Why SQL and not Python: millions of rows are checked in about a second by
DuckDB, and every check names the published column and the reason, so the
problems can be reported to a user or kept in the quarantine table with the
file and line they came from. Codes are judged after the same normalisation
staging applies (trimmed, upper case, department "1" is "01").

Declaration-level rows (layout ``declarations``) are many per flow, year,
department, product and country: their key also holds the month and the line
number, the month must be 1 to 12 and the line number a positive integer.
Rows of the other layouts have neither (NULL), and their key is unchanged.
"""

from __future__ import annotations

import duckdb

from scripts import raw_layout
from scripts.paths import SEEDS_DIR


def _normalised(column: str) -> str:
    """SQL for a code as staging normalises it (trimmed, upper case)."""
    return f"upper(trim({column}))"


def _department_normalised() -> str:
    """Department codes keep their leading zero: '1' and '01' are both Ain."""
    code = _normalised("department_code")
    return f"case when regexp_full_match({code}, '[0-9]') then '0' || {code} else {code} end"


#: A non-negative number with at most three decimals, once spaces and commas are normalised.
NUMBER = "[0-9]+(\\.[0-9]{1,3})?"


def decimal_text(column: str) -> str:
    """SQL for a published number as plain digits and a point: '1 234,5' -> '1234.5'.

    French files write decimal commas and may group thousands with spaces.
    """
    return f"replace(replace(replace(trim({column}), ' ', ''), chr(160), ''), ',', '.')"


#: A month as declaration files may write it: 1 to 12, with or without a leading zero.
MONTH = "0?[1-9]|1[0-2]"
#: A declaration line number: a positive integer.
LINE_NUMBER = "0*[1-9][0-9]*"


def _number_normalised(column: str) -> str:
    """SQL for a published integer without leading zeros ('07' is '7'); other text trimmed."""
    return f"coalesce(cast(try_cast(trim({column}) as hugeint) as varchar), trim({column}))"


def key_expression() -> str:
    """The normalised key of a row: flow, year, department, product, country, month, line.

    Month and line number are NULL for departmental rows, and ``concat_ws``
    skips NULLs, so their key is the five codes as it has always been; a
    declaration line is told apart from its neighbours of the same cell by its
    month and line number.
    """
    return ", ".join(
        [_normalised("flow_code"), "trim(year)", _department_normalised(),
         _normalised("product_code"), _normalised("country_code"),
         _number_normalised("month"), _number_normalised("line_number")]
    )  # fmt: skip


def _quoted(column: str) -> str:
    return f"coalesce('''' || {column} || '''', 'NULL')"


def problems_query() -> str:
    """One row per problem in ``incoming``: file, line, published column name, reason.

    ``kept`` holds the raw rows that stay in the warehouse (files not being
    replaced), so a key that a new file repeats from an old one is caught too.
    Every copy of a duplicated key among incoming rows is a problem: which
    copy is right cannot be known.
    """
    # every raw column is a required one of the declarations layout: its first names
    names = {raw: published[0] for raw, published in raw_layout.DECLARATIONS.required.items()}
    declarations = f"'{raw_layout.DECLARATIONS.name}'"
    columns = ", ".join(raw_layout.RAW_COLUMNS)
    flows = ", ".join(f"'{code}'" for code in raw_layout.FLOW_CODES)
    flow_list = ", ".join(raw_layout.FLOW_CODES)
    key = key_expression()
    return f"""
    with departments as (
        select department_code from read_csv($departments, all_varchar=true)
        union all select '{raw_layout.UNALLOCATED_DEPARTMENT}'
    ),
    products as (select a129_code from read_csv($products, all_varchar=true)),
    countries as (select country_code from read_csv($countries, all_varchar=true)),
    keyed as (
        -- one key per row, as a single string: a hash aggregate over it spills to
        -- disk when memory is short, where a window over millions of rows cannot
        select concat_ws('|', {key}) as row_key, source_file, source_line, is_new,
            line_number is not null as is_declaration
        from (
            select {columns}, source_file, source_line, true as is_new from incoming
            union all
            select {columns}, source_file, source_line, false from kept
        )
    ),
    duplicated_keys as (
        select row_key, count(*) as copies
        from keyed
        group by row_key
        having count(*) > 1
    ),
    duplicated as (
        -- only the few duplicated rows are ordered, to name the first copy
        select keyed.row_key, keyed.source_file, keyed.source_line, keyed.is_new,
            keyed.is_declaration, duplicated_keys.copies,
            first_value(keyed.source_file || ', line ' || keyed.source_line) over (
                partition by keyed.row_key order by keyed.source_file, keyed.source_line
            ) as first_seen
        from keyed join duplicated_keys using (row_key)
    )
    select source_file, source_line, '{names["flow_code"]}' as column_name,
        'unknown flow ' || {_quoted("flow_code")} || ' (expected one of {flow_list})' as reason
    from incoming where coalesce({_normalised("flow_code")}, '') not in ({flows})
    union all
    select source_file, source_line, '{names["year"]}',
        'year ' || {_quoted("year")} || ' is not a four-digit year'
    from incoming where not coalesce(regexp_full_match(trim(year), '(19|20)[0-9]{{2}}'), false)
    union all
    select source_file, source_line, '{names["year"]}',
        'year ' || {_quoted("year")} || ' is not the year of the file (' || file_year || ')'
    from incoming
    where regexp_full_match(trim(year), '(19|20)[0-9]{{2}}') and trim(year) <> file_year
    union all
    select source_file, source_line, '{names["department_code"]}',
        'unknown department code ' || {_quoted("department_code")}
    from incoming
    where coalesce({_department_normalised()}, '') not in (select * from departments)
    union all
    select source_file, source_line, '{names["product_code"]}',
        'unknown A129 product code ' || {_quoted("product_code")}
    from incoming where coalesce({_normalised("product_code")}, '') not in (select * from products)
    union all
    select source_file, source_line, '{names["country_code"]}',
        'unknown country code ' || {_quoted("country_code")}
    from incoming
    where coalesce({_normalised("country_code")}, '') not in (select * from countries)
    union all
    select source_file, source_line, '{names["value"]}',
        'value ' || {_quoted("value")}
        || ' is not a non-negative number with at most 3 decimals'
    from incoming
    where not coalesce(regexp_full_match({decimal_text("value")}, '{NUMBER}'), false)
    union all
    select source_file, source_line, '{names["month"]}',
        'month ' || {_quoted("month")} || ' is not a month (1 to 12)'
    from incoming
    where layout = {declarations}
        and not coalesce(regexp_full_match(trim(month), '{MONTH}'), false)
    union all
    select source_file, source_line, '{names["line_number"]}',
        'line number ' || {_quoted("line_number")} || ' is not a positive integer'
    from incoming
    where layout = {declarations}
        and not coalesce(regexp_full_match(trim(line_number), '{LINE_NUMBER}'), false)
    union all
    select source_file, source_line, 'key',
        'duplicate key (' || case when is_declaration
            then 'flow, year, month, department, product, country, line number'
            else 'flow, year, department, product, country' end
        || '): ' || copies || ' copies, first at ' || first_seen
    from duplicated where is_new
    """


def find_problems(con: duckdb.DuckDBPyConnection) -> int:
    """Fill the temporary table ``problems`` from ``incoming`` and ``kept``; return its size."""
    con.execute(
        f"create or replace table scratch.problems as {problems_query()}",
        {
            "departments": str(SEEDS_DIR / "departments.csv"),
            "products": str(SEEDS_DIR / "products_a129.csv"),
            "countries": str(SEEDS_DIR / "countries.csv"),
        },
    )
    return int(con.execute("select count(*) from problems").fetchone()[0])
