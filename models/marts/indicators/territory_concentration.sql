-- How concentrated a territory's trade is: one row per territory, year and
-- flow with the Herfindahl-Hirschman index (sum of squared shares) across
-- partner countries and across A129 products, the number of each with trade,
-- the smallest number of the largest ones that make 80 % of the flow, and the
-- share of the largest one.
{{ config(**mart_by_year_config()) }}
{% set cumulative_share_threshold = 0.8 %}
{% set item_group = ['territory_level', 'territory_code', 'year', 'flow', 'item_type'] %}

with

items as (

    select
        territory_level,
        territory_code,
        territory_name,
        year,
        flow,
        item_type,
        item_code,
        value_eur
    from {{ ref('int_territory_trade_items') }}
    where value_eur > 0 {{ where_changed_years('year', 'and') }}

),

-- Items from the largest down, with the value of the larger items before each.
cumulated as (

    select
        territory_level,
        territory_code,
        territory_name,
        year,
        flow,
        item_type,
        value_eur,
        sum(value_eur) over (
            partition by {{ item_group | join(', ') }}
        ) as total_eur,
        sum(value_eur) over (
            partition by {{ item_group | join(', ') }}
            order by value_eur desc, item_code asc
            rows between unbounded preceding and current row
        ) - value_eur as larger_items_eur
    from items

),

by_item_type as (

    select
        territory_level,
        territory_code,
        territory_name,
        year,
        flow,
        item_type,
        max(total_eur) as total_eur,
        count(*) as item_count,
        sum(
            (cast(value_eur as double) / cast(total_eur as double))
            * (cast(value_eur as double) / cast(total_eur as double))
        ) as hhi,
        -- An item is needed to reach the threshold while the larger ones fall short of it.
        count(
            case
                when larger_items_eur < {{ cumulative_share_threshold }} * total_eur then 1
            end
        ) as items_for_threshold,
        cast(max(value_eur) as double) / cast(max(total_eur) as double) as top_item_share
    from cumulated
    group by territory_level, territory_code, territory_name, year, flow, item_type

),

final as (

    select
        territory_level,
        territory_code,
        territory_name,
        year,
        flow,
        cast(max(total_eur) as decimal(18, 2)) as flow_eur,
        cast(max(case when item_type = 'partner' then item_count end) as integer)
            as partner_count,
        cast(max(case when item_type = 'partner' then hhi end) as double) as partner_hhi,
        cast(max(case when item_type = 'partner' then items_for_threshold end) as integer)
            as partners_for_80_pct,
        cast(max(case when item_type = 'partner' then top_item_share end) as double)
            as top_partner_share,
        cast(max(case when item_type = 'product' then item_count end) as integer)
            as product_count,
        cast(max(case when item_type = 'product' then hhi end) as double) as product_hhi,
        cast(max(case when item_type = 'product' then items_for_threshold end) as integer)
            as products_for_80_pct,
        cast(max(case when item_type = 'product' then top_item_share end) as double)
            as top_product_share
    from by_item_type
    group by territory_level, territory_code, territory_name, year, flow

)

select
    territory_level,
    territory_code,
    territory_name,
    year,
    flow,
    flow_eur,
    partner_count,
    partner_hhi,
    partners_for_80_pct,
    top_partner_share,
    product_count,
    product_hhi,
    products_for_80_pct,
    top_product_share
from final
