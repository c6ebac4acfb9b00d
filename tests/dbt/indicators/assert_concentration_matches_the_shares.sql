-- The HHI of the concentration mart equals the sum of the squared shares
-- published in the partner and product marts, and those shares sum to 1
-- over the partners and over the A129 products of each territory and flow.
-- The shares are of exact sums, the HHI of the rounded values the marts
-- publish: they agree to 1e-9, plus, when raw values carry fractions of a cent
-- (half_cent_if_fractional), the rounding's bound: half a cent per item,
-- relative to the flow, four times (a cent per item, twice).
with

partners as (

    select
        territory_level,
        territory_code,
        year,
        export_share,
        import_share
    from {{ tested_years_relation(ref('territory_partner_trade')) }}

),

products as (

    select
        territory_level,
        territory_code,
        year,
        flow,
        share_of_flow
    from {{ tested_years_relation(ref('territory_product_trade')) }}
    where product_level = 'a129'

),

concentration as (

    select
        territory_level,
        territory_code,
        year,
        flow,
        flow_eur,
        partner_hhi,
        product_hhi
    from {{ tested_years_relation(ref('territory_concentration')) }}

),

partner_shares as (

    select
        territory_level,
        territory_code,
        year,
        'export' as flow,
        sum(export_share) as share_total,
        sum(export_share * export_share) as hhi,
        count(*) as item_count
    from partners
    where export_share > 0
    group by territory_level, territory_code, year
    union all
    select
        territory_level,
        territory_code,
        year,
        'import' as flow,
        sum(import_share) as share_total,
        sum(import_share * import_share) as hhi,
        count(*) as item_count
    from partners
    where import_share > 0
    group by territory_level, territory_code, year

),

product_shares as (

    select
        territory_level,
        territory_code,
        year,
        flow,
        sum(share_of_flow) as share_total,
        sum(share_of_flow * share_of_flow) as hhi,
        count(*) as item_count
    from products
    where share_of_flow > 0
    group by territory_level, territory_code, year, flow

),

compared as (

    select
        coalesce(partner_shares.territory_level, concentration.territory_level)
            as territory_level,
        coalesce(partner_shares.territory_code, concentration.territory_code)
            as territory_code,
        coalesce(partner_shares.year, concentration.year) as year,
        coalesce(partner_shares.flow, concentration.flow) as flow,
        'partners' as breakdown,
        partner_shares.share_total,
        partner_shares.hhi as expected_hhi,
        concentration.partner_hhi as hhi,
        4 * {{ half_cent_if_fractional() }} * partner_shares.item_count
        / nullif(cast(concentration.flow_eur as double), 0) as rounding_bound
    from partner_shares
    full outer join concentration
        on
            partner_shares.territory_level = concentration.territory_level
            and partner_shares.territory_code = concentration.territory_code
            and partner_shares.year = concentration.year
            and partner_shares.flow = concentration.flow
    union all
    select
        coalesce(product_shares.territory_level, concentration.territory_level)
            as territory_level,
        coalesce(product_shares.territory_code, concentration.territory_code)
            as territory_code,
        coalesce(product_shares.year, concentration.year) as year,
        coalesce(product_shares.flow, concentration.flow) as flow,
        'products' as breakdown,
        product_shares.share_total,
        product_shares.hhi as expected_hhi,
        concentration.product_hhi as hhi,
        4 * {{ half_cent_if_fractional() }} * product_shares.item_count
        / nullif(cast(concentration.flow_eur as double), 0) as rounding_bound
    from product_shares
    full outer join concentration
        on
            product_shares.territory_level = concentration.territory_level
            and product_shares.territory_code = concentration.territory_code
            and product_shares.year = concentration.year
            and product_shares.flow = concentration.flow

)

select
    territory_level,
    territory_code,
    year,
    flow,
    breakdown,
    share_total,
    expected_hhi,
    hhi
from compared
where
    hhi is null
    or expected_hhi is null
    or abs(share_total - 1) > 1e-9
    or abs(hhi - expected_hhi) > 1e-9 + coalesce(rounding_bound, 0)
