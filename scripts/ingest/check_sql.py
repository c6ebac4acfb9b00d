"""The SQL pieces the row checks are written with: codes as staging normalises them, the
published column a problem names, numbers, months and periods.

Why apart from the checks: each piece is one rule of reading (a department
"1" is "01", "1 234,5" is 1234.5, a quarter's months), used by several checks
and by the tests that check them.
"""

from __future__ import annotations

from scripts import rules
from scripts.ingest import layout as raw_layout


def normalised(column: str) -> str:
    """SQL for a code as staging normalises it (the code rule of dbt_project.yml)."""
    return rules.code_sql(column)


def department_normalised(column: str = "department_code") -> str:
    """Department codes keep their leading zero: '1' and '01' are both Ain."""
    return rules.department_code_sql(column)


#: A non-negative number with at most three decimals, once spaces and commas are normalised.
NUMBER = "[0-9]+(\\.[0-9]{1,3})?"


def decimal_text(column: str) -> str:
    """SQL for a published number as plain digits and a point: '1 234,5' -> '1234.5'
    (the separators and decimal mark of the code rule in dbt_project.yml)."""
    return rules.decimal_text_sql(column)


def is_number(column: str) -> str:
    """SQL: the field is a non-negative number with at most 3 decimals once normalised
    (``NUMBER`` after ``decimal_text``); false when it is NULL.

    Why a CASE: plain digits, nearly every published value, are recognised on
    the field as it is, and only the others pay for the normalisation's four
    replacements (DuckDB evaluates a CASE's ``else`` for the rows that reach
    it: a fifth of the CPU on the regional file). Plain digits are unchanged by
    the normalisation and match ``NUMBER``, so the answer is the same.
    """
    normalised_number = f"regexp_full_match({decimal_text(column)}, '{NUMBER}')"
    return (f"case when regexp_full_match({column}, '[0-9]+') then true "
            f"else coalesce({normalised_number}, false) end")  # fmt: skip


#: A month as declaration files may write it: 1 to 12, with or without a leading zero.
MONTH = "0?[1-9]|1[0-2]"
#: A declaration line number: a positive integer.
LINE_NUMBER = "0*[1-9][0-9]*"


def number_normalised(column: str) -> str:
    """SQL for a published integer without leading zeros ('07' is '7'); other text trimmed."""
    return f"coalesce(cast(try_cast(trim({column}) as hugeint) as varchar), trim({column}))"


def key_expression() -> str:
    """The normalised key of a trade row: flow, year, department, product, country, month,
    line, quarter, CPF4.

    Month and line number are NULL for departmental rows, quarter and CPF4 for
    all but the regional layout, and ``concat_ws`` skips NULLs, so each layout
    keeps its own key: five codes for a yearly departmental value, seven for a
    declaration line, seven for a quarterly CPF4 value of the regional file.
    """
    return ", ".join(
        [normalised("flow_code"), "trim(year)", department_normalised(),
         normalised("product_code"), normalised("country_code"),
         number_normalised("month"), number_normalised("line_number"),
         "'q' || " + number_normalised("quarter"), normalised("cpf4_code")]
    )  # fmt: skip


def quoted(column: str) -> str:
    return f"coalesce('''' || {column} || '''', 'NULL')"


def published_column(raw: str) -> str:
    """SQL naming a raw column as the row's file names it: a header, or a field position."""
    cases = []
    for layout in (raw_layout.REGIONAL, raw_layout.NATIONAL):
        for fields in layout.field_lists():
            if raw in fields:
                name = raw_layout.layout_label(layout, fields)
                position = fields.index(raw) + 1
                cases.append(f"when layout = '{name}' then 'field {position} ({raw})'")
    legacy = raw_layout.DECLARATIONS.required.get(raw, (raw,))[0].replace("'", "''")
    return f"case {' '.join(cases)} else '{legacy}' end" if cases else f"'{legacy}'"


def _valid_integer(column: str, pattern: str) -> str:
    """SQL for a field as an integer when it matches ``pattern``, else NULL.

    Only a well-formed field is cast, so a year, quarter or month of twenty
    digits is reported by its own check instead of overflowing the arithmetic.
    """
    return (f"case when regexp_full_match(trim({column}), '{pattern}') "
            f"then cast(trim({column}) as integer) end")  # fmt: skip


def _period(month_start: str, month_end: str) -> tuple[str, str]:
    """First and last YYYYMM of a row's period, as integers (NULL when the year is bad).

    Columns are those of the row being checked, aliased ``t``.
    """
    year = _valid_integer("t.year", "(19|20)[0-9]{2}")
    return f"{year} * 100 + {month_start}", f"{year} * 100 + {month_end}"


#: Quarter and month of a row, as integers when they are valid ones.
_QUARTER = _valid_integer("t.quarter", "0?[1-4]")
_MONTH = _valid_integer("t.month", MONTH)
TRADE_PERIOD = _period(
    f"coalesce(({_QUARTER} - 1) * 3 + 1, {_MONTH}, 1)",
    f"coalesce({_QUARTER} * 3, {_MONTH}, 12)",
)
NATIONAL_PERIOD = _period(_MONTH, _MONTH)


def layouts_declaring(numbers: str | None) -> str:
    """SQL list of the layout names (as rows carry them) whose numbers follow ``numbers``."""
    names = [
        raw_layout.layout_label(layout, fields)
        for layout in raw_layout.FIXED_LAYOUTS
        if layout.numbers == numbers
        for fields in layout.field_lists()
    ]
    names += [layout.name for layout in raw_layout.LAYOUTS if layout.numbers == numbers]
    return ", ".join(f"'{name}'" for name in names)


def ambiguous_comma(column: str) -> str:
    """SQL: the value reads one way with a decimal comma, another with a thousands comma.

    "6,401" is 6.401 or 6401; "0,401", "12,5" or "1234,567" can only be decimals.
    """
    return f"coalesce(regexp_full_match(trim({column}), '[1-9][0-9]{{0,2}},[0-9]{{3}}'), false)"


def decimal_comma(column: str) -> str:
    """SQL: the value is a number written with a comma that can only mark its decimals."""
    # the plain test first: it spares the regular expressions nearly every row
    return (
        f"(contains({column}, ',') and coalesce(regexp_full_match("
        f"{decimal_text(column)}, '{NUMBER}') and not {ambiguous_comma(column)}, false))"
    )
