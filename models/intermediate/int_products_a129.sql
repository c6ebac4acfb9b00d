-- A129 products with the labels reports show: the label shipped with the
-- customs files where there is one, the seed's otherwise.
with

products as (

    select
        a129_code,
        a129_label,
        a38_code
    from {{ ref('stg_reference__products_a129') }}

),

published_labels as (

    select
        product_code,
        product_label
    from {{ ref('stg_customs__product_labels') }}

),

final as (

    select
        products.a129_code,
        coalesce(published_labels.product_label, products.a129_label) as a129_label,
        products.a38_code,
        case
            when published_labels.product_label is not null then 'customs files' else 'seed'
        end as label_source
    from products
    left join published_labels on products.a129_code = published_labels.product_code

)

select * from final
