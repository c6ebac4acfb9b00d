{#
    Incremental models by year. The customs data changes a year at a time (a
    new year lands, a year's files are revised), and every figure of the
    models made incremental is computed within one year, so a build only has
    to recompute the years whose raw rows changed and can keep the others.

    Each such model keeps, on every row, the latest load time and the count
    of the raw rows of its year. A year is rebuilt when the latest load time of its upstream
    rows differs from the model's copy, or when the model has no row for it
    yet: a new or revised file is loaded with a new load time, so its year is
    caught, and so is a year that lost rows. A year that disappears from the
    raw rows altogether is never selected; scripts/pipeline/state.py runs a full
    refresh in that case, when raw files vanished, when the raw layer changed
    outside the main job, and whenever the dbt project itself changed.
#}

{#- The config of an incremental model by year: DuckDB deletes the changed
    years and inserts them again; Spark overwrites their partitions. -#}
{% macro incremental_by_year_config() -%}
    {#- var incremental_by_year: false builds plain tables (for engines that
        refuse both strategies, such as a Databricks SQL warehouse endpoint) -#}
    {%- if not var('incremental_by_year', true) -%}
        {{ return({'materialized': 'table'}) }}
    {%- elif target.type == 'spark' -%}
        {{ return({
            'materialized': 'incremental',
            'incremental_strategy': 'insert_overwrite',
            'partition_by': ['year'],
            'on_schema_change': 'fail',
        }) }}
    {%- else -%}
        {{ return({
            'materialized': 'incremental',
            'incremental_strategy': 'delete+insert',
            'unique_key': 'year',
            'on_schema_change': 'fail',
        }) }}
    {%- endif -%}
{%- endmacro %}

{#-
    A where clause keeping the years to rebuild, or nothing on a full build.
    A year's signature is the latest load time and the number of raw rows of
    the year; a year is rebuilt when either differs from the model's copy
    (a revised file that only drops rows of a year changes the count).
    year_expression: the year as the upstream relation spells it (an integer
    expression); upstream_version / upstream_rows: aggregates giving the
    upstream signature; built_version / built_rows: the model's own.
-#}
{% macro where_year_changed(
    upstream, year_expression, upstream_version, upstream_rows, built_version, built_rows
) -%}
    {%- if is_incremental() %}
    where {{ year_expression }} in (
        select upstream_years.year
        from (
            select
                {{ year_expression }} as year,
                {{ upstream_version }} as loaded_at,
                {{ upstream_rows }} as raw_rows
            from {{ upstream }}
            group by {{ year_expression }}
        ) as upstream_years
        left join (
            select
                year,
                {{ built_version }} as loaded_at,
                {{ built_rows }} as raw_rows
            from {{ this }}
            group by year
        ) as built_years
            on upstream_years.year = built_years.year
        -- different, not only later: a clock set back must not hide a reload
        where
            built_years.loaded_at is null
            or upstream_years.loaded_at <> built_years.loaded_at
            or upstream_years.raw_rows <> built_years.raw_rows
    )
    {%- endif %}
{%- endmacro %}

{#- The where clause of a staging model of a raw trade table: the raw rows'
    year is text, and the model keeps each row's load time. -#}
{% macro where_raw_year_changed(raw_relation) -%}
    {{ return(where_year_changed(
        upstream=raw_relation,
        year_expression='cast(trim(year) as integer)',
        upstream_version='max(loaded_at)',
        upstream_rows='count(*)',
        built_version='max(loaded_at)',
        built_rows='count(*)',
    )) }}
{%- endmacro %}

{#- The rows a year's signature counts in a model computed from both trade
    stagings: the year and load time of every departmental and national row. -#}
{% macro trade_year_rows(departmental, national) -%}
    select
        year,
        loaded_at
    from {{ departmental }}
    union all
    select
        year,
        loaded_at
    from {{ national }}
{%- endmacro %}

{#- The where clause of a model computed from both trade stagings, departmental
    and national: a year's signature counts the rows of both, and the model
    keeps it in source_loaded_at and source_row_count. -#}
{% macro where_trade_year_changed() -%}
    {%- set upstream_rows -%}
    (
        {{ trade_year_rows(ref('stg_customs__trade_values'), ref('stg_customs__national_trade')) }}
    ) as upstream_rows
    {%- endset -%}
    {{ return(where_year_changed(
        upstream=upstream_rows,
        year_expression='year',
        upstream_version='max(loaded_at)',
        upstream_rows='count(*)',
        built_version='max(source_loaded_at)',
        built_rows='max(source_row_count)',
    )) }}
{%- endmacro %}

{#- The signature each such model keeps, per year, from the CTEs holding the
    rows it read (the year's rows of both stagings, before any filter). -#}
{% macro trade_year_signatures(departmental, national) -%}
    select
        year,
        max(loaded_at) as source_loaded_at,
        count(*) as source_row_count
    from (
        {{ trade_year_rows(departmental, national) }}
    ) as year_rows
    group by year
{%- endmacro %}
