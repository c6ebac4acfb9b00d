-- marts.territory_product_trade, as it is: the shared report queries (reports/queries/)
-- select and filter it on the pages.
select * from marts.territory_product_trade
