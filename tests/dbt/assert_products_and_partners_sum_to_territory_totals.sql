-- Each level of the product table, and the partner table, add up to the
-- territory's exports and imports: exactly with whole-euro data, within half
-- a cent per rounded figure when values carry fractions of a cent (each row
-- and each total is an exact sum rounded once to the cent).
with

balances as (

    select
        territory_level,
        territory_code,
        year,
        exports_eur,
        imports_eur
    from {{ tested_years_relation(ref('territory_trade_balance')) }}

),

products as (

    select
        territory_level,
        territory_code,
        year,
        product_level as breakdown,
        sum(case when flow = 'export' then value_eur else 0 end) as exports_eur,
        sum(case when flow = 'import' then value_eur else 0 end) as imports_eur,
        count(*) as row_count
    from {{ tested_years_relation(ref('territory_product_trade')) }}
    group by territory_level, territory_code, year, product_level

),

partners as (

    select
        territory_level,
        territory_code,
        year,
        'partners' as breakdown,
        sum(exports_eur) as exports_eur,
        sum(imports_eur) as imports_eur,
        count(*) as row_count
    from {{ tested_years_relation(ref('territory_partner_trade')) }}
    group by territory_level, territory_code, year

),

breakdowns as (

    select * from products
    union all
    select * from partners

)

select
    breakdowns.territory_level,
    breakdowns.territory_code,
    breakdowns.year,
    breakdowns.breakdown,
    breakdowns.exports_eur,
    balances.exports_eur as balance_exports_eur,
    breakdowns.imports_eur,
    balances.imports_eur as balance_imports_eur
from breakdowns
left join balances
    on
        breakdowns.territory_level = balances.territory_level
        and breakdowns.territory_code = balances.territory_code
        and breakdowns.year = balances.year
where
    balances.exports_eur is null
    or abs(breakdowns.exports_eur - balances.exports_eur)
    > {{ half_cent_if_fractional() }} * (breakdowns.row_count + 1)
    or abs(breakdowns.imports_eur - balances.imports_eur)
    > {{ half_cent_if_fractional() }} * (breakdowns.row_count + 1)
