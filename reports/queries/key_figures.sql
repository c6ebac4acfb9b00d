-- The key figures of a territory for one year: exports, imports, balance,
-- coverage, shares of its region and of France, change on the year before,
-- the period the figures cover, and for France its source and the trade no
-- department accounts for.
-- Evidence passes the territory of the page (its route parameters); the
-- Python renderer binds both to null to get every territory at once.
select
    balance.territory_level,
    balance.territory_code,
    balance.territory_name,
    balance.region_code,
    balance.region_name,
    balance.year,
    balance.exports_eur,
    balance.imports_eur,
    balance.balance_eur,
    balance.coverage_ratio,
    balance.export_share_of_region,
    balance.import_share_of_region,
    balance.export_share_of_france,
    balance.import_share_of_france,
    balance.exports_previous_year_eur,
    balance.imports_previous_year_eur,
    balance.exports_change_ratio,
    balance.imports_change_ratio,
    balance.balance_change_eur,
    balance.unallocated_exports_eur,
    balance.unallocated_imports_eur,
    balance.period_label,
    balance.is_complete_year,
    balance.france_source
from marts.territory_trade_balance as balance
where
    balance.year = ${inputs.year.value}
    and (
        '${params.territory_level}' is null
        or balance.territory_level = '${params.territory_level}'
    )
    and (
        '${params.territory_code}' is null
        or balance.territory_code = '${params.territory_code}'
    )
order by
    balance.territory_level,
    balance.territory_code
