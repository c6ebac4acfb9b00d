with

source as (

    select
        indicator_code,
        indicator_order,
        indicator_label,
        indicator_kind,
        indicator_unit
    from {{ ref('indicators') }}

),

final as (

    select
        {{ dbt.cast('indicator_code', dbt.type_string()) }} as indicator_code,
        {{ dbt.cast('indicator_order', dbt.type_int()) }} as indicator_order,
        {{ dbt.cast('indicator_label', dbt.type_string()) }} as indicator_label,
        {{ dbt.cast('indicator_kind', dbt.type_string()) }} as indicator_kind,
        {{ dbt.cast('indicator_unit', dbt.type_string()) }} as indicator_unit
    from source

)

select * from final
