{#
    Rank of a row by a value, largest first, within a partition: 1, 2, 3 ...
    with ties broken by the code so that ranks are unique and reproducible.
    Rows whose value is zero get no rank: a partner that buys nothing is not
    the 30th customer.
#}
{% macro rank_by_value(value, tie_breaker, partition_by) -%}
    case
        when {{ value }} > 0
            then row_number() over (
                partition by {{ partition_by | join(', ') }}
                order by {{ value }} desc, {{ tie_breaker }}
            )
    end
{%- endmacro %}
