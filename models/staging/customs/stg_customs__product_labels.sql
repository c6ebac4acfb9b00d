with

source as (

    select
        product_code,
        product_label,
        source_file,
        source_line
    from {{ source('customs', 'product_labels') }}

),

normalised as (

    select
        {{ normalize_code('product_code') }} as product_code,
        trim(product_label) as product_label,
        source_file,
        source_line
    from source
    where trim(coalesce(product_label, '')) <> ''

),

ranked as (

    select
        product_code,
        product_label,
        source_file,
        row_number() over (
            partition by product_code order by source_file desc, source_line desc
        ) as label_rank
    from normalised

),

final as (

    -- a code labelled in several files keeps the label of the last file
    select
        product_code,
        product_label,
        source_file
    from ranked
    where label_rank = 1

)

select * from final
