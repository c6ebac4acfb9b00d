-- One row per territory, year and partner code with trade: exports, imports,
-- balance, ranks, shares, and the main partners the balance chart shows
-- (the top N at export together with the top N at import). Partner codes that
-- are not countries (country_group 'special' in the countries seed) keep
-- their rows, so the table adds up to the territory's totals, but are never
-- ranked, hence never main partners. Euro columns are rounded to the cent
-- once, here, from exact sums; balance and total are computed from the
-- rounded exports and imports, so that they add up on a page.
{{ config(**mart_by_year_config()) }}
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
    {{ where_changed_years('year') }}

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
        is_eu27,
        is_intra_eu,
        country_group = 'country' as is_country
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

-- Only countries are ranked: a special code counts as zero for the ranks.
classified as (

    select
        by_partner.territory_level,
        by_partner.territory_code,
        by_partner.year,
        by_partner.country_code,
        by_partner.exports_eur,
        by_partner.imports_eur,
        case when countries.is_country then by_partner.exports_eur else 0 end
            as ranked_exports_eur,
        case when countries.is_country then by_partner.imports_eur else 0 end
            as ranked_imports_eur
    from by_partner
    inner join countries
        on
            by_partner.country_code = countries.country_code
            and by_partner.year = countries.year

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
        {{ rank_by_value('ranked_exports_eur', 'country_code', territory_year) }} as export_rank,
        {{ rank_by_value('ranked_imports_eur', 'country_code', territory_year) }} as import_rank,
        {{ rank_by_value(
            'ranked_exports_eur + ranked_imports_eur', 'country_code', territory_year
        ) }} as total_trade_rank
    from classified

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
        countries.is_intra_eu,
        countries.is_country,
        cast(ranked.exports_eur as decimal(18, 2)) as exports_eur,
        cast(ranked.imports_eur as decimal(18, 2)) as imports_eur,
        cast(
            cast(ranked.exports_eur as decimal(18, 2)) - cast(ranked.imports_eur as decimal(18, 2))
            as decimal(18, 2)
        ) as balance_eur,
        cast(
            cast(ranked.exports_eur as decimal(18, 2)) + cast(ranked.imports_eur as decimal(18, 2))
            as decimal(18, 2)
        ) as total_trade_eur,
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
    is_intra_eu,
    is_country,
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
