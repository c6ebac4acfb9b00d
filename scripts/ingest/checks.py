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

Rows of the published regional file (layout ``regional``) carry a quarter and
a CPF4 code in their key, the customs' own department and region codes, and a
mass; rows of the national file go to their own table and are keyed by flow,
year, month, NC8 and country. Codes are judged against the reference seeds,
which ``scripts/reference/seeds.py`` builds from the customs' own
annexes: a country must be valid in the row's quarter, month or year (the
annex gives each code its validity period; XS is Saba until 2005 and Serbia
since). Problems of a label annex refuse the load even in quarantine mode: a
label file half loaded would silently relabel the marts.
"""

from __future__ import annotations

import duckdb

from scripts.ingest import layout as raw_layout
from scripts.ingest.check_sql import (
    LINE_NUMBER,
    MONTH,
    NATIONAL_PERIOD,
    TRADE_PERIOD,
    ambiguous_comma,
    decimal_comma,
    decimal_text,
    department_normalised,
    is_number,
    key_expression,
    layouts_declaring,
    normalised,
    number_normalised,
    published_column,
    quoted,
)
from scripts.paths import SEEDS_DIR

#: Seeds the checks read (built from the customs annexes by scripts/reference/seeds.py).
SEED_FILES = {
    "departments": "departments.csv",
    "products": "products_a129.csv",
    "cpf4": "products_cpf4.csv",
    "countries": "countries.csv",
}


def _common_checks(table: str, period: tuple[str, str]) -> list[str]:
    """Checks every trade row shares, whichever table it goes to."""
    flows = ", ".join(f"'{code}'" for code in raw_layout.FLOW_CODES)
    flow_list = ", ".join(raw_layout.FLOW_CODES)
    start, end = period
    return [
        f"""select source_file, source_line, {published_column("flow_code")},
        'unknown flow ' || {quoted("flow_code")} || ' (expected one of {flow_list})'
    from {table} where coalesce({normalised("flow_code")}, '') not in ({flows})""",
        f"""select source_file, source_line, {published_column("flow_code")},
        'flow ' || {quoted("flow_code")} || ' in a file whose name says '
        || case file_flow when 'E' then 'exports (E)' else 'imports (I)' end
    from {table} where file_flow is not null
        and {normalised("flow_code")} in ({flows}) and {normalised("flow_code")} <> file_flow""",
        f"""select source_file, source_line, {published_column("year")},
        'year ' || {quoted("year")} || ' is not a four-digit year'
    from {table} where not coalesce(regexp_full_match(trim(year), '(19|20)[0-9]{{2}}'), false)""",
        f"""select source_file, source_line, {published_column("year")},
        'year ' || {quoted("year")} || ' is not the year of the file (' || file_year || ')'
    from {table}
    where regexp_full_match(trim(year), '(19|20)[0-9]{{2}}') and trim(year) <> file_year""",
        f"""select source_file, source_line, {published_column("product_code")},
        'unknown A129 product code ' || {quoted("product_code")}
    from {table} where (layout <> 'national_8_fields' or product_code is not null)
        and coalesce({normalised("product_code")}, '') not in (select * from products)""",
        f"""select source_file, source_line, {published_column("country_code")},
        case when {normalised("country_code")} in (select country_code from countries)
            then 'country code ' || {quoted("country_code")} || ' is not valid in '
                || case when {start} = {end} then cast({start} as varchar)
                    else cast({start} as varchar) || '-' || cast({end} as varchar) end
                || ' (Libelle_PAYS.txt validity: ' || (select string_agg(
                    cast(c.valid_from as varchar) || '-' || cast(c.valid_to as varchar), ', '
                    order by c.valid_from) from countries as c
                    where c.country_code = {normalised("t.country_code")}) || ')'
            else 'unknown country code ' || {quoted("country_code")} end
    from {table} as t
    -- columns of the row are qualified (t.): countries has a country_code too
    where regexp_full_match(trim(t.year), '(19|20)[0-9]{{2}}') and not exists (
        select 1 from countries as c
        where c.country_code = {normalised("t.country_code")}
            and c.valid_from <= coalesce({end}, 999912)
            and c.valid_to >= coalesce({start}, 0)
    )""",
        f"""select source_file, source_line, {published_column("value")},
        'value ' || {quoted("value")} || ' is not a non-negative number with at most 3 decimals'
    from {table}
    where not {is_number("value")}""",
        f"""select source_file, source_line, {published_column("mass_kg")},
        'mass ' || {quoted("mass_kg")} || ' is not a non-negative number of kilograms'
    from {table} where mass_kg is not null
        and not {is_number("mass_kg")}""",
        *_convention_checks(table, "value", "value"),
        *_convention_checks(table, "mass_kg", "mass"),
    ]


def _convention_checks(table: str, column: str, noun: str) -> list[str]:
    """Numbers whose reading depends on a convention the file does not make known.

    A layout declaring whole numbers (the published files) refuses any mark in
    a number; for a layout declaring nothing, "6,401" is refused unless another
    line of its file (``decimal_comma_files``) shows that commas mark decimals.
    Only well-formed numbers are judged here: the others already have a problem.
    """
    well_formed = is_number(column)
    return [
        f"""select source_file, source_line, {published_column(column)},
        '{noun} ' || {quoted(column)} || ' is not a whole number, and the ' || layout
        || ' layout writes whole numbers (no decimal or grouping mark): whether it means '
        || {decimal_text(column)} || ' or '
        || replace({decimal_text(column)}, '.', '') || ' cannot be known'
    from {table} where layout in ({layouts_declaring(raw_layout.WHOLE_NUMBERS)})
        and (contains({column}, ',') or contains({column}, '.')) and {well_formed}""",
        f"""select source_file, source_line, {published_column(column)},
        '{noun} ' || {quoted(column)} || ' is ambiguous: '
        || replace(trim({column}), ',', '.') || ' if the comma marks decimals, '
        || replace(trim({column}), ',', '') || ' if it groups thousands; no other line '
        || 'of the file uses a decimal comma unambiguously (like 12,5 or 1234,567) and its '
        || layout || ' layout declares no convention'
    from {table} where layout in ({layouts_declaring(None)}) and contains({column}, ',')
        and {ambiguous_comma(column)}
        and source_file not in (select source_file from decimal_comma_files)""",
    ]


def problems_query() -> str:
    """One row per problem in the incoming rows: file, line, column or field, reason, fatal.

    ``kept``, ``kept_national`` and ``kept_annex`` hold the raw rows that stay
    in the warehouse (files not being replaced), so a key that a new file
    repeats from an old one is caught too. Every copy of a duplicated key among
    incoming rows is a problem: which copy is right cannot be known.
    """
    columns = ", ".join(raw_layout.RAW_COLUMNS)
    key = key_expression()
    national_key = ", ".join(
        [normalised("flow_code"), "trim(year)", number_normalised("month"),
         normalised("nc8_code"), normalised("country_code")]
    )  # fmt: skip
    unions = "\n    union all\n    ".join(
        [
            f"select *, false as fatal from ({q}) as {_NAMES}"
            for q in _trade_checks() + _national_checks()
        ]
        + [f"select *, true as fatal from ({q}) as {_NAMES}" for q in _annex_checks()]
    )
    return f"""
    with {_reference_ctes()},
    {_key_ctes(columns, key, national_key)}
    {unions}
    """


def _trade_checks() -> list[str]:
    """Checks of the rows going to ``raw.customs_trade`` (regional and older layouts)."""
    declarations = f"'{raw_layout.DECLARATIONS.name}'"
    return [
        *_common_checks("incoming", TRADE_PERIOD),
        f"""select source_file, source_line, {published_column("department_code")},
        'unknown department code ' || {quoted("department_code")}
        || case when layout = 'regional'
            then ' (the regional file uses the codes of Departement_region.txt)' else '' end
    from incoming
    where coalesce({department_normalised()}, '') not in (
        select code from departments where is_customs_code or layout <> 'regional'
    )""",
        f"""select i.source_file, i.source_line, {published_column("region_code")},
        'region ' || {quoted("i.region_code")} || ' is not the DGDDI region of department '
        || {quoted("i.department_code")} || ' (' || d.customs_region_code
        || ' in Departement_region.txt)'
    from incoming as i
    inner join departments as d on d.code = {department_normalised("i.department_code")}
    where i.layout = 'regional' and coalesce(trim(i.region_code), '') <> d.customs_region_code""",
        f"""select source_file, source_line, {published_column("quarter")},
        'quarter ' || {quoted("quarter")} || ' is not a quarter (1 to 4)'
    from incoming
    where layout = 'regional'
        and not coalesce(regexp_full_match(trim(quarter), '0?[1-4]'), false)""",
        f"""select source_file, source_line, {published_column("cpf4_code")},
        'unknown CPF4 product code ' || {quoted("cpf4_code")}
    from incoming
    where layout = 'regional'
        and coalesce({normalised("cpf4_code")}, '') not in (select cpf4_code from cpf4)""",
        f"""select source_file, source_line, 'Mois',
        'month ' || {quoted("month")} || ' is not a month (1 to 12)'
    from incoming
    where layout = {declarations}
        and not coalesce(regexp_full_match(trim(month), '{MONTH}'), false)""",
        f"""select source_file, source_line, 'Numero de ligne',
        'line number ' || {quoted("line_number")} || ' is not a positive integer'
    from incoming
    where layout = {declarations}
        and not coalesce(regexp_full_match(trim(line_number), '{LINE_NUMBER}'), false)""",
        """select source_file, source_line, 'key',
        'duplicate key (' || case key_kind
            when 'declaration' then 'flow, year, month, department, product, country, line number'
            when 'regional' then 'flow, year, quarter, department, CPF4, country'
            else 'flow, year, department, product, country' end
        || '): ' || copies || ' copies, first at ' || seen_at
    from duplicated where is_new""",
    ]


def _national_checks() -> list[str]:
    """Checks of the rows going to ``raw.customs_national_trade``."""
    return [
        *_common_checks("incoming_national", NATIONAL_PERIOD),
        f"""select source_file, source_line, {published_column("month")},
        'month ' || {quoted("month")} || ' is not a month (01 to 12)'
    from incoming_national where not coalesce(regexp_full_match(trim(month), '{MONTH}'), false)""",
        """select source_file, source_line, 'key',
        'duplicate line (flow, year, month, NC8, country): ' || copies
        || ' copies, first at ' || seen_at
    from national_duplicated where is_new""",
    ]


def _annex_checks() -> list[str]:
    """Checks of the label annexes' rows: any problem refuses the load."""
    return [
        """select source_file, source_line, 'field 1 (code)', 'empty code in the '
        || annex || ' annex'
    from incoming_annex where coalesce(trim(code), '') = ''""",
        """select source_file, source_line, 'field 3 (valid_from)', 'validity '
        || coalesce(valid_from, 'NULL') || ' - ' || coalesce(valid_to, 'NULL')
        || ' is not two periods YYYYMM (or YYYY) in order'
    from incoming_annex
    where annex <> 'DEPARTEMENT' and not coalesce(
        regexp_full_match(trim(valid_from), '[0-9]{4}([0-9]{2})?')
        and regexp_full_match(trim(valid_to), '[0-9]{4}([0-9]{2})?')
        and trim(valid_from) <= trim(valid_to), false)""",
        """select source_file, source_line, 'field 3 (region_code)',
        'department ' || coalesce(code, 'NULL') || ' has no region code'
    from incoming_annex where annex = 'DEPARTEMENT' and coalesce(trim(region_code), '') = ''""",
        """select source_file, source_line, 'key', 'duplicate ' || annex
        || ' code and validity start: ' || copies || ' copies, first at ' || seen_at
    from annex_duplicated where is_new""",
    ]


def _reference_ctes() -> str:
    """The reference data the checks read: seeds, and the files that use decimal commas."""
    return f"""departments as (
        -- the customs' codes (9A...) and the warehouse's (971...): the older
        -- header-based layouts may write either, the regional file only the first
        select customs_department_code as code, customs_region_code, true as is_customs_code
        from read_csv($departments, all_varchar=true)
        union all
        select department_code, customs_region_code, false
        from read_csv($departments, all_varchar=true)
        where customs_department_code <> department_code
        union all select '{raw_layout.UNALLOCATED_DEPARTMENT}', null, false
    ),
    products as (select a129_code from read_csv($products, all_varchar=true)),
    cpf4 as (select cpf4_code from read_csv($cpf4, all_varchar=true)),
    decimal_comma_files as (
        -- files with a line whose comma can only be a decimal comma (see _convention_checks)
        select distinct source_file from (
            select source_file, value as number from incoming
            union all select source_file, mass_kg from incoming
            union all select source_file, value from incoming_national
            union all select source_file, mass_kg from incoming_national
        ) where {decimal_comma("number")}
    ),
    countries as (
        select country_code, cast(valid_from as integer) as valid_from,
            cast(valid_to as integer) as valid_to
        from read_csv($countries, all_varchar=true)
    )"""


def _key_ctes(columns: str, key: str, national_key: str) -> str:
    """Every row's key, incoming and kept, and the keys that repeat (see ``_duplicates``)."""
    return f"""keyed as (
        -- one key per row, as a single string: a hash aggregate over it spills to
        -- disk when memory is short, where a window over millions of rows cannot
        select concat_ws('|', {key}) as row_key, source_file, source_line, is_new,
            case when line_number is not null then 'declaration'
                when quarter is not null or cpf4_code is not null then 'regional'
                else 'yearly' end as key_kind
        from (
            select {columns}, source_file, source_line, true as is_new from incoming
            union all
            select {columns}, source_file, source_line, false from kept
        )
    ),
    duplicated as ({_duplicates("keyed", ("key_kind",))}),
    national_keyed as (
        select concat_ws('|', {national_key}) as row_key, source_file, source_line, is_new
        from (
            select {", ".join(raw_layout.NATIONAL_COLUMNS)}, source_file, source_line,
                true as is_new from incoming_national
            union all
            select {", ".join(raw_layout.NATIONAL_COLUMNS)}, source_file, source_line, false
            from kept_national
        )
    ),
    national_duplicated as ({_duplicates("national_keyed", ())}),
    annex_keyed as (
        select concat_ws('|', annex, upper(trim(code)), trim(valid_from)) as row_key, annex,
            source_file, source_line, is_new
        from (
            select annex, code, valid_from, source_file, source_line, true as is_new
            from incoming_annex
            union all
            select annex, code, valid_from, source_file, source_line, false from kept_annex
        )
    ),
    annex_duplicated as ({_duplicates("annex_keyed", ("annex",))})"""


#: The columns of every check, named once for the union.
_NAMES = "problem(source_file, source_line, column_name, reason)"


def _duplicates(keyed: str, carried: tuple[str, ...]) -> str:
    """The rows of ``keyed`` whose key repeats, each with the copies and where they are.

    ``seen_at`` names the first three copies (file and line), so that a trade
    arriving in two files, or in two layouts, is reported with both files
    whichever copy the message is about. Only the few duplicated rows are
    ordered; ``carried`` columns of ``keyed`` are kept for the message.
    """
    extra = "".join(f"k.{column}, " for column in carried)
    place = "k.source_file || ', line ' || k.source_line"
    window = ("over (partition by k.row_key order by k.source_file, k.source_line rows between "
              "unbounded preceding and unbounded following)")  # fmt: skip
    return f"""
        select k.row_key, {extra}k.source_file, k.source_line, k.is_new, d.copies,
            first_value({place}) {window}
            || coalesce(', then at ' || nth_value({place}, 2) {window}, '')
            || coalesce('; ' || nth_value({place}, 3) {window}, '')
            || case when d.copies > 3 then ' and ' || (d.copies - 3) || ' more' else '' end
            as seen_at
        from {keyed} as k
        inner join (
            select row_key, count(*) as copies from {keyed} group by row_key having count(*) > 1
        ) as d using (row_key)
    """


def find_problems(con: duckdb.DuckDBPyConnection) -> int:
    """Fill ``problems`` from the incoming and kept rows; return its size.

    The incoming rows are not committed yet, and DuckDB's optimizer counts
    only committed rows: it would take the millions of incoming rows for none
    and build its hash tables on them (the country check cost three times as
    much). Every check is written with the large side first, as the probe, so
    the optimizer is told not to swap the sides of a join while they run.
    """
    con.execute("set disabled_optimizers = 'build_side_probe_side'")
    con.execute(
        f"create or replace temp table problems as {problems_query()}",
        {name: str(SEEDS_DIR / file) for name, file in SEED_FILES.items()},
    )
    con.execute("reset disabled_optimizers")  # (after a failure the connection is closed)
    return int(con.execute("select count(*) from problems").fetchone()[0])
