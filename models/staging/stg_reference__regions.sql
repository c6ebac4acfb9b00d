with

source as (

    select
        region_code,
        region_name
    from {{ ref('regions') }}

),

final as (

    select
        {{ dbt.cast('region_code', dbt.type_string()) }} as region_code,
        region_name
    from source

)

select * from final
