-- depends_on: {{ ref('departments') }}
{{ config(**incremental_by_year_config()) }}

with

source as (

    select
        flow_code,
        year,
        quarter,
        department_code,
        region_code,
        product_code,
        cpf4_code,
        country_code,
        value,
        value_unit,
        mass_kg,
        month,
        line_number,
        source_file,
        source_line,
        loaded_at
    from {{ source('customs', 'customs_trade') }}
    {{ where_raw_year_changed(source('customs', 'customs_trade')) }}

),

typed as (

    select
        case {{ normalize_code('flow_code') }}
            when 'E' then 'export'
            when 'I' then 'import'
        end as flow,
        cast(trim(year) as integer) as year,
        -- the regional file publishes quarters; the older yearly layouts none
        cast(trim(quarter) as integer) as quarter,
        {{ normalize_department_code('department_code') }} as customs_department_code,
        {{ department_code_from_customs('department_code') }} as mapped_department_code,
        nullif(trim(region_code), '') as customs_region_code,
        trim(product_code) as product_code_published,
        {{ normalize_code('product_code') }} as product_code,
        nullif({{ normalize_code('cpf4_code') }}, '') as cpf4_code,
        {{ normalize_code('country_code') }} as country_code,
        -- euros as published (regional file); thousands of euros in older
        -- layouts. Exact: the loader accepts at most three decimals, so a
        -- fraction of a cent is kept here and rounded only in the marts.
        cast(
            {{ parse_decimal('value') }}
            * case value_unit when 'keur' then 1000 else 1 end
            as decimal(18, 3)
        ) as value_eur,
        cast({{ parse_decimal('mass_kg') }} as decimal(18, 3)) as mass_kg,
        -- declaration-level files only (null in departmental files)
        cast(trim(month) as integer) as declaration_month,
        cast(trim(line_number) as bigint) as declaration_line,
        source_file,
        source_line,
        loaded_at
    from source

),

final as (

    select
        flow,
        year,
        quarter,
        case
            when customs_department_code <> '{{ var("unallocated_department_code") }}'
                then mapped_department_code
        end as department_code,
        customs_department_code,
        customs_region_code,
        customs_department_code <> '{{ var("unallocated_department_code") }}'
            as is_allocated_to_department,
        product_code_published,
        product_code,
        cpf4_code,
        country_code,
        value_eur,
        mass_kg,
        declaration_month,
        declaration_line,
        source_file,
        source_line,
        loaded_at
    from typed

)

select * from final
