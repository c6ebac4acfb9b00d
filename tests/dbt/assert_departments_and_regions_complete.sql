-- France has 101 departments in 18 regions, and every region has a department.
with

departments as (

    select count(*) as department_count from {{ ref('stg_reference__departments') }}

),

regions as (

    select
        count(*) as region_count,
        count(*) filter (
            where reference_regions.region_code not in (
                select reference_departments.region_code
                from {{ ref('stg_reference__departments') }} as reference_departments
            )
        ) as empty_regions
    from {{ ref('stg_reference__regions') }} as reference_regions

)

select
    departments.department_count,
    regions.region_count,
    regions.empty_regions
from departments
cross join regions
where departments.department_count <> 101
    or regions.region_count <> 18
    or regions.empty_regions > 0
