"""Numbers at the edges (issue #16, item 8; issue #15, item 7): zero values,
fractions of a cent, and the customs' partner codes that are not countries.

A tiny raw folder in the real DGDDI layout (the machinery and annexes of
tests/fixtures/customs_real/) is built once for the module by the main job's
own code. Every expected figure is added up by hand from the rows below.

The policy under test (seeds/reference/_reference__seeds.yml, countries; and
README.md, "Partner codes that are not countries"): a code is a partner
country when its country_group is 'country'. The other codes stay in every
total but are never ranked, never a named node of a flow diagram (one node,
HORS_PAYS, holds them) and never a first supplier; is_intra_eu puts QR, QV,
QY on the EU side and QU, QS, QW, QZ outside. XI is Saint-Martin (southern
part) as the customs annex defines it (until 2005-12), a partner of its own:
the United Kingdom is GB alone, in the partner mart and in the partner groups.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import duckdb
import pytest

from scripts.pipeline import build as run_pipeline

FIXTURE = Path(__file__).parent / "fixtures" / "customs_real"

# 24 lines of 0,004 EUR: four quarters x two CPF4 of A01Z x three EU partners.
# Exactly 0,096 EUR (0,10 once rounded); rounded line by line they would be 0.
FRACTION_ROWS = [
    f"E;{quarter};2018;45;04;A01Z;{cpf4};{country};0,004;0"
    for quarter in (1, 2, 3, 4)
    for cpf4 in ("0113", "0121")
    for country in ("IT", "ES", "NL")
]
EXPORTS_2018 = [
    "E;1;2018;45;04;A01Z;0111;DE;1000;10",
    "E;1;2018;45;04;C21Z;2120;QU;5000;50",  # country not determined: the largest code
    "E;1;2018;45;04;C21Z;2120;GB;300;3",
    "E;1;2018;45;04;C11Z;1102;US;0;0",  # a zero value: the only US and C11Z line
    "E;2;2018;45;04;A01Z;0111;QS;700;7",  # stores, trade with third countries
    "E;2;2018;45;04;A01Z;0111;QR;400;4",  # stores, intra-EU trade
    *FRACTION_ROWS,
]
IMPORTS_2018 = [
    "I;1;2018;45;04;A01Z;0111;CN;0;0",  # a zero value: the only CN line
    "I;1;2018;45;04;C21Z;2120;DE;2000;20",
    "I;2;2018;45;04;C21Z;2120;QU;3000;30",  # larger than DE, but no supplier
    "I;3;2018;45;04;A01Z;0113;QU;800;8",  # A01Z comes under QU alone
]
# 2004: XI is Saint-Martin (southern part); QV, QY, QZ, QW are still valid.
EXPORTS_2004 = [
    "E;1;2004;45;04;A01Z;0111;XI;1000;10",
    "E;1;2004;45;04;A01Z;0111;GB;2000;20",
    "E;2;2004;45;04;A01Z;0111;QV;300;3",  # not determined, intra-EU
    "E;2;2004;45;04;A01Z;0111;QY;200;2",  # not determined, intra-EU (Eurostat)
    "E;3;2004;45;04;A01Z;0111;QZ;100;1",  # not determined, extra-EU (Eurostat)
    "E;4;2004;45;04;A01Z;0111;QW;50;1",  # not determined, third countries
]
IMPORTS_2004 = ["I;1;2004;45;04;A01Z;0111;DE;10;1"]

LOIRET_2018 = {"level": "department", "code": "45", "year": 2018}
LOIRET_2004 = {"level": "department", "code": "45", "year": 2004}
WHERE = "territory_level = $level and territory_code = $code and year = $year"


def _make_fixture() -> ModuleType:
    """tests/fixtures/customs_real/make_fixture.py, for its deterministic zip writer."""
    spec = importlib.util.spec_from_file_location("make_fixture", FIXTURE / "make_fixture.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def edges(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse built by the main job from the rows above, once for the module."""
    make = _make_fixture()
    root = tmp_path_factory.mktemp("edges")
    raw = root / "raw"
    annexes = {name: (make.ANNEXES / name).read_bytes() for name in make.ANNEX_FILES}
    make.write_zip(raw / "latest" / "REGIONAL_CPF4PAYS.zip", {
        **annexes,
        "REGIONAL_CPF4PAYSE.txt": make.text(EXPORTS_2018, "\r\n"),
        "REGIONAL_CPF4PAYSI.txt": make.text(IMPORTS_2018, "\r\n"),
    })  # fmt: skip
    make.write_zip(raw / "2004" / "Region_2004.zip", {
        "Region_2004_Export.txt": make.text(EXPORTS_2004, "\r\n"),
        "Region_2004_Import.txt": make.text(IMPORTS_2004, "\r\n"),
    })  # fmt: skip
    target = root / "trade.duckdb"
    # raises BuildError when a model or a contract fails (a zero value once did)
    run_pipeline.build_warehouse(raw, target, ["--target-path", str(root / "dbt-target")])
    con = duckdb.connect(str(target), read_only=True)
    yield con
    con.close()


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> tuple:
    row = con.execute(sql, params).fetchone()
    assert row is not None, sql
    return row


# --------------------------------------------------------------------- zero values


@pytest.mark.slow
def test_a_zero_value_is_no_trade_anywhere(edges: duckdb.DuckDBPyConnection) -> None:
    loaded = edges.execute(
        "select count(*) from raw.customs_trade where trim(value) = '0'"
    ).fetchone()[0]
    assert loaded == 2  # the US and CN lines reached raw, and the build went through
    partners = {r[0] for r in edges.execute(
        f"select country_code from marts.territory_partner_trade where {WHERE}", LOIRET_2018
    ).fetchall()}  # fmt: skip
    assert partners == {"DE", "QU", "GB", "QS", "QR", "IT", "ES", "NL"}
    products = {r[0] for r in edges.execute(
        f"select product_code from marts.territory_product_trade where {WHERE} "
        "and product_level = 'a129'", LOIRET_2018
    ).fetchall()}  # fmt: skip
    assert products == {"A01Z", "C21Z"}  # C11Z had only its zero line


@pytest.mark.slow
def test_flow_diagrams_have_no_empty_node(edges: duckdb.DuckDBPyConnection) -> None:
    rows = edges.execute(
        f"select flow, product_code, country_code, value_eur from marts.territory_flow_links "
        f"where {WHERE}", LOIRET_2018
    ).fetchall()  # fmt: skip
    assert all(value > 0 for _, _, _, value in rows)
    assert not {"AUTRES", "C11Z", "US", "CN"} & {code for row in rows for code in row[1:3]}
    exports = {(p, c): v for flow, p, c, v in rows if flow == "export"}
    assert set(exports) == {
        ("A01Z", "DE"), ("C21Z", "GB"), ("A01Z", "IT"), ("A01Z", "ES"), ("A01Z", "NL"),
        ("C21Z", "HORS_PAYS"), ("A01Z", "HORS_PAYS"),
    }  # fmt: skip
    assert exports[("C21Z", "HORS_PAYS")] == Decimal("5000")  # QU
    assert exports[("A01Z", "HORS_PAYS")] == Decimal("1100")  # QS 700 + QR 400


# --------------------------------------------------------------------- fractions of a cent


@pytest.mark.slow
def test_fractions_of_a_cent_are_summed_exactly_and_rounded_once(
    edges: duckdb.DuckDBPyConnection,
) -> None:
    fractions = edges.execute(
        "select count(*) from raw.customs_trade where value = '0,004'"
    ).fetchone()[0]
    assert fractions == 24
    # 1000 + 5000 + 300 + 700 + 400 + 24 x 0,004 = 7400,096; line by line: 7400,00
    for level, code in (("department", "45"), ("region", "24"), ("country", "FR")):
        exports, imports = _one(edges,
            f"select exports_eur, imports_eur from marts.territory_trade_balance where {WHERE}",
            {"level": level, "code": code, "year": 2018},
        )  # fmt: skip
        assert (exports, imports) == (Decimal("7400.10"), Decimal("5800.00")), level
    # A01Z: 1000 + 700 + 400 + 0,096 = 2100,096
    a01z = _one(edges,
        f"select value_eur from marts.territory_product_trade where {WHERE} "
        "and flow = 'export' and product_level = 'a129' and product_code = 'A01Z'", LOIRET_2018,
    )[0]  # fmt: skip
    assert a01z == Decimal("2100.10")
    # each of IT, ES, NL: 8 x 0,004 = 0,032
    italy = _one(edges,
        f"select exports_eur from marts.territory_partner_trade where {WHERE} "
        "and country_code = 'IT'", LOIRET_2018,
    )[0]  # fmt: skip
    assert italy == Decimal("0.03")
    exact = _one(edges,
        f"select sum(value_eur) from intermediate.int_territory_trade where {WHERE} "
        "and flow = 'export'", LOIRET_2018,
    )[0]  # fmt: skip
    assert exact == Decimal("7400.096")


# --------------------------------------------------------------------- special codes


@pytest.mark.slow
def test_special_codes_are_never_ranked_partners(edges: duckdb.DuckDBPyConnection) -> None:
    rows = {r[0]: r[1:] for r in edges.execute(
        "select country_code, is_country, export_rank, total_trade_rank, is_main_partner "
        f"from marts.territory_partner_trade where {WHERE}", LOIRET_2018
    ).fetchall()}  # fmt: skip
    for code in ("QU", "QS", "QR"):
        assert rows[code] == (False, None, None, False), code
    # QU exports 5000, but DE (1000) is the first customer
    assert rows["DE"] == (True, 1, 1, True)
    assert rows["GB"][:2] == (True, 2)


@pytest.mark.slow
def test_a_special_code_is_never_the_first_supplier(edges: duckdb.DuckDBPyConnection) -> None:
    rows = {r[0]: r[1:] for r in edges.execute(
        "select product_code, imports_eur, supplier_count, first_supplier_code, "
        "first_supplier_share from marts.territory_import_dependency "
        f"where {WHERE}", LOIRET_2018
    ).fetchall()}  # fmt: skip
    # C21Z: DE 2000 and QU 3000; A01Z: QU 800 alone (CN's zero line is no trade)
    assert rows["C21Z"] == (Decimal("5000.00"), 1, "DE", pytest.approx(0.4))
    assert rows["A01Z"] == (Decimal("800.00"), 0, None, 0.0)


@pytest.mark.slow
def test_partner_groups_split_special_codes_by_eu_side(edges: duckdb.DuckDBPyConnection) -> None:
    def groups(params: dict) -> dict[str, tuple[Decimal, Decimal]]:
        return {r[0]: r[1:] for r in edges.execute(
            "select partner_group_code, exports_eur, imports_eur "
            f"from marts.territory_partner_group_exposure where {WHERE}", params
        ).fetchall()}  # fmt: skip

    late = groups(LOIRET_2018)
    # EU: DE 1000 + QR 400 + 3 x 0,03; outside: QU 5000 + GB 300 + QS 700
    assert late["EU27"][0] == Decimal("1400.09")
    assert late["EXTRA_EU27"][0] == Decimal("6000.00")
    early = groups(LOIRET_2004)
    assert early["EU27"] == (Decimal("500.00"), Decimal("10.00"))  # QV 300 + QY 200; DE
    assert early["EXTRA_EU27"][0] == Decimal("3150.00")  # XI 1000 + GB 2000 + QZ 100 + QW 50


@pytest.mark.slow
def test_the_united_kingdom_is_one_figure(edges: duckdb.DuckDBPyConnection) -> None:
    """XI is Saint-Martin in the annex (until 2005): its own partner, never in GB's group."""
    partners = {r[0]: r[1:] for r in edges.execute(
        "select country_code, country_name, exports_eur "
        f"from marts.territory_partner_trade where {WHERE}", LOIRET_2004
    ).fetchall()}  # fmt: skip
    assert partners["XI"] == ("Saint-Martin, partie méridionale", Decimal("1000.00"))
    for params in (LOIRET_2004, LOIRET_2018):
        group = _one(edges,
            "select exports_eur, imports_eur from marts.territory_partner_group_exposure "
            f"where {WHERE} and partner_group_code = 'GB'", params,
        )  # fmt: skip
        partner = _one(edges,
            "select exports_eur, imports_eur from marts.territory_partner_trade "
            f"where {WHERE} and country_code = 'GB'", params,
        )  # fmt: skip
        assert group == partner
    assert partner == (Decimal("300.00"), Decimal("0.00"))
