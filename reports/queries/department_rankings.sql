-- The rank of a department among all departments and within its region on
-- each indicator (1 = highest value). Regions and France have no row.
-- Evidence passes the territory of the page (its route parameters); the
-- Python renderer binds both to null to get every department at once.
-- Labels, kinds, units and order are the indicators seed's, carried by the mart.
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
    rankings.indicator_kind,
    rankings.indicator_unit,
    rankings.indicator_order
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
    rankings.indicator_order
