{#
    Within each partition the ranks must be exactly 1, 2, ..., n for n rows:
    unique (ties are broken, never shared) and without gaps. Fails with each
    partition where that does not hold.
#}
{% test gapless_unique_ranks(model, column_name, partition_by) %}

select
    {{ partition_by | join(', ') }},
    count(*) as ranked_rows,
    count(distinct {{ column_name }}) as distinct_ranks,
    min({{ column_name }}) as first_rank,
    max({{ column_name }}) as last_rank
from {{ model }}
where {{ column_name }} is not null
group by {{ partition_by | join(', ') }}
having count(distinct {{ column_name }}) <> count(*)
    or min({{ column_name }}) <> 1
    or max({{ column_name }}) <> count(*)

{% endtest %}
