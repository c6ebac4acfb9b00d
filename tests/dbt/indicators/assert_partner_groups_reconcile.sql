-- Partner groups are consistent: EU27 and EXTRA_EU27 add up to the
-- territory's exports and imports (exactly with whole-euro data; within half
-- a cent per partner row when values carry fractions of a cent, since each
-- is rounded once), so their shares sum to 1 (within that rounding) for a
-- territory with trade;
-- EU27 is exactly the partners flagged is_intra_eu; and each country group
-- equals its one partner row of the partner table (US, CN, and GB: the
-- United Kingdom is GB alone, one figure on every page).
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
    from {{ tested_years_relation(ref('territory_partner_group_exposure')) }}

),

partners as (

    select
        territory_level,
        territory_code,
        year,
        country_code,
        is_intra_eu,
        exports_eur,
        imports_eur
    from {{ tested_years_relation(ref('territory_partner_trade')) }}

),

partner_counts as (

    select
        territory_level,
        territory_code,
        year,
        count(*) as partner_count
    from partners
    group by territory_level, territory_code, year

),

eu_split as (

    select
        groups.territory_level,
        groups.territory_code,
        groups.year,
        'EU27 + EXTRA_EU27' as check_name,
        sum(groups.exports_eur) as exports_eur,
        sum(groups.imports_eur) as imports_eur,
        max(groups.territory_exports_eur) as expected_exports_eur,
        max(groups.territory_imports_eur) as expected_imports_eur,
        sum(groups.export_share) as export_share_total,
        sum(groups.import_share) as import_share_total,
        {{ half_cent_if_fractional() }}
        * (coalesce(max(partner_counts.partner_count), 0) + 1) as tolerance_eur
    from groups
    left join partner_counts
        on
            groups.territory_level = partner_counts.territory_level
            and groups.territory_code = partner_counts.territory_code
            and groups.year = partner_counts.year
    where groups.partner_group_code in ('EU27', 'EXTRA_EU27')
    group by groups.territory_level, groups.territory_code, groups.year

),

partner_sums as (

    -- the partner rows each group should hold: EU27 = is_intra_eu, and the
    -- one country of each single-country group
    select
        territory_level,
        territory_code,
        year,
        case when is_intra_eu then 'EU27' else 'EXTRA_EU27' end as partner_group_code,
        sum(exports_eur) as exports_eur,
        sum(imports_eur) as imports_eur
    from partners
    group by
        territory_level,
        territory_code,
        year,
        case when is_intra_eu then 'EU27' else 'EXTRA_EU27' end
    union all
    select
        territory_level,
        territory_code,
        year,
        country_code as partner_group_code,
        exports_eur,
        imports_eur
    from partners
    where country_code in ('US', 'CN', 'GB')

),

member_checks as (

    select
        groups.territory_level,
        groups.territory_code,
        groups.year,
        groups.partner_group_code as check_name,
        groups.exports_eur,
        groups.imports_eur,
        coalesce(partner_sums.exports_eur, 0) as expected_exports_eur,
        coalesce(partner_sums.imports_eur, 0) as expected_imports_eur,
        cast(null as double) as export_share_total,
        cast(null as double) as import_share_total,
        0 as tolerance_eur
    from groups
    left join partner_sums
        on
            groups.territory_level = partner_sums.territory_level
            and groups.territory_code = partner_sums.territory_code
            and groups.year = partner_sums.year
            and groups.partner_group_code = partner_sums.partner_group_code

),

checks as (

    select * from eu_split
    union all
    select * from member_checks

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
    abs(exports_eur - expected_exports_eur) > tolerance_eur
    or abs(imports_eur - expected_imports_eur) > tolerance_eur
    or (
        expected_exports_eur > 0
        and abs(export_share_total - 1) > 1e-9 + tolerance_eur / expected_exports_eur
    )
    or (
        expected_imports_eur > 0
        and abs(import_share_total - 1) > 1e-9 + tolerance_eur / expected_imports_eur
    )
