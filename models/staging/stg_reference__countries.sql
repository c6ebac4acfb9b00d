with

source as (

    select
        country_code,
        country_name,
        iso_alpha3,
        is_eu27,
        country_group
    from {{ ref('countries') }}

),

final as (

    select
        {{ normalize_code('country_code') }} as country_code,
        country_name,
        iso_alpha3,
        cast(is_eu27 as boolean) as is_eu27,
        country_group
    from source

)

select * from final
