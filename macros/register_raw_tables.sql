{#
    Spark's raw layer: the customs source tables (models/staging/_sources.yml)
    as tables over Parquet files, one folder per table under `location`, read
    by Spark's own Parquet reader. scripts/pipeline/spark.py writes those folders
    from a DuckDB warehouse the loader has filled and validated, then runs

        dbt run-operation register_raw_tables --target spark --args "{location: <folder>}"

    `location` is any path the cluster reads (a local folder for the session
    method; s3://, abfss:// or dbfs:/ on a cluster). Re-running it points the
    tables at the files again (dropping such a table keeps its files).
    On DuckDB the loader writes the raw tables itself: nothing to register.
#}
{% macro register_raw_tables(location) %}
    {{ return(adapter.dispatch('register_raw_tables')(location)) }}
{% endmacro %}

{% macro default__register_raw_tables(location) %}
    {{ exceptions.raise_compiler_error(
        "register_raw_tables is for Spark targets: on " ~ target.type
        ~ " scripts/ingest/load.py writes the raw tables itself"
    ) }}
{% endmacro %}

{% macro spark__register_raw_tables(location) %}
    {%- set folder = location | string | trim -%}
    {%- if folder.endswith('/') -%}
        {%- set folder = folder[:-1] -%}
    {%- endif -%}
    {%- set sources = graph.sources.values()
        | selectattr('package_name', 'equalto', project_name)
        | selectattr('source_name', 'equalto', 'customs')
        | list -%}
    {%- for node in sources | sort(attribute='name') -%}
        {%- set relation = source(node.source_name, node.name) -%}
        {%- set table_location = folder ~ '/' ~ node.name -%}
        {%- do run_query('create schema if not exists ' ~ relation.schema) -%}
        {%- do run_query('drop table if exists ' ~ relation) -%}
        {%- do run_query(
            'create table ' ~ relation ~ ' using parquet location '
            ~ "'" ~ dbt.escape_single_quotes(table_location) ~ "'"
        ) -%}
        {%- set counted = run_query('select count(*) from ' ~ relation) -%}
        {{ log('registered ' ~ relation ~ ' (' ~ counted.columns[0].values()[0]
            ~ ' rows) over ' ~ table_location, info=true) }}
    {%- endfor -%}
{% endmacro %}
