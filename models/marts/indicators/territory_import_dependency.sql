-- Dependency on one supplier: one row per territory, year and A129 product
-- imported, with the first supplier country (largest import value; ties
-- broken by country code), the share of the product's imports it provides,
-- and a flag when that share is above 50 %. Only countries can be suppliers:
-- imports under a special code (not determined, secret, stores...; see the
-- countries seed) count in the product's imports but name no supplier, so a
-- product imported under special codes alone has no first supplier.
{{ config(**mart_by_year_config()) }}
{% set dependency_threshold = 0.5 %}

with

imports as (

    select
        territory_trade.territory_level,
        territory_trade.territory_code,
        territory_trade.year,
        territory_trade.product_code,
        territory_trade.country_code,
        supplier_countries.country_code is not null as is_country,
        territory_trade.value_eur
    from {{ ref('int_territory_trade') }} as territory_trade
    left join {{ ref('int_countries_by_year') }} as supplier_countries
        on
            territory_trade.country_code = supplier_countries.country_code
            and territory_trade.year = supplier_countries.year
            and supplier_countries.country_group = 'country'
    where territory_trade.flow = 'import' and territory_trade.value_eur > 0
    {{ where_changed_years('territory_trade.year', 'and') }}

),

-- Labels and names as the product mart shows them (the A129 import rows).
product_labels as (

    select
        territory_level,
        territory_code,
        territory_name,
        year,
        item_code as product_code,
        item_label as product_label
    from {{ ref('int_territory_trade_items') }}
    where flow = 'import' and item_type = 'product' {{ where_changed_years('year', 'and') }}

),

countries as (

    select
        year,
        country_code,
        country_name,
        is_eu27
    from {{ ref('int_countries_by_year') }}

),

by_product as (

    select
        territory_level,
        territory_code,
        year,
        product_code,
        sum(value_eur) as product_imports_eur,
        count(case when is_country then 1 end) as supplier_count,
        coalesce(max(case when is_country then value_eur end), 0) as first_supplier_imports_eur
    from imports
    group by territory_level, territory_code, year, product_code

),

-- The supplier with the largest value; among tied suppliers the first code.
first_suppliers as (

    select
        imports.territory_level,
        imports.territory_code,
        imports.year,
        imports.product_code,
        min(imports.country_code) as country_code
    from imports
    inner join by_product
        on
            imports.territory_level = by_product.territory_level
            and imports.territory_code = by_product.territory_code
            and imports.year = by_product.year
            and imports.product_code = by_product.product_code
            and imports.value_eur = by_product.first_supplier_imports_eur
    where imports.is_country
    group by imports.territory_level, imports.territory_code, imports.year, imports.product_code

),

dependency as (

    select
        by_product.territory_level,
        by_product.territory_code,
        by_product.year,
        by_product.product_code,
        by_product.product_imports_eur,
        by_product.supplier_count,
        first_suppliers.country_code,
        by_product.first_supplier_imports_eur,
        sum(by_product.product_imports_eur) over (
            partition by by_product.territory_level, by_product.territory_code, by_product.year
        ) as territory_imports_eur
    from by_product
    left join first_suppliers
        on
            by_product.territory_level = first_suppliers.territory_level
            and by_product.territory_code = first_suppliers.territory_code
            and by_product.year = first_suppliers.year
            and by_product.product_code = first_suppliers.product_code

),

final as (

    select
        dependency.territory_level,
        dependency.territory_code,
        product_labels.territory_name,
        dependency.year,
        dependency.product_code,
        product_labels.product_label,
        cast(dependency.product_imports_eur as decimal(18, 2)) as imports_eur,
        cast(
            cast(dependency.product_imports_eur as double)
            / cast(dependency.territory_imports_eur as double) as double
        ) as share_of_territory_imports,
        cast(dependency.supplier_count as integer) as supplier_count,
        dependency.country_code as first_supplier_code,
        countries.country_name as first_supplier_name,
        countries.is_eu27 as first_supplier_is_eu27,
        cast(dependency.first_supplier_imports_eur as decimal(18, 2)) as first_supplier_imports_eur,
        cast(
            cast(dependency.first_supplier_imports_eur as double)
            / cast(dependency.product_imports_eur as double) as double
        ) as first_supplier_share,
        dependency.first_supplier_imports_eur
        > {{ dependency_threshold }} * dependency.product_imports_eur as is_dependent
    from dependency
    inner join product_labels
        on
            dependency.territory_level = product_labels.territory_level
            and dependency.territory_code = product_labels.territory_code
            and dependency.year = product_labels.year
            and dependency.product_code = product_labels.product_code
    left join countries
        on
            dependency.country_code = countries.country_code
            and dependency.year = countries.year

)

select
    territory_level,
    territory_code,
    territory_name,
    year,
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
    is_dependent
from final
