-- Exports and imports of a territory for every year of the data up to the
-- year shown, with their growth on one year and on five years (year - 4):
-- the data of the time-series chart of the "exposure and dependency" section.
-- Evidence passes the territory of the page (its route parameters); the
-- Python renderer binds both to null to get every territory at once.
select
    evolution.territory_level,
    evolution.territory_code,
    evolution.year,
    evolution.exports_eur,
    evolution.imports_eur,
    evolution.balance_eur,
    evolution.exports_change_ratio_1y,
    evolution.imports_change_ratio_1y,
    evolution.base_year_5y,
    evolution.exports_change_ratio_5y,
    evolution.imports_change_ratio_5y,
    evolution.exports_annual_change_ratio_5y,
    evolution.imports_annual_change_ratio_5y
from marts.territory_trade_evolution as evolution
where
    evolution.year <= ${inputs.year.value}
    and (
        '${params.territory_level}' is null
        or evolution.territory_level = '${params.territory_level}'
    )
    and (
        '${params.territory_code}' is null
        or evolution.territory_code = '${params.territory_code}'
    )
order by
    evolution.territory_level,
    evolution.territory_code,
    evolution.year
