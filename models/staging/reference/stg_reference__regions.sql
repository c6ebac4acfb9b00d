with

source as (

    select
        region_code,
        region_name,
        customs_region_code,
        name_type
    from {{ ref('regions') }}

),

final as (

    select
        {{ dbt.cast('region_code', dbt.type_string()) }} as region_code,
        region_name,
        {{ dbt.cast('customs_region_code', dbt.type_string()) }} as customs_region_code,
        cast(name_type as integer) as name_type
    from source

)

select * from final
