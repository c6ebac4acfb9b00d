-- One row per year of departmental data: which quarters the departmental
-- files cover, whether the year is complete, how it is to be labelled, and
-- where France's figures come from. The regional open-data file holds the
-- last five completed quarters, so one of its years is always partial; the
-- older yearly layouts publish whole years. France is the national file's
-- total when that file covers all twelve months of a complete year, and the
-- sum of the departmental files (with any trade they allocate to no
-- department) otherwise.
with

trade_values as (

    select
        year,
        quarter
    from {{ ref('stg_customs__trade_values') }}

),

national_trade as (

    select
        year,
        month
    from {{ ref('stg_customs__national_trade') }}
    -- the 8-field vintages (2012-2016) have no A129 code: they cannot give
    -- France's figures by product
    where product_code is not null

),

departmental as (

    select
        year,
        count(distinct quarter) as published_quarters,
        min(quarter) as first_published_quarter,
        max(quarter) as last_published_quarter,
        max(case when quarter is null then 1 else 0 end) as has_yearly_rows
    from trade_values
    group by year

),

national_months as (

    select
        year,
        count(distinct month) as national_months
    from national_trade
    group by year

),

covered as (

    select
        departmental.year,
        case
            when departmental.has_yearly_rows = 1 then 4 else departmental.published_quarters
        end as quarters_covered,
        case
            when departmental.has_yearly_rows = 1 then 1 else departmental.first_published_quarter
        end as first_quarter,
        case
            when departmental.has_yearly_rows = 1 then 4 else departmental.last_published_quarter
        end as last_quarter,
        coalesce(national_months.national_months, 0) as national_months
    from departmental
    left join national_months on departmental.year = national_months.year

),

final as (

    select
        year,
        cast(quarters_covered as integer) as quarters_covered,
        cast(first_quarter as integer) as first_quarter,
        cast(last_quarter as integer) as last_quarter,
        quarters_covered = 4 as is_complete_year,
        cast(national_months as integer) as national_months,
        case
            when quarters_covered = 4 and national_months = 12 then 'national'
            else 'departments'
        end as france_source,
        case
            when quarters_covered = 4 then {{ dbt.cast('year', dbt.type_string()) }}
            when first_quarter = last_quarter
                then {{ dbt.concat([
                    dbt.cast('year', dbt.type_string()), "', '",
                    "case when first_quarter = 1 then '1er' else "
                    ~ dbt.concat([dbt.cast('first_quarter', dbt.type_string()), "'e'"]) ~ " end",
                    "' trimestre'",
                ]) }}
            else {{ dbt.concat([
                dbt.cast('year', dbt.type_string()), "', '",
                "case when first_quarter = 1 then '1er' else "
                ~ dbt.concat([dbt.cast('first_quarter', dbt.type_string()), "'e'"]) ~ " end",
                "' au '", dbt.cast('last_quarter', dbt.type_string()), "'e trimestre'",
            ]) }}
        end as period_label
    from covered

)

select * from final
