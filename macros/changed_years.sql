{#
    The years a build of the main job changes.

    scripts/pipeline/build.py works out, from the raw layer before and after
    its load, which years' raw rows changed (new, revised or emptied years),
    adds the later years compared with them (up to var('five_year_lag') years
    on) and passes the list to dbt in TRADE_CHANGED_YEARS
    (scripts/pipeline/changed_years.py). Every other year's rows are those an
    earlier build computed and tested, from the same raw rows with the same
    project: a project change, a vanished year or a changed label annex makes
    the build set no list (a full refresh, or every year recomputed).

    Two things read the list: the marts and intermediate tables incremental by
    year recompute only these years (mart_by_year_config, where_changed_years),
    and the data tests that judge each row or each year alone, or compare
    figures within each year, read only these years (macros/tested_years.sql).
    Unset (a full refresh, dbt run by hand, CI, Spark), every year is computed
    and tested.

    The variable is read only when dbt executes, never while it parses: a
    value read at parse time is stored with the parse, and a new value would
    make dbt parse the files again at every build.
#}

{#- The listed years as integers, or none when no list is set or dbt is parsing. -#}
{% macro changed_years() -%}
    {%- if not execute -%}
        {%- do return(none) -%}
    {%- endif -%}
    {%- set listed = env_var('TRADE_CHANGED_YEARS', '') | trim -%}
    {%- if not listed -%}
        {%- do return(none) -%}
    {%- endif -%}
    {%- set years = [] -%}
    {%- for year in listed.split(',') -%}
        {%- if not (year | trim).isdigit() -%}
            {%- do exceptions.raise_compiler_error(
                "TRADE_CHANGED_YEARS must list years separated by commas, not '" ~ listed ~ "'") -%}
        {%- endif -%}
        {%- do years.append(year | trim | int) -%}
    {%- endfor -%}
    {%- do return(years) -%}
{%- endmacro %}

{#- The condition keeping the listed years of `column`, or '' with no list. -#}
{% macro changed_years_condition(column='year') -%}
    {%- set years = changed_years() -%}
    {%- do return(column ~ ' in (' ~ years | join(', ') ~ ')' if years else '') -%}
{%- endmacro %}

{#- The config of a model incremental by the listed years: on DuckDB that of
    the models incremental by year (macros/incremental_by_year.sql: the listed
    years are deleted and inserted again); on Spark a plain table. Named for
    the marts, it serves the intermediate tables read by them too
    (int_territory_trade_items, int_territory_flow_totals). A model is only
    made so when each year's rows are computed from that year and the years
    before it, up to var('five_year_lag'), and when it is large enough for the
    rows it skips to outweigh the incremental materialisation's own queries:
    the balances and the five-year evolution (a row per territory and year)
    stay plain tables. -#}
{% macro mart_by_year_config() -%}
    {%- if target.type == 'duckdb' and var('incremental_by_year', true) -%}
        {%- set config = incremental_by_year_config() -%}
        {#- delete+insert deletes only the years the new rows hold: a listed year
            that now gives no row (a year complete at the last build and partial
            now has no top movers) must lose its old rows all the same -#}
        {%- do config.update({'pre_hook': '{{ delete_changed_years() }}'}) -%}
        {{ return(config) }}
    {%- endif -%}
    {{ return({'materialized': 'table'}) }}
{%- endmacro %}

{#- The statement deleting the listed years of a mart built incrementally with
    a list, run before its new rows are inserted; nothing otherwise. -#}
{% macro delete_changed_years() -%}
    {%- set condition = changed_years_condition() -%}
    {%- if condition and is_incremental() -%}
        delete from {{ this }} where {{ condition }}
    {%- endif -%}
{%- endmacro %}

{#- A where clause (or, with keyword='and', a further condition) keeping the
    rows of the changed years, when a mart incremental by year is built
    incrementally with a list; nothing otherwise, so every year is computed.
    column: the year of the rows a mart writes (not a base year it reads). -#}
{% macro where_changed_years(column, keyword='where') -%}
    {%- set condition = changed_years_condition(column) -%}
    {%- if condition and is_incremental() -%}
        {{ keyword }} {{ condition }}
    {%- endif -%}
{%- endmacro %}
