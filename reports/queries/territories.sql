-- Every territory a page can be made for: departments, regions and France,
-- with the region of a department and its Territoires d'industrie as a list,
-- and the path of its Evidence page. region_department_count is the number
-- of departments of the territory's region (0 for France): a region of one
-- department (overseas, Corsica) has the figures of its department.
select
    territories.territory_level,
    territories.territory_code,
    territories.territory_name,
    territories.name_with_article,
    territories.name_with_de,
    territories.name_with_a,
    territories.name_with_en,
    territories.region_code,
    territories.region_name,
    coalesce(
        string_split(territories.territoires_industrie, ' ; '), []
    ) as territoires_industrie,
    territories.territoire_industrie_count,
    count(*) filter (where territories.territory_level = 'department') over (
        partition by territories.region_code
    ) as region_department_count,
    '/territoires/'
    || territories.territory_level
    || '/'
    || territories.territory_code as page_path
from marts.territories as territories
order by
    territories.territory_level,
    territories.region_code,
    territories.territory_code
