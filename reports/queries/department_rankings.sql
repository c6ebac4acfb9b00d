-- The rank of a department among all departments and within its region on
-- each indicator (1 = highest value). Regions and France have no row.
-- Evidence passes the territory of the page (its route parameters); the
-- Python renderer binds both to null to get every department at once.
select
    rankings.territory_level,
    rankings.territory_code,
    rankings.region_code,
    rankings.region_name,
    rankings.indicator_code,
    rankings.indicator_label,
    rankings.indicator_value,
    rankings.rank_among_departments,
    rankings.ranked_departments,
    rankings.rank_in_region,
    rankings.ranked_in_region,
    case rankings.indicator_code
        when 'exports_eur' then 1
        when 'imports_eur' then 2
        when 'balance_eur' then 3
        when 'exports_change_ratio_1y' then 4
        when 'exports_change_ratio_5y' then 5
        when 'export_partner_hhi' then 6
        when 'export_product_hhi' then 7
        when 'import_partner_hhi' then 8
        when 'import_product_hhi' then 9
        when 'eu27_export_share' then 10
        when 'us_export_share' then 11
        when 'dependent_import_share' then 12
        when 'specialised_product_count' then 13
    end as indicator_order
from marts.department_rankings as rankings
where
    rankings.year = ${inputs.year.value}
    and (
        '${params.territory_level}' is null
        or rankings.territory_level = '${params.territory_level}'
    )
    and (
        '${params.territory_code}' is null
        or rankings.territory_code = '${params.territory_code}'
    )
order by
    rankings.territory_level,
    rankings.territory_code,
    indicator_order
