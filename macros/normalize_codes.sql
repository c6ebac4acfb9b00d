{#
    Department codes as INSEE writes them: two characters with a leading zero
    ("1" -> "01"), Corsica upper case ("2a" -> "2A"), overseas on three digits.
#}
{% macro normalize_department_code(column) -%}
    case
        when length(trim({{ column }})) = 1 then '0' || trim({{ column }})
        else upper(trim({{ column }}))
    end
{%- endmacro %}

{#- Product and country codes: trimmed, upper case. -#}
{% macro normalize_code(column) -%}
    upper(trim({{ column }}))
{%- endmacro %}

{#
    A published number as an exact decimal: French files may write a decimal
    comma and group thousands with spaces ("1 234,567" -> 1234.567), plain,
    no-break (U+00A0) or narrow no-break (U+202F), as the raw checks accept
    (scripts/ingest/checks.py, decimal_text); an empty field (a mass or
    supplementary unit the customs leave blank) is null.
#}
{% macro parse_decimal(column) -%}
    cast(
        nullif(
            replace(
                replace(replace(replace(trim({{ column }}), ' ', ''), chr(160), ''), chr(8239), ''),
                ',', '.'
            ),
            ''
        )
        as decimal(18, 3)
    )
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
