"""The indicator marts of issue #8, checked on Loiret against figures recomputed here.

Each test recomputes an indicator in Python from the base marts
(territory_trade_balance, territory_partner_trade, territory_product_trade)
or from intermediate.int_territory_trade, and compares it with the mart.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import duckdb
import pytest

INDICATOR_MARTS = [
    "territory_trade_evolution",
    "territory_top_movers",
    "territory_partner_group_exposure",
    "territory_us_exposure_products",
    "territory_concentration",
    "territory_import_dependency",
    "territory_specialisation",
    "department_rankings",
]
LOIRET = {"level": "department", "code": "45", "year": 2024}
EU27_PARTNERS = 26  # the EU member states other than France


def _hhi(values: list[Decimal]) -> float:
    total = sum(values)
    return sum((float(value) / float(total)) ** 2 for value in values)


def _items_for_80_pct(values: list[Decimal]) -> int:
    """Smallest number of the largest values whose cumulative share reaches 0.8."""
    total, cumulative = sum(values), Decimal(0)
    for count, value in enumerate(sorted(values, reverse=True), start=1):
        cumulative += value
        if cumulative >= Decimal("0.8") * total:
            return count
    raise AssertionError("the values never reach 80 %")


def _partner_values(con: duckdb.DuckDBPyConnection, column: str) -> dict[str, Decimal]:
    rows = con.execute(
        f"select country_code, {column} from marts.territory_partner_trade "
        "where territory_level = $level and territory_code = $code and year = $year "
        f"and {column} > 0",
        LOIRET,
    ).fetchall()
    return dict(rows)


def _product_values(
    con: duckdb.DuckDBPyConnection,
    flow: str,
    level: str = "department",
    code: str = "45",
    year: int = 2024,
) -> dict[str, Decimal]:
    rows = con.execute(
        "select product_code, value_eur from marts.territory_product_trade "
        "where territory_level = $level and territory_code = $code and year = $year "
        "and flow = $flow and product_level = 'a129' and value_eur > 0",
        {"level": level, "code": code, "year": year, "flow": flow},
    ).fetchall()
    return dict(rows)


def _concentration(con: duckdb.DuckDBPyConnection, flow: str) -> dict[str, object]:
    cursor = con.execute(
        "select * from marts.territory_concentration where territory_level = $level "
        "and territory_code = $code and year = $year and flow = $flow",
        {**LOIRET, "flow": flow},
    )
    names = [column[0] for column in cursor.description]
    return dict(zip(names, cursor.fetchone(), strict=True))


def test_every_indicator_mart_carries_the_territory_shape_and_covers_loiret(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    for mart in INDICATOR_MARTS:
        columns = {
            row[0] for row in warehouse.execute(
                "select column_name from information_schema.columns "
                "where table_schema = 'marts' and table_name = ?", [mart]
            ).fetchall()
        }  # fmt: skip
        assert {"territory_level", "territory_code", "territory_name", "year"} <= columns, mart
        loiret_rows = warehouse.execute(
            f"select count(*) from marts.{mart} where territory_level = $level "
            "and territory_code = $code and year = $year",
            LOIRET,
        ).fetchone()[0]
        assert loiret_rows > 0, mart


@pytest.mark.parametrize("flow", ["export", "import"])
def test_loiret_partner_concentration_recomputed(
    warehouse: duckdb.DuckDBPyConnection, flow: str
) -> None:
    values = list(_partner_values(warehouse, f"{flow}s_eur").values())
    mart = _concentration(warehouse, flow)
    assert mart["flow_eur"] == sum(values)
    assert mart["partner_count"] == len(values)
    assert mart["partner_hhi"] == pytest.approx(_hhi(values), rel=1e-12)
    assert mart["partners_for_80_pct"] == _items_for_80_pct(values)
    assert mart["top_partner_share"] == pytest.approx(float(max(values) / sum(values)))
    assert 1 / len(values) <= mart["partner_hhi"] <= 1


@pytest.mark.parametrize("flow", ["export", "import"])
def test_loiret_product_concentration_recomputed(
    warehouse: duckdb.DuckDBPyConnection, flow: str
) -> None:
    values = list(_product_values(warehouse, flow).values())
    mart = _concentration(warehouse, flow)
    assert mart["product_count"] == len(values)
    assert mart["product_hhi"] == pytest.approx(_hhi(values), rel=1e-12)
    assert mart["products_for_80_pct"] == _items_for_80_pct(values)


def test_loiret_partner_group_shares_recomputed(warehouse: duckdb.DuckDBPyConnection) -> None:
    rows = warehouse.execute(
        "select country_code, is_intra_eu, exports_eur from marts.territory_partner_trade "
        "where territory_level = $level and territory_code = $code and year = $year",
        LOIRET,
    ).fetchall()
    total = sum(exports for _, _, exports in rows)
    by_country = {code: exports for code, _, exports in rows}
    expected = {
        "EU27": sum(exports for _, intra_eu, exports in rows if intra_eu),
        "EXTRA_EU27": sum(exports for _, intra_eu, exports in rows if not intra_eu),
        "US": by_country.get("US", Decimal(0)),
        "CN": by_country.get("CN", Decimal(0)),
        # the United Kingdom is GB alone (XI is Saint-Martin in the customs annex)
        "GB": by_country.get("GB", Decimal(0)),
    }
    mart = {
        code: (exports, share) for code, exports, share in warehouse.execute(
            "select partner_group_code, exports_eur, export_share "
            "from marts.territory_partner_group_exposure where territory_level = $level "
            "and territory_code = $code and year = $year", LOIRET
        ).fetchall()
    }  # fmt: skip
    assert set(mart) == set(expected)
    for code, value in expected.items():
        assert mart[code][0] == value, code
        assert mart[code][1] == pytest.approx(float(value / total), rel=1e-12), code
    assert mart["EU27"][1] + mart["EXTRA_EU27"][1] == pytest.approx(1.0, abs=1e-12)
    assert expected["US"] > 0
    eu_partners = warehouse.execute(
        "select count(*) from staging.stg_reference__countries where is_eu27"
    ).fetchone()[0]
    assert eu_partners == EU27_PARTNERS


def test_loiret_us_exposure_recomputed(warehouse: duckdb.DuckDBPyConnection) -> None:
    rows = warehouse.execute(
        "select product_code, country_code, value_eur from intermediate.int_territory_trade "
        "where territory_level = $level and territory_code = $code and year = $year "
        "and flow = 'export'",
        LOIRET,
    ).fetchall()
    product_exports: dict[str, Decimal] = defaultdict(Decimal)
    us_exports: dict[str, Decimal] = defaultdict(Decimal)
    for product, country, value in rows:
        product_exports[product] += value
        if country == "US":
            us_exports[product] += value
    expected = sorted(
        ((us / product_exports[code], us, code) for code, us in us_exports.items() if us > 0),
        key=lambda item: (-item[0], -item[1], item[2]),
    )
    mart = warehouse.execute(
        "select product_code, us_exports_eur, us_share_of_product_exports "
        "from marts.territory_us_exposure_products where territory_level = $level "
        "and territory_code = $code and year = $year order by dependency_rank",
        LOIRET,
    ).fetchall()
    assert [code for code, _, _ in mart] == [code for _, _, code in expected]
    for (_, us, share), (expected_share, expected_us, _) in zip(mart, expected, strict=True):
        assert us == expected_us
        assert share == pytest.approx(float(expected_share), rel=1e-12)
    us_partner = _partner_values(warehouse, "exports_eur")["US"]
    assert sum(us for _, us, _ in mart) == us_partner


def test_loiret_import_dependency_recomputed(warehouse: duckdb.DuckDBPyConnection) -> None:
    rows = warehouse.execute(
        "select t.product_code, t.country_code, t.value_eur, c.country_group "
        "from intermediate.int_territory_trade as t "
        "inner join intermediate.int_countries_by_year as c "
        "on t.country_code = c.country_code and t.year = c.year "
        "where t.territory_level = $level and t.territory_code = $code and t.year = $year "
        "and t.flow = 'import' and t.value_eur > 0",
        LOIRET,
    ).fetchall()
    # only countries supply; special codes (QU, QS...) count in the product's total
    suppliers: dict[str, list[tuple[Decimal, str]]] = defaultdict(list)
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for product, country, value, group in rows:
        totals[product] += value
        if group == "country":
            suppliers[product].append((value, country))
    assert {group for *_, group in rows} == {"country", "special"}
    mart = {
        row[0]: row[1:] for row in warehouse.execute(
            "select product_code, supplier_count, first_supplier_code, first_supplier_share, "
            "is_dependent from marts.territory_import_dependency where territory_level = $level "
            "and territory_code = $code and year = $year", LOIRET
        ).fetchall()
    }  # fmt: skip
    assert set(mart) == set(totals) and set(suppliers) <= set(totals)
    for product, values in suppliers.items():
        first_value, first_country = min(values, key=lambda item: (-item[0], item[1]))
        total = totals[product]
        count, code, share, is_dependent = mart[product]
        assert (count, code) == (len(values), first_country), product
        assert share == pytest.approx(float(first_value / total), rel=1e-12), product
        assert is_dependent == (first_value > total / 2), product


def test_loiret_specialisation_recomputed(warehouse: duckdb.DuckDBPyConnection) -> None:
    loiret = _product_values(warehouse, "export")
    france = _product_values(warehouse, "export", level="country", code="FR")
    totals = dict(warehouse.execute(
        "select territory_code, exports_eur from marts.territory_trade_balance "
        "where year = 2024 and territory_code in ('45', 'FR')"
    ).fetchall())  # fmt: skip
    mart = dict(warehouse.execute(
        "select product_code, rca from marts.territory_specialisation "
        "where territory_level = $level and territory_code = $code and year = $year",
        LOIRET,
    ).fetchall())  # fmt: skip
    assert set(mart) == set(france)
    for product, france_value in france.items():
        loiret_share = float(loiret.get(product, 0)) / float(totals["45"])
        france_share = float(france_value) / float(totals["FR"])
        assert mart[product] == pytest.approx(loiret_share / france_share, rel=1e-12), product


def test_rca_rank_of_loiret_top_product_among_departments(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    loiret = _product_values(warehouse, "export")
    product = max(loiret, key=loiret.get)
    exports = dict(warehouse.execute(
        "select territory_code, exports_eur from marts.territory_trade_balance "
        "where territory_level = 'department' and year = 2024 and exports_eur > 0"
    ).fetchall())  # fmt: skip
    product_exports = dict(warehouse.execute(
        "select territory_code, value_eur from marts.territory_product_trade "
        "where territory_level = 'department' and year = 2024 and flow = 'export' "
        "and product_level = 'a129' and product_code = ? and value_eur > 0", [product]
    ).fetchall())  # fmt: skip
    # The France share is common to every department: ranking by RCA is ranking by share.
    shares = {code: float(value) / float(exports[code]) for code, value in product_exports.items()}
    expected_order = sorted(shares, key=lambda code: (-shares[code], code))
    mart_order = [code for (code,) in warehouse.execute(
        "select territory_code from marts.territory_specialisation "
        "where territory_level = 'department' and year = 2024 and product_code = ? "
        "and rca_rank is not null order by rca_rank", [product]
    ).fetchall()]  # fmt: skip
    assert mart_order == expected_order


def test_loiret_evolution_recomputed(warehouse: duckdb.DuckDBPyConnection) -> None:
    exports = dict(warehouse.execute(
        "select year, exports_eur from marts.territory_trade_balance "
        "where territory_level = 'department' and territory_code = '45'"
    ).fetchall())  # fmt: skip
    growth_1y, growth_5y, annual_5y, base_year = warehouse.execute(
        "select exports_change_ratio_1y, exports_change_ratio_5y, "
        "exports_annual_change_ratio_5y, base_year_5y from marts.territory_trade_evolution "
        "where territory_level = $level and territory_code = $code and year = $year",
        LOIRET,
    ).fetchone()
    assert base_year == 2020
    assert growth_1y == pytest.approx(float(exports[2024] / exports[2023]) - 1, rel=1e-12)
    assert growth_5y == pytest.approx(float(exports[2024] / exports[2020]) - 1, rel=1e-12)
    assert annual_5y == pytest.approx((float(exports[2024] / exports[2020])) ** 0.25 - 1)
    first_year = warehouse.execute(
        "select exports_change_ratio_1y, base_year_5y from marts.territory_trade_evolution "
        "where territory_level = 'department' and territory_code = '45' and year = 2020"
    ).fetchone()
    assert first_year == (None, None)


@pytest.mark.parametrize(("horizon", "base_year"), [("1y", 2023), ("5y", 2020)])
def test_loiret_top_product_movers_recomputed(
    warehouse: duckdb.DuckDBPyConnection, horizon: str, base_year: int
) -> None:
    current = _product_values(warehouse, "export")
    base = _product_values(warehouse, "export", year=base_year)
    changes = {code: current.get(code, 0) - base.get(code, 0) for code in current | base}
    gainers = sorted((c for c in changes if changes[c] > 0), key=lambda c: (-changes[c], c))
    losers = sorted((c for c in changes if changes[c] < 0), key=lambda c: (changes[c], c))
    rows = warehouse.execute(
        "select item_code, change_eur, gain_rank, loss_rank, is_top_gainer, is_top_loser "
        "from marts.territory_top_movers where territory_level = $level "
        "and territory_code = $code and year = $year and horizon = $horizon "
        "and flow = 'export' and item_type = 'product'",
        {**LOIRET, "horizon": horizon},
    ).fetchall()
    assert {code: change for code, change, *_ in rows} == changes
    by_gain = [code for code, _, rank, *_ in sorted(rows, key=lambda r: r[2] or 999) if rank]
    by_loss = [code for code, _, _, rank, *_ in sorted(rows, key=lambda r: r[3] or 999) if rank]
    assert by_gain == gainers
    assert by_loss == losers
    assert sorted(code for code, *_, top_gainer, _ in rows if top_gainer) == sorted(gainers[:5])
    assert sorted(code for code, *_, top_loser in rows if top_loser) == sorted(losers[:5])


def test_loiret_rankings_recomputed(warehouse: duckdb.DuckDBPyConnection) -> None:
    rows = warehouse.execute(
        "select territory_code, region_code, exports_eur from marts.territory_trade_balance "
        "where territory_level = 'department' and year = 2024"
    ).fetchall()
    national = sorted(rows, key=lambda row: (-row[2], row[0]))
    regional = [row for row in national if row[1] == "24"]
    rank, ranked, region_rank, in_region = warehouse.execute(
        "select rank_among_departments, ranked_departments, rank_in_region, ranked_in_region "
        "from marts.department_rankings where territory_code = '45' and year = 2024 "
        "and indicator_code = 'exports_eur'"
    ).fetchone()
    assert (ranked, in_region) == (101, len(regional))
    assert rank == [row[0] for row in national].index("45") + 1
    assert region_rank == [row[0] for row in regional].index("45") + 1

    partners = warehouse.execute(
        "select territory_code, exports_eur from marts.territory_partner_trade "
        "where territory_level = 'department' and year = 2024 and exports_eur > 0"
    ).fetchall()
    by_department: dict[str, list[Decimal]] = defaultdict(list)
    for code, value in partners:
        by_department[code].append(value)
    hhi = {code: _hhi(values) for code, values in by_department.items()}
    hhi_rank, hhi_value = warehouse.execute(
        "select rank_among_departments, indicator_value from marts.department_rankings "
        "where territory_code = '45' and year = 2024 and indicator_code = 'export_partner_hhi'"
    ).fetchone()
    assert hhi_value == pytest.approx(hhi["45"], rel=1e-12)
    assert hhi_rank == 1 + sum(1 for code, value in hhi.items() if value > hhi["45"] + 1e-15)


def test_rankings_cover_every_indicator_with_readable_labels(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    labels = dict(warehouse.execute(
        "select distinct indicator_code, indicator_label from marts.department_rankings"
    ).fetchall())  # fmt: skip
    assert len(labels) == 13
    assert labels["eu27_export_share"] == "Part des exportations vers l'Union européenne"
    five_year = warehouse.execute(
        "select distinct year from marts.department_rankings "
        "where indicator_code = 'exports_change_ratio_5y'"
    ).fetchall()
    assert five_year == [(2024,)]
