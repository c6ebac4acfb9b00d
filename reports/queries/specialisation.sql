-- The ten products in which a territory is most specialised: the highest
-- revealed comparative advantage (RCA, the product's share of the territory's
-- exports over its share of France's exports), with the territory's rank
-- among the departments (or regions) exporting the product.
-- Evidence passes the territory of the page (its route parameters); the
-- Python renderer binds both to null to get every territory at once.
select
    specialisation.territory_level,
    specialisation.territory_code,
    specialisation.product_code,
    specialisation.product_label,
    specialisation.exports_eur,
    specialisation.share_of_exports,
    specialisation.france_share_of_exports,
    specialisation.share_of_france_product_exports,
    specialisation.rca,
    specialisation.rca_rank,
    row_number() over (
        partition by specialisation.territory_level, specialisation.territory_code
        order by specialisation.rca desc, specialisation.product_code asc
    ) as specialisation_rank
from marts.territory_specialisation as specialisation
where
    specialisation.year = ${inputs.year.value}
    and specialisation.exports_eur > 0
    and (
        '${params.territory_level}' is null
        or specialisation.territory_level = '${params.territory_level}'
    )
    and (
        '${params.territory_code}' is null
        or specialisation.territory_code = '${params.territory_code}'
    )
qualify specialisation_rank <= 10
order by
    specialisation.territory_level,
    specialisation.territory_code,
    specialisation_rank
