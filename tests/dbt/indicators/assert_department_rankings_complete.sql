-- Every department is ranked on exports, imports and balance every year:
-- ranks 1 to 101 nationally, and 1 to the number of departments of its
-- region within the region (the gapless_unique_ranks tests check there are
-- no gaps or ties; this checks nobody is missing).
with

rankings as (

    select
        territory_code,
        region_code,
        year,
        indicator_code,
        rank_among_departments,
        rank_in_region,
        ranked_in_region
    from {{ ref('department_rankings') }}
    where indicator_code in ('exports_eur', 'imports_eur', 'balance_eur')

),

departments as (

    select
        territory_code,
        region_code
    from {{ ref('territories') }}
    where territory_level = 'department'

),

region_sizes as (

    select
        region_code,
        count(*) as department_count
    from departments
    group by region_code

),

national as (

    select
        year,
        indicator_code,
        'national' as scope,
        count(*) as ranked,
        max(rank_among_departments) as last_rank,
        (select count(*) from departments) as expected
    from rankings
    group by year, indicator_code

),

regional as (

    select
        rankings.year,
        rankings.indicator_code,
        'region ' || rankings.region_code as scope,
        count(*) as ranked,
        max(rankings.rank_in_region) as last_rank,
        max(region_sizes.department_count) as expected
    from rankings
    inner join region_sizes on rankings.region_code = region_sizes.region_code
    group by rankings.year, rankings.indicator_code, rankings.region_code

),

checks as (

    select * from national
    union all
    select * from regional

)

select
    year,
    indicator_code,
    scope,
    ranked,
    last_rank,
    expected
from checks
where ranked <> expected or last_rank <> expected
