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
        quarter,
        month,
        region_code,
        cpf4_code,
        cpf6_code,
        nc8_code,
        mass_kg,
        target_table,
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
        quarter,
        month,
        region_code,
        cpf4_code,
        cpf6_code,
        nc8_code,
        mass_kg,
        target_table,
        quarantined_at
    from source

)

select * from final
