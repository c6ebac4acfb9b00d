{#
    A territory name after a French word that attaches to it (an article or a
    preposition from the name_articles seed): a space between them, none after
    an elided form ending in an apostrophe ("de l'" + "Ain"), and the bare
    name when there is no such word. chr(39) is the apostrophe, written so
    because Spark and DuckDB escape quotes in literals differently.
#}
{% macro name_with_prefix(prefix, name) -%}
    case
        when coalesce({{ prefix }}, '') = '' then {{ name }}
        when right({{ prefix }}, 1) = chr(39) then {{ prefix }} || {{ name }}
        else {{ prefix }} || ' ' || {{ name }}
    end
{%- endmacro %}
