{{ config(**incremental_by_year_config()) }}

with

source as (

    select
        flow_code,
        year,
        department_code,
        product_code,
        country_code,
        value,
        value_unit,
        month,
        line_number,
        source_file,
        source_line,
        loaded_at
    from {{ source('customs', 'customs_trade') }}
    {{ where_year_changed(
        upstream=source('customs', 'customs_trade'),
        year_expression='cast(trim(year) as integer)',
        upstream_version='max(loaded_at)',
        upstream_rows='count(*)',
        built_version='max(loaded_at)',
        built_rows='count(*)',
    ) }}

),

typed as (

    select
        case {{ normalize_code('flow_code') }}
            when 'E' then 'export'
            when 'I' then 'import'
        end as flow,
        cast(trim(year) as integer) as year,
        {{ normalize_department_code('department_code') }} as published_department_code,
        trim(product_code) as product_code_published,
        {{ normalize_code('product_code') }} as product_code,
        {{ normalize_code('country_code') }} as country_code,
        -- thousands of euros with three decimals are exact euros
        cast(
            {{ parse_decimal('value') }}
            * case value_unit when 'keur' then 1000 else 1 end
            as decimal(18, 2)
        ) as value_eur,
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
        case
            when published_department_code <> '{{ var("unallocated_department_code") }}'
                then published_department_code
        end as department_code,
        published_department_code <> '{{ var("unallocated_department_code") }}'
            as is_allocated_to_department,
        product_code_published,
        product_code,
        country_code,
        value_eur,
        declaration_month,
        declaration_line,
        source_file,
        source_line,
        loaded_at
    from typed

)

select * from final
