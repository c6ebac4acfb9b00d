{#
    Fails with one row per key value that occurs more than once, so the grain
    a model promises is checked, not assumed. (The dbt hub is unreachable, so
    the project keeps its own generic tests.)
#}
{% test unique_combination(model, columns) %}

select
    {{ columns | join(', ') }},
    count(*) as occurrences
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1

{% endtest %}
