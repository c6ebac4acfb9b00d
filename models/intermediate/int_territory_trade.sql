-- Trade values at the grain territory x year x flow x product x country, for
-- every level: departments as published (quarters summed to the year),
-- regions as the sum of their departments, France from the national file
-- when it covers the whole year (int_trade_periods), else as the sum of every
-- departmental row, including any trade they allocate to no department.
-- Values are exact (three decimals, as the loader accepts them): the marts
-- round them once. Cells of zero value are left out.
-- Incremental by year (see macros/incremental_by_year.sql): only the years
-- whose raw rows, departmental or national, changed are recomputed.
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
        country_code,
        value_eur,
        loaded_at
    from {{ ref('stg_customs__trade_values') }}
    {{ changed_years }}

),

national_trade as (

    select
        flow,
        year,
        product_code,
        country_code,
        value_eur,
        loaded_at
    from {{ ref('stg_customs__national_trade') }}
    {{ changed_years }}

),

departments as (

    select
        department_code,
        region_code
    from {{ ref('stg_reference__departments') }}

),

year_versions as (

    -- the signature the incremental filter compares (macros/incremental_by_year.sql)
    {{ trade_year_signatures('trade_values', 'national_trade') }}

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
        country_code,
        sum(value_eur) as value_eur
    from trade_values
    group by department_code, is_allocated_to_department, year, flow, product_code, country_code

),

by_department as (

    select
        'department' as territory_level,
        department_code as territory_code,
        year,
        flow,
        product_code,
        country_code,
        value_eur
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
        department_cells.country_code,
        sum(department_cells.value_eur) as value_eur
    from department_cells
    inner join departments on department_cells.department_code = departments.department_code
    group by
        departments.region_code,
        department_cells.year,
        department_cells.flow,
        department_cells.product_code,
        department_cells.country_code

),

by_country as (

    -- France: every departmental row, in the years the national file does not cover
    select
        'country' as territory_level,
        '{{ var("france_code") }}' as territory_code,
        department_cells.year,
        department_cells.flow,
        department_cells.product_code,
        department_cells.country_code,
        sum(department_cells.value_eur) as value_eur
    from department_cells
    inner join periods on department_cells.year = periods.year
    where periods.france_source = 'departments'
    group by
        department_cells.year,
        department_cells.flow,
        department_cells.product_code,
        department_cells.country_code
    union all
    -- France: the national file, in the years it covers whole
    select
        'country' as territory_level,
        '{{ var("france_code") }}' as territory_code,
        national_trade.year,
        national_trade.flow,
        national_trade.product_code,
        national_trade.country_code,
        sum(national_trade.value_eur) as value_eur
    from national_trade
    inner join periods on national_trade.year = periods.year
    where periods.france_source = 'national'
    group by
        national_trade.year,
        national_trade.flow,
        national_trade.product_code,
        national_trade.country_code

),

all_levels as (

    select
        territory_level,
        territory_code,
        year,
        flow,
        product_code,
        country_code,
        value_eur
    from by_department
    union all
    select
        territory_level,
        territory_code,
        year,
        flow,
        product_code,
        country_code,
        value_eur
    from by_region
    union all
    select
        territory_level,
        territory_code,
        year,
        flow,
        product_code,
        country_code,
        value_eur
    from by_country

),

final as (

    select
        all_levels.territory_level,
        all_levels.territory_code,
        all_levels.year,
        all_levels.flow,
        all_levels.product_code,
        all_levels.country_code,
        cast(all_levels.value_eur as decimal(18, 3)) as value_eur,
        year_versions.source_loaded_at,
        year_versions.source_row_count
    from all_levels
    inner join year_versions on all_levels.year = year_versions.year
    -- a cell of zero value adds nothing to any total, and would show as a
    -- partner or product with no trade (an empty node of a flow diagram)
    where all_levels.value_eur <> 0

)

select * from final
