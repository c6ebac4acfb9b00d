-- One row per territory, year, flow and product, at four levels of the
-- product nomenclature: CPF4 and A129 as published, rolled up to A38 and A17
-- for the treemaps. Each product's value, mass, share of the territory's flow
-- and rank.
{{ config(**mart_by_year_config()) }}
{% set territory_flow = ['territory_level', 'territory_code', 'year', 'flow', 'product_level'] %}

with

territory_trade as (

    select
        territory_level,
        territory_code,
        year,
        flow,
        product_code,
        cpf4_code,
        value_eur,
        mass_kg
    from {{ ref('int_territory_product_detail') }}
    {{ where_changed_years('year') }}

),

products_cpf4 as (

    select
        cpf4_code,
        cpf4_label
    from {{ ref('stg_reference__products_cpf4') }}

),

territories as (

    select
        territory_level,
        territory_code,
        territory_name
    from {{ ref('int_territories') }}

),

products_a129 as (

    select
        a129_code,
        a129_label,
        a38_code
    from {{ ref('int_products_a129') }}

),

products_a38 as (

    select
        a38_code,
        a38_label,
        a17_code
    from {{ ref('stg_reference__products_a38') }}

),

products_a17 as (

    select
        a17_code,
        a17_label
    from {{ ref('stg_reference__products_a17') }}

),

by_cpf4 as (

    select
        territory_trade.territory_level,
        territory_trade.territory_code,
        territory_trade.year,
        territory_trade.flow,
        territory_trade.cpf4_code,
        territory_trade.product_code as a129_code,
        products_a38.a38_code,
        products_a38.a17_code,
        territory_trade.value_eur,
        territory_trade.mass_kg
    from territory_trade
    inner join products_a129 on territory_trade.product_code = products_a129.a129_code
    inner join products_a38 on products_a129.a38_code = products_a38.a38_code

),

by_a129 as (

    select
        territory_level,
        territory_code,
        year,
        flow,
        a129_code,
        a38_code,
        a17_code,
        sum(value_eur) as value_eur,
        sum(mass_kg) as mass_kg
    from by_cpf4
    group by territory_level, territory_code, year, flow, a129_code, a38_code, a17_code

),

all_levels as (

    -- CPF4 where the files publish it (the older yearly layouts do not)
    select
        territory_level,
        territory_code,
        year,
        flow,
        'cpf4' as product_level,
        cpf4_code as product_code,
        a129_code as parent_product_code,
        value_eur,
        mass_kg
    from by_cpf4
    where cpf4_code is not null
    union all
    select
        territory_level,
        territory_code,
        year,
        flow,
        'a129' as product_level,
        a129_code as product_code,
        a38_code as parent_product_code,
        value_eur,
        mass_kg
    from by_a129
    union all
    select
        territory_level,
        territory_code,
        year,
        flow,
        'a38' as product_level,
        a38_code as product_code,
        a17_code as parent_product_code,
        sum(value_eur) as value_eur,
        sum(mass_kg) as mass_kg
    from by_a129
    group by territory_level, territory_code, year, flow, a38_code, a17_code
    union all
    select
        territory_level,
        territory_code,
        year,
        flow,
        'a17' as product_level,
        a17_code as product_code,
        {{ dbt.cast('null', dbt.type_string()) }} as parent_product_code,
        sum(value_eur) as value_eur,
        sum(mass_kg) as mass_kg
    from by_a129
    group by territory_level, territory_code, year, flow, a17_code

),

labelled as (

    select
        all_levels.territory_level,
        all_levels.territory_code,
        all_levels.year,
        all_levels.flow,
        all_levels.product_level,
        all_levels.product_code,
        all_levels.parent_product_code,
        all_levels.value_eur,
        all_levels.mass_kg,
        coalesce(
            products_cpf4.cpf4_label,
            products_a129.a129_label,
            products_a38.a38_label,
            products_a17.a17_label
        ) as product_label
    from all_levels
    left join products_cpf4
        on
            all_levels.product_level = 'cpf4'
            and all_levels.product_code = products_cpf4.cpf4_code
    left join products_a129
        on
            all_levels.product_level = 'a129'
            and all_levels.product_code = products_a129.a129_code
    left join products_a38
        on
            all_levels.product_level = 'a38'
            and all_levels.product_code = products_a38.a38_code
    left join products_a17
        on
            all_levels.product_level = 'a17'
            and all_levels.product_code = products_a17.a17_code

),

ranked as (

    select
        territory_level,
        territory_code,
        year,
        flow,
        product_level,
        product_code,
        product_label,
        parent_product_code,
        value_eur,
        mass_kg,
        cast(value_eur as double) / nullif(cast(sum(value_eur) over (
            partition by {{ territory_flow | join(', ') }}
        ) as double), 0) as share_of_flow,
        {{ rank_by_value('value_eur', 'product_code', territory_flow) }} as rank_in_flow
    from labelled

),

final as (

    select
        ranked.territory_level,
        ranked.territory_code,
        territories.territory_name,
        ranked.year,
        ranked.flow,
        ranked.product_level,
        ranked.product_code,
        ranked.product_label,
        ranked.parent_product_code,
        cast(ranked.value_eur as decimal(18, 2)) as value_eur,
        cast(ranked.mass_kg as decimal(18, 3)) as mass_kg,
        cast(ranked.share_of_flow as double) as share_of_flow,
        cast(ranked.rank_in_flow as integer) as rank_in_flow
    from ranked
    inner join territories
        on
            ranked.territory_level = territories.territory_level
            and ranked.territory_code = territories.territory_code

)

select
    territory_level,
    territory_code,
    territory_name,
    year,
    flow,
    product_level,
    product_code,
    product_label,
    parent_product_code,
    value_eur,
    mass_kg,
    share_of_flow,
    rank_in_flow
from final
