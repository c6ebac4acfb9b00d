with

source as (

    select
        a38_code,
        a38_label,
        a17_code
    from {{ ref('products_a38') }}

),

final as (

    select
        {{ normalize_code('a38_code') }} as a38_code,
        a38_label,
        {{ normalize_code('a17_code') }} as a17_code
    from source

)

select * from final
