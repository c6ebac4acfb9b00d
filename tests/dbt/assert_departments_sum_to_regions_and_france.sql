-- Regions are the sum of their departments. France is the national file's
-- total in the years it is France's source, and the sum of all departments
-- plus the trade allocated to no department otherwise; in both cases France
-- minus its departments is exactly the unallocated_* columns. Every total
-- of the mart is an exact sum rounded once to the cent: with whole-euro data
-- the sums are exact, with fractions of a cent they may differ by half a
-- cent per rounded figure (part_count + 1).
with

balances as (

    select
        territory_level,
        territory_code,
        region_code,
        year,
        exports_eur,
        imports_eur
    from {{ tested_years_relation(ref('territory_trade_balance')) }}

),

unallocated as (

    select
        year,
        sum(case when flow = 'export' then value_eur else 0 end) as exports_eur,
        sum(case when flow = 'import' then value_eur else 0 end) as imports_eur
    from {{ tested_years_relation(ref('stg_customs__trade_values')) }}
    where not is_allocated_to_department
    group by year

),

periods as (

    select
        year,
        france_source
    from {{ tested_years_relation(ref('int_trade_periods')) }}

),

national as (

    select
        year,
        sum(case when flow = 'export' then value_eur else 0 end) as exports_eur,
        sum(case when flow = 'import' then value_eur else 0 end) as imports_eur
    from {{ tested_years_relation(ref('stg_customs__national_trade')) }}
    where product_code is not null
    group by year

),

departments_by_region as (

    select
        'region' as territory_level,
        region_code as territory_code,
        year,
        sum(exports_eur) as exports_eur,
        sum(imports_eur) as imports_eur,
        count(*) as part_count
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
        sum(departments.imports_eur) + coalesce(max(unallocated.imports_eur), 0) as imports_eur,
        count(*) as part_count
    from balances as departments
    inner join periods on departments.year = periods.year
    left join unallocated on departments.year = unallocated.year
    where departments.territory_level = 'department' and periods.france_source = 'departments'
    group by departments.year
    union all
    select
        'country' as territory_level,
        '{{ var("france_code") }}' as territory_code,
        national.year,
        national.exports_eur,
        national.imports_eur,
        0 as part_count
    from national
    inner join periods on national.year = periods.year
    where periods.france_source = 'national'

),

unallocated_columns as (

    -- France minus its departments, as the mart states it
    select
        france.year,
        france.unallocated_exports_eur,
        france.unallocated_imports_eur,
        france.exports_eur - sum(departments.exports_eur) as expected_unallocated_exports_eur,
        france.imports_eur - sum(departments.imports_eur) as expected_unallocated_imports_eur
    from {{ tested_years_relation(ref('territory_trade_balance'), 'france') }}
    inner join balances as departments
        on france.year = departments.year and departments.territory_level = 'department'
    where france.territory_level = 'country'
    group by
        france.year,
        france.unallocated_exports_eur,
        france.unallocated_imports_eur,
        france.exports_eur,
        france.imports_eur

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
    or abs(expected.exports_eur - balances.exports_eur)
    > {{ half_cent_if_fractional() }} * (expected.part_count + 1)
    or abs(expected.imports_eur - balances.imports_eur)
    > {{ half_cent_if_fractional() }} * (expected.part_count + 1)
union all
select
    'country' as territory_level,
    'unallocated' as territory_code,
    year,
    expected_unallocated_exports_eur,
    unallocated_exports_eur,
    expected_unallocated_imports_eur,
    unallocated_imports_eur
from unallocated_columns
where
    unallocated_exports_eur is null
    or unallocated_exports_eur <> expected_unallocated_exports_eur
    or unallocated_imports_eur <> expected_unallocated_imports_eur
