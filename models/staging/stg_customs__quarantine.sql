with

source as (

    select
        source_file,
        source_line,
        column_name,
        reason,
        flow_code,
        year,
        department_code,
        product_code,
        country_code,
        value,
        value_unit,
        quarantined_at
    from {{ source('customs', 'quarantine') }}

),

final as (

    select
        source_file,
        source_line,
        column_name,
        reason,
        flow_code,
        year,
        department_code,
        product_code,
        country_code,
        value,
        value_unit,
        quarantined_at
    from source

)

select * from final
