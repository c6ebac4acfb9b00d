"""The report pages in a real browser: headless Chromium draws every chart, no JS error.

The site (Loiret, Centre-Val de Loire, France, La Réunion and the index) is
rendered through the command line with ``--pdf``, so this module also checks
the CLI and the PDF export. Each page is loaded with ``--dump-dom`` after a
virtual time budget: the DOM then holds what plotly.js drew, and the page's
own script has written on <html> how many charts it drew and any JavaScript
error it saw; Chromium's console log is checked as well.

The layout tests drive one Chromium through the DevTools protocol
(tests/browser_cdp.py) at 1280 px and at 390 px (a phone): no JavaScript error, no
page wider than the screen, no two labels of a chart over each other or cut
at its edge, and, in print (media emulation and a real print of a page
loaded in the browser), every flow diagram with its links and only the
fiche's sections unless the reader asks for the exposure section.

Screenshots at both widths and the Loiret PDFs (``--pdf`` and the browser's
print) are kept for people to look at, in $TRADE_ARTEFACTS if set, else in
test-artifacts/ at the project root.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from browser_cdp import Browser

from scripts.paths import PROJECT_DIR

CHROMIUM = next(
    (found for found in (shutil.which(name) for name in ("chromium", "chromium-browser")) if found),
    None,
)
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="headless Chromium is not installed (apt-get install chromium; CI installs it)",
    ),
]
ARTIFACTS = Path(os.environ.get("TRADE_ARTEFACTS") or PROJECT_DIR / "test-artifacts")
PAGES = {
    "department:45": "departement-45.html",
    "region:24": "region-24.html",
    "country:FR": "france.html",
}
# The layout tests look at these too: an overseas department and the index.
LAYOUT_PAGES = {**PAGES, "department:974": "departement-974.html", "index": "index.html"}
WIDTHS = (1280, 390)
# The fiche's charts, plus six in section 6 (evolution, partner groups, US products,
# specialisation, export and import movers).
EXPECTED_CHARTS = {"department:45": 14, "region:24": 12, "country:FR": 10}


def chromium(profile: Path, *args: str, timeout: int = 180) -> subprocess.CompletedProcess[str]:
    """Run a throw-away, offline headless Chromium with the given extra arguments."""
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        "--run-all-compositor-stages-before-draw",
        "--virtual-time-budget=20000",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture(scope="module")
def site(warehouse_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three pages and their PDFs, rendered by the command line as a user would."""
    out = tmp_path_factory.mktemp("browser") / "site"
    command = [sys.executable, "-m", "scripts.report.render", "--warehouse", str(warehouse_file)]
    command += ["--out", str(out), "--pdf"]
    for territory in LAYOUT_PAGES:
        if territory != "index":
            command += ["--territory", territory]
    result = subprocess.run(
        command, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "4 pages, 4 PDF" in result.stdout
    return out


@pytest.fixture(scope="module")
def loaded(site: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Each page after load: its DOM, Chromium's console lines and the static HTML."""
    pages = {}
    for territory, name in PAGES.items():
        profile = tmp_path_factory.mktemp("profile")
        result = chromium(
            profile, "--enable-logging=stderr", "--v=0", "--dump-dom", (site / name).as_uri()
        )
        assert result.returncode == 0, result.stderr[-2000:]
        pages[territory] = {
            "dom": result.stdout,
            "console": [line for line in result.stderr.splitlines() if ":CONSOLE" in line],
            "html": (site / name).read_text(encoding="utf-8"),
        }
    return pages


def root_attribute(dom: str, name: str) -> str | None:
    tag = re.search(r"<html\b[^>]*>", dom)
    assert tag is not None
    found = re.search(rf'\b{name}="([^"]*)"', tag.group(0))
    return unescape(found.group(1)) if found else None


def static_specs(html: str) -> dict[str, dict[str, Any]]:
    pattern = r'<script type="application/json" class="chart-spec" data-chart-id="([^"]+)">'
    found = re.findall(pattern + r"(.*?)</script>", html, re.S)
    return {chart_id: json.loads(body) for chart_id, body in found}


@pytest.mark.parametrize("territory", list(PAGES))
def test_page_loads_without_javascript_errors(
    loaded: dict[str, dict[str, Any]], territory: str
) -> None:
    page = loaded[territory]
    console = "\n".join(page["console"])
    assert root_attribute(page["dom"], "data-js-errors") == "[]", console
    assert page["console"] == [], "console output: " + console


@pytest.mark.parametrize("territory", list(PAGES))
def test_every_chart_is_drawn(loaded: dict[str, dict[str, Any]], territory: str) -> None:
    page = loaded[territory]
    specs = static_specs(page["html"])
    assert len(specs) == EXPECTED_CHARTS[territory]
    assert root_attribute(page["dom"], "data-charts-drawn") == str(len(specs))
    # and each chart's paper copy (report.js), which the print shows instead
    assert root_attribute(page["dom"], "data-print-charts-drawn") == str(len(specs))
    dom = page["dom"]
    for chart_id, spec in specs.items():
        start = dom.index(f'id="{chart_id}"')
        drawn = dom[start : dom.index(f'id="{chart_id}-print"', start)]
        assert 'data-drawn="true"' in drawn[:400], chart_id
        assert drawn.count('class="main-svg"') >= 2, chart_id
        trace = spec["data"][0]
        if trace["type"] == "sankey":
            links = sum(1 for value in trace["link"]["value"] if value > 0)
            assert drawn.count('class="sankey-link"') == links, chart_id
            assert drawn.count('class="sankey-node"') == len(trace["node"]["x"]), chart_id
        elif trace["type"] in ("bar", "scatter"):  # a bar or a line marker per value
            bars = sum(len(t["x"]) for t in spec["data"])
            # A line's markers also carry "plotly-customdata" in their class.
            assert len(re.findall(r'class="point[" ]', drawn)) == bars, chart_id
        else:
            assert trace["type"] == "treemap"  # two panels, imports and exports: one trace each
            slices = sum(len(t["ids"]) for t in spec["data"])
            assert drawn.count('class="slice cursor-pointer"') == slices, chart_id
        # The labels drawn next to the bars of a flow diagram are there too.
        for annotation in spec["layout"].get("annotations", [])[:3]:
            first_line = unescape(re.split(r"<br>|<", annotation["text"].replace("<b>", ""))[0])
            if first_line.strip():
                assert unescape(first_line.strip()) in unescape(drawn), (chart_id, first_line)


def test_loiret_screenshots(site: Path, tmp_path: Path) -> None:
    """Screenshots of the Loiret page for people to look at (test-artifacts/)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page = (site / PAGES["department:45"]).as_uri()
    shots = {"loiret-2024-top.png": "1280,1500", "loiret-2024-full.png": "1280,15000"}
    for name, size in shots.items():
        target = ARTIFACTS / name
        target.unlink(missing_ok=True)
        result = chromium(tmp_path / name, f"--window-size={size}", f"--screenshot={target}", page)
        assert result.returncode == 0, result.stderr[-2000:]
        content = target.read_bytes()
        assert content.startswith(b"\x89PNG\r\n\x1a\n"), name
        assert len(content) > 50_000, f"{name} looks blank"


def test_pdf_export_is_a4_and_not_empty(site: Path) -> None:
    for name in PAGES.values():
        pdf = site / "pdf" / name.replace(".html", ".pdf")
        content = pdf.read_bytes()
        assert content.startswith(b"%PDF-"), name
        assert len(content) > 20_000, name
        boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", content)
        assert len(boxes) >= 2, f"{name}: expected several pages"
        for width, height in boxes:
            assert abs(float(width) - 595.3) < 2 and abs(float(height) - 841.9) < 2, name
    loiret_html = (site / PAGES["department:45"]).read_text(encoding="utf-8")
    assert 'href="pdf/departement-45.pdf"' in loiret_html
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copyfile(site / "pdf" / "departement-45.pdf", ARTIFACTS / "loiret-2024.pdf")


def test_index_sorts_the_department_table_without_errors(site: Path, tmp_path: Path) -> None:
    """The index's sortable table, sorted by the page's own script (``?tri=`` = a header click)."""
    url = (site / "index.html").as_uri() + "?tri=growth"
    result = chromium(tmp_path / "profile", "--enable-logging=stderr", "--v=0", "--dump-dom", url)
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    assert root_attribute(dom, "data-js-errors") == "[]", console
    assert console == []
    assert root_attribute(dom, "data-charts-drawn") == "1"  # the ranking view
    table = re.search(r'<table class="data sortable"[^>]*>.*?</table>', dom, re.S)
    assert table is not None
    assert 'data-sorted="growth:desc"' in table.group(0)
    assert table.group(0).count('aria-sort="descending"') == 1
    assert table.group(0).count('class="sort-button"') == 11
    rows = re.findall(r"<tr data-index-department=.*?</tr>", table.group(0), re.S)
    assert len(rows) == 101
    growth = [re.findall(r'data-sort="([^"]*)"', row)[5] for row in rows]
    numbers = [float(value) for value in growth if value]
    assert numbers == sorted(numbers, reverse=True)
    assert all(value == "" for value in growth[len(numbers) :])  # no value: last


# --- layout at 1280 px and 390 px, and print (DevTools protocol) -------------------------------

# In the page: the text labels of each drawn chart that overlap another label
# of the same chart, or stick out of the chart's box (cut), as [chart, what, a, b].
LABEL_PROBLEMS_JS = """(() => {
  const shown = (node) => {
    for (let el = node; el && el.nodeType === 1; el = el.parentNode) {
      const style = getComputedStyle(el);
      if (style.display === "none" || style.visibility === "hidden" || +style.opacity === 0) {
        return false;
      }
    }
    return true;
  };
  const problems = [];
  for (const chart of document.querySelectorAll(SELECTOR)) {
    const frame = chart.getBoundingClientRect();
    if (!frame.width) continue;
    const labels = [...chart.querySelectorAll("svg text")]
      .filter((t) => t.textContent.trim() && !t.closest(".hoverlayer") && shown(t))
      .map((t) => ({ text: t.textContent.trim().slice(0, 40), box: t.getBoundingClientRect() }))
      .filter((l) => l.box.width > 0 && l.box.height > 0);
    labels.forEach((a, i) => {
      if (a.box.left < frame.left - 2 || a.box.right > frame.right + 2) {
        problems.push([chart.id, "cut", a.text, Math.round(a.box.left - frame.left)]);
      }
      labels.slice(i + 1).forEach((b) => {
        const wide = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
        const high = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
        if (wide > 1 && high > 1) problems.push([chart.id, "overlap", a.text, b.text]);
      });
    });
  }
  return problems;
})()"""

# In the page, under print media: each flow diagram that a print shows, with its
# links drawn (a path with a shape, not faded out) against the links of its spec.
PRINTED_SANKEYS_JS = """(() => {
  const opacity = (node) => {
    let value = 1;
    for (let el = node; el && el.nodeType === 1; el = el.parentNode) {
      value *= +getComputedStyle(el).opacity;
    }
    return value;
  };
  return [...document.querySelectorAll("script.chart-spec")].map((node) => {
    const trace = JSON.parse(node.textContent).data[0];
    if (trace.type !== "sankey") return null;
    const id = node.dataset.chartId;
    const copy = document.getElementById(id + "-print");
    const screen = document.getElementById(id);
    const printed = [copy, screen].filter((el) => el && el.getClientRects().length);
    const links = printed.length !== 1 ? [] : [...printed[0].querySelectorAll(".sankey-link")]
      .filter((p) => p.getAttribute("d") && p.getBoundingClientRect().height > 0)
      .filter((p) => opacity(p) > 0.9);
    return {
      id, printed: printed.map((el) => (el === copy ? "paper copy" : "screen chart")),
      links: links.length,
      expected: trace.link.value.filter((v) => v > 0).length,
      inExposure: Boolean(node.closest(".exposure")),
    };
  }).filter(Boolean);
})()"""


def artefact(name: str) -> Path:
    """Where a screenshot or PDF for people to look at goes (the folder is created)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One headless Chromium for the layout tests, driven through the DevTools pipe."""
    assert CHROMIUM is not None
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    flags += ["--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]
    chrome = Browser(CHROMIUM, flags, tmp_path_factory.mktemp("cdp-profile"))
    yield chrome
    chrome.close()


def open_page(browser: Browser, url: str, width: int) -> None:
    """Load a page at a width and wait until its charts and their paper copies are drawn."""
    browser.open(url, width)
    browser.wait_for("document.documentElement.hasAttribute('data-print-charts-drawn')", 120)


@pytest.fixture(scope="module")
def layouts(site: Path, browser: Browser) -> dict[tuple[str, int], dict[str, Any]]:
    """Each layout page at each width: errors, widths, label problems (and a screenshot)."""
    seen = {}
    for page, name in LAYOUT_PAGES.items():
        for width in WIDTHS:
            open_page(browser, (site / name).as_uri(), width)
            root = browser.evaluate(
                "({errors: document.documentElement.getAttribute('data-js-errors'),"
                " drawn: document.documentElement.getAttribute('data-charts-drawn'),"
                " charts: document.querySelectorAll('script.chart-spec').length,"
                " page: document.documentElement.scrollWidth, screen: window.innerWidth})"
            )
            labels = browser.evaluate(LABEL_PROBLEMS_JS.replace("SELECTOR", '".chart[data-drawn]"'))
            shot = artefact(f"{Path(name).stem}-{width}.png")
            browser.screenshot(shot)
            seen[(page, width)] = {
                **root,
                "labels": labels,
                "problems": browser.problems(),
                "shot": shot,
            }
    return seen


LAYOUT_CASES = [(page, width) for page in LAYOUT_PAGES for width in WIDTHS]


@pytest.mark.parametrize(("page", "width"), LAYOUT_CASES)
def test_page_at_width_has_no_javascript_error(
    layouts: dict[tuple[str, int], dict[str, Any]], page: str, width: int
) -> None:
    seen = layouts[(page, width)]
    assert seen["errors"] == "[]"
    assert seen["problems"] == []
    assert seen["drawn"] == str(seen["charts"])
    content = seen["shot"].read_bytes()
    assert content.startswith(b"\x89PNG\r\n\x1a\n") and len(content) > 50_000, seen["shot"]


@pytest.mark.parametrize(("page", "width"), LAYOUT_CASES)
def test_page_is_no_wider_than_the_screen(
    layouts: dict[tuple[str, int], dict[str, Any]], page: str, width: int
) -> None:
    seen = layouts[(page, width)]
    assert seen["screen"] == width
    assert seen["page"] <= width, "the page scrolls sideways (a table or chart too wide)"


@pytest.mark.parametrize(("page", "width"), LAYOUT_CASES)
def test_chart_labels_neither_overlap_nor_are_cut(
    layouts: dict[tuple[str, int], dict[str, Any]], page: str, width: int
) -> None:
    assert layouts[(page, width)]["labels"] == []


@pytest.mark.parametrize("page", [page for page in LAYOUT_PAGES if page != "index"])
def test_print_shows_every_flow_diagram_with_its_links(
    site: Path, browser: Browser, page: str
) -> None:
    """Print media after a normal load: the paper copies, with links, and no section 6."""
    open_page(browser, (site / LAYOUT_PAGES[page]).as_uri(), 1280)
    browser.send("Emulation.setEmulatedMedia", media="print")
    shown = "(el) => el && getComputedStyle(el).display !== 'none'"
    sankeys = browser.evaluate(PRINTED_SANKEYS_JS)
    assert len([s for s in sankeys if not s["inExposure"]]) >= 2  # exports, imports (comparison)
    for sankey in sankeys:
        if sankey["inExposure"]:
            continue
        assert sankey["printed"] == ["paper copy"], sankey
        assert sankey["links"] == sankey["expected"] > 0, sankey
    assert browser.evaluate(f"({shown})(document.querySelector('#exposition'))") is False
    assert browser.evaluate(f"({shown})(document.querySelector('#balance'))") is True
    assert browser.evaluate(f"({shown})(document.querySelector('.table-pair'))") is False
    # The reader's box adds section 6 to the print.
    browser.evaluate("document.getElementById('print-extra').click()")
    assert browser.evaluate(f"({shown})(document.querySelector('#exposition'))") is True
    problems = browser.evaluate(LABEL_PROBLEMS_JS.replace("SELECTOR", '".chart-print"'))
    assert problems == []
    assert browser.problems() == []


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def test_browser_print_is_the_pdf_export(site: Path, browser: Browser) -> None:
    """The browser's own print of the Loiret page, loaded normally, is ``--pdf``'s document."""
    open_page(browser, (site / PAGES["department:45"]).as_uri(), 1280)
    printed = artefact("loiret-2024-browser-print.pdf")
    browser.print_pdf(printed)
    exported = (site / "pdf" / "departement-45.pdf").read_bytes()
    shutil.copyfile(site / "pdf" / "departement-45.pdf", artefact("loiret-2024.pdf"))
    assert pdf_pages(printed.read_bytes()) == pdf_pages(exported)
    # The fiche is about eight pages; without section 6 and the tables the print stays near it
    # (ten today, a few more once the fiche's introduction and practical information are in;
    # everything printed took 26).
    assert 4 <= pdf_pages(exported) <= 16
    assert browser.problems() == []


def test_pdf_full_address_ticks_both_print_boxes(site: Path, browser: Browser) -> None:
    """``--pdf-full`` opens pages with ``?print&extra&tables``: section 6 and tables print."""
    open_page(browser, (site / PAGES["department:45"]).as_uri() + "?print&extra&tables", 1280)
    browser.send("Emulation.setEmulatedMedia", media="print")
    for selector in ("#exposition", ".table-pair", "table[data-table='partners']"):
        shown = f"getComputedStyle(document.querySelector({selector!r})).display !== 'none'"
        assert browser.evaluate(shown) is True, selector
    assert browser.problems() == []
