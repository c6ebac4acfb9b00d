-- Regions are exactly the sum of their departments; France is exactly the
-- sum of all departments plus the trade allocated to no department.
with

balances as (

    select
        territory_level,
        territory_code,
        region_code,
        year,
        exports_eur,
        imports_eur
    from {{ ref('territory_trade_balance') }}

),

unallocated as (

    select
        year,
        sum(case when flow = 'export' then value_eur else 0 end) as exports_eur,
        sum(case when flow = 'import' then value_eur else 0 end) as imports_eur
    from {{ ref('stg_customs__trade_values') }}
    where not is_allocated_to_department
    group by year

),

departments_by_region as (

    select
        'region' as territory_level,
        region_code as territory_code,
        year,
        sum(exports_eur) as exports_eur,
        sum(imports_eur) as imports_eur
    from balances
    where territory_level = 'department'
    group by region_code, year

),

departments_and_unallocated as (

    select
        'country' as territory_level,
        '{{ var("france_code") }}' as territory_code,
        departments.year,
        sum(departments.exports_eur) + coalesce(max(unallocated.exports_eur), 0) as exports_eur,
        sum(departments.imports_eur) + coalesce(max(unallocated.imports_eur), 0) as imports_eur
    from balances as departments
    left join unallocated on departments.year = unallocated.year
    where departments.territory_level = 'department'
    group by departments.year

),

expected as (

    select * from departments_by_region
    union all
    select * from departments_and_unallocated

)

select
    expected.territory_level,
    expected.territory_code,
    expected.year,
    expected.exports_eur as expected_exports_eur,
    balances.exports_eur,
    expected.imports_eur as expected_imports_eur,
    balances.imports_eur
from expected
left join balances
    on
        expected.territory_level = balances.territory_level
        and expected.territory_code = balances.territory_code
        and expected.year = balances.year
where
    balances.exports_eur is null
    or expected.exports_eur <> balances.exports_eur
    or expected.imports_eur <> balances.imports_eur
