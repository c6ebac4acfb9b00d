"""The marts built from the sample: the published Loiret fiche figures, coverage, shape."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import duckdb

MARTS = [
    "territories",
    "territory_trade_balance",
    "territory_partner_trade",
    "territory_product_trade",
    "territory_flow_links",
]


def _round(value: float | Decimal, places: int) -> Decimal:
    """Round half up at ``places`` decimals, as the fiche prints its figures."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def test_published_figures_from_the_balance_mart(
    warehouse: duckdb.DuckDBPyConnection, published_figures: list[dict[str, str]]
) -> None:
    for row in published_figures:
        prefix = "export" if row["flow"] == "export" else "import"
        values = warehouse.execute(
            f"select territory_name, {prefix}s_eur, {prefix}_share_of_region, "
            f"{prefix}_share_of_france from marts.territory_trade_balance "
            "where territory_level = $level and territory_code = $code and year = $year",
            {"level": row["territory_level"], "code": row["territory_code"],
             "year": int(row["year"])},
        ).fetchone()  # fmt: skip
        name, total, share_of_region, share_of_france = values
        assert name == row["territory_name"]
        assert _round(total / Decimal(10**6), 1) == Decimal(row["value_million_eur"])
        if row["share_of_region_pct"]:
            assert _round(share_of_region * 100, 1) == Decimal(row["share_of_region_pct"])
            assert _round(share_of_france * 100, 2) == Decimal(row["share_of_france_pct"])


def test_every_territory_has_every_year(warehouse: duckdb.DuckDBPyConnection) -> None:
    counts = dict(warehouse.execute(
        "select territory_level, count(*) from marts.territory_trade_balance group by all"
    ).fetchall())  # fmt: skip
    years = warehouse.execute(
        "select count(distinct year) from marts.territory_trade_balance"
    ).fetchone()[0]
    assert years == 5
    assert counts == {"department": 101 * years, "region": 18 * years, "country": years}


def test_every_mart_carries_the_territory_shape(warehouse: duckdb.DuckDBPyConnection) -> None:
    for mart in MARTS:
        columns = {
            row[0] for row in warehouse.execute(
                "select column_name from information_schema.columns "
                "where table_schema = 'marts' and table_name = ?", [mart]
            ).fetchall()
        }  # fmt: skip
        assert {"territory_level", "territory_code", "territory_name"} <= columns, mart


def test_flow_diagram_of_loiret_has_ten_products_ten_countries_and_autres(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    products, countries, flagged, total = warehouse.execute(
        "select count(distinct product_code), count(distinct country_code), "
        "count(*) filter (where is_top_link), sum(value_eur) "
        "from marts.territory_flow_links where territory_level = 'department' "
        "and territory_code = '45' and year = 2024 and flow = 'export'"
    ).fetchone()
    # 10 products + Autres; 10 countries + Autres + the node of the special
    # codes (the sample draws QU and QS, which are not countries)
    assert (products, countries, flagged) == (11, 12, 5)
    assert _round(total / Decimal(10**6), 1) == Decimal("13225.3")
    named = warehouse.execute(
        "select distinct f.country_code, c.country_group from marts.territory_flow_links as f "
        "left join intermediate.int_countries_by_year as c "
        "on f.country_code = c.country_code and f.year = c.year "
        "where f.territory_level = 'department' and f.territory_code = '45' and f.year = 2024 "
        "and f.flow = 'export' "
        "and f.country_rank is not null"
    ).fetchall()
    assert len(named) == 10 and {group for _, group in named} == {"country"}


def test_france_includes_trade_allocated_to_no_department(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    """France is the national file's total; what its departments do not declare is shown."""
    france, departments, unallocated, source = warehouse.execute(
        "select sum(exports_eur) filter (where territory_level = 'country'), "
        "sum(exports_eur) filter (where territory_level = 'department'), "
        "sum(unallocated_exports_eur) filter (where territory_level = 'country'), "
        "max(france_source) "
        "from marts.territory_trade_balance where year = 2024"
    ).fetchone()
    national, regional = warehouse.execute(
        "select (select sum(value_eur) from staging.stg_customs__national_trade "
        "where year = 2024 and flow = 'export'), "
        "(select sum(value_eur) from staging.stg_customs__trade_values "
        "where year = 2024 and flow = 'export')"
    ).fetchone()
    assert source == "national"
    assert france == national
    assert departments == regional
    assert unallocated == national - regional > 0


def test_provenance_says_the_sample_is_synthetic(warehouse: duckdb.DuckDBPyConnection) -> None:
    rows = warehouse.execute(
        "select is_synthetic, first_year, last_year from marts.data_provenance"
    ).fetchall()
    assert rows == [(True, 2020, 2024)]
