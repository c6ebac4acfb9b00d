-- One row per department with the main indicators of the year, for the
-- sortable table and the ranking of the index page: exports, imports,
-- balance, coverage, one-year export growth, HHI of export partners, share
-- of exports going to the United States, and the rank by exports.
select
    balance.territory_code,
    balance.territory_name,
    balance.region_code,
    balance.region_name,
    balance.exports_eur,
    balance.imports_eur,
    balance.balance_eur,
    balance.coverage_ratio,
    growth.indicator_value as exports_change_ratio_1y,
    partner_hhi.indicator_value as export_partner_hhi,
    us_share.indicator_value as us_export_share,
    exports_ranking.rank_among_departments as rank_by_exports,
    '/territoires/department/' || balance.territory_code as page_path
from marts.territory_trade_balance as balance
left join marts.department_rankings as exports_ranking
    on
        balance.territory_code = exports_ranking.territory_code
        and balance.year = exports_ranking.year
        and exports_ranking.indicator_code = 'exports_eur'
left join marts.department_rankings as growth
    on
        balance.territory_code = growth.territory_code
        and balance.year = growth.year
        and growth.indicator_code = 'exports_change_ratio_1y'
left join marts.department_rankings as partner_hhi
    on
        balance.territory_code = partner_hhi.territory_code
        and balance.year = partner_hhi.year
        and partner_hhi.indicator_code = 'export_partner_hhi'
left join marts.department_rankings as us_share
    on
        balance.territory_code = us_share.territory_code
        and balance.year = us_share.year
        and us_share.indicator_code = 'us_export_share'
where
    balance.year = ${inputs.year.value}
    and balance.territory_level = 'department'
order by
    rank_by_exports,
    balance.territory_code
