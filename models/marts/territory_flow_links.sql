-- The flow diagrams of the fiche, as tables: for each territory, year and
-- flow, the top N products by value and the top N partner countries; every
-- other product and country is grouped as "Autres" on its side, so the cells
-- sum exactly to the territory's total for that flow. The largest links
-- between a named product and a named country are flagged. Exports read
-- product -> country, imports country -> product (source and target columns).
{% set territory_flow = ['territory_level', 'territory_code', 'year', 'flow'] %}
{% set top_n = var('flow_top_n') %}
{% set other_code = var('other_bucket_code') %}
{% set other_label = var('other_bucket_label') %}

with

territory_trade as (

    select
        territory_level,
        territory_code,
        year,
        flow,
        product_code,
        country_code,
        value_eur
    from {{ ref('int_territory_trade') }}

),

territories as (

    select
        territory_level,
        territory_code,
        territory_name
    from {{ ref('int_territories') }}

),

products as (

    select
        a129_code,
        a129_label
    from {{ ref('int_products_a129') }}

),

countries as (

    select
        country_code,
        country_name
    from {{ ref('stg_reference__countries') }}

),

product_ranks as (

    select
        territory_level,
        territory_code,
        year,
        flow,
        product_code,
        {{ rank_by_value('sum(value_eur)', 'product_code', territory_flow) }} as product_rank
    from territory_trade
    group by territory_level, territory_code, year, flow, product_code

),

country_ranks as (

    select
        territory_level,
        territory_code,
        year,
        flow,
        country_code,
        {{ rank_by_value('sum(value_eur)', 'country_code', territory_flow) }} as country_rank
    from territory_trade
    group by territory_level, territory_code, year, flow, country_code

),

bucketed as (

    select
        territory_trade.territory_level,
        territory_trade.territory_code,
        territory_trade.year,
        territory_trade.flow,
        case
            when product_ranks.product_rank <= {{ top_n }} then territory_trade.product_code
            else '{{ other_code }}'
        end as product_code,
        case
            when product_ranks.product_rank <= {{ top_n }} then product_ranks.product_rank
        end as product_rank,
        case
            when country_ranks.country_rank <= {{ top_n }} then territory_trade.country_code
            else '{{ other_code }}'
        end as country_code,
        case
            when country_ranks.country_rank <= {{ top_n }} then country_ranks.country_rank
        end as country_rank,
        territory_trade.value_eur
    from territory_trade
    inner join product_ranks
        on
            territory_trade.territory_level = product_ranks.territory_level
            and territory_trade.territory_code = product_ranks.territory_code
            and territory_trade.year = product_ranks.year
            and territory_trade.flow = product_ranks.flow
            and territory_trade.product_code = product_ranks.product_code
    inner join country_ranks
        on
            territory_trade.territory_level = country_ranks.territory_level
            and territory_trade.territory_code = country_ranks.territory_code
            and territory_trade.year = country_ranks.year
            and territory_trade.flow = country_ranks.flow
            and territory_trade.country_code = country_ranks.country_code

),

links as (

    select
        territory_level,
        territory_code,
        year,
        flow,
        product_code,
        product_rank,
        country_code,
        country_rank,
        sum(value_eur) as value_eur,
        product_rank is not null and country_rank is not null
        and sum(value_eur) > 0 as is_named_link
    from bucketed
    group by
        territory_level,
        territory_code,
        year,
        flow,
        product_code,
        product_rank,
        country_code,
        country_rank

),

ranked_links as (

    select
        territory_level,
        territory_code,
        year,
        flow,
        product_code,
        product_rank,
        country_code,
        country_rank,
        value_eur,
        cast(value_eur as double) / nullif(cast(sum(value_eur) over (
            partition by {{ territory_flow | join(', ') }}
        ) as double), 0) as share_of_flow,
        case
            when is_named_link
                then row_number() over (
                        partition by {{ territory_flow | join(', ') }}, is_named_link
                        order by value_eur desc, product_code asc, country_code asc
                    )
        end as link_rank
    from links

),

final as (

    select
        ranked_links.territory_level,
        ranked_links.territory_code,
        territories.territory_name,
        ranked_links.year,
        ranked_links.flow,
        ranked_links.product_code,
        coalesce(products.a129_label, '{{ other_label }}') as product_label,
        cast(ranked_links.product_rank as integer) as product_rank,
        ranked_links.country_code,
        coalesce(countries.country_name, '{{ other_label }}') as country_name,
        cast(ranked_links.country_rank as integer) as country_rank,
        case
            when ranked_links.flow = 'export'
                then coalesce(products.a129_label, '{{ other_label }}')
            else coalesce(countries.country_name, '{{ other_label }}')
        end as source_label,
        case
            when ranked_links.flow = 'export'
                then coalesce(countries.country_name, '{{ other_label }}')
            else coalesce(products.a129_label, '{{ other_label }}')
        end as target_label,
        cast(ranked_links.value_eur as decimal(18, 2)) as value_eur,
        cast(ranked_links.share_of_flow as double) as share_of_flow,
        cast(ranked_links.link_rank as integer) as link_rank,
        coalesce(ranked_links.link_rank <= {{ var('flow_top_links') }}, false) as is_top_link
    from ranked_links
    inner join territories
        on
            ranked_links.territory_level = territories.territory_level
            and ranked_links.territory_code = territories.territory_code
    left join products on ranked_links.product_code = products.a129_code
    left join countries on ranked_links.country_code = countries.country_code

)

select
    territory_level,
    territory_code,
    territory_name,
    year,
    flow,
    product_code,
    product_label,
    product_rank,
    country_code,
    country_name,
    country_rank,
    source_label,
    target_label,
    value_eur,
    share_of_flow,
    link_rank,
    is_top_link
from final
