"""Section 6 of the report pages ("Exposition et dépendance") and the index's department table.

Issue #8: every territory page shows its trade over time, its exposure to
partner groups and to the US market, its concentration, its import
dependency, its specialisation, its largest gains and losses and, for a
department, its ranks; the index lists every department with its main
indicators, sortable, and ranks them without a map. The expected values are
read from the indicator marts with this test's own SQL, and rounded and laid
out in French by hand (test_reports' helpers), never by the code under test.
"""

from __future__ import annotations

import csv
import re
import shutil
from decimal import Decimal
from html import unescape as html_unescape
from pathlib import Path
from typing import Any

import duckdb
import pytest
from test_reports import Page, fr_million, fr_number, fr_percent, query

from scripts.paths import PROJECT_DIR
from scripts.report.render import render_site

pytestmark = pytest.mark.slow

LOIRET = ("department", "45")
SEED = PROJECT_DIR / "seeds" / "reference" / "indicators.csv"


def fr_signed_percent(ratio: float | None, places: int = 1) -> str:
    if ratio is None:
        return "–"
    return fr_number(Decimal(repr(ratio)) * 100, places, signed=True) + " %"


def fr_hhi(ratio: float) -> str:
    return fr_number(Decimal(repr(ratio)) * 10_000, 0)


def rank_of(rank: int, total: int) -> str:
    return f"{rank} / {total}"


@pytest.fixture(scope="module")
def site(warehouse_file: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("indicators") / "site"
    report = render_site(warehouse_file, out, progress=False)
    pages = {}
    for path in out.glob("*.html"):
        page = Page(path.read_text(encoding="utf-8"))
        pages["index" if path.name == "index.html" else page.key] = page
    return {"report": report, "pages": pages, "out": out}


@pytest.fixture(scope="module")
def marts(warehouse_file: Path) -> dict[str, Any]:
    con = duckdb.connect(str(warehouse_file), read_only=True)
    level, code = LOIRET
    try:
        year = con.execute("select max(year) from marts.territory_trade_balance").fetchone()[0]
        where = "territory_level = ? and territory_code = ?"
        one = [level, code, year]
        data = {
            "year": year,
            "evolution": query(
                con,
                f"select * from marts.territory_trade_evolution where {where} and year <= ? "
                "order by year",
                one,
            ),
            "groups": query(
                con,
                f"select * from marts.territory_partner_group_exposure where {where} and year = ?",
                one,
            ),
            "us": query(
                con,
                f"select * from marts.territory_us_exposure_products where {where} and year = ? "
                "order by us_exports_eur desc, product_code limit 10",
                one,
            ),
            "concentration": query(
                con, f"select * from marts.territory_concentration where {where} and year = ?", one
            ),
            "dependency": query(
                con,
                f"select * from marts.territory_import_dependency where {where} and year = ? "
                "and first_supplier_imports_eur > 0.5 * imports_eur "
                # 0,05 M€ and more: what does not read "0,0" once rounded to the tenth
                "and imports_eur >= 50000 "
                "order by imports_eur desc, product_code limit 10",
                one,
            ),
            "specialisation": query(
                con,
                f"select * from marts.territory_specialisation where {where} and year = ? "
                "and exports_eur > 0 order by rca desc, product_code limit 10",
                one,
            ),
            "movers": query(
                con,
                f"select * from marts.territory_top_movers where {where} and year = ? "
                "and (gain_rank <= 5 or loss_rank <= 5)",
                one,
            ),
            "rankings": query(
                con, f"select * from marts.department_rankings where {where} and year = ?", one
            ),
            "departments": query(
                con,
                "select b.*, r.indicator_code, r.indicator_value, r.rank_among_departments "
                "from marts.territory_trade_balance b left join marts.department_rankings r "
                "using (territory_level, territory_code, year) "
                "where b.territory_level = 'department' and b.year = ?",
                [year],
            ),
            "territories": query(
                con, "select territory_level, territory_code from marts.territories"
            ),
        }
    finally:
        con.close()
    return data


def texts(page: Page, name: str) -> list[list[str]]:
    return [[cell["text"] for cell in row] for row in page.table(name).body]


# --- the Loiret page -----------------------------------------------------------------------


def test_loiret_evolution_equals_the_mart(site: dict[str, Any], marts: dict[str, Any]) -> None:
    page = site["pages"][LOIRET]
    expected = [
        [
            str(row["year"]),
            fr_million(row["exports_eur"]),
            fr_million(row["imports_eur"]),
            fr_million(row["balance_eur"], signed=True),
            fr_signed_percent(row["exports_change_ratio_1y"]),
            fr_signed_percent(row["imports_change_ratio_1y"]),
            fr_signed_percent(row["exports_change_ratio_5y"]),
            fr_signed_percent(row["imports_change_ratio_5y"]),
        ]
        for row in marts["evolution"]
    ]
    assert len(expected) >= 5  # 2020-2024 on the sample: a five-year change exists
    assert texts(page, "evolution") == expected
    latest = marts["evolution"][-1]
    for column in ("exports", "imports"):
        for horizon in ("1y", "5y"):
            ratio = latest[f"{column}_change_ratio_{horizon}"]
            assert page.figures[f"{column}_change_{horizon}"] == fr_signed_percent(ratio)
    chart = page.chart_specs()["chart-evolution-department-45"]
    exports = chart["data"][0]
    assert exports["x"] == [row["year"] for row in marts["evolution"]]
    assert exports["y"] == pytest.approx(
        [float(row["exports_eur"]) / 1e6 for row in marts["evolution"]]
    )


def test_loiret_partner_groups_equal_the_mart(site: dict[str, Any], marts: dict[str, Any]) -> None:
    page = site["pages"][LOIRET]
    order = ["EU27", "EXTRA_EU27", "US", "CN", "GB"]
    rows = sorted(marts["groups"], key=lambda row: order.index(row["partner_group_code"]))
    expected = [
        [
            row["partner_group_label"],
            fr_million(row["exports_eur"]),
            fr_percent(row["export_share"], 1),
            fr_million(row["imports_eur"]),
            fr_percent(row["import_share"], 1),
            fr_million(row["balance_eur"], signed=True),
        ]
        for row in rows
    ]
    assert texts(page, "partner-groups") == expected
    us = next(row for row in rows if row["partner_group_code"] == "US")
    assert page.figures["us_export_share"] == fr_percent(us["export_share"], 1)


def test_loiret_us_products_equal_the_mart(site: dict[str, Any], marts: dict[str, Any]) -> None:
    page = site["pages"][LOIRET]
    assert len(marts["us"]) == 10
    expected = [
        [
            str(rank),
            f"{row['product_label']} {row['product_code']}",
            fr_million(row["us_exports_eur"]),
            fr_million(row["product_exports_eur"]),
            fr_percent(row["us_share_of_product_exports"], 1),
            fr_percent(row["share_of_territory_exports"], 2),
        ]
        for rank, row in enumerate(marts["us"], start=1)
    ]
    assert texts(page, "us-products") == expected
    for row in marts["us"]:  # the share is the product's exports that go to the US
        assert row["us_share_of_product_exports"] == pytest.approx(
            float(row["us_exports_eur"] / row["product_exports_eur"])
        )


def test_loiret_concentration_and_dependency_equal_the_marts(
    site: dict[str, Any], marts: dict[str, Any]
) -> None:
    page = site["pages"][LOIRET]
    by_flow = {row["flow"]: row for row in marts["concentration"]}
    expected = [
        [
            label,
            str(row["partner_count"]),
            fr_hhi(row["partner_hhi"]),
            str(row["partners_for_80_pct"]),
            fr_percent(row["top_partner_share"], 1),
            str(row["product_count"]),
            fr_hhi(row["product_hhi"]),
            str(row["products_for_80_pct"]),
            fr_percent(row["top_product_share"], 1),
        ]
        for label, row in (("Exportations", by_flow["export"]), ("Importations", by_flow["import"]))
    ]
    assert texts(page, "concentration") == expected
    assert marts["dependency"], "the Loiret imports some products from one main supplier"
    dependency = texts(page, "import-dependency")
    assert [row[1] for row in dependency] == [
        f"{row['product_label']} {row['product_code']}" for row in marts["dependency"]
    ]
    for shown, row in zip(dependency, marts["dependency"], strict=True):
        assert shown[2] == fr_million(row["imports_eur"])
        assert shown[3].removesuffix(" UE") == row["first_supplier_name"]
        assert shown[4] == fr_percent(row["first_supplier_share"], 1)
        assert Decimal(repr(row["first_supplier_share"])) > Decimal("0.5")


def test_no_dependency_table_lists_a_product_worth_nothing(
    site: dict[str, Any], warehouse_file: Path
) -> None:
    """No row reads 0,0 M€; the rows left out for that are counted under the table."""
    con = duckdb.connect(str(warehouse_file), read_only=True)
    try:
        small = {
            (row["territory_level"], row["territory_code"]): row["n"]
            for row in query(
                con,
                "select territory_level, territory_code, count(*) as n "
                "from marts.territory_import_dependency "
                "where year = (select max(year) from marts.territory_trade_balance) "
                "and first_supplier_imports_eur > 0.5 * imports_eur "
                "and round(imports_eur / 1e6, 1) = 0 group by all",
            )
        }
    finally:
        con.close()
    assert small, "the sample has dependent products too small to list"
    said = 0
    for key, page in site["pages"].items():
        if key == "index":
            continue
        tables = [t for t in page.tables if t.name == "import-dependency"]
        for table in tables:
            assert all(row[2]["text"] != "0,0" for row in table.body), key
            footnote = " ".join(cell["text"] for row in table.foot for cell in row)
            counted = re.search(r"(\d+) autres? produits? dépendants?", footnote)
            if tables and table.body:
                assert (int(counted[1]) if counted else 0) == small.get(key, 0), key
                said += counted is not None
    assert said, "some page says that it left small products out"


def test_loiret_specialisation_equals_the_mart(site: dict[str, Any], marts: dict[str, Any]) -> None:
    page = site["pages"][LOIRET]
    expected = [
        [
            str(rank),
            f"{row['product_label']} {row['product_code']}",
            fr_million(row["exports_eur"]),
            fr_percent(row["share_of_exports"], 1),
            fr_percent(row["france_share_of_exports"], 2),
            fr_number(Decimal(repr(row["rca"])), 2),
            str(row["rca_rank"]),
        ]
        for rank, row in enumerate(marts["specialisation"], start=1)
    ]
    assert len(expected) == 10
    assert texts(page, "specialisation") == expected
    chart = page.chart_specs()["chart-specialisation-department-45"]
    assert chart["data"][0]["x"] == pytest.approx([row["rca"] for row in marts["specialisation"]])


def test_loiret_gains_and_losses_equal_the_mart(
    site: dict[str, Any], marts: dict[str, Any]
) -> None:
    page = site["pages"][LOIRET]
    for horizon in ("1y", "5y"):
        for flow in ("export", "import"):
            for item_type in ("product", "partner"):
                rows = [
                    r
                    for r in marts["movers"]
                    if (r["horizon"], r["flow"], r["item_type"]) == (horizon, flow, item_type)
                ]
                gains = sorted((r for r in rows if r["gain_rank"]), key=lambda r: r["gain_rank"])
                losses = sorted((r for r in rows if r["loss_rank"]), key=lambda r: r["loss_rank"])
                assert len(gains) == len(losses) == 5
                expected = [
                    [
                        f"{arrow} {rank}",
                        r["item_label"],
                        fr_million(r["base_value_eur"]),
                        fr_million(r["value_eur"]),
                        fr_million(r["change_eur"], signed=True),
                        fr_signed_percent(r["change_ratio"])
                        if r["change_ratio"] is not None
                        else "nouveau",
                    ]
                    for arrow, chosen in (("↑", gains), ("↓", losses))
                    for rank, r in enumerate(chosen, start=1)
                ]
                name = f"movers-{horizon}-{flow}-{item_type}"
                assert texts(page, name) == expected, name


def test_loiret_ranks_equal_the_mart(site: dict[str, Any], marts: dict[str, Any]) -> None:
    page = site["pages"][LOIRET]
    shown = {row[0]: row for row in texts(page, "rankings")}
    assert len(shown) == len(marts["rankings"]) == 13
    table = page.table("rankings")
    assert len(table.body) == 13
    ranks = sorted(
        (
            rank_of(r["rank_among_departments"], r["ranked_departments"]),
            rank_of(r["rank_in_region"], r["ranked_in_region"]),
        )
        for r in marts["rankings"]
    )
    assert sorted((row[2], row[3]) for row in shown.values()) == ranks
    exports = next(r for r in marts["rankings"] if r["indicator_code"] == "exports_eur")
    assert shown["Exportations"][1] == fr_million(Decimal(repr(exports["indicator_value"]))) + " M€"
    assert shown["Exportations"][2] == rank_of(exports["rank_among_departments"], 101)


def test_a_department_alone_in_its_region_has_no_regional_rank(site: dict[str, Any]) -> None:
    # La Réunion is its region's one department: a rank "1 / 1" would say nothing
    reunion = site["pages"][("department", "974")].table("rankings")
    loiret = site["pages"][LOIRET].table("rankings")
    assert reunion.body and {len(row) for row in reunion.body} == {3}
    assert {len(row) for row in loiret.body} == {4}
    html = (site["out"] / "departement-974.html").read_text(encoding="utf-8")
    table = html[html.index('data-table="rankings"') :]
    caption = table[table.index("<caption>") : table.index("</caption>")]
    assert "Rang dans la région" not in html and "dans la région" not in caption


def seeded_indicators() -> list[dict[str, str]]:
    """The indicators seed as written, in its display order."""
    with SEED.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return sorted(rows, key=lambda row: int(row["indicator_order"]))


def test_rankings_show_the_seeded_indicators_in_the_seed_order(
    site: dict[str, Any], warehouse_file: Path
) -> None:
    # The seed is the one place the labels, kinds, units and order are written:
    # the mart carries each of them unchanged (the sample covers enough years
    # for every indicator), and the page lists the labels in the seed's order.
    seed = seeded_indicators()
    columns = ["indicator_code", "indicator_label", "indicator_kind", "indicator_unit"]
    with duckdb.connect(str(warehouse_file), read_only=True) as con:
        carried = con.execute(
            f"select distinct {', '.join(columns)}, indicator_order "
            "from marts.department_rankings order by indicator_order"
        ).fetchall()
    assert carried == [(*(row[c] for c in columns), int(row["indicator_order"])) for row in seed]
    shown = [row[0] for row in texts(site["pages"][LOIRET], "rankings")]
    assert shown == [row["indicator_label"] for row in seed]
    assert "Part des importations dépendant d'un fournisseur à plus de 50 %" in shown


# --- every page ----------------------------------------------------------------------------


def test_every_new_chart_has_data(site: dict[str, Any], marts: dict[str, Any]) -> None:
    keys = {(row["territory_level"], row["territory_code"]) for row in marts["territories"]}
    pages = site["pages"]
    assert keys <= pages.keys()
    for key in keys:
        level, code = key
        specs = pages[key].chart_specs()
        suffix = f"-{level}-{code}".lower()
        for name in (
            "evolution",
            "partner-groups",
            "us-products",
            "specialisation",
            "movers-export",
            "movers-import",
        ):
            spec = specs[f"chart-{name}{suffix}"]
            for trace in spec["data"]:
                values = trace["y"] if trace["type"] == "scatter" else trace["x"]
                assert values and sum(abs(value) for value in values) > 0, (key, name)
        assert texts(pages[key], "concentration")
        if level != "department":
            assert not [t for t in pages[key].tables if t.name == "rankings"]


def test_a_territory_without_us_trade_says_so(warehouse_file: Path, tmp_path: Path) -> None:
    copy = tmp_path / "no-us.duckdb"
    shutil.copyfile(warehouse_file, copy)
    con = duckdb.connect(str(copy))
    try:
        con.execute(
            "delete from marts.territory_us_exposure_products "
            "where territory_level = 'department' and territory_code = '45'"
        )
    finally:
        con.close()
    out = tmp_path / "site"
    render_site(copy, out, territories=[LOIRET], progress=False)
    html = (out / "departement-45.html").read_text(encoding="utf-8")
    page = Page(html)
    assert "data-no-us-trade" in html
    assert "n'a exporté aucun bien vers les États-Unis" in html
    assert not [t for t in page.tables if t.name == "us-products"]
    assert "chart-us-products-department-45" not in page.chart_specs()


# --- the index -----------------------------------------------------------------------------


def test_index_lists_every_department_with_the_mart_values(
    site: dict[str, Any], marts: dict[str, Any]
) -> None:
    index = site["pages"]["index"]
    by_code: dict[str, dict[str, Any]] = {}
    for row in marts["departments"]:
        entry = by_code.setdefault(row["territory_code"], {**row, "indicators": {}})
        if row["indicator_code"]:
            entry["indicators"][row["indicator_code"]] = (
                row["indicator_value"],
                row["rank_among_departments"],
            )
    table = index.table("departments")
    assert len(table.body) == len(by_code) == 101
    shown_ranks = []
    for cells in table.body:
        text = [cell["text"] for cell in cells]
        row = by_code[text[1]]
        indicators = row["indicators"]
        growth = indicators.get("exports_change_ratio_1y", (None,))[0]
        assert text[2:] == [
            row["territory_name"],
            row["region_name"],
            fr_million(row["exports_eur"]),
            fr_million(row["imports_eur"]),
            fr_million(row["balance_eur"], signed=True),
            fr_percent(row["coverage_ratio"], 1),
            fr_signed_percent(growth),
            fr_hhi(indicators["export_partner_hhi"][0]),
            fr_percent(indicators["us_export_share"][0], 1),
        ], text[1]
        assert text[0] == str(indicators["exports_eur"][1])
        shown_ranks.append(int(text[0]))
        assert Decimal(cells[4]["text"].replace(" ", "").replace(",", ".")) == (
            Decimal(row["exports_eur"]) / Decimal(1_000_000)
        ).quantize(Decimal("0.1"), rounding="ROUND_HALF_UP")
    assert shown_ranks == list(range(1, 102))  # printed largest exporter first (no JS needed)


def test_index_ranking_view(site: dict[str, Any], marts: dict[str, Any]) -> None:
    index = site["pages"]["index"]
    spec = index.chart_specs()["chart-department-ranking"]
    bars = spec["data"][0]
    assert len(bars["x"]) == len(bars["y"]) == 101
    assert bars["x"] == sorted(bars["x"], reverse=True)
    top = max(
        (row for row in marts["departments"] if row["indicator_code"] == "exports_eur"),
        key=lambda row: row["exports_eur"],
    )
    assert bars["y"][0] == f"{top['territory_name']} ({top['territory_code']})"
    assert bars["x"][0] == pytest.approx(float(top["exports_eur"]) / 1e6)
    menu = spec["layout"]["updatemenus"][0]["buttons"]
    assert len(menu) == 6
    # The seed's labels in the seed's order, each with the unit its bars are drawn in.
    assert [button["label"] for button in menu] == [
        "Exportations (M€)",
        "Importations (M€)",
        "Solde commercial (M€)",
        "Évolution des exportations sur un an (%)",
        "Concentration des exportations par pays (HHI, points)",
        "Part des exportations vers les États-Unis (%)",
    ]
    for button in menu:
        assert len(button["args"][0]["x"][0]) > 0
    # A value is written outside its bar: left of a negative bar, where the department
    # names are. Each view's axis keeps room beyond its bars on both sides (a tenth of
    # the span at least: about 70 px on a 1 280 px page, more than a written value).
    signs = set()
    for button in menu:
        values = button["args"][0]["x"][0]
        low, high = button["args"][1]["xaxis.range"]
        span = max([*values, 0]) - min([*values, 0])
        assert high >= max(values) + span / 10, button["label"]
        if min(values) < 0:
            assert low <= min(values) - span / 10, button["label"]
            signs.add("negative")
    assert signs, "some indicator (the balance) has negative values"


def test_index_table_heads_its_indicator_columns_with_the_seed_labels(
    site: dict[str, Any],
) -> None:
    # The index table's indicator columns, in the page's order, each headed by
    # the seed's label of the indicator it shows (the coverage ratio is none).
    html = (site["out"] / "index.html").read_text(encoding="utf-8")
    table = html[html.index('data-table="departments"') :]
    head = html_unescape(table[: table.index("</thead>")])
    shown = re.findall(r'data-sort-key="(\w+)"[^>]*>([^<]*)</th>', head)
    labels = {row["indicator_code"]: row["indicator_label"] for row in seeded_indicators()}
    assert shown[4:] == [
        ("exports", labels["exports_eur"]),
        ("imports", labels["imports_eur"]),
        ("balance", labels["balance_eur"]),
        ("coverage", "Taux de couverture"),
        ("growth", labels["exports_change_ratio_1y"]),
        ("hhi", labels["export_partner_hhi"]),
        ("us_share", labels["us_export_share"]),
    ]


def test_every_territory_page_is_rendered(site: dict[str, Any]) -> None:
    # Render time is measured by scripts/bench/benchmark.py, never asserted here.
    assert site["report"].page_count == 120
