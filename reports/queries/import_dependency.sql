-- The ten largest imported products of a territory whose first supplier
-- country provides more than half of the product's imports.
-- Evidence passes the territory of the page (its route parameters); the
-- Python renderer binds both to null to get every territory at once.
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
    row_number() over (
        partition by dependency.territory_level, dependency.territory_code
        order by dependency.imports_eur desc, dependency.product_code asc
    ) as dependency_rank
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
qualify dependency_rank <= 10
order by
    dependency.territory_level,
    dependency.territory_code,
    dependency_rank
