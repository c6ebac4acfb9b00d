-- Hand-written DuckDB SQL computing the fiche's marts straight from the raw
-- layer in one connection, without dbt: the benchmark's measure of the
-- engine's own speed. $departments is the departments seed (CSV). Like the
-- marts: departments from the regional file (customs codes mapped), regions as
-- their sum, France from the national file in the complete years it covers
-- whole, else from every departmental row; products at CPF4 and A129 level.
create or replace temp table baseline_trade as
with departments as (
    select customs_department_code, department_code
    from read_csv($departments, all_varchar = true)
),
published as (
    select *,
        case
            when length(trim(department_code)) = 1 then '0' || trim(department_code)
            else upper(trim(department_code))
        end as published_department
    from raw.customs_trade
)
select
    case upper(trim(p.flow_code)) when 'E' then 'export' when 'I' then 'import' end as flow,
    cast(trim(p.year) as integer) as year,
    cast(trim(p.quarter) as integer) as quarter,
    -- the customs' codes (9A...) mapped to the warehouse's; older layouts' pass through
    coalesce(d.department_code, p.published_department) as department_code,
    upper(trim(p.product_code)) as product_code,
    nullif(upper(trim(p.cpf4_code)), '') as cpf4_code,
    upper(trim(p.country_code)) as country_code,
    cast(
        cast(replace(replace(trim(p.value), ' ', ''), ',', '.') as decimal(18, 3))
        * case p.value_unit when 'keur' then 1000 else 1 end
        as decimal(18, 2)
    ) as value_eur
from published as p
left join departments as d on p.published_department = d.customs_department_code;

create or replace temp table baseline_national as
select
    case upper(trim(flow_code)) when 'E' then 'export' when 'I' then 'import' end as flow,
    cast(trim(year) as integer) as year,
    cast(trim(month) as integer) as month,
    upper(trim(product_code)) as product_code,
    substring(trim(cpf6_code), 1, 4) as cpf4_code,
    upper(trim(country_code)) as country_code,
    cast(trim(value) as decimal(18, 2)) as value_eur
from raw.customs_national_trade
where nullif(trim(product_code), '') is not null;

-- France from the national file in the complete years it covers all twelve months of
create or replace temp table baseline_national_years as
select t.year
from baseline_trade as t
group by t.year
having (count(*) filter (where t.quarter is null) > 0 or count(distinct t.quarter) = 4)
    and (select count(distinct n.month) from baseline_national as n where n.year = t.year) = 12;

create or replace temp table baseline_detail as
with departments as (
    select department_code, region_code from read_csv($departments, all_varchar = true)
)
select 'department' as territory_level, department_code as territory_code, year, flow,
    product_code, cpf4_code, country_code, sum(value_eur) as value_eur
from baseline_trade
where department_code <> '00'
group by all
union all
select 'region', d.region_code, t.year, t.flow, t.product_code, t.cpf4_code, t.country_code,
    sum(t.value_eur)
from baseline_trade as t
join departments as d using (department_code)
group by all
union all
select 'country', 'FR', year, flow, product_code, cpf4_code, country_code, sum(value_eur)
from baseline_trade
where year not in (select year from baseline_national_years)
group by all
union all
select 'country', 'FR', year, flow, product_code, cpf4_code, country_code, sum(value_eur)
from baseline_national
where year in (select year from baseline_national_years)
group by all;

create or replace temp table baseline_cells as
select territory_level, territory_code, year, flow, product_code, country_code,
    sum(value_eur) as value_eur
from baseline_detail
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

-- Partner codes that are not countries (country_group 'special' in the
-- countries seed: not determined, secret, stores...), as the code means in each
-- year (the period valid in the year that starts last): never ranked, and a
-- node of their own in the flow links.
create or replace temp table baseline_country_groups as
select year, country_code, country_group
from (
    select y.year, c.country_code, c.country_group,
        row_number() over (
            partition by y.year, c.country_code order by cast(c.valid_from as integer) desc
        ) as period_rank
    from (select distinct year from baseline_cells) as y
    join read_csv($countries, all_varchar = true) as c
        on cast(c.valid_from as integer) <= y.year * 100 + 12
        and cast(c.valid_to as integer) >= y.year * 100 + 1
)
where period_rank = 1;

create or replace temp table baseline_partners as
with by_partner as (
    select territory_level, territory_code, year, country_code,
        sum(value_eur) filter (where flow = 'export') as exports_eur,
        sum(value_eur) filter (where flow = 'import') as imports_eur
    from baseline_cells
    group by territory_level, territory_code, year, country_code
),
classified as (
    select b.*,
        case when g.country_group = 'country'
            then coalesce(b.exports_eur, 0) + coalesce(b.imports_eur, 0) else 0
        end as ranked_eur
    from by_partner as b
    join baseline_country_groups as g using (year, country_code)
)
select territory_level, territory_code, year, country_code, exports_eur, imports_eur,
    case when ranked_eur > 0 then row_number() over (
        partition by territory_level, territory_code, year
        order by ranked_eur desc, country_code
    ) end as total_trade_rank
from classified;

create or replace temp table baseline_products as
with cpf4 as (
    select territory_level, territory_code, year, flow, cpf4_code as product_code,
        sum(value_eur) as value_eur
    from baseline_detail
    where cpf4_code is not null
    group by all
),
a129 as (
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
    select territory_level, territory_code, year, flow, 'cpf4' as product_level, product_code,
        value_eur
    from cpf4
    union all
    select territory_level, territory_code, year, flow, 'a129', product_code, value_eur
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
with classified as (
    select c.*, coalesce(g.country_group, 'country') = 'country' as is_country
    from baseline_cells as c
    left join baseline_country_groups as g using (year, country_code)
),
product_ranks as (
    select territory_level, territory_code, year, flow, product_code,
        case when sum(value_eur) > 0 then row_number() over (
            partition by territory_level, territory_code, year, flow
            order by sum(value_eur) desc, product_code
        ) end as product_rank
    from classified
    group by territory_level, territory_code, year, flow, product_code
),
country_ranks as (
    select territory_level, territory_code, year, flow, country_code,
        case when sum(value_eur) > 0 then row_number() over (
            partition by territory_level, territory_code, year, flow
            order by sum(value_eur) desc, country_code
        ) end as country_rank
    from classified
    where is_country
    group by territory_level, territory_code, year, flow, country_code
)
select c.territory_level, c.territory_code, c.year, c.flow,
    case when p.product_rank <= 10 then c.product_code else 'AUTRES' end as product_code,
    case
        when not c.is_country then 'HORS_PAYS'
        when k.country_rank <= 10 then c.country_code
        else 'AUTRES'
    end as country_code,
    sum(c.value_eur) as value_eur
from classified as c
join product_ranks as p using (territory_level, territory_code, year, flow, product_code)
left join country_ranks as k using (territory_level, territory_code, year, flow, country_code)
group by all
having sum(c.value_eur) <> 0;
