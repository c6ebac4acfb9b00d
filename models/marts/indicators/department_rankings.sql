-- Where each department stands: one row per department, year and indicator
-- with the indicator's value, the department's rank among all departments
-- and within its region (1 = highest value, ties broken by department code),
-- and how many departments were ranked. An indicator a department has no
-- value for (no base year, no imports...) has no row.
-- Labels, kinds, units and order come from the indicators seed (one row per
-- code below); the list here only names the columns computed for them.
{{ config(**mart_by_year_config()) }}
{% set indicator_columns = [
    'exports_eur',
    'imports_eur',
    'balance_eur',
    'exports_change_ratio_1y',
    'exports_change_ratio_5y',
    'export_partner_hhi',
    'export_product_hhi',
    'import_partner_hhi',
    'import_product_hhi',
    'eu27_export_share',
    'us_export_share',
    'dependent_import_share',
    'specialised_product_count',
] %}

with

indicators as (

    select
        indicator_code,
        indicator_order,
        indicator_label,
        indicator_kind,
        indicator_unit
    from {{ ref('stg_reference__indicators') }}

),

balances as (

    select
        territory_code,
        territory_name,
        region_code,
        region_name,
        year,
        exports_eur,
        imports_eur,
        balance_eur
    from {{ ref('territory_trade_balance') }}
    where territory_level = 'department' {{ where_changed_years('year', 'and') }}

),

evolution as (

    select
        territory_code,
        year,
        exports_change_ratio_1y,
        exports_change_ratio_5y
    from {{ ref('territory_trade_evolution') }}
    where territory_level = 'department'

),

concentration as (

    select
        territory_code,
        year,
        flow,
        partner_hhi,
        product_hhi
    from {{ ref('territory_concentration') }}
    where territory_level = 'department'

),

group_exposure as (

    select
        territory_code,
        year,
        partner_group_code,
        export_share
    from {{ ref('territory_partner_group_exposure') }}
    where territory_level = 'department'

),

import_dependency as (

    select
        territory_code,
        year,
        imports_eur,
        is_dependent
    from {{ ref('territory_import_dependency') }}
    where territory_level = 'department'

),

specialisation as (

    select
        territory_code,
        year,
        is_specialised
    from {{ ref('territory_specialisation') }}
    where territory_level = 'department'

),

concentration_by_department as (

    select
        territory_code,
        year,
        max(case when flow = 'export' then partner_hhi end) as export_partner_hhi,
        max(case when flow = 'export' then product_hhi end) as export_product_hhi,
        max(case when flow = 'import' then partner_hhi end) as import_partner_hhi,
        max(case when flow = 'import' then product_hhi end) as import_product_hhi
    from concentration
    group by territory_code, year

),

exposure_by_department as (

    select
        territory_code,
        year,
        max(case when partner_group_code = 'EU27' then export_share end) as eu27_export_share,
        max(case when partner_group_code = 'US' then export_share end) as us_export_share
    from group_exposure
    group by territory_code, year

),

dependency_by_department as (

    select
        territory_code,
        year,
        cast(sum(case when is_dependent then imports_eur else 0 end) as double)
        / nullif(cast(sum(imports_eur) as double), 0) as dependent_import_share
    from import_dependency
    group by territory_code, year

),

specialisation_by_department as (

    select
        territory_code,
        year,
        count(case when is_specialised then 1 end) as specialised_product_count
    from specialisation
    group by territory_code, year

),

department_values as (

    select
        balances.territory_code,
        balances.territory_name,
        balances.region_code,
        balances.region_name,
        balances.year,
        balances.exports_eur,
        balances.imports_eur,
        balances.balance_eur,
        evolution.exports_change_ratio_1y,
        evolution.exports_change_ratio_5y,
        concentration_by_department.export_partner_hhi,
        concentration_by_department.export_product_hhi,
        concentration_by_department.import_partner_hhi,
        concentration_by_department.import_product_hhi,
        exposure_by_department.eu27_export_share,
        exposure_by_department.us_export_share,
        dependency_by_department.dependent_import_share,
        specialisation_by_department.specialised_product_count
    from balances
    left join evolution
        on
            balances.territory_code = evolution.territory_code
            and balances.year = evolution.year
    left join concentration_by_department
        on
            balances.territory_code = concentration_by_department.territory_code
            and balances.year = concentration_by_department.year
    left join exposure_by_department
        on
            balances.territory_code = exposure_by_department.territory_code
            and balances.year = exposure_by_department.year
    left join dependency_by_department
        on
            balances.territory_code = dependency_by_department.territory_code
            and balances.year = dependency_by_department.year
    left join specialisation_by_department
        on
            balances.territory_code = specialisation_by_department.territory_code
            and balances.year = specialisation_by_department.year

),

indicator_values as (

    {% for code in indicator_columns %}
        select
            territory_code,
            territory_name,
            region_code,
            region_name,
            year,
            '{{ code }}' as indicator_code,
            cast({{ code }} as double) as indicator_value
        from department_values
        where {{ code }} is not null
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

ranked as (

    select
        territory_code,
        territory_name,
        region_code,
        region_name,
        year,
        indicator_code,
        indicator_value,
        row_number() over (
            partition by year, indicator_code
            order by indicator_value desc, territory_code asc
        ) as rank_among_departments,
        count(*) over (partition by year, indicator_code) as ranked_departments,
        row_number() over (
            partition by year, indicator_code, region_code
            order by indicator_value desc, territory_code asc
        ) as rank_in_region,
        count(*) over (partition by year, indicator_code, region_code) as ranked_in_region
    from indicator_values

),

final as (

    select
        'department' as territory_level,
        ranked.territory_code,
        ranked.territory_name,
        ranked.region_code,
        ranked.region_name,
        ranked.year,
        ranked.indicator_code,
        indicators.indicator_label,
        indicators.indicator_kind,
        indicators.indicator_unit,
        indicators.indicator_order,
        cast(ranked.indicator_value as double) as indicator_value,
        cast(ranked.rank_among_departments as integer) as rank_among_departments,
        cast(ranked.ranked_departments as integer) as ranked_departments,
        cast(ranked.rank_in_region as integer) as rank_in_region,
        cast(ranked.ranked_in_region as integer) as ranked_in_region
    from ranked
    left join indicators on ranked.indicator_code = indicators.indicator_code

)

select
    territory_level,
    territory_code,
    territory_name,
    region_code,
    region_name,
    year,
    indicator_code,
    indicator_label,
    indicator_kind,
    indicator_unit,
    indicator_order,
    indicator_value,
    rank_among_departments,
    ranked_departments,
    rank_in_region,
    ranked_in_region
from final
