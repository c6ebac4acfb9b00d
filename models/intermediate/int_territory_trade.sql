-- Trade values at the grain territory x year x flow x product x country, for
-- every level: departments as published, regions as the sum of their
-- departments, France as the sum of every row, including the trade the
-- customs files allocate to no department.
with

trade_values as (

    select
        flow,
        year,
        department_code,
        is_allocated_to_department,
        product_code,
        country_code,
        value_eur
    from {{ ref('stg_customs__trade_values') }}

),

departments as (

    select
        department_code,
        region_code
    from {{ ref('stg_reference__departments') }}

),

by_department as (

    select
        'department' as territory_level,
        department_code as territory_code,
        year,
        flow,
        product_code,
        country_code,
        sum(value_eur) as value_eur
    from trade_values
    where is_allocated_to_department
    -- departmental files hold one line per key, declaration-level files many
    group by department_code, year, flow, product_code, country_code

),

by_region as (

    select
        'region' as territory_level,
        departments.region_code as territory_code,
        trade_values.year,
        trade_values.flow,
        trade_values.product_code,
        trade_values.country_code,
        sum(trade_values.value_eur) as value_eur
    from trade_values
    inner join departments on trade_values.department_code = departments.department_code
    group by
        departments.region_code,
        trade_values.year,
        trade_values.flow,
        trade_values.product_code,
        trade_values.country_code

),

by_country as (

    select
        'country' as territory_level,
        '{{ var("france_code") }}' as territory_code,
        year,
        flow,
        product_code,
        country_code,
        sum(value_eur) as value_eur
    from trade_values
    group by year, flow, product_code, country_code

),

final as (

    select
        territory_level,
        territory_code,
        year,
        flow,
        product_code,
        country_code,
        cast(value_eur as decimal(18, 2)) as value_eur
    from by_department
    union all
    select
        territory_level,
        territory_code,
        year,
        flow,
        product_code,
        country_code,
        cast(value_eur as decimal(18, 2)) as value_eur
    from by_region
    union all
    select
        territory_level,
        territory_code,
        year,
        flow,
        product_code,
        country_code,
        cast(value_eur as decimal(18, 2)) as value_eur
    from by_country

)

select * from final
