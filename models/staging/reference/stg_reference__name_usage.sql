with

source as (

    select
        territory_level,
        territory_code,
        territory_name,
        usage_name_type,
        en_form
    from {{ ref('name_usage') }}

),

final as (

    select
        territory_level,
        {{ dbt.cast('territory_code', dbt.type_string()) }} as territory_code,
        territory_name,
        cast(usage_name_type as integer) as usage_name_type,
        {{ dbt.cast('en_form', dbt.type_string()) }} as en_form
    from source

)

select * from final
