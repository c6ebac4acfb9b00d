with

source as (

    select
        region_code,
        region_name,
        customs_region_code
    from {{ ref('regions') }}

),

final as (

    select
        {{ dbt.cast('region_code', dbt.type_string()) }} as region_code,
        region_name,
        {{ dbt.cast('customs_region_code', dbt.type_string()) }} as customs_region_code
    from source

)

select * from final
