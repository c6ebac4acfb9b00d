-- Revealed comparative advantage (Balassa index) of every territory with
-- exports for every A129 product France exports that year: the product's
-- share of the territory's exports divided by its share of France's exports
-- (France including trade allocated to no department). Above 1 the territory
-- is specialised in the product. Departments are ranked by it among
-- departments, regions among regions, for each product and year.
{{ config(**mart_by_year_config()) }}
{% set rca_group = ['territory_level', 'year', 'product_code'] %}

with

balances as (

    select
        territory_level,
        territory_code,
        territory_name,
        year,
        exports_eur
    from {{ ref('territory_trade_balance') }}
    where exports_eur > 0 {{ where_changed_years('year', 'and') }}

),

product_exports as (

    select
        territory_level,
        territory_code,
        year,
        item_code as product_code,
        item_label as product_label,
        value_eur
    from {{ ref('int_territory_trade_items') }}
    where flow = 'export' and item_type = 'product' {{ where_changed_years('year', 'and') }}

),

france_products as (

    select
        product_exports.year,
        product_exports.product_code,
        product_exports.product_label,
        product_exports.value_eur as france_exports_eur,
        balances.exports_eur as france_total_exports_eur
    from product_exports
    inner join balances
        on
            product_exports.territory_level = balances.territory_level
            and product_exports.territory_code = balances.territory_code
            and product_exports.year = balances.year
    where product_exports.territory_level = 'country' and product_exports.value_eur > 0

),

grid as (

    select
        balances.territory_level,
        balances.territory_code,
        balances.territory_name,
        balances.year,
        france_products.product_code,
        france_products.product_label,
        coalesce(product_exports.value_eur, 0) as exports_eur,
        balances.exports_eur as territory_exports_eur,
        france_products.france_exports_eur,
        france_products.france_total_exports_eur
    from balances
    inner join france_products on balances.year = france_products.year
    left join product_exports
        on
            balances.territory_level = product_exports.territory_level
            and balances.territory_code = product_exports.territory_code
            and balances.year = product_exports.year
            and france_products.product_code = product_exports.product_code

),

shares as (

    select
        territory_level,
        territory_code,
        territory_name,
        year,
        product_code,
        product_label,
        exports_eur,
        france_exports_eur,
        cast(exports_eur as double) / cast(territory_exports_eur as double) as share_of_exports,
        cast(france_exports_eur as double)
        / cast(france_total_exports_eur as double) as france_share_of_exports
    from grid

),

ranked as (

    select
        territory_level,
        territory_code,
        territory_name,
        year,
        product_code,
        product_label,
        exports_eur,
        france_exports_eur,
        share_of_exports,
        france_share_of_exports,
        share_of_exports / france_share_of_exports as rca,
        {{ rank_by_value(
            'share_of_exports / france_share_of_exports', 'territory_code', rca_group
        ) }} as rca_rank
    from shares

),

final as (

    select
        territory_level,
        territory_code,
        territory_name,
        year,
        product_code,
        product_label,
        cast(exports_eur as decimal(18, 2)) as exports_eur,
        cast(share_of_exports as double) as share_of_exports,
        cast(france_exports_eur as decimal(18, 2)) as france_exports_eur,
        cast(france_share_of_exports as double) as france_share_of_exports,
        cast(
            cast(exports_eur as double) / cast(france_exports_eur as double) as double
        ) as share_of_france_product_exports,
        cast(rca as double) as rca,
        rca > 1 as is_specialised,
        cast(case when territory_level <> 'country' then rca_rank end as integer) as rca_rank
    from ranked

)

select
    territory_level,
    territory_code,
    territory_name,
    year,
    product_code,
    product_label,
    exports_eur,
    share_of_exports,
    france_exports_eur,
    france_share_of_exports,
    share_of_france_product_exports,
    rca,
    is_specialised,
    rca_rank
from final
