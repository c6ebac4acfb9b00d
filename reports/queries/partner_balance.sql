-- The main partner countries of a territory (top 10 at export or at import)
-- with both flows and the balance, largest total trade first: the data of
-- the "territorial trade balance" chart.
-- Evidence passes the territory of the page (its route parameters); the
-- Python renderer binds both to null to get every territory at once.
select
    partners.territory_level,
    partners.territory_code,
    partners.country_code,
    partners.country_name,
    partners.is_eu27,
    partners.exports_eur,
    partners.imports_eur,
    partners.balance_eur,
    partners.total_trade_eur,
    partners.export_share,
    partners.import_share,
    partners.export_rank,
    partners.import_rank,
    partners.total_trade_rank
from marts.territory_partner_trade as partners
where
    partners.year = ${inputs.year.value}
    and partners.is_main_partner
    and (
        '${params.territory_level}' is null
        or partners.territory_level = '${params.territory_level}'
    )
    and (
        '${params.territory_code}' is null
        or partners.territory_code = '${params.territory_code}'
    )
order by
    partners.territory_level,
    partners.territory_code,
    partners.total_trade_rank,
    partners.country_code
