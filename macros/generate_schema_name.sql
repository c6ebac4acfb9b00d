{#
    Analysts and BI tools see plain schema names (raw, reference, staging,
    intermediate, marts) instead of dbt's default "main_marts" prefixing.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
