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
    comma and group thousands with spaces ("1 234,567" -> 1234.567).
#}
{% macro parse_decimal(column) -%}
    cast(
        replace(replace(replace(trim({{ column }}), ' ', ''), chr(160), ''), ',', '.')
        as decimal(18, 3)
    )
{%- endmacro %}
