-- Each flow diagram flags exactly min(5, named links) links, and they are
-- the largest named links.
with

links as (

    select
        territory_level,
        territory_code,
        year,
        flow,
        link_rank,
        is_top_link
    from {{ tested_years_relation(ref('territory_flow_links')) }}

),

per_diagram as (

    select
        territory_level,
        territory_code,
        year,
        flow,
        count(link_rank) as named_links,
        count(*) filter (where is_top_link) as flagged_links,
        max(case when is_top_link then link_rank end) as last_flagged_rank
    from links
    group by territory_level, territory_code, year, flow

)

select
    territory_level,
    territory_code,
    year,
    flow,
    named_links,
    flagged_links,
    last_flagged_rank
from per_diagram
where
    flagged_links <> least(named_links, {{ var('flow_top_links') }})
    or coalesce(last_flagged_rank, 0) <> flagged_links
