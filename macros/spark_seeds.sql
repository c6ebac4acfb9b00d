{#
    Seeds on Spark: dbt-spark's session method pastes each CSV value into its
    insert statement between quotes without escaping them, so a label such as
    "Produits de l'agriculture" breaks the statement, and an empty cell
    becomes the text 'None'. Here the values are written as SQL literals:
    empty cells are null, quotes and backslashes are escaped, and each value
    is cast to its column's type, as dbt-spark does.
#}
{% macro spark_seed_literal(value) -%}
    {%- if value is none -%}
        null
    {%- elif value is sameas true or value is sameas false -%}
        {{ 'true' if value else 'false' }}
    {%- elif value is number -%}
        {{ value }}
    {%- else -%}
        '{{ dbt.escape_single_quotes((value | string).replace('\\', '\\\\')) }}'
    {%- endif -%}
{%- endmacro %}

{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set column_types = [] -%}
    {%- for column_name in agate_table.column_names -%}
        {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
        {%- do column_types.append(column_override.get(column_name, inferred_type)) -%}
    {%- endfor -%}

    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                (
                {%- for value in row -%}
                    {{ dbt.cast(spark_seed_literal(value), column_types[loop.index0]) }}
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%}
                ){%- if not loop.last %},{% endif %}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- do statements.append(sql) -%}
    {%- endfor -%}

    {{ return(statements[0] if statements else '') }}
{% endmacro %}
