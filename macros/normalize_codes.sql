{#
    How codes and numbers are read: the rule is var('code_rules') in
    dbt_project.yml, which the loader's checks read too (scripts/rules.py
    writes the same SQL in Python; tests/test_code_rules.py runs both on the
    same edge codes).
#}

{#- Product and country codes: trimmed, in the rule's case (upper). -#}
{% macro normalize_code(column) -%}
    {{ var('code_rules')['code_case'] }}(trim({{ column }}))
{%- endmacro %}

{#
    Department codes as INSEE writes them: a code of digits shorter than the
    rule's width gets leading zeros ("1" -> "01"), the rest is only
    normalised like any code (Corsica "2a" -> "2A", overseas "971" as is).
    translate and lpad, not a regular expression: the same SQL runs on Spark.
#}
{% macro normalize_department_code(column) -%}
    {%- set code = normalize_code(column) -%}
    {%- set width = var('code_rules')['department_code_width'] -%}
    case
        when length({{ code }}) between 1 and {{ width - 1 }}
            and translate({{ code }}, '0123456789', '') = ''
            then lpad({{ code }}, {{ width }}, '0')
        else {{ code }}
    end
{%- endmacro %}

{#
    A published number as text of plain digits and a point: the rule's digit
    group separators dropped (French files group thousands with a space, a
    no-break or a narrow no-break one) and its decimal mark made a point
    ("1 234,567" -> "1234.567").
#}
{% macro decimal_text(column) -%}
    {%- set rules = var('code_rules') -%}
    {%- set ns = namespace(text='trim(' ~ column ~ ')') -%}
    {%- for separator in rules['digit_group_separators'] -%}
        {%- set ns.text = "replace(" ~ ns.text ~ ", chr(" ~ separator ~ "), '')" -%}
    {%- endfor -%}
    replace({{ ns.text }}, '{{ rules['decimal_mark'] }}', '.')
{%- endmacro %}

{#
    A published number as an exact decimal (decimal_text above); an empty
    field (a mass or supplementary unit the customs leave blank) is null.
    Text holding none of the characters decimal_text changes (no space, so
    trim changes nothing either) is already what it would return: it is cast
    as it is, and only the rest goes through the chain of replace calls,
    which cost two thirds of the trade staging's CPU when every value went
    through it (measured on the 5-year sample: 5.0 CPU seconds for value and
    mass against 1.6 with this test first). The decimal mark is matched as a
    literal character of a LIKE pattern (a comma; never % or _).
#}
{% macro parse_decimal(column) -%}
    {%- set rules = var('code_rules') -%}
    cast(nullif(
        case
            when
                {%- for separator in rules['digit_group_separators'] %}
                {{ column }} like concat('%', chr({{ separator }}), '%') or
                {%- endfor %}
                {{ column }} like '%{{ rules['decimal_mark'] }}%'
                then {{ decimal_text(column) }}
            else {{ column }}
        end,
        ''
    ) as decimal(18, 3))
{%- endmacro %}

{#
    The warehouse's department code for a department code as published. The
    customs' regional file writes the overseas departments 9A to 9E (INSEE
    971 to 974 and 976), Corsica as one code 20 and Monaco as 99; the
    departments seed (built from the customs' Departement_region.txt by
    scripts/reference/seeds.py) holds the mapping, and this macro turns
    it into a CASE when the model runs, so the rule lives in the seed alone
    and the loader's checks read the same seed. A model using it declares
    `-- depends_on: {{ ref('departments') }}`. Codes already in the
    warehouse's form (971, as older header-based files write them) pass
    through unchanged.
#}
{% macro department_code_from_customs(column) -%}
    {%- set code = normalize_department_code(column) -%}
    {%- if execute -%}
        {%- set mapping = run_query(
            'select customs_department_code, department_code from ' ~ ref('departments')
            ~ ' where customs_department_code <> department_code order by 1'
        ) -%}
        {%- if mapping.rows | length > 0 -%}
    case {{ code }}
        {%- for row in mapping.rows %}
        when '{{ row[0] }}' then '{{ row[1] }}'
        {%- endfor %}
        else {{ code }}
    end
        {%- else -%}
    {{ code }}
        {%- endif -%}
    {%- else -%}
    {{ code }}
    {%- endif -%}
{%- endmacro %}

{#
    A validity bound of the customs annexes as a YYYYMM integer: the period
    annexes write YYYYMM, the NC8 annex a year alone (YYYY, 9999 = current),
    taken as its first month for a start and its last for an end.
#}
{% macro annex_period(column, bound) -%}
    case
        when length(trim({{ column }})) = 4 and trim({{ column }}) = '9999' then 999912
        when length(trim({{ column }})) = 4
            then cast(trim({{ column }}) as integer) * 100 + {{ 1 if bound == 'start' else 12 }}
        else cast(trim({{ column }}) as integer)
    end
{%- endmacro %}
