-- What moved a territory's trade: for each territory, year, flow and horizon,
-- every A129 product and every partner country with its value in the year
-- and in the base year (year - 1 for the 1y horizon, year - 4 for 5y: 2020 ->
-- 2024 on the sample), the change, and ranks of the largest gains and losses.
-- An item absent in one of the two years counts as zero there; a horizon
-- whose base year is not in the data has no row. Complete years only: a
-- partial year of the regional file compared with a whole one would show
-- every item falling.
{{ config(**mart_by_year_config()) }}
{% set horizons = [('1y', 1), ('5y', var('five_year_lag'))] %}
{% set top_n = 5 %}
{% set mover_group = [
    'territory_level', 'territory_code', 'year', 'horizon', 'flow', 'item_type'
] %}

with

complete_years as (

    select year
    from {{ ref('trade_periods') }}
    where is_complete_year

),

trade_items as (

    select
        territory_level,
        territory_code,
        territory_name,
        year,
        flow,
        item_type,
        item_code,
        item_label,
        value_eur
    from {{ ref('int_territory_trade_items') }}
    where value_eur > 0

),

items as (

    select
        trade_items.territory_level,
        trade_items.territory_code,
        trade_items.territory_name,
        trade_items.year,
        trade_items.flow,
        trade_items.item_type,
        trade_items.item_code,
        trade_items.item_label,
        trade_items.value_eur
    from trade_items
    inner join complete_years on trade_items.year = complete_years.year

),

data_years as (

    select distinct year from items

),

horizons as (

    {% for horizon, years_back in horizons %}
        select
            '{{ horizon }}' as horizon,
            {{ years_back }} as years_back
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

-- Each value is the current value of its own year and the base value of the
-- year one horizon later, so one aggregation pairs the two years.
paired as (

    select
        items.territory_level,
        items.territory_code,
        items.territory_name,
        items.year as current_year,
        items.year - horizons.years_back as base_year,
        horizons.horizon,
        items.flow,
        items.item_type,
        items.item_code,
        items.item_label,
        items.value_eur as current_value_eur,
        cast(0 as decimal(18, 2)) as base_value_eur
    from items
    cross join horizons
    union all
    select
        items.territory_level,
        items.territory_code,
        items.territory_name,
        items.year + horizons.years_back as current_year,
        items.year as base_year,
        horizons.horizon,
        items.flow,
        items.item_type,
        items.item_code,
        items.item_label,
        cast(0 as decimal(18, 2)) as current_value_eur,
        items.value_eur as base_value_eur
    from items
    cross join horizons

),

changes as (

    select
        paired.territory_level,
        paired.territory_code,
        max(paired.territory_name) as territory_name,
        paired.current_year as year,
        paired.base_year,
        paired.horizon,
        paired.flow,
        paired.item_type,
        paired.item_code,
        max(paired.item_label) as item_label,
        sum(paired.current_value_eur) as value_eur,
        sum(paired.base_value_eur) as base_value_eur
    from paired
    inner join data_years as current_years on paired.current_year = current_years.year
    inner join data_years as base_years on paired.base_year = base_years.year
    {{ where_changed_years('paired.current_year') }}
    group by
        paired.territory_level,
        paired.territory_code,
        paired.current_year,
        paired.base_year,
        paired.horizon,
        paired.flow,
        paired.item_type,
        paired.item_code

),

ranked as (

    select
        territory_level,
        territory_code,
        territory_name,
        year,
        base_year,
        horizon,
        flow,
        item_type,
        item_code,
        item_label,
        value_eur,
        base_value_eur,
        value_eur - base_value_eur as change_eur,
        sum(base_value_eur) over (
            partition by {{ mover_group | join(', ') }}
        ) as base_flow_eur,
        {{ rank_by_value('value_eur - base_value_eur', 'item_code', mover_group) }} as gain_rank,
        {{ rank_by_value('base_value_eur - value_eur', 'item_code', mover_group) }} as loss_rank
    from changes

),

final as (

    select
        territory_level,
        territory_code,
        territory_name,
        year,
        cast(base_year as integer) as base_year,
        horizon,
        flow,
        item_type,
        item_code,
        item_label,
        cast(value_eur as decimal(18, 2)) as value_eur,
        cast(base_value_eur as decimal(18, 2)) as base_value_eur,
        cast(change_eur as decimal(18, 2)) as change_eur,
        cast(
            cast(value_eur as double) / nullif(cast(base_value_eur as double), 0) - 1 as double
        ) as change_ratio,
        cast(
            cast(change_eur as double) / nullif(cast(base_flow_eur as double), 0) as double
        ) as contribution_to_change,
        cast(gain_rank as integer) as gain_rank,
        cast(loss_rank as integer) as loss_rank,
        coalesce(gain_rank <= {{ top_n }}, false) as is_top_gainer,
        coalesce(loss_rank <= {{ top_n }}, false) as is_top_loser
    from ranked

)

select
    territory_level,
    territory_code,
    territory_name,
    year,
    base_year,
    horizon,
    flow,
    item_type,
    item_code,
    item_label,
    value_eur,
    base_value_eur,
    change_eur,
    change_ratio,
    contribution_to_change,
    gain_rank,
    loss_rank,
    is_top_gainer,
    is_top_loser
from final
