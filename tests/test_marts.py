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


# Each territory's name after an article, "de", "à" and "en", written by hand
# as French writes it (one or more names of each INSEE name type present, the
# usage exceptions, France): level, code -> (article, de, à, en).
FRENCH_NAME_FORMS = {
    ("department", "75"): ("Paris", "de Paris", "à Paris", "à Paris"),  # type 0
    ("department", "974"): ("La Réunion", "de La Réunion", "à La Réunion", "à La Réunion"),
    ("region", "53"): ("la Bretagne", "de Bretagne", "à la Bretagne", "en Bretagne"),  # 0
    ("department", "20"): ("la Corse", "de Corse", "à la Corse", "en Corse"),  # 0
    ("department", "28"): (  # type 1
        "l'Eure-et-Loir", "d'Eure-et-Loir", "à l'Eure-et-Loir", "en Eure-et-Loir"
    ),
    ("region", "11"): (  # type 1
        "l'Île-de-France", "d'Île-de-France", "à l'Île-de-France", "en Île-de-France"
    ),
    ("department", "45"): ("le Loiret", "du Loiret", "au Loiret", "dans le Loiret"),  # 2
    ("region", "24"): (  # type 2
        "le Centre-Val de Loire", "du Centre-Val de Loire", "au Centre-Val de Loire",
        "en Centre-Val de Loire",
    ),
    ("region", "44"): ("le Grand Est", "du Grand Est", "au Grand Est", "dans le Grand Est"),
    ("department", "33"): ("la Gironde", "de la Gironde", "à la Gironde", "en Gironde"),  # 3
    ("region", "01"): ("la Guadeloupe", "de la Guadeloupe", "à la Guadeloupe", "en Guadeloupe"),
    ("department", "13"): (  # type 4
        "les Bouches-du-Rhône", "des Bouches-du-Rhône", "aux Bouches-du-Rhône",
        "dans les Bouches-du-Rhône",
    ),
    ("region", "32"): (  # type 4
        "les Hauts-de-France", "des Hauts-de-France", "aux Hauts-de-France",
        "dans les Hauts-de-France",
    ),
    ("department", "01"): ("l'Ain", "de l'Ain", "à l'Ain", "dans l'Ain"),  # type 5
    ("department", "34"): ("l'Hérault", "de l'Hérault", "à l'Hérault", "dans l'Hérault"),
    ("department", "99"): (
        "la Principauté de Monaco", "de la Principauté de Monaco",
        "à la Principauté de Monaco", "dans la Principauté de Monaco",
    ),
    ("country", "FR"): ("la France", "de la France", "à la France", "en France"),
}  # fmt: skip


def test_territory_names_are_written_as_french_grammar_wants(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    rows = {
        (level, code): forms
        for level, code, *forms in warehouse.execute(
            "select territory_level, territory_code, name_with_article, name_with_de, "
            "name_with_a, name_with_en from marts.territories"
        ).fetchall()
    }
    for key, expected in FRENCH_NAME_FORMS.items():
        assert tuple(rows[key]) == expected, key
    types = {
        row[0]
        for row in warehouse.execute("select distinct name_type from marts.territories").fetchall()
    }
    assert {0, 1, 2, 3, 4, 5} <= types  # every type present is sampled above


def test_no_territory_name_is_left_as_the_bare_name_after_de(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    """The defect of issue 15: "de Loiret". Only type-0 names keep a bare "de"."""
    wrong = warehouse.execute(
        "select territory_name from marts.territories "
        "where name_with_de = 'de ' || territory_name and name_type <> 0"
    ).fetchall()
    assert wrong == []
    forms = warehouse.execute(
        "select count(*) from marts.territories where name_with_article is null "
        "or name_with_de is null or name_with_a is null or name_with_en is null"
    ).fetchone()[0]
    assert forms == 0
