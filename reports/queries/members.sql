-- The territories one level below a territory, with their weight in it: the
-- regions of France (share of France) and the departments of a region (share
-- of the region); a department has none. Largest exporter first. France's
-- table ends with the trade no department accounts for (the national file's
-- total minus its departments), so that its rows add up to France.
-- Evidence passes the territory of the page (its route parameters); the
-- Python renderer binds both to null to get the members of every territory.
with

member_rows as (

    select
        parents.territory_level as parent_level,
        parents.territory_code as parent_code,
        members.territory_level,
        members.territory_code,
        members.territory_name,
        members.exports_eur,
        members.imports_eur,
        members.balance_eur,
        members.coverage_ratio,
        case
            when parents.territory_level = 'country' then members.export_share_of_france
            else members.export_share_of_region
        end as export_share_of_parent,
        case
            when parents.territory_level = 'country' then members.import_share_of_france
            else members.import_share_of_region
        end as import_share_of_parent,
        '/territoires/'
        || members.territory_level
        || '/'
        || members.territory_code as page_path,
        0 as row_order
    from marts.territories as parents
    inner join marts.territory_trade_balance as members
        on
            (parents.territory_level = 'country' and members.territory_level = 'region')
            or (
                parents.territory_level = 'region'
                and members.territory_level = 'department'
                and parents.territory_code = members.region_code
            )
    where
        members.year = ${inputs.year.value}
        and (
            '${params.territory_level}' is null
            or parents.territory_level = '${params.territory_level}'
        )
        and (
            '${params.territory_code}' is null
            or parents.territory_code = '${params.territory_code}'
        )

),

unallocated as (

    select
        'country' as parent_level,
        france.territory_code as parent_code,
        'unallocated' as territory_level,
        '' as territory_code,
        'Commerce non rattaché à un département' as territory_name,
        france.unallocated_exports_eur as exports_eur,
        france.unallocated_imports_eur as imports_eur,
        france.unallocated_exports_eur - france.unallocated_imports_eur as balance_eur,
        france.unallocated_exports_eur
        / nullif(france.unallocated_imports_eur, 0) as coverage_ratio,
        france.unallocated_exports_eur
        / nullif(france.exports_eur, 0) as export_share_of_parent,
        france.unallocated_imports_eur
        / nullif(france.imports_eur, 0) as import_share_of_parent,
        -- no page of its own: its link leads back to France's page, which
        -- explains it (Evidence links every row of a linked table)
        '/territoires/country/' || france.territory_code as page_path,
        1 as row_order
    from marts.territory_trade_balance as france
    where
        france.territory_level = 'country'
        and france.year = ${inputs.year.value}
        and (
            france.unallocated_exports_eur <> 0
            or france.unallocated_imports_eur <> 0
        )
        and (
            '${params.territory_level}' is null
            or '${params.territory_level}' = 'country'
        )
        and (
            '${params.territory_code}' is null
            or france.territory_code = '${params.territory_code}'
        )

),

final as (

    select
        parent_level,
        parent_code,
        territory_level,
        territory_code,
        territory_name,
        exports_eur,
        imports_eur,
        balance_eur,
        coverage_ratio,
        export_share_of_parent,
        import_share_of_parent,
        page_path,
        row_order
    from member_rows
    union all
    select
        parent_level,
        parent_code,
        territory_level,
        territory_code,
        territory_name,
        exports_eur,
        imports_eur,
        balance_eur,
        coverage_ratio,
        export_share_of_parent,
        import_share_of_parent,
        page_path,
        row_order
    from unallocated

)

select
    parent_level,
    parent_code,
    territory_level,
    territory_code,
    territory_name,
    exports_eur,
    imports_eur,
    balance_eur,
    coverage_ratio,
    export_share_of_parent,
    import_share_of_parent,
    page_path
from final
order by
    parent_level asc,
    parent_code asc,
    row_order asc,
    exports_eur desc,
    territory_code asc
