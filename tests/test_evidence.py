"""The Evidence project in reports/evidence/, checked without Node against the session's warehouse.

Evidence itself cannot run offline (its DuckDB-wasm downloads the Parquet
extension), so this test does, in Python, what ``npm run sources`` and a visit
of each page do with the same files:

1. every source query (reports/evidence/sources/<source>/*.sql) runs against the
   warehouse, and its rows land in an in-memory DuckDB under the source's name
   (``marts``), typed the way Evidence's DuckDB connector types them (every
   number a DOUBLE, timestamps without zone): what the pages query in the
   browser;
2. every page (reports/evidence/pages/**/*.md, partials injected) is read the way
   Evidence's preprocessor reads it: the files its front matter lists from
   reports/queries/, its inline ```sql blocks, query chaining (``${name}``),
   then the template literal: route parameters (``${params.x}``) and inputs
   (``${inputs.year.value}``, the value the page's dropdown selects first, and
   its last option too) pasted into the text;
3. every query of every page runs for several departments, regions and
   France; every component the route parameters do not hide gets rows, and
   every column a component prop or a ``{row.column}`` expression names is in
   its query's result.

The components and their props are parsed from the pages; only which props of
an Evidence component name a column (``COLUMN_PROPS``) is written here.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from scripts.paths import PROJECT_DIR
from scripts.report import queries as report_queries

pytestmark = pytest.mark.slow

EVIDENCE = PROJECT_DIR / "reports" / "evidence"
PAGES = EVIDENCE / "pages"
PARTIALS = EVIDENCE / "partials"
# The shared SQL contract; the Evidence project reaches it through a symlink.
QUERIES = PROJECT_DIR / "reports" / "queries"
SOURCES = EVIDENCE / "sources"

# Departments (mainland, Corsica as the customs publish it, overseas), regions
# (Corsica's has one department) and France: the route parameters of the
# templated page.
TERRITORIES = [
    ("department", "45"),
    ("department", "20"),
    ("department", "976"),
    ("region", "24"),
    ("region", "94"),
    ("country", "FR"),
]

# Which props of an Evidence component name a column of its data (Column: of
# the enclosing DataTable's data). A component with data that is not listed
# here fails the test, so that a new kind of component is not left unchecked.
COLUMN_PROPS: dict[str, tuple[str, ...]] = {
    "BigValue": ("value", "comparison", "sparkline"),
    "BarChart": ("x", "y", "y2", "series"),
    "LineChart": ("x", "y", "y2", "series"),
    "AreaChart": ("x", "y", "series"),
    "DataTable": ("link", "groupBy"),
    "Column": ("id",),
    "SankeyDiagram": ("sourceCol", "targetCol", "valueCol", "percentCol"),
    "Dropdown": ("value", "label", "order"),
}
# Components without data, allowed on a page.
LAYOUT_COMPONENTS = {"Alert", "BigLink", "Details", "Grid", "Tabs", "Tab", "LinkButton"}

# Evidence's DuckDB connector (duckdbDescribeToEvidenceType) -> Parquet -> DuckDB-wasm.
NUMBER_TYPES = {
    "DOUBLE", "FLOAT", "TINYINT", "UTINYINT", "SMALLINT", "USMALLINT", "INTEGER",
    "UINTEGER", "BIGINT", "UBIGINT", "HUGEINT",
}  # fmt: skip
DATE_TYPES = {
    "DATE", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_S", "TIMESTAMP_MS",
    "TIMESTAMP_NS",
}  # fmt: skip

FENCE = re.compile(r"^```(?P<info>[^\n]*)\n(?P<body>.*?)^```[ \t]*$", re.M | re.S)
FRONT_MATTER = re.compile(r"\A---\n(?P<yaml>.*?)\n---\n", re.S)
PARTIAL = re.compile(r'\{@partial\s+"(?P<name>.*?)"\s*\}')
INTERPOLATION = re.compile(r"\$\{(?P<expr>.*?)\}", re.S)
TOKEN = re.compile(
    r"\{#if\s+(?P<if>[^}]*)\}"
    r"|\{:else if\s+(?P<elif>[^}]*)\}"
    r"|(?P<else>\{:else\})"
    r"|(?P<endif>\{/if\})"
    r"|\{#each\s+(?P<each>\w+)\s+as\s+(?P<alias>\w+)[^}]*\}"
    r"|(?P<endeach>\{/each\})"
    r"|<(?P<tag>[A-Z]\w*)(?P<attrs>(?:[^>{}]|\{[^}]*\})*?)(?P<selfclose>/?)>"
    r"|</(?P<close>[A-Z]\w*)\s*>",
    re.S,
)
ATTRIBUTE = re.compile(
    r"""(?P<name>\w+)(?:=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|\{(?P<expr>[^}]*)\}|(?P<bare>[^\s/>]+)))?"""
)
ROUTE_PARAMETER = re.compile(r"\[(\w+)\]")
# A condition on the route parameters only: params.x, string literals, comparisons.
PARAMS_CONDITION = re.compile(r"(?:params\.\w+|'[^']*'|===|!==|&&|\|\||!|\(|\)|\s)+")
# A section shown only when a query has rows: {#if query.length > 0}.
NON_EMPTY_CONDITION = re.compile(r"(?P<query>\w+)\.length\s*>\s*0")


# --- the Evidence project, parsed ----------------------------------------------------------


@dataclass(frozen=True)
class PageQuery:
    id: str
    text: str
    file: str | None  # the file in reports/queries/, or None for an inline query


@dataclass(frozen=True)
class Guard:
    """The {#if} branch a component sits in: ``condition`` holds and no ``earlier`` one did."""

    condition: str | None
    earlier: tuple[str, ...]


@dataclass(frozen=True)
class Component:
    name: str
    props: Mapping[str, str]
    data: str | None
    guards: tuple[Guard, ...]

    def columns(self) -> list[str]:
        """The columns its props name: ``y={['a', 'b']}`` names two, ``order="year desc"`` one."""
        names = []
        for prop in COLUMN_PROPS.get(self.name, ()):
            value = self.props.get(prop)
            if value is None:
                continue
            if prop == "order":
                names.append(value.split()[0])
            elif value.startswith("["):
                names += [a or b for a, b in re.findall(r"'([^']*)'|\"([^\"]*)\"", value)]
            else:
                names.append(value)
        return names


@dataclass(frozen=True)
class Reference:
    """``{row.column}`` in an {#each query as row} block, or ``{query[0].column}``."""

    query: str
    column: str


@dataclass
class Page:
    path: Path
    route: str
    route_parameters: tuple[str, ...]
    queries: dict[str, PageQuery]
    markup: str  # the page, partials in, without code blocks and comments
    components: list[Component] = field(default_factory=list)
    references: set[Reference] = field(default_factory=set)
    links: set[str] = field(default_factory=set)


def route_of(path: Path) -> str:
    relative = path.relative_to(PAGES).with_suffix("")
    parts = [part for part in relative.parts if part != "index"]
    return "/" + "/".join(parts)


def inject_partials(text: str) -> str:
    return PARTIAL.sub(lambda m: (PARTIALS / m["name"]).read_text(encoding="utf-8"), text)


def parse_page(path: Path) -> Page:
    raw = path.read_text(encoding="utf-8")
    front = FRONT_MATTER.match(raw)
    meta = yaml.safe_load(front["yaml"]) if front else {}
    body = inject_partials(raw[front.end() :] if front else raw)
    queries: dict[str, PageQuery] = {}
    for entry in (meta or {}).get("queries", []):
        # "file.sql" is the query "file"; {"id": "file.sql"} names it.
        query_id, file = (
            (entry.split(".sql")[0].replace("/", "_"), entry)
            if isinstance(entry, str)
            else next(iter(entry.items()))
        )
        text = (QUERIES / file).read_text(encoding="utf-8").strip()
        queries[query_id.lower()] = PageQuery(query_id.lower(), text, file)
    for fence in FENCE.finditer(body):
        info = fence["info"].split()
        assert len(info) == 2 and info[0] == "sql", (
            f"{path.name}: a code block Evidence would run must be ```sql <name>: {fence[0][:60]}"
        )
        assert info[1] not in queries, f"{path.name}: two queries named {info[1]}"
        queries[info[1]] = PageQuery(info[1], fence["body"].strip(), None)
    markup = re.sub(r"<!--.*?-->", "", FENCE.sub("", body), flags=re.S)
    route = route_of(path)
    page = Page(path, route, tuple(ROUTE_PARAMETER.findall(route)), queries, markup)
    _scan_markup(page)
    return page


def _scan_markup(page: Page) -> None:
    """Components with their {#if} guards, column references, and static links."""
    frames: list[dict[str, Any]] = []  # {"kind": "if", "condition", "earlier"} or each
    aliases: dict[str, str] = {}
    tables: list[str | None] = []
    position = 0

    def scan_text(text: str) -> None:
        for query, column in re.findall(r"\b(\w+)\[0\]\??\.(\w+)", text):
            page.references.add(Reference(query, column))
        for alias, query in aliases.items():
            for column in re.findall(rf"\b{alias}\.(\w+)", text):
                page.references.add(Reference(query, column))
        page.links.update(re.findall(r"\]\((/[^)\s]*)\)", text))

    for token in TOKEN.finditer(page.markup):
        scan_text(page.markup[position : token.start()])
        position = token.end()
        if token["if"] is not None:
            scan_text(token["if"])
            frames.append({"kind": "if", "condition": token["if"].strip(), "earlier": []})
        elif token["elif"] is not None:
            scan_text(token["elif"])
            frames[-1]["earlier"].append(frames[-1]["condition"])
            frames[-1]["condition"] = token["elif"].strip()
        elif token["else"]:
            frames[-1]["earlier"].append(frames[-1]["condition"])
            frames[-1]["condition"] = None
        elif token["endif"]:
            assert frames.pop()["kind"] == "if", f"{page.path.name}: unbalanced {{/if}}"
        elif token["each"]:
            assert token["each"] in page.queries, f"{page.path.name}: each over {token['each']}"
            frames.append({"kind": "each", "alias": token["alias"]})
            aliases[token["alias"]] = token["each"]
        elif token["endeach"]:
            frame = frames.pop()
            assert frame["kind"] == "each", f"{page.path.name}: unbalanced {{/each}}"
            aliases.pop(frame["alias"])
        elif token["tag"]:
            attrs = token["attrs"]
            scan_text(attrs)
            props = {
                m["name"]: next(
                    (v for v in (m["dq"], m["sq"], m["expr"], m["bare"]) if v is not None), "true"
                ).strip()
                for m in ATTRIBUTE.finditer(attrs)
            }
            for link_prop in ("url", "href"):
                if props.get(link_prop, "").startswith("/"):
                    page.links.add(props[link_prop])
            data = props.get("data")
            if token["tag"] == "Column":
                assert tables, f"{page.path.name}: <Column> outside a <DataTable>"
                data = tables[-1]
            guards = tuple(
                Guard(f["condition"], tuple(f["earlier"])) for f in frames if f["kind"] == "if"
            )
            page.components.append(Component(token["tag"], props, data, guards))
            if token["tag"] == "DataTable" and not token["selfclose"]:
                tables.append(data)
        elif token["close"] == "DataTable":
            tables.pop()
    scan_text(page.markup[position:])
    assert not frames, f"{page.path.name}: unclosed {{#if}} or {{#each}}"


@functools.cache
def pages() -> tuple[Page, ...]:
    return tuple(parse_page(path) for path in sorted(PAGES.rglob("*.md")))


# --- Evidence's query compilation ----------------------------------------------------------


def js_string(value: Any) -> str:
    """What a JS template literal prints for a value Evidence passes (numbers without .0)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def compile_query(
    queries: Mapping[str, PageQuery],
    query_id: str,
    params: Mapping[str, str],
    inputs: Mapping[str, Any],
) -> str:
    """The SQL text Evidence sends to DuckDB-wasm for one query of a page.

    First the preprocessor's query chaining (``${other}`` becomes ``(other's
    SQL)``; a file may not use an inline query), then the page's template
    literal pastes the route parameters and input values.
    """

    def chained(query: PageQuery, depth: int = 0) -> str:
        assert depth < 15, f"circular query chain through {query.id}"

        def replace(match: re.Match[str]) -> str:
            name = match["expr"].strip()
            if name not in queries:
                return match[0]
            assert query.file is None or queries[name].file is not None, (
                f"{query.file} uses the inline query {name}, which Evidence refuses"
            )
            return "(" + chained(queries[name], depth + 1) + ")"

        return INTERPOLATION.sub(replace, query.text)

    def interpolate(match: re.Match[str]) -> str:
        expr = match["expr"].strip()
        if param := re.fullmatch(r"params\.(\w+)", expr):
            assert param[1] in params, f"{query_id}: no route parameter {param[1]} on this page"
            return params[param[1]]
        if name := re.fullmatch(r"inputs\.(\w+)\.value", expr):
            assert name[1] in inputs, f"{query_id}: no input named {name[1]} on this page"
            return js_string(inputs[name[1]])
        raise AssertionError(f"{query_id} interpolates {expr!r}")

    return INTERPOLATION.sub(interpolate, chained(queries[query_id]))


def evaluate(
    condition: str | None,
    params: Mapping[str, str],
    results: Mapping[str, Result] | None = None,
) -> bool | None:
    """A guard on the route parameters, as JS would; None when it depends on anything else.

    ``query.length > 0`` (a section shown only when its query has rows) is
    decided too when the visit's ``results`` are given.
    """
    if condition is None:
        return True
    has_rows = NON_EMPTY_CONDITION.fullmatch(condition)
    if results is not None and has_rows and has_rows["query"] in results:
        return bool(results[has_rows["query"]].rows)
    if not PARAMS_CONDITION.fullmatch(condition):
        return None
    python = re.sub(r"params\.(\w+)", lambda m: repr(params.get(m[1])), condition)
    python = python.replace("===", "==").replace("!==", "!=").replace("&&", " and ")
    python = python.replace("||", " or ")
    python = re.sub(r"!(?!=)", " not ", python)
    return bool(eval(python, {"__builtins__": {}}, {}))  # grammar checked above


def shown(
    component: Component,
    params: Mapping[str, str],
    results: Mapping[str, Result] | None = None,
) -> bool:
    """False only when the route parameters (or an emptiness guard) hide the component."""
    for guard in component.guards:
        if evaluate(guard.condition, params, results) is False:
            return False
        if any(evaluate(earlier, params, results) is True for earlier in guard.earlier):
            return False
    return True


# --- running it ----------------------------------------------------------------------------


def evidence_cast(column: str, duckdb_type: str) -> str:
    quoted = '"' + column.replace('"', '""') + '"'
    if "DECIMAL" in duckdb_type or duckdb_type in NUMBER_TYPES:
        return f"cast({quoted} as double) as {quoted}"
    if duckdb_type == "BOOLEAN":
        return quoted
    if duckdb_type in DATE_TYPES:
        return f"cast({quoted} as timestamp) as {quoted}"
    return f"cast({quoted} as varchar) as {quoted}"


@dataclass(frozen=True)
class Source:
    name: str
    table: str
    sql: str
    row_count: int
    columns: tuple[str, ...]


@pytest.fixture(scope="module")
def evidence_db(warehouse_file: Path) -> Iterator[tuple[duckdb.DuckDBPyConnection, list[Source]]]:
    """In memory, what `npm run sources` would write, under the names Evidence gives it."""
    con = duckdb.connect()
    path = str(warehouse_file).replace("'", "''")
    con.execute(f"attach '{path}' as warehouse (read_only)")
    sources = []
    for connection in sorted(SOURCES.glob("*/connection.yaml")):
        config = yaml.safe_load(connection.read_text(encoding="utf-8"))
        assert config["type"] == "duckdb", connection
        name = config["name"]
        con.execute(f'create schema memory."{name}"')
        for file in sorted(connection.parent.glob("*.sql")):
            sql = file.read_text(encoding="utf-8")
            con.execute("use warehouse")
            described = con.execute(f"describe {sql}").fetchall()
            casts = ", ".join(evidence_cast(row[0], row[1]) for row in described)
            con.execute(
                f'create table memory."{name}"."{file.stem}" as select {casts} from ({sql})'
            )
            con.execute("use memory")
            count = con.execute(f'select count(*) from "{name}"."{file.stem}"').fetchone()[0]
            sources.append(Source(name, file.stem, sql, count, tuple(row[0] for row in described)))
    con.execute("detach warehouse")  # the pages see the sources' tables only
    yield con, sources
    con.close()


@dataclass(frozen=True)
class Result:
    columns: tuple[str, ...]
    rows: list[dict[str, Any]]


@dataclass
class Visit:
    """One page seen for one territory (route parameters) and one year (input)."""

    page: Page
    params: dict[str, str]
    inputs: dict[str, Any]
    results: dict[str, Result]


def run(con: duckdb.DuckDBPyConnection, sql: str) -> Result:
    cursor = con.execute(sql)
    columns = tuple(column[0] for column in cursor.description)
    return Result(columns, [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()])


def input_options(
    con: duckdb.DuckDBPyConnection, page: Page, params: Mapping[str, str]
) -> dict[str, list[Any]]:
    """The options of each Dropdown of the page, in the order it shows them."""
    options = {}
    for component in page.components:
        if component.name != "Dropdown":
            continue
        sql = compile_query(page.queries, component.data, params, {})
        order = component.props.get("order", component.props["value"])
        rows = run(con, f"select {component.props['value']} as value from ({sql}) order by {order}")
        options[component.props["name"]] = [row["value"] for row in rows.rows]
    return options


def visits_of(con: duckdb.DuckDBPyConnection, page: Page) -> list[Visit]:
    if page.route_parameters:
        assert set(page.route_parameters) == {"territory_level", "territory_code"}, page.route
        territories = [dict(territory_level=lv, territory_code=cd) for lv, cd in TERRITORIES]
    else:
        territories = [{}]
    visits = []
    for params in territories:
        options = input_options(con, page, params)
        # The option a Dropdown selects first (Evidence's default), then the last one.
        choices = [{name: values[0] for name, values in options.items()}]
        if any(len(values) > 1 for values in options.values()):
            choices.append({name: values[-1] for name, values in options.items()})
        for inputs in choices:
            results = {
                query_id: run(con, compile_query(page.queries, query_id, params, inputs))
                for query_id in page.queries
            }
            visits.append(Visit(page, params, inputs, results))
    return visits


@pytest.fixture(scope="module")
def visits(evidence_db: tuple[duckdb.DuckDBPyConnection, list[Source]]) -> list[Visit]:
    con, _ = evidence_db
    return [visit for page in pages() for visit in visits_of(con, page)]


# --- tests ---------------------------------------------------------------------------------


def test_the_project_has_the_pages_the_issue_asks_for() -> None:
    routes = {page.route: page for page in pages()}
    assert set(routes) == {"/", "/territoires/[territory_level]/[territory_code]"}
    territory = routes["/territoires/[territory_level]/[territory_code]"]
    kinds = {component.name for component in territory.components}
    assert {"BigValue", "BarChart", "DataTable", "SankeyDiagram", "Dropdown"} <= kinds
    sankeys = [c for c in territory.components if c.name == "SankeyDiagram"]
    assert len(sankeys) == 2  # exports and imports
    # The France overview is the templated page for France, linked from the index.
    assert "/territoires/country/FR" in routes["/"].links


def test_every_page_says_when_the_data_is_synthetic(visits: list[Visit]) -> None:
    for page in pages():
        raw = page.path.read_text(encoding="utf-8")
        assert '{@partial "synthetic-banner.md"}' in raw, page.path.name
        alerts = [c for c in page.components if c.name == "Alert"]
        assert any(
            "is_synthetic" in (guard.condition or "") for c in alerts for guard in c.guards
        ), page.path.name
        assert "Données synthétiques" in page.markup
    for visit in visits:
        # The sample warehouse is synthetic: the banner's condition holds on every page.
        assert visit.results["provenance"].rows[0]["is_synthetic"] is True


def test_components_are_known_and_read_queries_of_their_page() -> None:
    for page in pages():
        assert page.components, page.path.name
        for component in page.components:
            if component.data is None:
                assert component.name in LAYOUT_COMPONENTS, (page.path.name, component.name)
                continue
            assert component.name in COLUMN_PROPS, (
                f"{page.path.name}: <{component.name}> has data; list its column props"
            )
            assert component.data in page.queries, (page.path.name, component.name)
        for reference in page.references:
            assert reference.query in page.queries, (page.path.name, reference)


def test_queries_are_safe_in_a_javascript_template_literal() -> None:
    """Evidence evaluates each query as a JS template literal: no backslash, no backtick."""
    for page in pages():
        for query in page.queries.values():
            assert "\\" not in query.text and "`" not in query.text, (page.path.name, query.id)
            if query.file is None:
                # Inline queries only slice the shared files' results; marts are read there.
                assert "marts." not in query.text, (page.path.name, query.id)
                assert INTERPOLATION.search(query.text), (page.path.name, query.id)


def test_every_shared_query_is_on_a_page_and_run_by_the_site_renderer(
    warehouse: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {path.name for path in QUERIES.glob("*.sql")}
    on_pages = {q.file for page in pages() for q in page.queries.values() if q.file}
    assert on_pages == files
    loaded: set[str] = set()
    load = report_queries.load_query

    def recording(name: str, *args: Any) -> report_queries.Query:
        loaded.add(f"{name}.sql")
        return load(name, *args)

    monkeypatch.setattr(report_queries, "load_query", recording)
    year = report_queries.available_years(warehouse)[0]
    report_queries.fetch_year(warehouse, year)
    assert loaded == files


def test_source_queries_mirror_the_marts_the_pages_read(
    evidence_db: tuple[duckdb.DuckDBPyConnection, list[Source]],
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    _, sources = evidence_db
    assert {source.name for source in sources} == {"marts"}
    tables = {source.table: source for source in sources}
    read = {
        table
        for path in QUERIES.glob("*.sql")
        for table in re.findall(r"\bmarts\.(\w+)", path.read_text(encoding="utf-8"))
    }
    assert read <= tables.keys()
    for table, source in tables.items():
        expected = warehouse.execute(f"select count(*) from marts.{table}").fetchone()[0]
        assert source.row_count == expected > 0, table
        columns = warehouse.execute(
            "select column_name from information_schema.columns"
            " where table_schema = 'marts' and table_name = ? order by ordinal_position",
            [table],
        ).fetchall()
        assert source.columns == tuple(row[0] for row in columns), table


def test_every_query_runs_and_feeds_its_components(visits: list[Visit]) -> None:
    assert {visit.page.route for visit in visits} == {page.route for page in pages()}
    for visit in visits:
        where = f"{visit.page.route} {visit.params} {visit.inputs}"
        for component in visit.page.components:
            if component.data is None or not shown(component, visit.params, visit.results):
                continue
            result = visit.results[component.data]
            assert result.rows, f"{where}: <{component.name} data={{{component.data}}}> is empty"
            missing = set(component.columns()) - set(result.columns)
            assert not missing, f"{where}: <{component.name}> names {missing} not in its data"
        for reference in visit.page.references:
            result = visit.results[reference.query]
            assert reference.column in result.columns, f"{where}: {reference}"


def test_each_territory_page_shows_that_territory(visits: list[Visit]) -> None:
    seen = set()
    for visit in visits:
        if not visit.params:
            continue
        key = (visit.params["territory_level"], visit.params["territory_code"])
        figures = visit.results["key_figures"].rows
        assert [(r["territory_level"], r["territory_code"]) for r in figures] == [key]
        assert figures[0]["year"] == visit.inputs["year"]
        assert visit.results["territory"].rows[0]["territory_name"] == figures[0]["territory_name"]
        members = visit.results["members"].rows
        # France's regions end with the trade no department accounts for
        expected = {"country": {"region", "unallocated"}, "region": {"department"}}
        assert {row["territory_level"] for row in members} == expected.get(key[0], set())
        seen.add(key)
    assert seen == set(TERRITORIES)


def test_flow_diagrams_are_acyclic_and_add_up(visits: list[Visit]) -> None:
    """An "Autres" node on both sides would make a cycle, which ECharts refuses to draw."""
    for visit in visits:
        for component in visit.page.components:
            if component.name != "SankeyDiagram" or not shown(component, visit.params):
                continue
            rows = visit.results[component.data].rows
            sources = {row[component.props["sourceCol"]] for row in rows}
            targets = {row[component.props["targetCol"]] for row in rows}
            assert not sources & targets, (visit.params, component.data)
            values = [row[component.props["valueCol"]] for row in rows]
            assert min(values) > 0
            shares = sum(row[component.props["percentCol"]] for row in rows)
            assert math.isclose(shares, 1.0, abs_tol=1e-6), (visit.params, component.data)


def test_links_lead_to_pages_and_every_territory_has_one(visits: list[Visit]) -> None:
    routes = [
        re.compile("^" + ROUTE_PARAMETER.sub(r"(?P<\1>[^/]+)", page.route) + "$")
        for page in pages()
    ]
    paths = {link for page in pages() for link in page.links}
    for visit in visits:
        for result in visit.results.values():
            paths |= {row["page_path"] for row in result.rows if "page_path" in result.columns}
    linked = set()
    for path in paths:
        match = next((m for route in routes if (m := route.match(path))), None)
        assert match, f"no page at {path}"
        if match.groupdict():
            linked.add((match["territory_level"], match["territory_code"]))
    index = next(visit for visit in visits if visit.page.route == "/")
    territories = {
        (row["territory_level"], row["territory_code"]) for row in index.results["territories"].rows
    }
    assert len(territories) == 120
    assert territories <= linked


def _plain(value: Any) -> Any:
    """Decimals and integers as the doubles Evidence's Parquet files hold."""
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return float(value)
    return value


def test_shared_queries_give_the_same_rows_in_evidence_and_in_the_renderer(
    evidence_db: tuple[duckdb.DuckDBPyConnection, list[Source]],
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    """One SQL text, two engines: Evidence's pasted values vs the renderer's bound ones."""
    con, _ = evidence_db
    shared = {
        path.stem: PageQuery(path.stem, path.read_text(encoding="utf-8").strip(), path.name)
        for path in QUERIES.glob("*.sql")
    }
    year = report_queries.available_years(warehouse)[0]
    for file in sorted(QUERIES.glob("*.sql")):
        name = file.stem
        for level, code in TERRITORIES[::2]:
            params = {"territory_level": level, "territory_code": code}
            python = report_queries.run_query(warehouse, name, {**params, "year": year})
            evidence = run(con, compile_query(shared, name, params, {"year": float(year)}))
            assert len(python) == len(evidence.rows), (name, level, code)
            for mine, theirs in zip(python, evidence.rows, strict=True):
                assert list(mine) == list(theirs)
                for column, value in mine.items():
                    other = theirs[column]
                    if isinstance(other, float):
                        assert math.isclose(other, _plain(value), rel_tol=1e-12), (name, column)
                    elif column != "loaded_at":
                        assert _plain(value) == other, (name, column)


def test_evidence_reads_the_shared_queries_folder() -> None:
    """Evidence looks for queries/ in its own folder; it must be reports/queries itself."""
    link = EVIDENCE / "queries"
    assert link.is_symlink(), "reports/evidence/queries must link to the shared SQL"
    assert link.resolve() == QUERIES.resolve()
