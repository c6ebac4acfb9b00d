-- marts.territory_top_movers, as it is: the shared report queries (reports/queries/)
-- select and filter it on the pages.
select * from marts.territory_top_movers
