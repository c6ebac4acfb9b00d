{#
    The few places where DuckDB and Spark SQL really differ. Models call dbt's
    cross-database macros (dbt.cast, dbt.type_string, ...) and the macros
    below; each one has a default (DuckDB) and a Spark implementation, picked
    by adapter.dispatch for the target the build runs on.
#}

{#-
    DuckDB's name for text. dbt's default answers "TEXT", an alias of the same
    DuckDB type; "varchar" keeps the compiled SQL as it was written before and
    in the lower case the linter asks for. On Spark dbt answers "string".
-#}
{% macro duckdb__type_string() -%}
    {{ return('varchar') }}
{%- endmacro %}

{#-
    Spark knows no varchar without a length and no "timestamp with time zone":
    the contracts in the .yml files spell types the DuckDB way, and dbt checks
    a contract by casting null to each declared type, so casts on Spark take
    the Spark name of the same type (string, timestamp; Spark's timestamp is
    an instant, like DuckDB's timestamptz). Other types are spelled alike.
-#}
{% macro spark_type_name(type) -%}
    {%- set spelled = type | trim | lower -%}
    {%- if spelled in ('varchar', 'text') -%}
        {{ return('string') }}
    {%- elif spelled in ('timestamp with time zone', 'timestamptz') -%}
        {{ return('timestamp') }}
    {%- else -%}
        {{ return(type) }}
    {%- endif -%}
{%- endmacro %}

{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ spark_type_name(type) }})
{%- endmacro %}

{#
    The values of a group joined into one string, in ascending order of the
    values themselves. dbt.listagg orders on DuckDB, but its Spark version
    ignores the order (rows would come in any order), so Spark sorts the
    collected list instead. Both sort strings by their bytes; nulls are skipped.
#}
{% macro sorted_listagg(measure, delimiter_text) -%}
    {{ return(adapter.dispatch('sorted_listagg')(measure, delimiter_text)) }}
{%- endmacro %}

{% macro default__sorted_listagg(measure, delimiter_text) -%}
    {{ dbt.listagg(measure, delimiter_text, 'order by ' ~ measure) }}
{%- endmacro %}

{% macro spark__sorted_listagg(measure, delimiter_text) -%}
    array_join(array_sort(collect_list({{ measure }})), {{ delimiter_text }})
{%- endmacro %}
