-- The numbers of the flow diagrams: for each territory, year and flow, the
-- top N products by value and the top N partner countries; every other
-- product and country is grouped as "Autres" on its side, and the partner
-- codes that are not countries (country_group 'special' in the countries
-- seed: not determined, secret, stores...) form one node of their own on the
-- country side, never ranked, so the cells sum exactly to the territory's
-- total for that flow. Cells of zero value are left out (no empty node).
-- Links between a named product and a named country are ranked. Labels are
-- joined in the mart territory_flow_links, so that this model, incremental
-- by year (see macros/incremental_by_year.sql), holds no label a new label
-- file could change.
{{ config(**incremental_by_year_config()) }}
{% set territory_flow = ['territory_level', 'territory_code', 'year', 'flow'] %}
{% set top_n = var('flow_top_n') %}
{% set other_code = var('other_bucket_code') %}
{% set special_code = var('special_partner_code') %}

with

territory_trade as (

    select
        territory_level,
        territory_code,
        year,
        flow,
        product_code,
        country_code,
        value_eur,
        source_loaded_at,
        source_row_count
    from {{ ref('int_territory_trade') }}
    {{ where_year_changed(
        upstream=ref('int_territory_trade'),
        year_expression='year',
        upstream_version='max(source_loaded_at)',
        upstream_rows='max(source_row_count)',
        built_version='max(source_loaded_at)',
        built_rows='max(source_row_count)',
    ) }}

),

countries as (

    select
        year,
        country_code,
        country_group,
        country_name
    from {{ ref('int_countries_by_year') }}

),

-- Each cell with whether its partner code is a country (a code with no
-- meaning in the year, which the loader refuses, would count as a country).
classified as (

    select
        territory_trade.territory_level,
        territory_trade.territory_code,
        territory_trade.year,
        territory_trade.flow,
        territory_trade.product_code,
        territory_trade.country_code,
        countries.country_name,
        coalesce(countries.country_group, 'country') = 'country' as is_country,
        territory_trade.value_eur
    from territory_trade
    left join countries
        on
            territory_trade.country_code = countries.country_code
            and territory_trade.year = countries.year
    where territory_trade.value_eur <> 0

),

-- Read from the model, not from territory_trade: the incremental filter keeps
-- whole years and final keeps only the years read, so each year's signature
-- is the same; read once, territory_trade is not materialised as a copy of
-- its 3.8 million rows on the 5-year sample (0.7 CPU s less, measured).
year_versions as (

    select
        year,
        max(source_loaded_at) as source_loaded_at,
        max(source_row_count) as source_row_count
    from {{ ref('int_territory_trade') }}
    group by year

),

product_ranks as (

    select
        territory_level,
        territory_code,
        year,
        flow,
        product_code,
        {{ rank_by_value('sum(value_eur)', 'product_code', territory_flow) }} as product_rank
    from classified
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
    from classified
    where is_country
    group by territory_level, territory_code, year, flow, country_code

),

bucketed as (

    select
        classified.territory_level,
        classified.territory_code,
        classified.year,
        classified.flow,
        case
            when product_ranks.product_rank <= {{ top_n }} then classified.product_code
            else '{{ other_code }}'
        end as product_code,
        case
            when product_ranks.product_rank <= {{ top_n }} then product_ranks.product_rank
        end as product_rank,
        case
            when not classified.is_country then '{{ special_code }}'
            when country_ranks.country_rank <= {{ top_n }} then classified.country_code
            else '{{ other_code }}'
        end as country_code,
        case
            when country_ranks.country_rank <= {{ top_n }} then country_ranks.country_rank
        end as country_rank,
        case
            when country_ranks.country_rank <= {{ top_n }} then classified.country_name
        end as country_name,
        classified.value_eur
    from classified
    inner join product_ranks
        on
            classified.territory_level = product_ranks.territory_level
            and classified.territory_code = product_ranks.territory_code
            and classified.year = product_ranks.year
            and classified.flow = product_ranks.flow
            and classified.product_code = product_ranks.product_code
    left join country_ranks
        on
            classified.territory_level = country_ranks.territory_level
            and classified.territory_code = country_ranks.territory_code
            and classified.year = country_ranks.year
            and classified.flow = country_ranks.flow
            and classified.country_code = country_ranks.country_code

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
        country_name,
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
        country_rank,
        country_name
    having sum(value_eur) <> 0

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
        country_name,
        value_eur,
        cast(value_eur as double) / nullif(cast(sum(value_eur) over (
            partition by {{ territory_flow | join(', ') }}
        ) as double), 0) as share_of_flow,
        -- named links only, largest first; equal values by product code, then
        -- country code (both unique in a diagram, so the order is total)
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
        ranked_links.year,
        ranked_links.flow,
        ranked_links.product_code,
        cast(ranked_links.product_rank as integer) as product_rank,
        ranked_links.country_code,
        cast(ranked_links.country_rank as integer) as country_rank,
        ranked_links.country_name,
        cast(ranked_links.value_eur as decimal(18, 3)) as value_eur,
        cast(ranked_links.share_of_flow as double) as share_of_flow,
        cast(ranked_links.link_rank as integer) as link_rank,
        year_versions.source_loaded_at,
        year_versions.source_row_count
    from ranked_links
    inner join year_versions on ranked_links.year = year_versions.year

)

select * from final
