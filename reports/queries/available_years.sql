-- Years covered by the marts, newest first: a report shows the newest one
-- unless another year is asked for (the year dropdown of the Evidence pages
-- lists these, newest selected).
select distinct balance.year
from marts.territory_trade_balance as balance
order by balance.year desc
