-- Exports and imports of every territory for every year of the data, zero
-- where a territory has no trade in a flow (so no territory-year is missing),
-- with the territory's name and region, so that the marts built on it need
-- not join the territories again. Incremental by year: a build with a list
-- of changed years writes the rows of those years only (every territory for
-- each of them), the other years' rows are kept.
{{ config(**mart_by_year_config()) }}
with

territories as (

    select
        territory_level,
        territory_code,
        territory_name,
        region_code,
        region_name
    from {{ ref('int_territories') }}

),

territory_trade as (

    select
        territory_level,
        territory_code,
        year,
        flow,
        value_eur
    from {{ ref('int_territory_trade') }}
    {{ where_changed_years('year') }}

),

years as (

    select distinct year from territory_trade

),

totals as (

    select
        territory_level,
        territory_code,
        year,
        sum(case when flow = 'export' then value_eur else 0 end) as exports_eur,
        sum(case when flow = 'import' then value_eur else 0 end) as imports_eur
    from territory_trade
    group by territory_level, territory_code, year

),

final as (

    select
        territories.territory_level,
        territories.territory_code,
        territories.territory_name,
        territories.region_code,
        territories.region_name,
        years.year,
        cast(coalesce(totals.exports_eur, 0) as decimal(18, 3)) as exports_eur,
        cast(coalesce(totals.imports_eur, 0) as decimal(18, 3)) as imports_eur
    from territories
    cross join years
    left join totals
        on
            territories.territory_level = totals.territory_level
            and territories.territory_code = totals.territory_code
            and years.year = totals.year

)

select * from final
