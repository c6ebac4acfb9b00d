-- The key figures of a territory for one year: exports, imports, balance,
-- coverage, shares of its region and of France, change on the year before.
-- Bind $territory_level and $territory_code to one territory, or both to
-- null for every territory of that year.
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
    balance.balance_change_eur
from marts.territory_trade_balance as balance
where
    balance.year = $year
    and ($territory_level is null or balance.territory_level = $territory_level)
    and ($territory_code is null or balance.territory_code = $territory_code)
order by
    balance.territory_level,
    balance.territory_code
