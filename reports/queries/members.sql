-- The territories one level below a territory, with their weight in it: the
-- regions of France (share of France) and the departments of a region (share
-- of the region); a department has none. Largest exporter first.
-- Evidence passes the territory of the page (its route parameters); the
-- Python renderer binds both to null to get the members of every territory.
select
    parents.territory_level as parent_level,
    parents.territory_code as parent_code,
    members.territory_level,
    members.territory_code,
    members.territory_name,
    members.exports_eur,
    members.imports_eur,
    members.balance_eur,
    members.coverage_ratio,
    case
        when parents.territory_level = 'country' then members.export_share_of_france
        else members.export_share_of_region
    end as export_share_of_parent,
    case
        when parents.territory_level = 'country' then members.import_share_of_france
        else members.import_share_of_region
    end as import_share_of_parent,
    '/territoires/'
    || members.territory_level
    || '/'
    || members.territory_code as page_path
from marts.territories as parents
inner join marts.territory_trade_balance as members
    on
        (parents.territory_level = 'country' and members.territory_level = 'region')
        or (
            parents.territory_level = 'region'
            and members.territory_level = 'department'
            and parents.territory_code = members.region_code
        )
where
    members.year = ${inputs.year.value}
    and (
        '${params.territory_level}' is null
        or parents.territory_level = '${params.territory_level}'
    )
    and (
        '${params.territory_code}' is null
        or parents.territory_code = '${params.territory_code}'
    )
order by
    parent_level asc,
    parent_code asc,
    members.exports_eur desc,
    members.territory_code asc
