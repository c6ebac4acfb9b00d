with

source as (

    select
        a129_code,
        a129_label,
        a38_code,
        valid_from,
        valid_to
    from {{ ref('products_a129') }}

),

final as (

    select
        {{ normalize_code('a129_code') }} as a129_code,
        a129_label,
        {{ normalize_code('a38_code') }} as a38_code,
        cast(valid_from as integer) as valid_from,
        cast(valid_to as integer) as valid_to
    from source

)

select * from final
