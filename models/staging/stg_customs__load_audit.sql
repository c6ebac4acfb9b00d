with

source as (

    select
        source_file,
        dataset_name,
        is_synthetic,
        rows_read,
        rows_loaded,
        loaded_at
    from {{ source('customs', 'load_audit') }}

),

final as (

    select
        source_file,
        dataset_name,
        is_synthetic,
        cast(rows_read as bigint) as rows_read,
        cast(rows_loaded as bigint) as rows_loaded,
        loaded_at
    from source

)

select * from final
