{#
    Incremental models by year. The customs data changes a year at a time (a
    new year lands, a year's files are revised), and every figure of the
    models made incremental is computed within one year, so a build only has
    to recompute the years whose raw rows changed and can keep the others.

    Each such model keeps, on every row, the latest load time of the raw rows
    of its year. A year is rebuilt when the latest load time of its upstream
    rows differs from the model's copy, or when the model has no row for it
    yet: a new or revised file is loaded with a new load time, so its year is
    caught. Raw rows that disappear without a new load (a file deleted from
    the raw folder) leave no newer load time; scripts/run_pipeline.py runs a
    full refresh in that case, and whenever the dbt project itself changed.
#}

{#- The config of an incremental model by year: DuckDB deletes the changed
    years and inserts them again; Spark overwrites their partitions. -#}
{% macro incremental_by_year_config() -%}
    {%- if target.type == 'spark' -%}
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
    year_expression: the year as the upstream relation spells it (an integer
    expression); upstream_version: its load-time column; built_version: the
    load-time column of the model itself.
-#}
{% macro where_year_changed(upstream, year_expression, upstream_version, built_version) -%}
    {%- if is_incremental() %}
    where {{ year_expression }} in (
        select upstream_years.year
        from (
            select
                {{ year_expression }} as year,
                max({{ upstream_version }}) as loaded_at
            from {{ upstream }}
            group by {{ year_expression }}
        ) as upstream_years
        left join (
            select
                year,
                max({{ built_version }}) as loaded_at
            from {{ this }}
            group by year
        ) as built_years
            on upstream_years.year = built_years.year
        -- different, not only later: a clock set back must not hide a reload
        where
            built_years.loaded_at is null
            or upstream_years.loaded_at <> built_years.loaded_at
    )
    {%- endif %}
{%- endmacro %}
