-- Every territory a report is made for, in one shape: the 101 departments,
-- the 18 regions and France, with the region each department belongs to.
with

departments as (

    select
        department_code,
        department_name,
        region_code
    from {{ ref('stg_reference__departments') }}

),

regions as (

    select
        region_code,
        region_name
    from {{ ref('stg_reference__regions') }}

),

department_territories as (

    select
        'department' as territory_level,
        departments.department_code as territory_code,
        departments.department_name as territory_name,
        departments.region_code,
        regions.region_name
    from departments
    inner join regions on departments.region_code = regions.region_code

),

region_territories as (

    select
        'region' as territory_level,
        region_code as territory_code,
        region_name as territory_name,
        region_code,
        region_name
    from regions

),

country_territory as (

    select
        'country' as territory_level,
        '{{ var("france_code") }}' as territory_code,
        '{{ var("france_name") }}' as territory_name,
        {{ dbt.cast('null', dbt.type_string()) }} as region_code,
        {{ dbt.cast('null', dbt.type_string()) }} as region_name

),

final as (

    select * from department_territories
    union all
    select * from region_territories
    union all
    select * from country_territory

)

select * from final
