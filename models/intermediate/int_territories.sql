-- Every territory a report is made for, in one shape: the 101 departments,
-- the 18 regions and France, with the region each department belongs to and
-- its name as French grammar writes it after an article, "de", "à" and "en".
with

departments as (

    select
        department_code,
        department_name,
        region_code,
        name_type
    from {{ ref('stg_reference__departments') }}

),

regions as (

    select
        region_code,
        region_name,
        name_type
    from {{ ref('stg_reference__regions') }}

),

name_articles as (

    select
        name_type,
        article,
        with_de,
        with_a,
        with_en
    from {{ ref('stg_reference__name_articles') }}

),

name_usage as (

    select
        territory_level,
        territory_code,
        usage_name_type,
        en_form
    from {{ ref('stg_reference__name_usage') }}

),

department_territories as (

    select
        'department' as territory_level,
        departments.department_code as territory_code,
        departments.department_name as territory_name,
        departments.region_code,
        regions.region_name,
        departments.name_type
    from departments
    inner join regions on departments.region_code = regions.region_code

),

region_territories as (

    select
        'region' as territory_level,
        region_code as territory_code,
        region_name as territory_name,
        region_code,
        region_name,
        name_type
    from regions

),

country_territory as (

    select
        'country' as territory_level,
        '{{ var("france_code") }}' as territory_code,
        '{{ var("france_name") }}' as territory_name,
        {{ dbt.cast('null', dbt.type_string()) }} as region_code,
        {{ dbt.cast('null', dbt.type_string()) }} as region_name,
        cast({{ var("france_name_type") }} as integer) as name_type

),

territories as (

    select * from department_territories
    union all
    select * from region_territories
    union all
    select * from country_territory

),

-- INSEE's type gives "de" (its own linking form) and "en"; usage, where it
-- puts an article INSEE's type has not (la Bretagne), gives the article and
-- "à"; a few names take another word than "en" (à Paris).
named as (

    select
        territories.territory_level,
        territories.territory_code,
        territories.territory_name,
        territories.region_code,
        territories.region_name,
        territories.name_type,
        insee_forms.with_de,
        coalesce(name_usage.en_form, insee_forms.with_en) as en_form,
        usage_forms.article,
        usage_forms.with_a
    from territories
    inner join name_articles as insee_forms
        on territories.name_type = insee_forms.name_type
    left join name_usage
        on
            territories.territory_level = name_usage.territory_level
            and territories.territory_code = name_usage.territory_code
    inner join name_articles as usage_forms
        on coalesce(name_usage.usage_name_type, territories.name_type) = usage_forms.name_type

),

final as (

    select
        territory_level,
        territory_code,
        territory_name,
        region_code,
        region_name,
        name_type,
        {{ name_with_prefix('article', 'territory_name') }} as name_with_article,
        {{ name_with_prefix('with_de', 'territory_name') }} as name_with_de,
        {{ name_with_prefix('with_a', 'territory_name') }} as name_with_a,
        {{ name_with_prefix('en_form', 'territory_name') }} as name_with_en
    from named

)

select * from final
