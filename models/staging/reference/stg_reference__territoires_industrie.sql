with

source as (

    select
        territoire_industrie_id,
        territoire_industrie_name,
        department_code,
        department_count
    from {{ ref('territoires_industrie') }}

),

final as (

    select
        territoire_industrie_id,
        territoire_industrie_name,
        {{ normalize_department_code('department_code') }} as department_code,
        cast(department_count as integer) as department_count
    from source

)

select * from final
