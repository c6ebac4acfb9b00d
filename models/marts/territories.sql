-- One row per territory: the 101 departments, 18 regions and France, with the
-- region of each department, its Territoires d'industrie, and its name in the
-- forms French sentences need (du Loiret, de l'Ain, dans le Loiret, en France).
with

territories as (

    select
        territory_level,
        territory_code,
        territory_name,
        region_code,
        region_name,
        name_type,
        name_with_article,
        name_with_de,
        name_with_a,
        name_with_en
    from {{ ref('int_territories') }}

),

territoires_industrie as (

    select
        department_code,
        territoire_industrie_name
    from {{ ref('stg_reference__territoires_industrie') }}

),

industrie_by_department as (

    select
        department_code,
        count(*) as territoire_industrie_count,
        {{ sorted_listagg('territoire_industrie_name', "' ; '") }} as territoires_industrie
    from territoires_industrie
    group by department_code

),

final as (

    select
        territories.territory_level,
        territories.territory_code,
        territories.territory_name,
        territories.region_code,
        territories.region_name,
        territories.name_type,
        territories.name_with_article,
        territories.name_with_de,
        territories.name_with_a,
        territories.name_with_en,
        industrie_by_department.territoires_industrie,
        cast(
            coalesce(industrie_by_department.territoire_industrie_count, 0) as integer
        ) as territoire_industrie_count
    from territories
    left join industrie_by_department
        on
            territories.territory_level = 'department'
            and territories.territory_code = industrie_by_department.department_code

)

select
    territory_level,
    territory_code,
    territory_name,
    region_code,
    region_name,
    name_type,
    name_with_article,
    name_with_de,
    name_with_a,
    name_with_en,
    territoires_industrie,
    territoire_industrie_count
from final
