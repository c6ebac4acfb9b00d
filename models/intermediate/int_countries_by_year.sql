-- The partner label valid in each year of the data: Libelle_PAYS.txt gives
-- every code its validity periods, and a code may come back with another
-- meaning (XS is Saba until May 2005 and Serbia since; XK Yugoslavia in 1992
-- and Kosovo since 2005). For a year two periods overlap, the one valid at
-- the end of the year names the code.
with

countries as (

    select
        country_code,
        valid_from,
        valid_to,
        country_name,
        iso_alpha3,
        is_eu27,
        is_intra_eu,
        country_group
    from {{ ref('stg_reference__countries') }}

),

years as (

    select year from {{ ref('int_trade_periods') }}

),

valid_in_year as (

    select
        years.year,
        countries.country_code,
        countries.country_name,
        countries.iso_alpha3,
        countries.is_eu27,
        countries.is_intra_eu,
        countries.country_group,
        row_number() over (
            partition by years.year, countries.country_code
            order by countries.valid_from desc
        ) as period_rank
    from years
    inner join countries
        on
            countries.valid_from <= years.year * 100 + 12
            and countries.valid_to >= years.year * 100 + 1

),

final as (

    select
        year,
        country_code,
        country_name,
        iso_alpha3,
        is_eu27,
        is_intra_eu,
        country_group
    from valid_in_year
    where period_rank = 1

)

select * from final
