{% macro half_cent_if_fractional() %}
    {#-
        The rounding slack a reconciliation test may allow per rounded figure:
        half a cent when some raw euro value carries a fraction of a cent, and
        0 otherwise. Marts round each published figure once, to the cent, from
        its exact sum; the sum of rounded figures can then drift by half a cent
        a figure from a rounded total. The customs publish whole euros, so on
        their files (and on the sample) every reconciliation stays exact.
    -#}
    (
        select case when count(*) > 0 then 0.005 else 0 end
        from (
            select value_eur from {{ ref('stg_customs__trade_values') }}
            where value_eur <> round(value_eur, 2)
            union all
            select value_eur from {{ ref('stg_customs__national_trade') }}
            where value_eur <> round(value_eur, 2)
        ) as fractional_values
    )
{% endmacro %}
