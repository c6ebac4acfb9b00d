-- What the warehouse was built from: one row per data set, so every report
-- can say whether its figures are real customs data or the synthetic sample.
with

load_audit as (

    select
        source_file,
        dataset_name,
        is_synthetic,
        rows_loaded,
        rows_quarantined,
        loaded_at
    from {{ ref('stg_customs__load_audit') }}
    where not file_vanished

),

trade_values as (

    select year from {{ ref('stg_customs__trade_values') }}

),

years as (

    select
        min(year) as first_year,
        max(year) as last_year
    from trade_values

),

final as (

    select
        load_audit.dataset_name,
        load_audit.is_synthetic,
        cast(count(*) as integer) as file_count,
        cast(sum(load_audit.rows_loaded) as bigint) as row_count,
        cast(sum(load_audit.rows_quarantined) as bigint) as quarantined_row_count,
        max(load_audit.loaded_at) as loaded_at,
        years.first_year,
        years.last_year
    from load_audit
    cross join years
    group by load_audit.dataset_name, load_audit.is_synthetic, years.first_year, years.last_year

)

select
    dataset_name,
    is_synthetic,
    file_count,
    row_count,
    quarantined_row_count,
    loaded_at,
    first_year,
    last_year
from final
