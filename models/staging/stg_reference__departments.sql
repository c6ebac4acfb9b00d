with

source as (

    select
        department_code,
        department_name,
        region_code
    from {{ ref('departments') }}

),

final as (

    select
        {{ normalize_department_code('department_code') }} as department_code,
        department_name,
        {{ dbt.cast('region_code', dbt.type_string()) }} as region_code
    from source

)

select * from final
