-- The export and import flow diagrams: top 10 products x top 10 countries,
-- the rest grouped as "Autres" on each side, the largest links flagged.
-- The links of one territory and flow sum to the territory's total flow.
-- Evidence passes the territory of the page (its route parameters); the
-- Python renderer binds both to null to get every territory at once.
select
    links.territory_level,
    links.territory_code,
    links.flow,
    links.product_code,
    links.product_label,
    links.product_rank,
    links.country_code,
    links.country_name,
    links.country_rank,
    links.source_label,
    links.target_label,
    links.value_eur,
    links.share_of_flow,
    links.link_rank,
    links.is_top_link
from marts.territory_flow_links as links
where
    links.year = ${inputs.year.value}
    and (
        '${params.territory_level}' is null
        or links.territory_level = '${params.territory_level}'
    )
    and (
        '${params.territory_code}' is null
        or links.territory_code = '${params.territory_code}'
    )
order by
    links.territory_level asc,
    links.territory_code asc,
    links.flow asc,
    links.value_eur desc,
    links.product_code asc,
    links.country_code asc
