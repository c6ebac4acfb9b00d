-- Concentration of a territory's exports and of its imports: the HHI across
-- partner countries and across A129 products, and how many of the largest
-- partners or products make 80 % of the flow.
-- Evidence passes the territory of the page (its route parameters); the
-- Python renderer binds both to null to get every territory at once.
select
    concentration.territory_level,
    concentration.territory_code,
    concentration.flow,
    case concentration.flow
        when 'export' then 'Exportations'
        else 'Importations'
    end as flow_label,
    concentration.flow_eur,
    concentration.partner_count,
    concentration.partner_hhi,
    concentration.partners_for_80_pct,
    concentration.top_partner_share,
    concentration.product_count,
    concentration.product_hhi,
    concentration.products_for_80_pct,
    concentration.top_product_share
from marts.territory_concentration as concentration
where
    concentration.year = ${inputs.year.value}
    and (
        '${params.territory_level}' is null
        or concentration.territory_level = '${params.territory_level}'
    )
    and (
        '${params.territory_code}' is null
        or concentration.territory_code = '${params.territory_code}'
    )
order by
    concentration.territory_level asc,
    concentration.territory_code asc,
    concentration.flow asc
