-- France is its own reference: its RCA is 1 for every product it exports,
-- and every such product has a row for France and for every territory with
-- exports that year.
with

specialisation as (

    select
        territory_level,
        territory_code,
        year,
        product_code,
        rca
    from {{ tested_years_relation(ref('territory_specialisation')) }}

),

france_products as (

    select
        year,
        count(*) as product_count
    from {{ tested_years_relation(ref('territory_product_trade')) }}
    where
        territory_level = 'country'
        and flow = 'export'
        and product_level = 'a129'
        and value_eur > 0
    group by year

),

exporting_territories as (

    select
        year,
        count(*) as territory_count
    from {{ tested_years_relation(ref('territory_trade_balance')) }}
    where exports_eur > 0
    group by year

),

france_rca as (

    select
        year,
        'France RCA is not 1' as check_name,
        count(case when abs(rca - 1) > 1e-12 then 1 end) as failures
    from specialisation
    where territory_level = 'country'
    group by year

),

grid as (

    select
        specialisation_rows.year,
        'rows are not territories x products' as check_name,
        max(exporting_territories.territory_count * france_products.product_count)
        - count(*) as failures
    from specialisation as specialisation_rows
    inner join france_products on specialisation_rows.year = france_products.year
    inner join exporting_territories on specialisation_rows.year = exporting_territories.year
    group by specialisation_rows.year

),

checks as (

    select * from france_rca
    union all
    select * from grid

)

select
    year,
    check_name,
    failures
from checks
where failures <> 0
