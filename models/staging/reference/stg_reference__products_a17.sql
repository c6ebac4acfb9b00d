with

source as (

    select
        a17_code,
        a17_label
    from {{ ref('products_a17') }}

),

final as (

    select
        {{ normalize_code('a17_code') }} as a17_code,
        a17_label
    from source

)

select * from final
