-- Exposure of a territory to groups of partners (EU 27, outside the EU, the
-- United States, China, the United Kingdom): its exports and imports with
-- each group and their shares of the territory's flows.
-- Evidence passes the territory of the page (its route parameters); the
-- Python renderer binds both to null to get every territory at once.
select
    exposure.territory_level,
    exposure.territory_code,
    exposure.partner_group_code,
    exposure.partner_group_label,
    exposure.partner_group_type,
    exposure.exports_eur,
    exposure.imports_eur,
    exposure.balance_eur,
    exposure.export_share,
    exposure.import_share,
    case exposure.partner_group_code
        when 'EU27' then 1
        when 'EXTRA_EU27' then 2
        when 'US' then 3
        when 'CN' then 4
        when 'GB' then 5
    end as group_order
from marts.territory_partner_group_exposure as exposure
where
    exposure.year = ${inputs.year.value}
    and (
        '${params.territory_level}' is null
        or exposure.territory_level = '${params.territory_level}'
    )
    and (
        '${params.territory_code}' is null
        or exposure.territory_code = '${params.territory_code}'
    )
order by
    exposure.territory_level,
    exposure.territory_code,
    group_order
