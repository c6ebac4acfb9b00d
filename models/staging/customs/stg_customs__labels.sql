-- The customs' label annexes as loaded from the raw folder (Libelle_A129,
-- Libelle_CPF4, Libelle_CPF6, Libelle_NC8, Libelle_PAYS, Departement_region),
-- one row per published line, validity bounds as YYYYMM integers.
with

source as (

    select
        annex,
        code,
        label,
        valid_from,
        valid_to,
        region_code,
        region_label,
        supplementary_unit_flag,
        supplementary_unit_label,
        source_file,
        source_line
    from {{ source('customs', 'customs_labels') }}

),

final as (

    select
        annex,
        {{ normalize_code('code') }} as code,
        trim(label) as label,
        {{ annex_period('valid_from', 'start') }} as valid_from,
        {{ annex_period('valid_to', 'end') }} as valid_to,
        nullif(trim(region_code), '') as customs_region_code,
        nullif(trim(region_label), '') as customs_region_label,
        trim(supplementary_unit_flag) = '1' as has_supplementary_unit,
        nullif(trim(supplementary_unit_label), '') as supplementary_unit_label,
        source_file,
        source_line
    from source

)

select * from final
