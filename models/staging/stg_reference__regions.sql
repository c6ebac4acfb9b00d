with

source as (

    select
        region_code,
        region_name
    from {{ ref('regions') }}

),

final as (

    select
        cast(region_code as varchar) as region_code,
        region_name
    from source

)

select * from final
