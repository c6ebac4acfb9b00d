-- Partner groups are consistent: EU27 and EXTRA_EU27 add up exactly to the
-- territory's exports and imports (so their shares sum to 1 for a territory
-- with trade), and each country group equals the sum of its countries in
-- the partner table (US, CN, and GB with XI).
with

groups as (

    select
        territory_level,
        territory_code,
        year,
        partner_group_code,
        exports_eur,
        imports_eur,
        export_share,
        import_share,
        territory_exports_eur,
        territory_imports_eur
    from {{ ref('territory_partner_group_exposure') }}

),

partners as (

    select
        territory_level,
        territory_code,
        year,
        country_code,
        exports_eur,
        imports_eur
    from {{ ref('territory_partner_trade') }}

),

eu_split as (

    select
        territory_level,
        territory_code,
        year,
        'EU27 + EXTRA_EU27' as check_name,
        sum(exports_eur) as exports_eur,
        sum(imports_eur) as imports_eur,
        max(territory_exports_eur) as expected_exports_eur,
        max(territory_imports_eur) as expected_imports_eur,
        sum(export_share) as export_share_total,
        sum(import_share) as import_share_total
    from groups
    where partner_group_code in ('EU27', 'EXTRA_EU27')
    group by territory_level, territory_code, year

),

country_groups as (

    select
        territory_level,
        territory_code,
        year,
        case when country_code = 'XI' then 'GB' else country_code end as partner_group_code,
        sum(exports_eur) as exports_eur,
        sum(imports_eur) as imports_eur
    from partners
    where country_code in ('US', 'CN', 'GB', 'XI')
    group by
        territory_level,
        territory_code,
        year,
        case when country_code = 'XI' then 'GB' else country_code end

),

country_checks as (

    select
        groups.territory_level,
        groups.territory_code,
        groups.year,
        groups.partner_group_code as check_name,
        groups.exports_eur,
        groups.imports_eur,
        coalesce(country_groups.exports_eur, 0) as expected_exports_eur,
        coalesce(country_groups.imports_eur, 0) as expected_imports_eur,
        cast(null as double) as export_share_total,
        cast(null as double) as import_share_total
    from groups
    left join country_groups
        on
            groups.territory_level = country_groups.territory_level
            and groups.territory_code = country_groups.territory_code
            and groups.year = country_groups.year
            and groups.partner_group_code = country_groups.partner_group_code
    where groups.partner_group_code in ('US', 'CN', 'GB')

),

checks as (

    select * from eu_split
    union all
    select * from country_checks

)

select
    territory_level,
    territory_code,
    year,
    check_name,
    exports_eur,
    expected_exports_eur,
    imports_eur,
    expected_imports_eur,
    export_share_total,
    import_share_total
from checks
where
    exports_eur <> expected_exports_eur
    or imports_eur <> expected_imports_eur
    or (expected_exports_eur > 0 and abs(export_share_total - 1) > 1e-9)
    or (expected_imports_eur > 0 and abs(import_share_total - 1) > 1e-9)
