-- Partner codes of the customs geonomenclature, one row per code and
-- validity period as Libelle_PAYS.txt publishes them (a code may return with
-- another meaning: XS is Saba until May 2005 and Serbia since).
with

source as (

    select
        country_code,
        valid_from,
        valid_to,
        country_name,
        iso_alpha3,
        is_eu27,
        is_intra_eu,
        country_group
    from {{ ref('countries') }}

),

final as (

    select
        {{ normalize_code('country_code') }} as country_code,
        cast(valid_from as integer) as valid_from,
        cast(valid_to as integer) as valid_to,
        country_name,
        iso_alpha3,
        cast(is_eu27 as boolean) as is_eu27,
        cast(is_intra_eu as boolean) as is_intra_eu,
        country_group
    from source

)

select * from final
