-- The five products and five partners that gained most and lost most, at
-- export and at import, since the previous year (1y) and since year - 4
-- (5y). A horizon whose base year is not in the data has no row.
-- Evidence passes the territory of the page (its route parameters); the
-- Python renderer binds both to null to get every territory at once.
select
    movers.territory_level,
    movers.territory_code,
    movers.base_year,
    movers.horizon,
    movers.flow,
    movers.item_type,
    movers.item_code,
    movers.item_label,
    movers.value_eur,
    movers.base_value_eur,
    movers.change_eur,
    movers.change_ratio,
    movers.contribution_to_change,
    movers.gain_rank,
    movers.loss_rank,
    case when movers.is_top_gainer then 'gain' else 'loss' end as direction,
    coalesce(movers.gain_rank, movers.loss_rank) as mover_rank
from marts.territory_top_movers as movers
where
    movers.year = ${inputs.year.value}
    and (movers.is_top_gainer or movers.is_top_loser)
    and (
        '${params.territory_level}' is null
        or movers.territory_level = '${params.territory_level}'
    )
    and (
        '${params.territory_code}' is null
        or movers.territory_code = '${params.territory_code}'
    )
order by
    movers.territory_level asc,
    movers.territory_code asc,
    movers.horizon asc,
    movers.flow asc,
    movers.item_type desc,
    direction asc,
    mover_rank asc
