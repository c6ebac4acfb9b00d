-- What a territory exports and imports, by product: the A38 groups and the
-- A129 products inside them (the treemaps of the main activities).
-- Bind $territory_level and $territory_code to one territory, or both to
-- null for every territory of that year.
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
    products.year = $year
    and products.product_level in ('a38', 'a129')
    and ($territory_level is null or products.territory_level = $territory_level)
    and ($territory_code is null or products.territory_code = $territory_code)
order by
    products.territory_level,
    products.territory_code,
    products.flow,
    products.product_level,
    products.rank_in_flow
