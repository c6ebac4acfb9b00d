-- The national open-data file (NATIONAL_NC8PAYSE/I.txt and its yearly
-- archives), typed: one row per flow, month, NC8 product and partner country,
-- values in euros as published. The 2012-2016 vintages publish neither CPF6
-- nor A129 (null here). Incremental by year (macros/incremental_by_year.sql):
-- a build recomputes only the years whose raw rows changed.
{{ config(**incremental_by_year_config()) }}

with

source as (

    select
        flow_code,
        month,
        year,
        cpf6_code,
        product_code,
        nc8_code,
        country_code,
        value,
        mass_kg,
        supplementary_unit,
        source_file,
        source_line,
        loaded_at
    from {{ source('customs', 'customs_national_trade') }}
    {{ where_raw_year_changed(source('customs', 'customs_national_trade')) }}

),

final as (

    select
        case {{ normalize_code('flow_code') }}
            when 'E' then 'export'
            when 'I' then 'import'
        end as flow,
        cast(trim(year) as integer) as year,
        cast(trim(month) as integer) as month,
        nullif(trim(cpf6_code), '') as cpf6_code,
        -- CPF4 is the first four digits of the CPF6 code (both CPF rev. 2.1)
        substring(nullif(trim(cpf6_code), ''), 1, 4) as cpf4_code,
        nullif({{ normalize_code('product_code') }}, '') as product_code,
        trim(nc8_code) as nc8_code,
        {{ normalize_code('country_code') }} as country_code,
        cast({{ parse_decimal('value') }} as decimal(18, 3)) as value_eur,
        cast({{ parse_decimal('mass_kg') }} as decimal(18, 3)) as mass_kg,
        cast({{ parse_decimal('supplementary_unit') }} as decimal(18, 3)) as supplementary_unit,
        source_file,
        source_line,
        loaded_at
    from source

)

select * from final
