with

source as (

    select
        department_code,
        department_name,
        region_code,
        customs_department_code,
        customs_region_code,
        is_french_department,
        name_type
    from {{ ref('departments') }}

),

final as (

    select
        {{ normalize_department_code('department_code') }} as department_code,
        department_name,
        {{ dbt.cast('region_code', dbt.type_string()) }} as region_code,
        {{ normalize_department_code('customs_department_code') }} as customs_department_code,
        {{ dbt.cast('customs_region_code', dbt.type_string()) }} as customs_region_code,
        cast(is_french_department as boolean) as is_french_department,
        cast(name_type as integer) as name_type
    from source

)

select * from final
