-- The ten products a territory sells most to the United States, with the
-- share of each product's exports that goes there (its dependency on the
-- US market). A territory without exports to the US has no row.
-- Evidence passes the territory of the page (its route parameters); the
-- Python renderer binds both to null to get every territory at once.
select
    us_products.territory_level,
    us_products.territory_code,
    us_products.product_code,
    us_products.product_label,
    us_products.us_exports_eur,
    us_products.product_exports_eur,
    us_products.us_share_of_product_exports,
    us_products.share_of_territory_us_exports,
    us_products.share_of_territory_exports,
    us_products.us_value_rank,
    us_products.dependency_rank
from marts.territory_us_exposure_products as us_products
where
    us_products.year = ${inputs.year.value}
    and us_products.us_value_rank <= 10
    and (
        '${params.territory_level}' is null
        or us_products.territory_level = '${params.territory_level}'
    )
    and (
        '${params.territory_code}' is null
        or us_products.territory_code = '${params.territory_code}'
    )
order by
    us_products.territory_level,
    us_products.territory_code,
    us_products.us_value_rank
