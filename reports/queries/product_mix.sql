-- What a territory exports and imports, by product: the A38 groups and the
-- A129 products inside them (the treemaps of the main activities).
-- Evidence passes the territory of the page (its route parameters); the
-- Python renderer binds both to null to get every territory at once.
select
    products.territory_level,
    products.territory_code,
    products.flow,
    products.product_level,
    products.product_code,
    products.product_label,
    products.parent_product_code,
    products.value_eur,
    products.share_of_flow,
    products.rank_in_flow
from marts.territory_product_trade as products
where
    products.year = ${inputs.year.value}
    and products.product_level in ('a38', 'a129')
    and (
        '${params.territory_level}' is null
        or products.territory_level = '${params.territory_level}'
    )
    and (
        '${params.territory_code}' is null
        or products.territory_code = '${params.territory_code}'
    )
order by
    products.territory_level,
    products.territory_code,
    products.flow,
    products.product_level,
    products.rank_in_flow
