with

source as (

    select
        source_file,
        file_sha256,
        dataset_name,
        is_synthetic,
        rows_read,
        rows_loaded,
        rows_quarantined,
        rows_removed,
        file_vanished,
        loaded_at
    from {{ source('customs', 'load_audit') }}

),

final as (

    select
        source_file,
        file_sha256,
        dataset_name,
        is_synthetic,
        cast(rows_read as bigint) as rows_read,
        cast(rows_loaded as bigint) as rows_loaded,
        cast(rows_quarantined as bigint) as rows_quarantined,
        cast(rows_removed as bigint) as rows_removed,
        file_vanished,
        loaded_at
    from source

)

select * from final
