-- The items a territory's trade is made of, in one shape for the indicator
-- marts: one row per territory, year, flow and item, an item being an A129
-- product (the A129 rows of territory_product_trade) or a partner country
-- (territory_partner_trade, one row per flow the partner trades in). Values,
-- labels and territory names are the marts' own, so an indicator that reads
-- its items here agrees to the cent with the product and partner pages.
-- Incremental by year: a year's items are read from that year's mart rows.
{{ config(**mart_by_year_config()) }}

with

products as (

    select
        territory_level,
        territory_code,
        territory_name,
        year,
        flow,
        product_code,
        product_label,
        value_eur
    from {{ ref('territory_product_trade') }}
    where product_level = 'a129' {{ where_changed_years('year', 'and') }}

),

partners as (

    select
        territory_level,
        territory_code,
        territory_name,
        year,
        country_code,
        country_name,
        exports_eur,
        imports_eur
    from {{ ref('territory_partner_trade') }}
    {{ where_changed_years('year') }}

),

flows as (

    select 'export' as flow
    union all
    select 'import' as flow

),

-- the partner mart holds both flows on one row: one row per flow here
partner_flows as (

    select
        partners.territory_level,
        partners.territory_code,
        partners.territory_name,
        partners.year,
        flows.flow,
        partners.country_code,
        partners.country_name,
        case
            when flows.flow = 'export' then partners.exports_eur else partners.imports_eur
        end as value_eur
    from partners
    cross join flows

),

final as (

    select
        territory_level,
        territory_code,
        territory_name,
        year,
        flow,
        'product' as item_type,
        product_code as item_code,
        product_label as item_label,
        value_eur
    from products
    union all
    select
        territory_level,
        territory_code,
        territory_name,
        year,
        flow,
        'partner' as item_type,
        country_code as item_code,
        country_name as item_label,
        value_eur
    from partner_flows
    -- a zero is a flow the partner does not trade in: no item
    where value_eur <> 0

)

select * from final
