-- The territory's products most exposed to the United States market: one row
-- per territory, year and A129 product exported to the US, with the value
-- sold there, the share of the product's exports it makes (the dependency),
-- and ranks by that share and by value. A territory that exports nothing to
-- the US has no row.
{{ config(**mart_by_year_config()) }}
{% set market_country_code = 'US' %}
{% set territory_year = ['territory_level', 'territory_code', 'year'] %}

with

exports as (

    select
        territory_level,
        territory_code,
        year,
        product_code,
        country_code,
        value_eur
    from {{ ref('int_territory_trade') }}
    where flow = 'export' {{ where_changed_years('year', 'and') }}

),

-- Labels and names as the product mart shows them (the A129 export rows).
product_labels as (

    select
        territory_level,
        territory_code,
        territory_name,
        year,
        item_code as product_code,
        item_label as product_label
    from {{ ref('int_territory_trade_items') }}
    where flow = 'export' and item_type = 'product' {{ where_changed_years('year', 'and') }}

),

by_product as (

    select
        territory_level,
        territory_code,
        year,
        product_code,
        sum(value_eur) as product_exports_eur,
        sum(
            case when country_code = '{{ market_country_code }}' then value_eur else 0 end
        ) as market_exports_eur
    from exports
    group by territory_level, territory_code, year, product_code

),

with_totals as (

    select
        territory_level,
        territory_code,
        year,
        product_code,
        product_exports_eur,
        market_exports_eur,
        sum(market_exports_eur) over (
            partition by {{ territory_year | join(', ') }}
        ) as territory_market_exports_eur,
        sum(product_exports_eur) over (
            partition by {{ territory_year | join(', ') }}
        ) as territory_exports_eur
    from by_product

),

exposed as (

    select
        territory_level,
        territory_code,
        year,
        product_code,
        product_exports_eur,
        market_exports_eur,
        territory_market_exports_eur,
        territory_exports_eur,
        cast(market_exports_eur as double)
        / cast(product_exports_eur as double) as market_share_of_product_exports
    from with_totals
    where market_exports_eur > 0

),

ranked as (

    select
        territory_level,
        territory_code,
        year,
        product_code,
        product_exports_eur,
        market_exports_eur,
        territory_market_exports_eur,
        territory_exports_eur,
        market_share_of_product_exports,
        row_number() over (
            partition by {{ territory_year | join(', ') }}
            order by
                market_share_of_product_exports desc, market_exports_eur desc, product_code asc
        ) as dependency_rank,
        {{ rank_by_value('market_exports_eur', 'product_code', territory_year) }} as value_rank
    from exposed

),

final as (

    select
        ranked.territory_level,
        ranked.territory_code,
        product_labels.territory_name,
        ranked.year,
        ranked.product_code,
        product_labels.product_label,
        cast(ranked.market_exports_eur as decimal(18, 2)) as us_exports_eur,
        cast(ranked.product_exports_eur as decimal(18, 2)) as product_exports_eur,
        cast(ranked.market_share_of_product_exports as double) as us_share_of_product_exports,
        cast(
            cast(ranked.market_exports_eur as double)
            / cast(ranked.territory_market_exports_eur as double) as double
        ) as share_of_territory_us_exports,
        cast(
            cast(ranked.market_exports_eur as double)
            / cast(ranked.territory_exports_eur as double) as double
        ) as share_of_territory_exports,
        cast(ranked.dependency_rank as integer) as dependency_rank,
        cast(ranked.value_rank as integer) as us_value_rank
    from ranked
    inner join product_labels
        on
            ranked.territory_level = product_labels.territory_level
            and ranked.territory_code = product_labels.territory_code
            and ranked.year = product_labels.year
            and ranked.product_code = product_labels.product_code

)

select
    territory_level,
    territory_code,
    territory_name,
    year,
    product_code,
    product_label,
    us_exports_eur,
    product_exports_eur,
    us_share_of_product_exports,
    share_of_territory_us_exports,
    share_of_territory_exports,
    dependency_rank,
    us_value_rank
from final
