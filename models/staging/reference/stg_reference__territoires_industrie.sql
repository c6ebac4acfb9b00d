with

source as (

    select
        department_code,
        territoire_industrie_name
    from {{ ref('territoires_industrie') }}

),

final as (

    select
        {{ normalize_department_code('department_code') }} as department_code,
        territoire_industrie_name
    from source

)

select * from final
