-- The territories a page can be made for: departments, regions and France,
-- with the region of a department and its Territoires d'industrie as a list.
-- Bind $territory_level and $territory_code to one territory, or both to
-- null for every territory (the site renderer fetches them all at once).
select
    territories.territory_level,
    territories.territory_code,
    territories.territory_name,
    territories.region_code,
    territories.region_name,
    coalesce(
        string_split(territories.territoires_industrie, ' ; '), []
    ) as territoires_industrie,
    territories.territoire_industrie_count
from marts.territories as territories
where
    ($territory_level is null or territories.territory_level = $territory_level)
    and ($territory_code is null or territories.territory_code = $territory_code)
order by
    territories.territory_level,
    territories.region_code,
    territories.territory_code
