-- Each Territoire d'industrie has one row per department it covers, each
-- carrying that number of departments, and one name.
with

territoires as (

    select
        territoire_industrie_id,
        territoire_industrie_name,
        department_code,
        department_count
    from {{ ref('stg_reference__territoires_industrie') }}

),

per_territoire as (

    select
        territoire_industrie_id,
        count(*) as department_rows,
        count(distinct department_code) as departments,
        min(department_count) as lowest_count,
        max(department_count) as highest_count,
        count(distinct territoire_industrie_name) as name_count
    from territoires
    group by territoire_industrie_id

)

select
    territoire_industrie_id,
    department_rows,
    departments,
    lowest_count,
    highest_count,
    name_count
from per_territoire
where
    department_rows != departments
    or lowest_count != departments
    or highest_count != departments
    or name_count != 1
