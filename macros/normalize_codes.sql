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
