-- The departments' shares of their region sum to 1 in each region, and the
-- partners' and products' shares of a flow sum to 1 in each territory
-- (up to floating-point rounding).
with

region_shares as (

    select
        'region share' as check_name,
        region_code as territory_code,
        year,
        sum(export_share_of_region) as export_total,
        sum(import_share_of_region) as import_total
    from {{ tested_years_relation(ref('territory_trade_balance')) }}
    where territory_level = 'department'
    group by region_code, year

),

partner_shares as (

    select
        'partner share' as check_name,
        territory_level || ':' || territory_code as territory_code,
        year,
        sum(export_share) as export_total,
        sum(import_share) as import_total
    from {{ tested_years_relation(ref('territory_partner_trade')) }}
    group by territory_level, territory_code, year

),

product_shares as (

    select
        'product share ' || product_level as check_name,
        territory_level || ':' || territory_code as territory_code,
        year,
        sum(case when flow = 'export' then share_of_flow end) as export_total,
        sum(case when flow = 'import' then share_of_flow end) as import_total
    from {{ tested_years_relation(ref('territory_product_trade')) }}
    group by territory_level, territory_code, year, product_level

),

all_shares as (

    select * from region_shares
    union all
    select * from partner_shares
    union all
    select * from product_shares

)

select
    check_name,
    territory_code,
    year,
    export_total,
    import_total
from all_shares
where
    (export_total is not null and abs(export_total - 1) > 1e-9)
    or (import_total is not null and abs(import_total - 1) > 1e-9)
