-- The ten largest imported products of a territory whose first supplier
-- country provides more than half of the product's imports.
-- A product worth less than 50 000 euros would read "0,0" million euros
-- once rounded to the tenth (half up): it is not listed, and
-- small_products_left_out counts the territory's dependent products left
-- out that way, so that the table can say so.
-- Evidence passes the territory of the page (its route parameters); the
-- Python renderer binds both to null to get every territory at once.
with dependent as (
    select
        dependency.territory_level,
        dependency.territory_code,
        dependency.product_code,
        dependency.product_label,
        dependency.imports_eur,
        dependency.share_of_territory_imports,
        dependency.supplier_count,
        dependency.first_supplier_code,
        dependency.first_supplier_name,
        dependency.first_supplier_is_eu27,
        dependency.first_supplier_imports_eur,
        dependency.first_supplier_share,
        count(*) filter (where dependency.imports_eur < 50000) over (
            partition by dependency.territory_level, dependency.territory_code
        ) as small_products_left_out
    from marts.territory_import_dependency as dependency
    where
        dependency.year = ${inputs.year.value}
        and dependency.is_dependent
        and (
            '${params.territory_level}' is null
            or dependency.territory_level = '${params.territory_level}'
        )
        and (
            '${params.territory_code}' is null
            or dependency.territory_code = '${params.territory_code}'
        )
)

select
    territory_level,
    territory_code,
    product_code,
    product_label,
    imports_eur,
    share_of_territory_imports,
    supplier_count,
    first_supplier_code,
    first_supplier_name,
    first_supplier_is_eu27,
    first_supplier_imports_eur,
    first_supplier_share,
    small_products_left_out,
    row_number() over (
        partition by territory_level, territory_code
        order by imports_eur desc, product_code asc
    ) as dependency_rank
from dependent
where imports_eur >= 50000
qualify dependency_rank <= 10
order by
    territory_level,
    territory_code,
    dependency_rank
