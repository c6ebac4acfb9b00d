-- One row per territory, year and partner country: exports, imports,
-- balance, ranks, shares, and the main partners the balance chart shows
-- (the top N at export together with the top N at import).
{% set territory_year = ['territory_level', 'territory_code', 'year'] %}

with

territory_trade as (

    select
        territory_level,
        territory_code,
        year,
        flow,
        country_code,
        value_eur
    from {{ ref('int_territory_trade') }}

),

territories as (

    select
        territory_level,
        territory_code,
        territory_name
    from {{ ref('int_territories') }}

),

countries as (

    select
        year,
        country_code,
        country_name,
        is_eu27
    from {{ ref('int_countries_by_year') }}

),

by_partner as (

    select
        territory_level,
        territory_code,
        year,
        country_code,
        sum(case when flow = 'export' then value_eur else 0 end) as exports_eur,
        sum(case when flow = 'import' then value_eur else 0 end) as imports_eur
    from territory_trade
    group by territory_level, territory_code, year, country_code

),

ranked as (

    select
        territory_level,
        territory_code,
        year,
        country_code,
        exports_eur,
        imports_eur,
        sum(exports_eur) over (
            partition by territory_level, territory_code, year
        ) as territory_exports_eur,
        sum(imports_eur) over (
            partition by territory_level, territory_code, year
        ) as territory_imports_eur,
        {{ rank_by_value('exports_eur', 'country_code', territory_year) }} as export_rank,
        {{ rank_by_value('imports_eur', 'country_code', territory_year) }} as import_rank,
        {{ rank_by_value('exports_eur + imports_eur', 'country_code', territory_year) }}
            as total_trade_rank
    from by_partner

),

final as (

    select
        ranked.territory_level,
        ranked.territory_code,
        territories.territory_name,
        ranked.year,
        ranked.country_code,
        countries.country_name,
        countries.is_eu27,
        cast(ranked.exports_eur as decimal(18, 2)) as exports_eur,
        cast(ranked.imports_eur as decimal(18, 2)) as imports_eur,
        cast(ranked.exports_eur - ranked.imports_eur as decimal(18, 2)) as balance_eur,
        cast(ranked.exports_eur + ranked.imports_eur as decimal(18, 2)) as total_trade_eur,
        cast(
            cast(ranked.exports_eur as double)
            / nullif(cast(ranked.territory_exports_eur as double), 0) as double
        ) as export_share,
        cast(
            cast(ranked.imports_eur as double)
            / nullif(cast(ranked.territory_imports_eur as double), 0) as double
        ) as import_share,
        cast(ranked.export_rank as integer) as export_rank,
        cast(ranked.import_rank as integer) as import_rank,
        cast(ranked.total_trade_rank as integer) as total_trade_rank,
        coalesce(
            ranked.export_rank <= {{ var('main_partner_top_n') }}
            or ranked.import_rank <= {{ var('main_partner_top_n') }},
            false
        ) as is_main_partner
    from ranked
    inner join territories
        on
            ranked.territory_level = territories.territory_level
            and ranked.territory_code = territories.territory_code
    inner join countries
        on
            ranked.country_code = countries.country_code
            and ranked.year = countries.year

)

select
    territory_level,
    territory_code,
    territory_name,
    year,
    country_code,
    country_name,
    is_eu27,
    exports_eur,
    imports_eur,
    balance_eur,
    total_trade_eur,
    export_share,
    import_share,
    export_rank,
    import_rank,
    total_trade_rank,
    is_main_partner
from final
