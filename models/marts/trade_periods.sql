-- One row per year of the warehouse: the quarters its departmental figures
-- cover, whether it is a complete year, the label pages give it, and where
-- France's figures come from that year (the national file or the sum of the
-- departmental files). Pages use it to show a partial year as such.
with

periods as (

    select
        year,
        quarters_covered,
        first_quarter,
        last_quarter,
        is_complete_year,
        national_months,
        france_source,
        period_label
    from {{ ref('int_trade_periods') }}

),

final as (

    select
        year,
        quarters_covered,
        first_quarter,
        last_quarter,
        is_complete_year,
        national_months,
        france_source,
        period_label
    from periods

)

select
    year,
    quarters_covered,
    first_quarter,
    last_quarter,
    is_complete_year,
    national_months,
    france_source,
    period_label
from final
