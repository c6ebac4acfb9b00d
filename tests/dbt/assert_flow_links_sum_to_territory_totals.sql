-- The cells of each flow diagram sum to the territory's total for that flow
-- (and a territory with no trade in a flow has no cell). Each cell and the
-- total are exact sums rounded once to the cent, so they may differ by at
-- most half a cent per rounded figure; with whole-euro data they are equal.
with

links as (

    select
        territory_level,
        territory_code,
        year,
        flow,
        sum(value_eur) as links_eur,
        count(*) as link_count
    from {{ tested_years_relation(ref('territory_flow_links')) }}
    group by territory_level, territory_code, year, flow

),

balances as (

    select
        territory_level,
        territory_code,
        year,
        'export' as flow,
        exports_eur as total_eur
    from {{ tested_years_relation(ref('territory_trade_balance')) }}
    union all
    select
        territory_level,
        territory_code,
        year,
        'import' as flow,
        imports_eur as total_eur
    from {{ tested_years_relation(ref('territory_trade_balance')) }}

)

select
    balances.territory_level,
    balances.territory_code,
    balances.year,
    balances.flow,
    balances.total_eur,
    links.links_eur
from balances
full outer join links
    on
        balances.territory_level = links.territory_level
        and balances.territory_code = links.territory_code
        and balances.year = links.year
        and balances.flow = links.flow
where
    balances.total_eur is null
    or (links.links_eur is null and balances.total_eur <> 0)
    or abs(balances.total_eur - links.links_eur)
    > {{ half_cent_if_fractional() }} * (links.link_count + 1)
