"""The report site rendered from the session's warehouse, checked against the marts.

Expected values are recomputed here from the marts with the test's own SQL,
rounding (Decimal, half-up) and French formatting (written by hand, not with
babel), and compared with what the pages show, parsed with the stdlib HTML
parser. Nothing expected is read back from the code under test.
"""

from __future__ import annotations

import html as html_lib
import json
import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import plotly.graph_objects as go
import pytest

from scripts.paths import PROJECT_DIR
from scripts.report import render as render_reports
from scripts.report.render import RenderError, render_site

pytestmark = pytest.mark.slow

SQL_DIR = PROJECT_DIR / "reports" / "queries"
LEVELS = {"department", "region", "country"}
BIN = Path(sys.executable).parent
EVIL_PRODUCT = '<script>alert("pwned")</script> & <b>Cie</b>'
EVIL_COUNTRY = "<img src=x onerror=alert(1)>land"

Key = tuple[str, str]


# --- independent French formatting -------------------------------------------------------


def norm(text: str) -> str:
    """Collapse every kind of space (incl. U+00A0 and U+202F, babel's separators) to one."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def fr_number(value: Decimal, places: int, signed: bool = False) -> str:
    """French layout written by hand: space between thousands, comma before decimals."""
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    digits = f"{abs(rounded):,.{places}f}".replace(",", " ").replace(".", ",")
    if rounded < 0:
        return "-" + digits
    return ("+" if signed and rounded > 0 else "") + digits


def fr_million(value_eur: Decimal, signed: bool = False) -> str:
    return fr_number(value_eur / Decimal(1_000_000), 1, signed)


def fr_percent(ratio: float, places: int) -> str:
    return fr_number(Decimal(repr(ratio)) * 100, places) + " %"


# --- HTML parsing ------------------------------------------------------------------------


@dataclass
class Table:
    name: str
    territory: str | None
    body: list[list[dict[str, Any]]] = field(default_factory=list)
    foot: list[list[dict[str, Any]]] = field(default_factory=list)

    def eur_sum(self) -> Decimal:
        """Sum of the amounts (data-eur) in the body rows: what a reader would add up."""
        return sum(
            (Decimal(cell["eur"]) for row in self.body for cell in row if cell["eur"]),
            Decimal(0),
        )


class Page(HTMLParser):
    """The parts of a report page the tests look at."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.key: Key | None = None
        self.year: int | None = None
        self.figures: dict[str, str] = {}
        self.flow_totals: list[tuple[str, Decimal]] = []
        self.tables: list[Table] = []
        self.specs: dict[str, str] = {}
        self.chart_divs: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self.stylesheets: list[str] = []
        self.hrefs: list[str] = []
        self.banner: str | None = None
        self.industry: str | None = None
        self.header_text = ""
        self._capture: list[tuple[str, str, list[str]]] = []
        self._table: Table | None = None
        self._section = "body"
        self._cell: dict[str, Any] | None = None
        self._in_header = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if "data-territory-level" in a:
            self.key = (a["data-territory-level"] or "", a["data-territory-code"] or "")
            self.year = int(a["data-year"] or 0)
            self._in_header = True
        if tag == "script":
            self.scripts.append(a)
            if "chart-spec" in (a.get("class") or ""):
                self._capture.append(("spec", a["data-chart-id"] or "", []))
        if tag == "link" and a.get("rel") == "stylesheet":
            self.stylesheets.append(a.get("href") or "")
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"] or "")
        if tag == "div" and "chart" in (a.get("class") or "").split():
            self.chart_divs.append(a.get("id") or "")
        if "data-figure" in a:
            self._capture.append(("figure", a["data-figure"] or "", []))
        if "data-flow-total" in a:
            self.flow_totals.append((a["data-flow-total"] or "", Decimal(a["data-eur"] or "0")))
        if "data-synthetic-banner" in a:
            self._capture.append(("banner", tag, []))
        if "data-territoires-industrie" in a:
            self._capture.append(("industry", tag, []))
        if tag == "table" and "data-table" in a:
            self._table = Table(a["data-table"] or "", a.get("data-territory"))
            self.tables.append(self._table)
        if self._table is not None:
            if tag in ("thead", "tbody", "tfoot"):
                self._section = tag
            elif tag == "tr" and self._section in ("tbody", "tfoot"):
                (self._table.body if self._section == "tbody" else self._table.foot).append([])
            elif tag in ("td", "th") and self._section in ("tbody", "tfoot"):
                rows = self._table.body if self._section == "tbody" else self._table.foot
                self._cell = {"text": "", "eur": a.get("data-eur"), "class": a.get("class")}
                rows[-1].append(self._cell)

    def handle_endtag(self, tag: str) -> None:
        if tag == "header":
            self._in_header = False
        if self._capture and (
            (tag == "script" and self._capture[-1][0] == "spec")
            or (self._capture[-1][0] in ("figure",) and tag in ("span", "strong", "dd"))
            or (self._capture[-1][0] in ("banner", "industry") and tag == self._capture[-1][1])
        ):
            kind, name, parts = self._capture.pop()
            text = "".join(parts)
            if kind == "spec":
                self.specs[name] = text
            elif kind == "figure":
                self.figures[name] = norm(text)
            elif kind == "banner":
                self.banner = norm(text)
            else:
                self.industry = norm(text)
        if tag in ("td", "th") and self._cell is not None:
            self._cell["text"] = norm(self._cell["text"])
            self._cell = None
        if tag == "table":
            self._table = None
            self._section = "body"

    def handle_data(self, data: str) -> None:
        for capture in self._capture:
            capture[2].append(data)
        if self._cell is not None:
            self._cell["text"] += data
        if self._in_header:
            self.header_text += data

    def table(self, name: str, territory: str | None = None) -> Table:
        found = [t for t in self.tables if t.name == name and t.territory in (None, territory)]
        assert len(found) == 1, f"expected one table {name} for {territory}, found {len(found)}"
        return found[0]

    def chart_specs(self) -> dict[str, dict[str, Any]]:
        return {name: json.loads(text) for name, text in self.specs.items()}


# --- fixtures ----------------------------------------------------------------------------


def query(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@pytest.fixture(scope="module")
def marts(warehouse_file: Path) -> dict[str, Any]:
    """What the marts say, read with the test's own SQL."""
    con = duckdb.connect(str(warehouse_file), read_only=True)
    try:
        year = con.execute("select max(year) from marts.territory_trade_balance").fetchone()[0]
        balance = query(con, "select * from marts.territory_trade_balance where year = ?", [year])
        territories = query(con, "select * from marts.territories")
        partners = query(
            con,
            "select * from marts.territory_partner_trade where year = ? and is_main_partner",
            [year],
        )
        link_totals = query(
            con,
            "select territory_level, territory_code, flow, sum(value_eur) as total "
            "from marts.territory_flow_links where year = ? group by all",
            [year],
        )
        synthetic = con.execute("select bool_or(is_synthetic) from marts.data_provenance")
        is_synthetic = synthetic.fetchone()[0]
    finally:
        con.close()
    partners_by_key: dict[Key, list[dict]] = defaultdict(list)
    for row in partners:
        partners_by_key[(row["territory_level"], row["territory_code"])].append(row)
    return {
        "year": year,
        "balance": {(r["territory_level"], r["territory_code"]): r for r in balance},
        "territories": {(r["territory_level"], r["territory_code"]): r for r in territories},
        "partners": partners_by_key,
        "link_totals": {
            (r["territory_level"], r["territory_code"], r["flow"]): r["total"] for r in link_totals
        },
        "synthetic": is_synthetic,
    }


@pytest.fixture(scope="module")
def site(warehouse_file: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The whole site, rendered once for this module."""
    out = tmp_path_factory.mktemp("reports") / "site"
    report = render_site(warehouse_file, out, progress=False)
    html = {path.name: path.read_text(encoding="utf-8") for path in sorted(out.glob("*.html"))}
    parsed = {name: Page(text) for name, text in html.items()}
    pages: dict[Key, Page] = {}
    for name, page in parsed.items():
        if name != "index.html":
            assert page.key is not None, f"{name} has no territory header"
            pages[page.key] = page
    return {"out": out, "report": report, "pages": pages, "html": html, "parsed": parsed}


def page_of(site: dict[str, Any], level: str, code: str) -> Page:
    return site["pages"][(level, code)]


# --- the site as a whole -----------------------------------------------------------------


def test_one_page_per_territory_plus_index(site: dict[str, Any], marts: dict[str, Any]) -> None:
    out: Path = site["out"]
    levels = [key[0] for key in marts["territories"]]
    assert (levels.count("department"), levels.count("region"), levels.count("country")) == (
        101,
        18,
        1,
    )
    assert set(site["pages"]) == set(marts["territories"])
    assert len(list(out.glob("*.html"))) == 101 + 18 + 1 + 1
    assert (out / "index.html").is_file()
    report = site["report"]
    assert report.page_count == 120
    assert report.year == marts["year"]
    assert report.elapsed_seconds > 0
    assert all(page.year == marts["year"] for page in site["pages"].values())


def test_assets_are_written_once_and_nothing_comes_from_the_network(site: dict[str, Any]) -> None:
    out: Path = site["out"]
    bundles = list(out.rglob("plotly*.js"))
    assert [path.relative_to(out).as_posix() for path in bundles] == ["assets/plotly.min.js"]
    wheel_bundle = resources.files("plotly").joinpath("package_data", "plotly.min.js")
    assert bundles[0].read_bytes() == wheel_bundle.read_bytes()
    assert len(list(out.rglob("*.css"))) == 1
    for name, html in site["html"].items():
        page = site["parsed"][name]
        sources = [s.get("src") for s in page.scripts if s.get("src")]
        assert sources == ["assets/report.js", "assets/plotly.min.js"], name
        assert page.stylesheets == ["assets/report.css"], name
        # nothing is loaded from the network; a cited source is a link the reader may follow
        loaded = r"""(\bsrc\s*=|<link\b[^>]*\bhref\s*=)\s*["']?(https?:)?//"""
        assert not re.search(loaded, html), name
        for href in re.findall(r"""<a\b[^>]*\bhref\s*=\s*["']((?:https?:)?//[^"']*)""", html):
            assert href.startswith("https://"), (name, href)
        assert len(html) < 1_000_000, f"{name}: plotly.js must not be inlined"


class _VisibleText(HTMLParser):
    """The text a reader sees: every text node outside scripts and styles."""

    def __init__(self) -> None:
        super().__init__()
        self.skipping = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.texts.append(data)


def test_no_page_shows_a_programming_null(site: dict[str, Any]) -> None:
    """An empty value is a dash or a word, never None, nan or null (in any table or text)."""
    for name, html in site["html"].items():
        parser = _VisibleText()
        parser.feed(html)
        shown = re.findall(r"\b(None|nan|NaN|null|undefined)\b", " ".join(parser.texts))
        assert shown == [], f"{name}: {shown[:5]}"


# Names of each INSEE type (TNCC) as French writes them after "de", by hand.
NAMES_AFTER_DE = {
    "departement-45.html": ("Loiret", "du Loiret"),  # type 2, "le"
    "departement-01.html": ("Ain", "de l'Ain"),  # type 5, "l'"
    "departement-13.html": ("Bouches-du-Rhône", "des Bouches-du-Rhône"),  # type 4, "les"
    "departement-75.html": ("Paris", "de Paris"),  # type 0, no article
    "departement-20.html": ("Corse", "de Corse"),  # type 0
    "departement-33.html": ("Gironde", "de la Gironde"),  # type 3, "la"
    "region-24.html": ("Centre-Val de Loire", "du Centre-Val de Loire"),  # type 2
    "region-11.html": ("Île-de-France", "d'Île-de-France"),  # type 1, "d'"
    "france.html": ("France", "de la France"),  # "la France"
}


def test_names_take_their_french_article(site: dict[str, Any]) -> None:
    """A name after "de" or "à" carries INSEE's article: "du Loiret", never "de Loiret"."""
    for name, (bare, after_de) in NAMES_AFTER_DE.items():
        parser = _VisibleText()
        parser.feed(site["html"][name])
        text = html_lib.unescape(" ".join(parser.texts))
        assert after_de in text, name
        if after_de != f"de {bare}":
            wrong = re.findall(rf"\b(?:de|à) {re.escape(bare)}\b", text)
            assert wrong == [], f"{name}: {wrong[:3]}"


def test_france_table_of_regions_adds_up_to_france(
    warehouse_file: Path, site: dict[str, Any], marts: dict[str, Any]
) -> None:
    """Regions plus the trade no department accounts for make France, to the cent."""
    from scripts.report import queries

    con = duckdb.connect(str(warehouse_file), read_only=True)
    try:
        rows = queries.fetch_year(con, marts["year"]).members[("country", "FR")]
    finally:
        con.close()
    france = marts["balance"][("country", "FR")]
    assert [r["territory_level"] for r in rows[:-1]] == ["region"] * 18
    assert rows[-1]["territory_level"] == "unallocated"
    assert rows[-1]["exports_eur"] == france["unallocated_exports_eur"] != 0
    assert sum(r["exports_eur"] for r in rows) == france["exports_eur"]
    assert sum(r["imports_eur"] for r in rows) == france["imports_eur"]
    assert sum(r["export_share_of_parent"] for r in rows) == pytest.approx(1, abs=1e-9)
    assert "Commerce non rattaché à un département" in site["html"]["france.html"]


def test_every_local_link_resolves(site: dict[str, Any]) -> None:
    out: Path = site["out"]
    for name, page in site["parsed"].items():
        for href in page.hrefs:
            # the framing cites its public sources; mail goes to the programme's address
            if href.startswith(("#", "https://", "mailto:")):
                continue
            assert not href.startswith("http:"), (name, href)
            assert (out / href.split("#")[0]).is_file(), (name, href)


def test_index_lists_every_territory_grouped_by_region(
    site: dict[str, Any], marts: dict[str, Any]
) -> None:
    out: Path = site["out"]
    html = (out / "index.html").read_text(encoding="utf-8")
    linked = set(Page(html).hrefs)
    for path in out.glob("*.html"):
        if path.name != "index.html":
            assert path.name in linked
    entries = re.findall(r'data-index-entry="(\w+):(\w+)"', html)
    assert set(entries) == set(marts["territories"])
    # Each department is listed after its own region's heading and before the next one.
    region_of = {}
    current = None
    for level, code in entries:
        if level == "region":
            current = code
        elif level == "department":
            region_of[code] = current
    for (level, code), row in marts["territories"].items():
        if level == "department":
            assert region_of[code] == row["region_code"], code


def test_synthetic_banner_on_every_page(site: dict[str, Any], marts: dict[str, Any]) -> None:
    assert marts["synthetic"], "the session warehouse is built from the synthetic sample"
    for name, page in site["parsed"].items():
        banner = page.banner
        assert banner is not None, name
        assert "Données synthétiques de démonstration" in banner
        assert "synthetic demonstration data" in banner


# --- key figures ---------------------------------------------------------------------------


def test_loiret_prints_the_published_figures(
    site: dict[str, Any], published_figures: list[dict[str, str]]
) -> None:
    loiret = page_of(site, "department", "45")
    assert loiret.figures["exports"] == "13 225,3"
    assert loiret.figures["export_share_of_region"] == "47,5 %"
    assert loiret.figures["export_share_of_france"] == "2,28 %"
    assert loiret.figures["imports"] == "13 109,2"
    assert loiret.figures["import_share_of_region"] == "49,2 %"
    assert loiret.figures["import_share_of_france"] == "1,91 %"
    for row in published_figures:
        page = page_of(site, row["territory_level"], row["territory_code"])
        plural = "exports" if row["flow"] == "export" else "imports"
        expected = fr_number(Decimal(row["value_million_eur"]), 1)
        assert page.figures[plural] == expected, row
        # The same total is printed under the page's own flow diagram.
        totals = dict(page.flow_totals[:2])
        assert norm(fr_million(totals[row["flow"]])) == expected


def test_key_figures_equal_the_marts_on_every_page(
    site: dict[str, Any], marts: dict[str, Any]
) -> None:
    sole = set(sole_department_regions(marts).values())
    for key, page in site["pages"].items():
        row = marts["balance"][key]
        level = key[0]
        assert page.figures["exports"] == fr_million(row["exports_eur"]), key
        assert page.figures["imports"] == fr_million(row["imports_eur"]), key
        assert page.figures["balance"] == fr_million(row["balance_eur"], signed=True), key
        assert page.figures["coverage"] == fr_percent(row["coverage_ratio"], 1), key
        for flow in ("export", "import"):
            region = f"{flow}_share_of_region"
            france = f"{flow}_share_of_france"
            if level == "department" and key[1] not in sole:
                assert page.figures[region] == fr_percent(row[region], 1), key
            else:  # the one department of a region is 100 % of it: not said
                assert region not in page.figures, key
            if level in ("department", "region"):
                assert page.figures[france] == fr_percent(row[france], 2), key
            else:
                assert france not in page.figures, key


def test_numbers_follow_french_conventions(site: dict[str, Any]) -> None:
    """Amounts: no-break spaces between thousands, a comma before one decimal."""
    amount = re.compile(r"^[+-]?\d{1,3}(?:[\u202f\u00a0]\d{3})*,\d$")
    percent = re.compile(r"^[+-]?\d{1,3}(?:[\u202f\u00a0]\d{3})*,\d{1,2}[\u202f\u00a0]%$")
    for name, html in site["html"].items():
        cells = re.findall(r'<td class="num[^"]*" data-eur="[^"]*">([^<]*)</td>', html)
        assert cells, name
        for text in cells:
            assert amount.match(text), (name, text)
        shares = re.findall(r'<td class="num">([^<]*%)</td>', html)
        for text in shares:
            assert percent.match(text), (name, text)
    loiret = site["html"]["departement-45.html"]
    figure = re.search(r'data-figure="exports"[^>]*>([^<]*)<', loiret)
    assert figure is not None
    assert figure.group(1) in ("13\u202f225,3", "13\u00a0225,3")


def test_header_names_the_territory_region_and_territoires_d_industrie(
    site: dict[str, Any], marts: dict[str, Any]
) -> None:
    for key, page in site["pages"].items():
        territory = marts["territories"][key]
        header = norm(page.header_text)
        assert territory["territory_name"] in header, key
        assert str(marts["year"]) in header
        assert "Douanes" in header
        if key[0] != "country":
            assert f"({territory['territory_code']})" in header
        if key[0] == "department":
            assert territory["region_name"] in header, key
            names = (territory["territoires_industrie"] or "").split(" ; ")
            for name in filter(None, names):
                assert name in (page.industry or ""), (key, name)
    loiret = page_of(site, "department", "45")
    assert "Centre-Val de Loire" in norm(loiret.header_text)
    for name in ("Est du Loiret", "Nord Loiret", "Orléans Métropole – Beauce Loirétaine"):
        assert name in (loiret.industry or "")


class TerritoiresList(HTMLParser):
    """Each ``<li data-territoire-industrie>`` of a page: its text, links and marker."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.items: list[dict[str, Any]] = []
        self._depth = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "li" and "data-territoire-industrie" in a:
            self.items.append({"text": "", "links": [], "spans": None})
            self._depth = 1
        elif self._depth:
            self._depth += tag == "li"
            if tag == "a":
                self.items[-1]["links"].append(a.get("href"))
            if "data-multi-department" in a:
                self.items[-1]["spans"] = int(a["data-multi-department"] or 0)

    def handle_endtag(self, tag: str) -> None:
        if self._depth and tag == "li":
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.items[-1]["text"] += data


def territoire_departments(warehouse_file: Path) -> dict[str, list[tuple[str, str]]]:
    """Territory name -> its (department code, department name), with the test's own SQL."""
    con = duckdb.connect(str(warehouse_file), read_only=True)
    try:
        rows = con.execute(
            "select t.territoire_industrie_name, t.department_code, d.department_name "
            "from staging.stg_reference__territoires_industrie as t "
            "join staging.stg_reference__departments as d using (department_code) "
            "order by 1, 2"
        ).fetchall()
    finally:
        con.close()
    spread: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for name, code, department in rows:
        spread[name].append((code, department))
    return dict(spread)


def test_a_territoire_over_several_departments_links_to_the_others(
    site: dict[str, Any], warehouse_file: Path
) -> None:
    spread = territoire_departments(warehouse_file)
    # By hand: Nord Franche-Comté (Montbéliard, Belfort, Héricourt) lies in three departments.
    assert [code for code, _ in spread["Nord Franche-Comté"]] == ["25", "70", "90"]
    marked = 0
    for key in site["pages"]:
        if key[0] != "department":
            continue
        for item in TerritoiresList(site["html"][page_file(key)]).items:
            name = norm(item["text"]).split(" (à cheval sur ")[0]
            assert key[1] in [code for code, _ in spread[name]], (key, name)
            others = [(code, label) for code, label in spread[name] if code != key[1]]
            if not others:
                assert item["spans"] is None and item["links"] == [], (key, name)
                continue
            marked += 1
            assert item["spans"] == len(others) + 1, (key, name)
            assert item["links"] == [f"departement-{code}.html" for code, _ in others]
            text = norm(item["text"])
            assert f"à cheval sur {len(others) + 1} départements" in text, (key, name)
            for code, label in others:
                assert f"{label} ({code})" in text, (key, name)
    assert marked == sum(len(codes) for codes in spread.values() if len(codes) > 1)
    loiret = norm(page_of(site, "department", "45").industry or "")
    assert "Est du Loiret (à cheval sur 2 départements ; voir aussi : Yonne (89))" in loiret


def page_file(key: Key) -> str:
    level, code = key
    return f"departement-{code}.html" if level == "department" else f"region-{code}.html"


def test_only_rendered_departments_are_linked(warehouse_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    render_site(warehouse_file, out, [("department", "90"), ("department", "25")], progress=False)
    items = TerritoiresList((out / "departement-90.html").read_text(encoding="utf-8")).items
    assert len(items) == 1
    text = norm(items[0]["text"])
    assert text.startswith("Nord Franche-Comté (à cheval sur 3 départements")
    assert "Doubs (25)" in text and "Haute-Saône (70)" in text
    assert items[0]["links"] == ["departement-25.html"]  # 70 is not part of this site


def test_the_title_reads_as_the_fiche_s(site: dict[str, Any]) -> None:
    titles = {
        key: re.search(r"<title>(.*?)</title>", site["html"][page_file(key)], re.S)
        for key in (("department", "45"), ("department", "976"))
    }
    loiret = titles[("department", "45")]
    assert loiret is not None
    assert loiret.group(1) == (
        "Les indicateurs clés : commerce extérieur — Territoires d&#39;industrie — Loiret"
    )
    mayotte = titles[("department", "976")]
    assert mayotte is not None and mayotte.group(1).endswith("— Mayotte")


def test_a_department_without_territoire_says_which_list_it_read(
    site: dict[str, Any], warehouse_file: Path
) -> None:
    covered = {code for spread in territoire_departments(warehouse_file).values()
               for code, _ in spread}  # fmt: skip
    without = [key for key in site["pages"] if key[0] == "department" and key[1] not in covered]
    assert ("department", "75") in without  # Paris: no Territoire d'industrie in the list
    for key in without:
        text = norm(page_of(site, *key).industry or "")
        assert text.startswith("Aucun Territoire d'industrie ne couvre ce département"), key
        assert "2023-2027" in text, key
    for key in site["pages"]:
        if key[0] == "department" and key not in without:
            assert "Aucun" not in (page_of(site, *key).industry or ""), key


# --- charts and their tables ---------------------------------------------------------------


def expected_chart_count(level: str, sole_department: bool = False) -> int:
    # partners + treemap + export and import flows, plus the comparison flow diagrams
    # (the region's and France's; France's only for the one department of an overseas
    # region, whose region's diagrams are its own), plus section 6: evolution, partner
    # groups, US products, specialisation and the export and import movers (every
    # territory of the sample sells to the US).
    compared = {"department": 2 if sole_department else 4, "region": 2, "country": 0}
    return 4 + compared[level] + 6


def test_every_chart_has_data(site: dict[str, Any], marts: dict[str, Any]) -> None:
    sole = set(sole_department_regions(marts).values())
    for key, page in site["pages"].items():
        specs = page.chart_specs()
        assert len(specs) == expected_chart_count(key[0], key[1] in sole), key
        assert sorted(specs) == sorted(page.chart_divs), key
        for name, spec in specs.items():
            assert spec["data"], (key, name)
            for trace in spec["data"]:
                kind = trace["type"]
                if kind == "bar":
                    values = [abs(value) for value in trace["x"]]
                elif kind == "scatter":
                    values = trace["y"]
                elif kind == "treemap":
                    values = trace["values"]
                else:
                    assert kind == "sankey", kind
                    values = trace["link"]["value"]
                assert values and sum(values) > 0, (key, name, kind)
        # The flow diagrams carry the territory's totals (in million euros).
        balance = marts["balance"][key]
        for flow, column in (("export", "exports_eur"), ("import", "imports_eur")):
            level, code = key
            sankey = specs[f"chart-{flow}-flows-{level}-{code}".lower()]["data"][0]
            drawn = sum(sankey["link"]["value"]) * 1_000_000
            assert drawn == pytest.approx(float(balance[column]), rel=1e-9), (key, flow)


def phone_variant(spec: dict[str, Any]) -> dict[str, Any]:
    """The figure report.js draws on a phone: the "narrow" layout, its patches laid on the data."""

    def merge(base: Any, patch: Any) -> Any:
        if isinstance(base, dict) and isinstance(patch, dict):
            return {**base, **{key: merge(base.get(key), value) for key, value in patch.items()}}
        return patch

    narrow = spec["narrow"]
    patches = narrow.get("data", [])
    data = [
        merge(trace, patches[i]) if i < len(patches) else trace
        for i, trace in enumerate(spec["data"])
    ]
    return {"data": data, "layout": narrow["layout"]}


def test_chart_specs_are_valid_plotly_figures(site: dict[str, Any]) -> None:
    phone_variants = 0
    for key in (("department", "45"), ("region", "24"), ("country", "FR")):
        for name, spec in page_of(site, *key).chart_specs().items():
            go.Figure(spec)  # raises on any property plotly does not know
            if "narrow" in spec:  # the flow diagrams' and partner chart's phone variants
                go.Figure(phone_variant(spec))
                phone_variants += 1
            assert spec["layout"]["separators"] == ",\u202f", name
            # numeric axes write 5 000 and 100 000, never Plotly's English "5k" or "100k"
            for axis_name, axis in spec["layout"].items():
                numeric = (
                    axis_name.startswith(("xaxis", "yaxis"))
                    and isinstance(axis, dict)
                    and axis.get("type") != "category"
                    and "tickvals" not in axis
                )
                if numeric:
                    assert axis.get("exponentformat") == "none", (name, axis_name)
    assert phone_variants >= 3 * 5  # each page: partners and at least four flow diagrams


def test_flow_tables_sum_to_the_flow_totals(site: dict[str, Any], marts: dict[str, Any]) -> None:
    sole = set(sole_department_regions(marts).values())
    for key, page in site["pages"].items():
        shown = [key]
        if key[0] == "department" and key[1] in sole:
            shown.append(("country", "FR"))
        elif key[0] == "department":
            shown += [("region", marts["territories"][key]["region_code"]), ("country", "FR")]
        elif key[0] == "region":
            shown.append(("country", "FR"))
        for territory in shown:
            balance = marts["balance"][territory]
            tag = f"{territory[0]}:{territory[1]}"
            for flow, column in (("export", "exports_eur"), ("import", "imports_eur")):
                total = balance[column]
                assert marts["link_totals"][(*territory, flow)] == total
                for side in ("left", "right"):
                    table = page.table(f"{flow}-flow-{side}", tag)
                    assert table.eur_sum() == total, (key, tag, flow, side)
                    # 10 named + Autres; the country side also has the node of the
                    # partner codes that are not countries (HORS_PAYS)
                    countries = (flow, side) in {("export", "right"), ("import", "left")}
                    assert len(table.body) <= (12 if countries else 11)
                    assert table.foot[0][-2]["text"] == fr_million(total)
                top = page.table(f"{flow}-flow-top-links", tag)
                assert 1 <= len(top.body) <= 5
            if territory == key:
                for flow, column in (("export", "exports_eur"), ("import", "imports_eur")):
                    links = page.table(f"{flow}-flow-links", tag)
                    assert links.eur_sum() == balance[column], (key, flow)


def test_product_and_partner_tables_match_the_marts(
    site: dict[str, Any], marts: dict[str, Any]
) -> None:
    for key, page in site["pages"].items():
        balance = marts["balance"][key]
        for flow, column in (("export", "exports_eur"), ("import", "imports_eur")):
            assert page.table(f"{flow}-products").eur_sum() == balance[column], (key, flow)
            assert page.table(f"{flow}-product-groups").eur_sum() == balance[column], key
        partners = page.table("partners")
        expected = marts["partners"][key]
        assert len(partners.body) == len(expected), key
        by_name = {row["country_name"]: row for row in expected}
        for cells in partners.body:
            name = cells[0]["text"].removesuffix(" UE").strip()
            row = by_name[name]
            amounts = [Decimal(cell["eur"]) for cell in cells if cell["eur"]]
            assert amounts == [row["imports_eur"], row["exports_eur"], row["balance_eur"]]
            assert ("negative" in cells[-1]["class"]) == (row["balance_eur"] < 0)
            assert cells[-1]["text"] == fr_million(row["balance_eur"], signed=True)


def test_comparison_table_and_members(site: dict[str, Any], marts: dict[str, Any]) -> None:
    loiret = page_of(site, "department", "45")
    rows = loiret.table("comparison").body
    assert [Decimal(r[1]["eur"]) for r in rows] == [
        marts["balance"][k]["exports_eur"]
        for k in (("department", "45"), ("region", "24"), ("country", "FR"))
    ]
    assert norm(rows[1][1]["text"]) == "27 859,4"
    assert norm(rows[2][1]["text"]) == "580 354,5"
    assert "comparison" not in {t.name for t in page_of(site, "country", "FR").tables}
    region = page_of(site, "region", "24")
    members = region.table("members").body
    departments = [k for k, t in marts["territories"].items() if t["region_code"] == "24"]
    assert len(members) == len([k for k in departments if k[0] == "department"])
    france = page_of(site, "country", "FR").table("members").body
    assert len(france) == 18 + 1  # the regions, then the trade of no department
    assert france[-1][1]["text"] == "Commerce non rattaché à un département"
    exports = [next(Decimal(c["eur"]) for c in row if c["eur"]) for row in france]
    assert sum(exports) == marts["balance"][("country", "FR")]["exports_eur"]


# --- escaping, provenance, options and failures --------------------------------------------


@pytest.fixture(scope="module")
def tampered(warehouse_file: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A copy of the warehouse with HTML in labels and real-data provenance, Loiret rendered."""
    folder = tmp_path_factory.mktemp("tampered")
    copy = folder / "trade.duckdb"
    shutil.copyfile(warehouse_file, copy)
    con = duckdb.connect(str(copy))
    try:
        where = "territory_level = 'department' and territory_code = '45'"
        product = con.execute(
            f"select product_code from marts.territory_product_trade where {where} "
            "and year = (select max(year) from marts.territory_product_trade) "
            "and flow = 'export' and product_level = 'a129' and rank_in_flow = 1"
        ).fetchone()[0]
        con.execute(
            f"update marts.territory_product_trade set product_label = $label "
            f"where {where} and product_code = $code",
            {"label": EVIL_PRODUCT, "code": product},
        )
        con.execute(
            "update marts.territory_flow_links set product_label = $label, "
            "source_label = case when flow = 'export' then $label else source_label end, "
            "target_label = case when flow = 'import' then $label else target_label end "
            f"where {where} and product_code = $code",
            {"label": EVIL_PRODUCT, "code": product},
        )
        con.execute(
            f"update marts.territory_partner_trade set country_name = $name "
            f"where {where} and country_code = 'DE'",
            {"name": EVIL_COUNTRY},
        )
        con.execute(
            "update marts.territory_flow_links set country_name = $name "
            f"where {where} and country_code = 'DE'",
            {"name": EVIL_COUNTRY},
        )
        con.execute(
            f"update marts.territories set territoires_industrie = 'Nord <i>Loiret</i> ; Est' "
            f"where {where}"
        )
        con.execute("update marts.data_provenance set is_synthetic = false")
    finally:
        con.close()
    out = folder / "site"
    render_site(copy, out, [("department", "45")], progress=False)
    html = (out / "departement-45.html").read_text(encoding="utf-8")
    return {"html": html, "page": Page(html), "out": out}


def test_labels_with_html_are_escaped(tampered: dict[str, Any]) -> None:
    html: str = tampered["html"]
    page: Page = tampered["page"]
    assert "<script>alert" not in html
    assert "<b>Cie</b>" not in html
    assert "<img src=x" not in html
    assert "<i>Loiret</i>" not in html
    assert "&lt;script&gt;alert" in html
    # Our own scripts only: report.js, plotly.js and one JSON spec per chart.
    assert len(page.scripts) == 2 + len(page.specs)
    for script in page.scripts:
        assert script.get("src", "").startswith("assets/") or script.get("type") == (
            "application/json"
        )
    # The parser decodes the entities: the cells hold the label as written in the marts.
    cells = [cell["text"] for t in page.tables for row in t.body for cell in row]
    assert norm(EVIL_PRODUCT) in cells
    assert any(norm(EVIL_COUNTRY) in text for text in cells)
    assert "Nord <i>Loiret</i>" in (page.industry or "")
    # In the charts the label is entity-escaped, which plotly.js draws as literal text.
    strings = json.dumps(page.chart_specs(), ensure_ascii=False)
    assert "<script>" not in strings and "<img" not in strings
    assert "&lt;script&gt;alert" in strings


def test_no_banner_when_the_data_is_real(tampered: dict[str, Any]) -> None:
    assert tampered["page"].banner is None
    assert "Données synthétiques" not in tampered["html"]
    index = (tampered["out"] / "index.html").read_text(encoding="utf-8")
    assert "Données synthétiques" not in index


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        path.relative_to(folder).as_posix(): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
    }


def test_unknown_territory_fails_clearly_and_writes_nothing(
    warehouse_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    render_site(warehouse_file, out, [("country", "FR")], progress=False)
    before = snapshot(out)
    with pytest.raises(RenderError) as failure:
        render_site(warehouse_file, out, [("department", "45"), ("department", "999")])
    message = str(failure.value)
    assert "department:999" in message
    assert "department:45" not in message
    assert "--list-territories" in message
    assert snapshot(out) == before
    assert [path.name for path in tmp_path.iterdir()] == ["site"], "no staging folder left"

    fresh = tmp_path / "fresh"
    code = render_reports.main(
        ["--warehouse", str(warehouse_file), "--out", str(fresh), "--territory", "region:99"]
    )
    assert code != 0
    assert "region:99" in capsys.readouterr().err
    assert not fresh.exists()
    with pytest.raises(RenderError, match="level:code"):
        render_site(warehouse_file, fresh, [render_reports.parse_territory("45")])
    assert not fresh.exists()


def test_a_failure_while_rendering_keeps_the_previous_site(
    warehouse_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    render_site(warehouse_file, out, [("country", "FR")], progress=False)
    before = snapshot(out)
    calls = []

    def broken(self: Any, key: Key) -> dict[str, Any]:
        calls.append(key)
        raise RuntimeError("simulated failure while rendering")

    monkeypatch.setattr(render_reports.SiteContent, "territory_page", broken)
    with pytest.raises(RuntimeError, match="simulated"):
        render_site(warehouse_file, out, [("department", "45")], progress=False)
    assert calls
    assert snapshot(out) == before
    assert [path.name for path in tmp_path.iterdir()] == ["site"]


def test_an_unrelated_folder_is_never_replaced(warehouse_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "notes"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(RenderError, match="refusing"):
        render_site(warehouse_file, out, [("country", "FR")], progress=False)
    assert [path.name for path in out.iterdir()] == ["keep.txt"]


def test_another_year_and_a_subset(
    warehouse_file: Path, tmp_path: Path, marts: dict[str, Any]
) -> None:
    year = marts["year"] - 1
    out = tmp_path / "site"
    report = render_site(
        warehouse_file, out, [("department", "45"), ("region", "24")], year=year, progress=False
    )
    assert (report.year, report.page_count) == (year, 2)
    assert sorted(path.name for path in out.glob("*.html")) == [
        "departement-45.html",
        "index.html",
        "region-24.html",
    ]
    con = duckdb.connect(str(warehouse_file), read_only=True)
    try:
        exports = con.execute(
            "select exports_eur from marts.territory_trade_balance "
            "where territory_level = 'department' and territory_code = '45' and year = ?",
            [year],
        ).fetchone()[0]
    finally:
        con.close()
    page = Page((out / "departement-45.html").read_text(encoding="utf-8"))
    assert page.year == year
    assert page.figures["exports"] == fr_million(exports)
    # France is not part of this site: no link to a page that does not exist.
    assert "france.html" not in page.hrefs
    with pytest.raises(RenderError, match="not in the marts"):
        render_site(warehouse_file, tmp_path / "other", year=1900, progress=False)


# --- the SQL files -------------------------------------------------------------------------


def test_sql_files_bind_parameters_and_reuse_verbatim(
    warehouse_file: Path, marts: dict[str, Any]
) -> None:
    """The shared files speak Evidence's syntax and nothing else; bound, they give the marts."""
    files = sorted(SQL_DIR.glob("*.sql"))
    assert files
    allowed = {"'${params.territory_level}'", "'${params.territory_code}'", "${inputs.year.value}"}
    for path in files:
        sql = path.read_text(encoding="utf-8")
        body = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
        used = set(re.findall(r"'?\$\{[^}]*\}'?", body))
        assert used <= allowed, path.name
        rest = re.sub(r"'?\$\{[^}]*\}'?", "", body)
        assert "{" not in rest and "$" not in rest and "%s" not in rest, path.name
        code = re.sub(r"'[^']*'", "''", rest)  # literals aside, the SQL is lower-case
        assert code == code.lower(), path.name
        assert "select *" not in body and ".*" not in body, path.name
        assert "marts." in body and "staging." not in body and "intermediate." not in body
    # One territory, bound the way another tool would bind it, gives the same row.
    sql = (SQL_DIR / "key_figures.sql").read_text(encoding="utf-8")
    sql = re.sub(r"'\$\{params\.(\w+)\}'", r"$\1", sql).replace("${inputs.year.value}", "$year")
    con = duckdb.connect(str(warehouse_file), read_only=True)
    try:
        rows = query_named(
            con,
            sql,
            {"territory_level": "department", "territory_code": "45", "year": marts["year"]},
        )
    finally:
        con.close()
    assert len(rows) == 1
    assert rows[0]["exports_eur"] == marts["balance"][("department", "45")]["exports_eur"]


def query_named(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]) -> list[dict]:
    cursor = con.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def test_sql_files_pass_sqlfluff(tmp_path: Path) -> None:
    """Lint with the project's rules (root .sqlfluff) and reports/queries/.sqlfluff's templater."""
    env = {**os.environ, "TRADE_WAREHOUSE_PATH": str(tmp_path / "lint.duckdb")}
    result = subprocess.run(
        [str(BIN / "sqlfluff"), "lint", ".", "--nofail", "--format", "json"],
        cwd=SQL_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    files = json.loads(result.stdout)
    assert len(files) == len(list(SQL_DIR.glob("*.sql")))
    violations = [
        f"{f['filepath']}:{v['start_line_no']} {v['code']} {v['description']}"
        for f in files
        for v in f["violations"]
    ]
    assert violations == []


# --- page outline, framing, overseas regions and the treemap (issue #15) -----------------


FR: Key = ("country", "FR")


class Outline(HTMLParser):
    """The contents entries (href, text) and each section's id and first h2, in page order."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.toc: list[tuple[str, str]] = []
        self.sections: list[tuple[str, str]] = []
        self.sole: list[str] = []
        self._in_toc = False
        self._text: list[str] | None = None
        self._target: tuple[str, str] | None = None
        self._section: str | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "nav" and a.get("aria-label") == "Sommaire":
            self._in_toc = True
        elif tag == "a" and self._in_toc:
            self._target, self._text = ("toc", a.get("href") or ""), []
        elif tag == "section" and a.get("id"):
            self._section = a["id"]
        elif tag == "h2" and self._section:
            self._target, self._text = ("section", self._section), []
            self._section = None
        elif "data-sole-department" in a:
            self._target, self._text = ("sole", tag), []

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._in_toc = False
        if self._target and self._text is not None:
            kind, name = self._target
            closing = {"toc": "a", "section": "h2"}.get(kind, name)
            if tag == closing:
                text = norm("".join(self._text))
                if kind == "toc":
                    self.toc.append((name.removeprefix("#"), text))
                elif kind == "section":
                    self.sections.append((name, text))
                else:
                    self.sole.append(text)
                self._target, self._text = None, None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def test_contents_numbers_are_the_headings_numbers(site: dict[str, Any]) -> None:
    """On every page (region and France included) the contents and the headings agree."""
    for name, html in site["html"].items():
        if name == "index.html":
            continue
        outline = Outline(html)
        headings = dict(outline.sections)
        assert outline.toc, name
        for anchor, text in outline.toc:
            assert headings.get(anchor) == text, (name, anchor, text, headings.get(anchor))
        numbers = [int(m[1]) for _, text in outline.toc if (m := re.match(r"(\d+)\. ", text))]
        assert numbers == list(range(1, len(numbers) + 1)), (name, numbers)
        # every numbered heading of the page is in the contents
        numbered = [s for s in outline.sections if re.match(r"\d+\. ", s[1])]
        assert numbered == [entry for entry in outline.toc if re.match(r"\d+\. ", entry[1])]
    for name, last in (("region-24.html", "Exposition et dépendance"), ("france.html", None)):
        toc = Outline(site["html"][name]).toc
        numbered = [text for _, text in toc if re.match(r"\d+\. ", text)]
        assert numbered[-1] == f"{len(numbered)}. Exposition et dépendance", name
        assert last is None or numbered[-2].endswith(("Départements de la région", "Régions"))
    france = [text for _, text in Outline(site["html"]["france.html"]).toc]
    assert "5. Régions" in france and "6. Exposition et dépendance" in france


def test_pages_open_and_close_as_the_fiche_does(site: dict[str, Any]) -> None:
    """Introduction, context and method note before the charts, practical information last."""
    for key, page_name in ((("department", "45"), "departement-45.html"), (FR, "france.html")):
        html = site["html"][page_name]
        ids = [section for section, _ in Outline(html).sections]
        opening = ["introduction", "contexte", "methode", "chiffres-cles", "balance"]
        assert ids[:5] == opening, (key, ids[:6])
        assert ids[-1] == "informations", key
        text = html_lib.unescape(html)
        intro = text[text.index('id="introduction"') : text.index('id="contexte"')]
        # the programme's count, as the page states it, is the seed's (one list)
        seed = (PROJECT_DIR / "seeds" / "reference" / "territoires_industrie.csv").read_text()
        territories = {line.split(",")[0] for line in seed.splitlines()[1:] if line}
        assert "2023" in intro and "2027" in intro and f"{len(territories)} territoires" in intro
        assert "synthétiques" in intro  # the sample is labelled in the framing too
        context = text[text.index('id="contexte"') : text.index('id="methode"')]
        assert "2 avril 2025" in context and "federalregister.gov" in context
        practical = text[text.index('id="informations"') :]
        assert "lekiosque.finances.gouv.fr" in practical  # where the customs publish
        assert "senat.fr/rap/r24-217" in practical


def sole_department_regions(marts: dict[str, Any]) -> dict[str, str]:
    """Region code -> its department's code, for the regions with a single department."""
    members: dict[str, list[str]] = defaultdict(list)
    for (level, code), row in marts["territories"].items():
        if level == "department":
            members[row["region_code"]].append(code)
    return {region: codes[0] for region, codes in members.items() if len(codes) == 1}


def test_an_overseas_region_says_once_that_it_is_its_department(
    site: dict[str, Any], marts: dict[str, Any]
) -> None:
    sole = sole_department_regions(marts)
    # the five overseas departments, and Corsica (one department for the customs)
    assert set(sole.values()) == {"971", "972", "973", "974", "976", "20"}
    for region, department in sole.items():
        region_page = Outline(site["html"][f"region-{region}.html"])
        department_page = Outline(site["html"][f"departement-{department}.html"])
        assert len(region_page.sole) == len(department_page.sole) == 1, region
        department_name = marts["territories"][("department", department)]["territory_name"]
        assert department_name in region_page.sole[0]
        # nothing repeats the other page: no table of one department, no region diagrams
        assert "members" not in {t.name for t in page_of(site, "region", region).tables}
        page = page_of(site, "department", department)
        assert [r[0]["text"] for r in page.table("comparison").body][1:] == ["France (pays)"]
        assert not [t for t in page.tables if t.territory == f"region:{region}"], department
        assert "export_share_of_region" not in page.figures
    loiret = Outline(site["html"]["departement-45.html"])
    assert loiret.sole == []


def test_treemap_keeps_both_panels_in_place_with_their_totals(
    site: dict[str, Any], marts: dict[str, Any]
) -> None:
    """Imports left, exports right, on every page; each panel titled with its total,
    even a flow that is a sliver of the other (the smallest exports of the site)."""
    shares = {}
    for key, page in site["pages"].items():
        level, code = key
        spec = page.chart_specs()[f"chart-products-{level}-{code}".lower()]
        balance = marts["balance"][key]
        titles = spec["layout"]["annotations"]
        assert [t["name"] for t in titles] == ["panel-import", "panel-export"], key
        assert titles[0]["x"] < titles[1]["x"]
        for title, column in zip(titles, ("imports_eur", "exports_eur"), strict=True):
            assert fr_million(balance[column]) + " M€" in norm(title["text"]), key
        traces = spec["data"]
        assert [t["ids"][0] for t in traces] == ["import", "export"], key
        assert traces[0]["domain"]["x"][1] < traces[1]["domain"]["x"][0]
        assert traces[0]["domain"]["x"][1] - traces[0]["domain"]["x"][0] == pytest.approx(
            traces[1]["domain"]["x"][1] - traces[1]["domain"]["x"][0]
        )
        total = balance["exports_eur"] + balance["imports_eur"]
        shares[key] = balance["exports_eur"] / total
    smallest = min(shares, key=shares.get)
    assert shares[smallest] < Decimal("0.05"), (smallest, shares[smallest])


def test_treemap_writes_a_label_in_every_large_box(site: dict[str, Any]) -> None:
    """A product worth 5 % of its flow, or a family worth 10 %, is named in its box."""
    for key in (("department", "45"), ("department", "976"), ("region", "24"), FR):
        level, code = key
        spec = page_of(site, *key).chart_specs()[f"chart-products-{level}-{code}".lower()]
        for trace in spec["data"]:
            by_id = dict(zip(trace["ids"], trace["values"], strict=True))
            parents = dict(zip(trace["ids"], trace["parents"], strict=True))
            totals: dict[str, float] = defaultdict(float)
            for node, value in by_id.items():
                while node:
                    totals[node] += value
                    node = parents[node]
            flow_total = totals[trace["ids"][0]]
            columns = ("ids", "labels", "text", "customdata")
            boxes = zip(*(trace[column] for column in columns), strict=True)
            for node, label, text, hover in boxes:
                if "/a" not in node:
                    continue  # the panel itself, titled above it
                share = totals[node] / flow_total
                # plotly writes a product's text in its box, and a family's label in its header
                shown = html_lib.unescape(text if "/a129/" in node else label)
                name = html_lib.unescape(re.match(r"<b>(.*?)</b>", hover)[1])
                if share >= (0.05 if "/a129/" in node else 0.10):
                    assert shown.startswith(name.split()[0]), (key, node, name, shown)
            # wrapped to the box's width: a line holds more than two words when the box is wide
            lines = [line for text in trace["text"] for line in text.split("<br>") if line]
            assert any(len(line.split()) > 2 for line in lines), key
