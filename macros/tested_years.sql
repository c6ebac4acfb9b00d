{#
    Data tests limited to the years a build changed.

    An incremental build of the main job changes the rows of a few years only
    (macros/changed_years.sql: the list in TRADE_CHANGED_YEARS). Every other
    year's rows are those that passed every test at an earlier build, so the
    generic tests below that judge each row or each year alone, and the
    singular tests that compare figures within each year (the reconciliations
    of tests/dbt/, through tested_years_relation), read only the listed years.
    Tests whose rows may span years, and tests of seeds and sources, read
    everything. With no list (a full refresh, dbt run by hand, CI, Spark),
    every test reads every year.

    dbt calls get_where_subquery on the relation of every generic test; this
    project's version adds the years to the test's own `where` config.
#}
{% macro get_where_subquery(relation) -%}
    {%- set conditions = [] -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- do conditions.append(where) -%}
    {%- endif -%}
    {%- set years = tested_years_condition() -%}
    {%- if years -%}
        {%- do conditions.append(years) -%}
    {%- endif -%}
    {%- if conditions -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ conditions | join(' and ')
            ~ ') dbt_subquery') -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}

{#
    The condition keeping the changed years, or '' when this test must read
    every row: no year list given, a test of a seed or a source, a model with
    no year column, or a test whose rows may span years (a key without the
    year, a rank partition without it, a singular test).
#}
{% macro tested_years_condition() -%}
    {%- set condition = changed_years_condition() -%}
    {%- if not condition -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- set attached = model.get('attached_node') or '' -%}
    {%- set parent = graph.nodes.get(attached) if attached.startswith('model.') else none -%}
    {%- if parent is none or 'year' not in parent.columns -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- set metadata = model.get('test_metadata') or {} -%}
    {%- set name = metadata.get('name', '') -%}
    {%- set kwargs = metadata.get('kwargs', {}) -%}
    {%- set per_row = ['not_null', 'accepted_values', 'value_between', 'expression_is_true',
        'relationships'] -%}
    {%- set per_year = name in per_row
        or (name == 'unique' and kwargs.get('column_name') == 'year')
        or (name == 'unique_combination' and 'year' in kwargs.get('columns', []))
        or (name == 'gapless_unique_ranks' and 'year' in kwargs.get('partition_by', [])) -%}
    {%- if not per_year -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- do return(condition) -%}
{%- endmacro %}

{#
    A relation for a singular test that compares figures within each year (a
    reconciliation): the relation itself, or with a list of changed years a
    subquery of its rows of those years, under the relation's name or `alias`.
    The same reasoning as for the generic tests above: the other years' rows
    are unchanged since they passed. Only for relations with a year column.
#}
{% macro tested_years_relation(relation, alias=none) -%}
    {%- set condition = changed_years_condition() -%}
    {%- if not condition -%}
        {{ relation }}{{ ' as ' ~ alias if alias else '' }}
    {%- else -%}
        (select * from {{ relation }} where {{ condition }}) as {{ alias or relation.identifier }}
    {%- endif -%}
{%- endmacro %}
