-- int_territory_trade_items adds up, for each territory, year and flow, to
-- the A129 rows of the product mart and to the partner mart (its exports or
-- imports column, partners with a zero there left out), with as many items
-- as those rows: every total or count that differs is returned.
with

items as (

    select
        territory_level,
        territory_code,
        year,
        flow,
        item_type,
        sum(value_eur) as value_eur,
        count(*) as item_count
    from {{ tested_years_relation(ref('int_territory_trade_items')) }}
    group by territory_level, territory_code, year, flow, item_type

),

products as (

    select
        territory_level,
        territory_code,
        year,
        flow,
        'product' as item_type,
        sum(value_eur) as value_eur,
        count(*) as item_count
    from {{ tested_years_relation(ref('territory_product_trade')) }}
    where product_level = 'a129'
    group by territory_level, territory_code, year, flow

),

partner_exports as (

    select
        territory_level,
        territory_code,
        year,
        'export' as flow,
        'partner' as item_type,
        sum(exports_eur) as value_eur,
        count(case when exports_eur <> 0 then 1 end) as item_count
    from {{ tested_years_relation(ref('territory_partner_trade')) }}
    group by territory_level, territory_code, year

),

partner_imports as (

    select
        territory_level,
        territory_code,
        year,
        'import' as flow,
        'partner' as item_type,
        sum(imports_eur) as value_eur,
        count(case when imports_eur <> 0 then 1 end) as item_count
    from {{ tested_years_relation(ref('territory_partner_trade')) }}
    group by territory_level, territory_code, year

),

expected as (

    select * from products
    union all
    select * from partner_exports
    union all
    select * from partner_imports

)

select
    coalesce(expected.territory_level, items.territory_level) as territory_level,
    coalesce(expected.territory_code, items.territory_code) as territory_code,
    coalesce(expected.year, items.year) as year,
    coalesce(expected.flow, items.flow) as flow,
    coalesce(expected.item_type, items.item_type) as item_type,
    expected.value_eur as expected_value_eur,
    items.value_eur as items_value_eur,
    expected.item_count as expected_item_count,
    items.item_count
from expected
full outer join items
    on
        expected.territory_level = items.territory_level
        and expected.territory_code = items.territory_code
        and expected.year = items.year
        and expected.flow = items.flow
        and expected.item_type = items.item_type
-- a flow with no partner trade at all has a zero total and no item
where
    coalesce(expected.value_eur, 0) <> coalesce(items.value_eur, 0)
    or coalesce(expected.item_count, 0) <> coalesce(items.item_count, 0)
