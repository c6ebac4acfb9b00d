-- Years covered by the marts, newest first, with the label pages give each
-- one: a year of the regional file with fewer than four quarters is named by
-- the quarters it covers ("2025, 1er trimestre"), never shown as a whole
-- year. A report shows the newest complete year unless another is asked for
-- (the year dropdown of the Evidence pages lists these with their labels).
select
    periods.year,
    periods.period_label,
    periods.is_complete_year,
    periods.quarters_covered,
    periods.france_source
from marts.trade_periods as periods
order by periods.year desc
