-- One row per territory and year: exports, imports and balance with their
-- change on the previous year and over five years. The five-year change
-- compares a year with year - 4 (five years of data, four annual steps:
-- 2020 -> 2024 on the 2020-2024 sample) and is null when year - 4 is not in
-- the data; the annual rate spreads it evenly over the four steps.
{% set five_year_lag = var('five_year_lag') %}

with

balances as (

    select
        territory_level,
        territory_code,
        territory_name,
        year,
        exports_eur,
        imports_eur,
        balance_eur
    from {{ ref('territory_trade_balance') }}
    -- complete years only: a partial year of the regional file would read as a fall
    where is_complete_year

),

with_bases as (

    select
        balances.territory_level,
        balances.territory_code,
        balances.territory_name,
        balances.year,
        balances.exports_eur,
        balances.imports_eur,
        balances.balance_eur,
        previous_year.exports_eur as exports_previous_year_eur,
        previous_year.imports_eur as imports_previous_year_eur,
        previous_year.balance_eur as balance_previous_year_eur,
        five_years_before.year as base_year_5y,
        five_years_before.exports_eur as exports_base_5y_eur,
        five_years_before.imports_eur as imports_base_5y_eur,
        five_years_before.balance_eur as balance_base_5y_eur
    from balances
    left join balances as previous_year
        on
            balances.territory_level = previous_year.territory_level
            and balances.territory_code = previous_year.territory_code
            and balances.year = previous_year.year + 1
    left join balances as five_years_before
        on
            balances.territory_level = five_years_before.territory_level
            and balances.territory_code = five_years_before.territory_code
            and balances.year = five_years_before.year + {{ five_year_lag }}

),

final as (

    select
        territory_level,
        territory_code,
        territory_name,
        year,
        exports_eur,
        imports_eur,
        balance_eur,
        exports_previous_year_eur,
        imports_previous_year_eur,
        balance_previous_year_eur,
        cast(
            cast(exports_eur as double)
            / nullif(cast(exports_previous_year_eur as double), 0) - 1 as double
        ) as exports_change_ratio_1y,
        cast(
            cast(imports_eur as double)
            / nullif(cast(imports_previous_year_eur as double), 0) - 1 as double
        ) as imports_change_ratio_1y,
        cast(balance_eur - balance_previous_year_eur as decimal(18, 2)) as balance_change_1y_eur,
        cast(base_year_5y as integer) as base_year_5y,
        exports_base_5y_eur,
        imports_base_5y_eur,
        balance_base_5y_eur,
        cast(
            cast(exports_eur as double)
            / nullif(cast(exports_base_5y_eur as double), 0) - 1 as double
        ) as exports_change_ratio_5y,
        cast(
            cast(imports_eur as double)
            / nullif(cast(imports_base_5y_eur as double), 0) - 1 as double
        ) as imports_change_ratio_5y,
        cast(
            power(
                cast(exports_eur as double) / nullif(cast(exports_base_5y_eur as double), 0),
                1.0 / {{ five_year_lag }}
            ) - 1 as double
        ) as exports_annual_change_ratio_5y,
        cast(
            power(
                cast(imports_eur as double) / nullif(cast(imports_base_5y_eur as double), 0),
                1.0 / {{ five_year_lag }}
            ) - 1 as double
        ) as imports_annual_change_ratio_5y,
        cast(balance_eur - balance_base_5y_eur as decimal(18, 2)) as balance_change_5y_eur
    from with_bases

)

select
    territory_level,
    territory_code,
    territory_name,
    year,
    exports_eur,
    imports_eur,
    balance_eur,
    exports_previous_year_eur,
    imports_previous_year_eur,
    balance_previous_year_eur,
    exports_change_ratio_1y,
    imports_change_ratio_1y,
    balance_change_1y_eur,
    base_year_5y,
    exports_base_5y_eur,
    imports_base_5y_eur,
    balance_base_5y_eur,
    exports_change_ratio_5y,
    imports_change_ratio_5y,
    exports_annual_change_ratio_5y,
    imports_annual_change_ratio_5y,
    balance_change_5y_eur
from final
