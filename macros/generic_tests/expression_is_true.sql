{#
    Fails with every row for which the boolean SQL expression is not true
    (false or null), optionally restricted by a where condition.
#}
{% test expression_is_true(model, expression, condition='1 = 1') %}

select *
from {{ model }}
where ({{ condition }})
    and not coalesce({{ expression }}, false)

{% endtest %}
