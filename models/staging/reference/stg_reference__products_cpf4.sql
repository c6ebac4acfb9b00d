with

source as (

    select
        cpf4_code,
        cpf4_label,
        a129_code,
        valid_from,
        valid_to
    from {{ ref('products_cpf4') }}

),

final as (

    select
        {{ normalize_code('cpf4_code') }} as cpf4_code,
        cpf4_label,
        nullif({{ normalize_code('a129_code') }}, '') as a129_code,
        cast(valid_from as integer) as valid_from,
        cast(valid_to as integer) as valid_to
    from source

)

select * from final
