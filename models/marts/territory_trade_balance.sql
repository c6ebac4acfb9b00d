-- One row per territory and year: exports, imports, balance, coverage, the
-- territory's shares of its region and of France, the change on the previous
-- year, how much of the year the figures cover (a partial year of the
-- regional file is labelled, never passed off as a whole one), and for
-- France the trade its departments do not account for.
with

periods as (

    select
        year,
        quarters_covered,
        is_complete_year,
        period_label,
        france_source
    from {{ ref('int_trade_periods') }}

),

-- Each total rounded to the cent once, here, from its exact sum; every
-- figure below (balance, shares, changes, unallocated trade) is derived from
-- these rounded totals, so that the figures of a page add up.
flow_totals as (

    select
        territory_level,
        territory_code,
        territory_name,
        region_code,
        region_name,
        year,
        cast(exports_eur as decimal(18, 2)) as exports_eur,
        cast(imports_eur as decimal(18, 2)) as imports_eur
    from {{ ref('int_territory_flow_totals') }}

),

department_totals as (

    select
        year,
        sum(exports_eur) as exports_eur,
        sum(imports_eur) as imports_eur
    from flow_totals
    where territory_level = 'department'
    group by year

),

with_context as (

    select
        flow_totals.territory_level,
        flow_totals.territory_code,
        flow_totals.territory_name,
        flow_totals.region_code,
        flow_totals.region_name,
        flow_totals.year,
        flow_totals.exports_eur,
        flow_totals.imports_eur,
        region_totals.exports_eur as region_exports_eur,
        region_totals.imports_eur as region_imports_eur,
        france_totals.exports_eur as france_exports_eur,
        france_totals.imports_eur as france_imports_eur,
        previous_year.exports_eur as exports_previous_year_eur,
        previous_year.imports_eur as imports_previous_year_eur,
        department_totals.exports_eur as departments_exports_eur,
        department_totals.imports_eur as departments_imports_eur,
        periods.quarters_covered,
        periods.is_complete_year,
        periods.period_label,
        periods.france_source,
        previous_periods.quarters_covered as previous_quarters_covered
    from flow_totals
    left join flow_totals as region_totals
        on
            region_totals.territory_level = 'region'
            and flow_totals.region_code = region_totals.territory_code
            and flow_totals.year = region_totals.year
    left join flow_totals as france_totals
        on
            france_totals.territory_level = 'country'
            and flow_totals.year = france_totals.year
    left join flow_totals as previous_year
        on
            flow_totals.territory_level = previous_year.territory_level
            and flow_totals.territory_code = previous_year.territory_code
            and flow_totals.year = previous_year.year + 1
    inner join periods on flow_totals.year = periods.year
    left join periods as previous_periods on flow_totals.year = previous_periods.year + 1
    left join department_totals
        on
            flow_totals.territory_level = 'country'
            and flow_totals.year = department_totals.year

),

final as (

    select
        territory_level,
        territory_code,
        territory_name,
        region_code,
        region_name,
        year,
        exports_eur,
        imports_eur,
        cast(exports_eur - imports_eur as decimal(18, 2)) as balance_eur,
        cast(exports_eur as double) / nullif(cast(imports_eur as double), 0) as coverage_ratio,
        cast(case
            when territory_level = 'department'
                then cast(exports_eur as double) / nullif(cast(region_exports_eur as double), 0)
        end as double) as export_share_of_region,
        cast(case
            when territory_level = 'department'
                then cast(imports_eur as double) / nullif(cast(region_imports_eur as double), 0)
        end as double) as import_share_of_region,
        cast(case
            when territory_level in ('department', 'region')
                then cast(exports_eur as double) / nullif(cast(france_exports_eur as double), 0)
        end as double) as export_share_of_france,
        cast(case
            when territory_level in ('department', 'region')
                then cast(imports_eur as double) / nullif(cast(france_imports_eur as double), 0)
        end as double) as import_share_of_france,
        exports_previous_year_eur,
        imports_previous_year_eur,
        -- a change is only computed between two complete years
        cast(case
            when is_complete_year and previous_quarters_covered = 4
                then cast(exports_eur as double)
                    / nullif(cast(exports_previous_year_eur as double), 0) - 1
        end as double) as exports_change_ratio,
        cast(case
            when is_complete_year and previous_quarters_covered = 4
                then cast(imports_eur as double)
                    / nullif(cast(imports_previous_year_eur as double), 0) - 1
        end as double) as imports_change_ratio,
        cast(case
            when is_complete_year and previous_quarters_covered = 4
                then (exports_eur - imports_eur)
                    - (exports_previous_year_eur - imports_previous_year_eur)
        end as decimal(18, 2)) as balance_change_eur,
        cast(case
            when territory_level = 'country' then exports_eur - coalesce(departments_exports_eur, 0)
        end as decimal(18, 2)) as unallocated_exports_eur,
        cast(case
            when territory_level = 'country' then imports_eur - coalesce(departments_imports_eur, 0)
        end as decimal(18, 2)) as unallocated_imports_eur,
        quarters_covered,
        is_complete_year,
        period_label,
        case when territory_level = 'country' then france_source end as france_source
    from with_context

)

select
    territory_level,
    territory_code,
    territory_name,
    region_code,
    region_name,
    year,
    exports_eur,
    imports_eur,
    balance_eur,
    coverage_ratio,
    export_share_of_region,
    import_share_of_region,
    export_share_of_france,
    import_share_of_france,
    exports_previous_year_eur,
    imports_previous_year_eur,
    exports_change_ratio,
    imports_change_ratio,
    balance_change_eur,
    unallocated_exports_eur,
    unallocated_imports_eur,
    quarters_covered,
    is_complete_year,
    period_label,
    france_source
from final
