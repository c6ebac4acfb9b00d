with

source as (

    select
        name_type,
        article,
        with_de,
        with_a,
        with_en
    from {{ ref('name_articles') }}

),

final as (

    select
        cast(name_type as integer) as name_type,
        {{ dbt.cast('article', dbt.type_string()) }} as article,
        {{ dbt.cast('with_de', dbt.type_string()) }} as with_de,
        {{ dbt.cast('with_a', dbt.type_string()) }} as with_a,
        {{ dbt.cast('with_en', dbt.type_string()) }} as with_en
    from source

)

select * from final
