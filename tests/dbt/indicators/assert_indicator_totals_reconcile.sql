-- The breakdowns of the indicator marts add up: the top movers' changes sum
-- to the territory's change of flow (over products and over partners), the
-- product shares of exports (specialisation) and of imports (dependency) sum
-- to 1, the dependency table covers all imports, and the US exposure list
-- covers all exports to the US.
with

evolution as (

    select
        territory_level,
        territory_code,
        year,
        exports_eur,
        imports_eur,
        exports_previous_year_eur,
        imports_previous_year_eur,
        exports_base_5y_eur,
        imports_base_5y_eur
    from {{ tested_years_relation(ref('territory_trade_evolution')) }}

),

expected_changes as (

    select
        territory_level,
        territory_code,
        year,
        '1y' as horizon,
        'export' as flow,
        exports_eur - exports_previous_year_eur as change_eur
    from evolution
    where exports_previous_year_eur is not null
    union all
    select
        territory_level,
        territory_code,
        year,
        '1y' as horizon,
        'import' as flow,
        imports_eur - imports_previous_year_eur as change_eur
    from evolution
    where imports_previous_year_eur is not null
    union all
    select
        territory_level,
        territory_code,
        year,
        '5y' as horizon,
        'export' as flow,
        exports_eur - exports_base_5y_eur as change_eur
    from evolution
    where exports_base_5y_eur is not null
    union all
    select
        territory_level,
        territory_code,
        year,
        '5y' as horizon,
        'import' as flow,
        imports_eur - imports_base_5y_eur as change_eur
    from evolution
    where imports_base_5y_eur is not null

),

balances as (

    -- every year, partial ones included (evolution holds complete years only)
    select
        territory_level,
        territory_code,
        year,
        exports_eur,
        imports_eur
    from {{ tested_years_relation(ref('territory_trade_balance')) }}

),

mover_changes as (

    select
        territory_level,
        territory_code,
        year,
        horizon,
        flow,
        item_type,
        sum(change_eur) as change_eur,
        count(*) as item_count
    from {{ tested_years_relation(ref('territory_top_movers')) }}
    group by territory_level, territory_code, year, horizon, flow, item_type

),

movers_check as (

    select
        'movers ' || mover_changes.item_type || ' ' || mover_changes.horizon as check_name,
        mover_changes.territory_level,
        mover_changes.territory_code,
        mover_changes.year,
        mover_changes.flow,
        cast(mover_changes.change_eur as double) as actual_value,
        cast(expected_changes.change_eur as double) as expected_value,
        -- each item's change is the difference of two figures rounded once to
        -- the cent, as are the two totals: no slack unless raw values carry
        -- fractions of a cent
        cast(
            2 * {{ half_cent_if_fractional() }} * (mover_changes.item_count + 1) as double
        ) as slack
    from mover_changes
    left join expected_changes
        on
            mover_changes.territory_level = expected_changes.territory_level
            and mover_changes.territory_code = expected_changes.territory_code
            and mover_changes.year = expected_changes.year
            and mover_changes.horizon = expected_changes.horizon
            and mover_changes.flow = expected_changes.flow

),

specialisation_check as (

    select
        'specialisation export shares' as check_name,
        territory_level,
        territory_code,
        year,
        'export' as flow,
        sum(share_of_exports) as actual_value,
        1.0 as expected_value,
        -- shares of figures rounded once to the cent: half a cent per product
        -- and on the total, relative to the exports, when raw values carry
        -- fractions of a cent (0 otherwise)
        cast(
            {{ half_cent_if_fractional() }} * (count(*) + 1)
            / nullif(sum(exports_eur), 0) as double
        ) as slack
    from {{ tested_years_relation(ref('territory_specialisation')) }}
    group by territory_level, territory_code, year

),

dependency_totals as (

    select
        territory_level,
        territory_code,
        year,
        sum(imports_eur) as imports_eur,
        sum(share_of_territory_imports) as share_total
    from {{ tested_years_relation(ref('territory_import_dependency')) }}
    group by territory_level, territory_code, year

),

dependency_check as (

    select
        'dependency import shares' as check_name,
        territory_level,
        territory_code,
        year,
        'import' as flow,
        share_total as actual_value,
        1.0 as expected_value,
        0.0 as slack
    from dependency_totals
    union all
    select
        'dependency imports' as check_name,
        dependency_totals.territory_level,
        dependency_totals.territory_code,
        dependency_totals.year,
        'import' as flow,
        cast(dependency_totals.imports_eur as double) as actual_value,
        cast(balances.imports_eur as double) as expected_value,
        0.0 as slack
    from dependency_totals
    left join balances
        on
            dependency_totals.territory_level = balances.territory_level
            and dependency_totals.territory_code = balances.territory_code
            and dependency_totals.year = balances.year

),

us_totals as (

    select
        territory_level,
        territory_code,
        year,
        sum(us_exports_eur) as us_exports_eur,
        sum(share_of_territory_us_exports) as share_total
    from {{ tested_years_relation(ref('territory_us_exposure_products')) }}
    group by territory_level, territory_code, year

),

us_group as (

    select
        territory_level,
        territory_code,
        year,
        exports_eur
    from {{ tested_years_relation(ref('territory_partner_group_exposure')) }}
    where partner_group_code = 'US' and exports_eur > 0

),

us_check as (

    select
        'US exposure covers US exports' as check_name,
        coalesce(us_group.territory_level, us_totals.territory_level) as territory_level,
        coalesce(us_group.territory_code, us_totals.territory_code) as territory_code,
        coalesce(us_group.year, us_totals.year) as year,
        'export' as flow,
        cast(us_totals.us_exports_eur as double) as actual_value,
        cast(us_group.exports_eur as double) as expected_value,
        0.0 as slack
    from us_group
    full outer join us_totals
        on
            us_group.territory_level = us_totals.territory_level
            and us_group.territory_code = us_totals.territory_code
            and us_group.year = us_totals.year
    union all
    select
        'US exposure product shares' as check_name,
        territory_level,
        territory_code,
        year,
        'export' as flow,
        share_total as actual_value,
        1.0 as expected_value,
        0.0 as slack
    from us_totals

),

checks as (

    select * from movers_check
    union all
    select * from specialisation_check
    union all
    select * from dependency_check
    union all
    select * from us_check

)

select
    check_name,
    territory_level,
    territory_code,
    year,
    flow,
    actual_value,
    expected_value,
    slack
from checks
where
    actual_value is null
    or expected_value is null
    or abs(actual_value - expected_value) > 1e-9 * greatest(1, abs(expected_value)) + slack
