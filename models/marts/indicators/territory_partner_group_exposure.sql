-- One row per territory, year and group of partners: the EU 27 (the member
-- states and the special codes of intra-EU trade, is_intra_eu in the
-- countries seed), the rest of the world (every other code, special ones
-- included), and the United States, China and the United Kingdom (GB alone,
-- as in the partner mart: the customs annex has no Northern Ireland code),
-- with the territory's exports to and imports from the group and the group's
-- share of its exports and imports. Every territory-year has every group,
-- with zeros when it does not trade with it.
{{ config(**mart_by_year_config()) }}
{% set partner_groups = [
    {'code': 'EU27', 'label': 'Union européenne (27)', 'type': 'eu_membership'},
    {'code': 'EXTRA_EU27', 'label': 'Hors Union européenne', 'type': 'eu_membership'},
    {'code': 'US', 'label': 'États-Unis', 'type': 'country'},
    {'code': 'CN', 'label': 'Chine', 'type': 'country'},
    {'code': 'GB', 'label': 'Royaume-Uni', 'type': 'country'},
] %}
{#- Partner countries of the single-country groups: (country code, group code). -#}
{% set country_group_members = [('US', 'US'), ('CN', 'CN'), ('GB', 'GB')] %}

with

balances as (

    select
        territory_level,
        territory_code,
        territory_name,
        year,
        exports_eur,
        imports_eur
    from {{ ref('territory_trade_balance') }}
    {{ where_changed_years('year') }}

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
    from {{ ref('territory_partner_trade') }}
    {{ where_changed_years('year') }}

),

partner_groups as (

    {% for group in partner_groups %}
        select
            '{{ group.code }}' as partner_group_code,
            '{{ group.label }}' as partner_group_label,
            '{{ group.type }}' as partner_group_type
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

country_group_members as (

    {% for country_code, group_code in country_group_members %}
        select
            '{{ country_code }}' as country_code,
            '{{ group_code }}' as partner_group_code
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

-- A partner belongs to EU27 or EXTRA_EU27, and possibly to one country group.
memberships as (

    select
        territory_level,
        territory_code,
        year,
        case
            when is_intra_eu then 'EU27'
            else 'EXTRA_EU27'
        end as partner_group_code,
        exports_eur,
        imports_eur
    from partners
    union all
    select
        partners.territory_level,
        partners.territory_code,
        partners.year,
        country_group_members.partner_group_code,
        partners.exports_eur,
        partners.imports_eur
    from partners
    inner join country_group_members
        on partners.country_code = country_group_members.country_code

),

group_totals as (

    select
        territory_level,
        territory_code,
        year,
        partner_group_code,
        sum(exports_eur) as exports_eur,
        sum(imports_eur) as imports_eur
    from memberships
    group by territory_level, territory_code, year, partner_group_code

),

final as (

    select
        balances.territory_level,
        balances.territory_code,
        balances.territory_name,
        balances.year,
        partner_groups.partner_group_code,
        partner_groups.partner_group_label,
        partner_groups.partner_group_type,
        cast(coalesce(group_totals.exports_eur, 0) as decimal(18, 2)) as exports_eur,
        cast(coalesce(group_totals.imports_eur, 0) as decimal(18, 2)) as imports_eur,
        cast(
            coalesce(group_totals.exports_eur, 0) - coalesce(group_totals.imports_eur, 0)
            as decimal(18, 2)
        ) as balance_eur,
        cast(
            cast(coalesce(group_totals.exports_eur, 0) as double)
            / nullif(cast(balances.exports_eur as double), 0) as double
        ) as export_share,
        cast(
            cast(coalesce(group_totals.imports_eur, 0) as double)
            / nullif(cast(balances.imports_eur as double), 0) as double
        ) as import_share,
        balances.exports_eur as territory_exports_eur,
        balances.imports_eur as territory_imports_eur
    from balances
    cross join partner_groups
    left join group_totals
        on
            balances.territory_level = group_totals.territory_level
            and balances.territory_code = group_totals.territory_code
            and balances.year = group_totals.year
            and partner_groups.partner_group_code = group_totals.partner_group_code

)

select
    territory_level,
    territory_code,
    territory_name,
    year,
    partner_group_code,
    partner_group_label,
    partner_group_type,
    exports_eur,
    imports_eur,
    balance_eur,
    export_share,
    import_share,
    territory_exports_eur,
    territory_imports_eur
from final
