-- Every indicator of the indicators seed is computed by department_rankings
-- in some year: a seed row whose code names no column of the mart would
-- otherwise sit unused, and its label would never reach a page. (The other
-- way round, a computed code missing from the seed, fails the mart's
-- not-null contract on indicator_label.) An empty mart (no data loaded)
-- has nothing to check.
with

indicators as (

    select indicator_code
    from {{ ref('stg_reference__indicators') }}

),

ranked_codes as (

    select distinct indicator_code
    from {{ ref('department_rankings') }}

),

ranked_count as (

    select count(*) as code_count
    from ranked_codes

),

final as (

    select indicators.indicator_code
    from indicators
    cross join ranked_count
    left join ranked_codes on indicators.indicator_code = ranked_codes.indicator_code
    where
        ranked_codes.indicator_code is null
        and ranked_count.code_count > 0

)

select indicator_code from final
