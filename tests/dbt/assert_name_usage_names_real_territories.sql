-- Every row of the name_usage seed is about a department or region that
-- exists, under the name it states: a wrong code would silently rewrite
-- another territory's name, or none.
with

name_usage as (

    select
        territory_level,
        territory_code,
        territory_name
    from {{ ref('stg_reference__name_usage') }}

),

territories as (

    select
        territory_level,
        territory_code,
        territory_name
    from {{ ref('int_territories') }}

)

select
    name_usage.territory_level,
    name_usage.territory_code,
    name_usage.territory_name,
    territories.territory_name as actual_name
from name_usage
left join territories
    on
        name_usage.territory_level = territories.territory_level
        and name_usage.territory_code = territories.territory_code
where territories.territory_name is null
    or territories.territory_name <> name_usage.territory_name
