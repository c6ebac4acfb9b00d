-- Hand-written DuckDB SQL computing the fiche's marts straight from the raw
-- layer in one connection, without dbt: the benchmark's measure of the
-- engine's own speed. $departments is the departments seed (CSV).
create or replace temp table baseline_trade as
select
    case upper(trim(flow_code)) when 'E' then 'export' when 'I' then 'import' end as flow,
    cast(trim(year) as integer) as year,
    case
        when length(trim(department_code)) = 1 then '0' || trim(department_code)
        else upper(trim(department_code))
    end as department_code,
    upper(trim(product_code)) as product_code,
    upper(trim(country_code)) as country_code,
    cast(
        cast(replace(replace(trim(value), ' ', ''), ',', '.') as decimal(18, 3))
        * case value_unit when 'keur' then 1000 else 1 end
        as decimal(18, 2)
    ) as value_eur
from raw.customs_trade;

create or replace temp table baseline_cells as
with departments as (
    select department_code, region_code from read_csv($departments, all_varchar = true)
)
select 'department' as territory_level, department_code as territory_code, year, flow,
    product_code, country_code, value_eur
from baseline_trade
where department_code <> '00'
union all
select 'region', d.region_code, t.year, t.flow, t.product_code, t.country_code, sum(t.value_eur)
from baseline_trade as t
join departments as d using (department_code)
group by all
union all
select 'country', 'FR', year, flow, product_code, country_code, sum(value_eur)
from baseline_trade
group by all;

create or replace temp table baseline_balance as
with totals as (
    select territory_level, territory_code, year,
        sum(value_eur) filter (where flow = 'export') as exports_eur,
        sum(value_eur) filter (where flow = 'import') as imports_eur
    from baseline_cells
    group by all
),
departments as (
    select department_code, region_code from read_csv($departments, all_varchar = true)
)
select t.territory_level, t.territory_code, t.year,
    coalesce(t.exports_eur, 0) as exports_eur,
    coalesce(t.imports_eur, 0) as imports_eur,
    coalesce(t.exports_eur, 0) - coalesce(t.imports_eur, 0) as balance_eur,
    case when t.territory_level = 'department'
        then t.exports_eur / r.exports_eur end as export_share_of_region,
    case when t.territory_level <> 'country'
        then t.exports_eur / f.exports_eur end as export_share_of_france
from totals as t
left join departments as d
    on t.territory_level = 'department' and t.territory_code = d.department_code
left join totals as r
    on r.territory_level = 'region' and r.territory_code = d.region_code and r.year = t.year
left join totals as f on f.territory_level = 'country' and f.year = t.year;

create or replace temp table baseline_partners as
select territory_level, territory_code, year, country_code,
    sum(value_eur) filter (where flow = 'export') as exports_eur,
    sum(value_eur) filter (where flow = 'import') as imports_eur,
    row_number() over (
        partition by territory_level, territory_code, year
        order by coalesce(sum(value_eur) filter (where flow = 'export'), 0)
            + coalesce(sum(value_eur) filter (where flow = 'import'), 0) desc, country_code
    ) as total_trade_rank
from baseline_cells
group by territory_level, territory_code, year, country_code;

create or replace temp table baseline_products as
with a129 as (
    select territory_level, territory_code, year, flow, product_code, sum(value_eur) as value_eur
    from baseline_cells
    group by all
),
nomenclature as (
    select p.a129_code, p.a38_code, d.a17_code
    from read_csv($products_a129, all_varchar = true) as p
    join read_csv($products_a38, all_varchar = true) as d using (a38_code)
),
levels as (
    select territory_level, territory_code, year, flow, 'a129' as product_level, product_code,
        value_eur
    from a129
    union all
    select territory_level, territory_code, year, flow, 'a38', n.a38_code, sum(value_eur)
    from a129 join nomenclature as n on a129.product_code = n.a129_code
    group by all
    union all
    select territory_level, territory_code, year, flow, 'a17', n.a17_code, sum(value_eur)
    from a129 join nomenclature as n on a129.product_code = n.a129_code
    group by all
)
select *,
    row_number() over (
        partition by territory_level, territory_code, year, flow, product_level
        order by value_eur desc, product_code
    ) as rank_in_flow
from levels;

create or replace temp table baseline_flow_links as
with product_ranks as (
    select territory_level, territory_code, year, flow, product_code,
        row_number() over (
            partition by territory_level, territory_code, year, flow
            order by sum(value_eur) desc, product_code
        ) as product_rank
    from baseline_cells
    group by territory_level, territory_code, year, flow, product_code
),
country_ranks as (
    select territory_level, territory_code, year, flow, country_code,
        row_number() over (
            partition by territory_level, territory_code, year, flow
            order by sum(value_eur) desc, country_code
        ) as country_rank
    from baseline_cells
    group by territory_level, territory_code, year, flow, country_code
)
select c.territory_level, c.territory_code, c.year, c.flow,
    case when p.product_rank <= 10 then c.product_code else 'AUTRES' end as product_code,
    case when k.country_rank <= 10 then c.country_code else 'AUTRES' end as country_code,
    sum(c.value_eur) as value_eur
from baseline_cells as c
join product_ranks as p using (territory_level, territory_code, year, flow, product_code)
join country_ranks as k using (territory_level, territory_code, year, flow, country_code)
group by all;
