-- The flow diagrams of the fiche, as tables: for each territory, year and
-- flow, the top N products and the top N partner countries, the rest grouped
-- as "Autres" on its side so the cells sum exactly to the territory's total
-- for that flow (computed in int_territory_flow_links). This mart adds the
-- labels, reads each link in the direction of the diagram (exports product
-- -> country, imports country -> product) and flags the largest links. The
-- partner codes that are not countries form one node, HORS_PAYS, labelled by
-- the var special_partner_label; each value, exact until here, is rounded
-- once to the cent.
{{ config(**mart_by_year_config()) }}
{% set other_label = var('other_bucket_label') %}
{% set country_label -%}
    case
        when flow_links.country_code = '{{ var("special_partner_code") }}'
            then '{{ var("special_partner_label") }}'
        else coalesce(flow_links.country_name, '{{ other_label }}')
    end
{%- endset %}

with

flow_links as (

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
        share_of_flow,
        link_rank
    from {{ ref('int_territory_flow_links') }}
    {{ where_changed_years('year') }}

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

final as (

    select
        flow_links.territory_level,
        flow_links.territory_code,
        territories.territory_name,
        flow_links.year,
        flow_links.flow,
        flow_links.product_code,
        coalesce(products.a129_label, '{{ other_label }}') as product_label,
        flow_links.product_rank,
        flow_links.country_code,
        {{ country_label }} as country_name,
        flow_links.country_rank,
        case
            when flow_links.flow = 'export'
                then coalesce(products.a129_label, '{{ other_label }}')
            else {{ country_label | indent(12) }}
        end as source_label,
        case
            when flow_links.flow = 'export'
                then {{ country_label | indent(12) }}
            else coalesce(products.a129_label, '{{ other_label }}')
        end as target_label,
        cast(flow_links.value_eur as decimal(18, 2)) as value_eur,
        flow_links.share_of_flow,
        flow_links.link_rank,
        coalesce(flow_links.link_rank <= {{ var('flow_top_links') }}, false) as is_top_link
    from flow_links
    inner join territories
        on
            flow_links.territory_level = territories.territory_level
            and flow_links.territory_code = territories.territory_code
    left join products on flow_links.product_code = products.a129_code

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
