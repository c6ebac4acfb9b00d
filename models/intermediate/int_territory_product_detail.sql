-- Trade by product one level below A129: territory x year x flow x A129 x
-- CPF4 (CPF rev. 2.1 class), with values in euros and mass in kilograms,
-- partner countries summed. Departments from the regional file, regions as
-- the sum of their departments, France from the national file (CPF4 = the
-- first four digits of its CPF6 code) in the years int_trade_periods says it
-- covers, else from every departmental row. Rows of the older yearly layouts
-- have no CPF4 and no mass (null). Values are exact (three decimals): the
-- marts round them once. Rows of zero value are left out.
-- Incremental by year, as int_territory_trade: only the years whose raw rows,
-- departmental or national, changed are recomputed.
{{ config(**incremental_by_year_config()) }}
{%- set changed_years = where_trade_year_changed() %}

with

periods as (

    select
        year,
        france_source
    from {{ ref('int_trade_periods') }}

),

trade_values as (

    select
        flow,
        year,
        department_code,
        is_allocated_to_department,
        product_code,
        cpf4_code,
        value_eur,
        mass_kg,
        loaded_at
    from {{ ref('stg_customs__trade_values') }}
    {{ changed_years }}

),

national_rows as (

    select
        flow,
        year,
        product_code,
        cpf4_code,
        value_eur,
        mass_kg,
        loaded_at
    from {{ ref('stg_customs__national_trade') }}
    {{ changed_years }}

),

national_trade as (

    select
        flow,
        year,
        product_code,
        cpf4_code,
        value_eur,
        mass_kg
    from national_rows
    where product_code is not null

),

year_versions as (

    -- the signature the incremental filter compares (macros/incremental_by_year.sql)
    {{ trade_year_signatures('trade_values', 'national_rows') }}

),

departments as (

    select
        department_code,
        region_code
    from {{ ref('stg_reference__departments') }}

),

-- Every departmental row summed once to its department and year (quarters,
-- declaration lines): the three levels below add up these cells, far fewer
-- than the rows (decimal sums are exact, so the totals are the same).
department_cells as (

    select
        department_code,
        is_allocated_to_department,
        year,
        flow,
        product_code,
        cpf4_code,
        sum(value_eur) as value_eur,
        sum(mass_kg) as mass_kg
    from trade_values
    group by department_code, is_allocated_to_department, year, flow, product_code, cpf4_code

),

by_department as (

    select
        'department' as territory_level,
        department_code as territory_code,
        year,
        flow,
        product_code,
        cpf4_code,
        value_eur,
        mass_kg
    from department_cells
    where is_allocated_to_department

),

by_region as (

    select
        'region' as territory_level,
        departments.region_code as territory_code,
        department_cells.year,
        department_cells.flow,
        department_cells.product_code,
        department_cells.cpf4_code,
        sum(department_cells.value_eur) as value_eur,
        sum(department_cells.mass_kg) as mass_kg
    from department_cells
    inner join departments on department_cells.department_code = departments.department_code
    group by
        departments.region_code,
        department_cells.year,
        department_cells.flow,
        department_cells.product_code,
        department_cells.cpf4_code

),

by_country as (

    select
        'country' as territory_level,
        '{{ var("france_code") }}' as territory_code,
        department_cells.year,
        department_cells.flow,
        department_cells.product_code,
        department_cells.cpf4_code,
        sum(department_cells.value_eur) as value_eur,
        sum(department_cells.mass_kg) as mass_kg
    from department_cells
    inner join periods on department_cells.year = periods.year
    where periods.france_source = 'departments'
    group by
        department_cells.year,
        department_cells.flow,
        department_cells.product_code,
        department_cells.cpf4_code
    union all
    select
        'country' as territory_level,
        '{{ var("france_code") }}' as territory_code,
        national_trade.year,
        national_trade.flow,
        national_trade.product_code,
        national_trade.cpf4_code,
        sum(national_trade.value_eur) as value_eur,
        sum(national_trade.mass_kg) as mass_kg
    from national_trade
    inner join periods on national_trade.year = periods.year
    where periods.france_source = 'national'
    group by
        national_trade.year,
        national_trade.flow,
        national_trade.product_code,
        national_trade.cpf4_code

),

all_levels as (

    select * from by_department
    union all
    select * from by_region
    union all
    select * from by_country

),

final as (

    select
        all_levels.territory_level,
        all_levels.territory_code,
        all_levels.year,
        all_levels.flow,
        all_levels.product_code,
        all_levels.cpf4_code,
        cast(all_levels.value_eur as decimal(18, 3)) as value_eur,
        cast(all_levels.mass_kg as decimal(18, 3)) as mass_kg,
        year_versions.source_loaded_at,
        year_versions.source_row_count
    from all_levels
    inner join year_versions on all_levels.year = year_versions.year
    -- as in int_territory_trade: a product of zero value is no trade
    where all_levels.value_eur <> 0

)

select * from final
