-- Declaration-level files and departmental files of the same flow, year and
-- department would both load (their keys differ by month and line number) and
-- dbt would add them up, doubling the trade. Fails with each such case.
select
    flow,
    year,
    department_code,
    count(*) as raw_rows
from {{ tested_years_relation(ref('stg_customs__trade_values')) }}
group by flow, year, department_code
having
    count(distinct case when declaration_line is null then 'departmental' else 'declarations' end)
    > 1
