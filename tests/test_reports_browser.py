"""The report pages in a real browser: headless Chromium draws every chart, no JS error.

The site (Loiret, Centre-Val de Loire, France) is rendered through the
command line with ``--pdf``, so this module also checks the CLI and the PDF
export. Each page is loaded with ``--dump-dom`` after a virtual time budget:
the DOM then holds what plotly.js drew, and the page's own script has written
on <html> how many charts it drew and any JavaScript error it saw; Chromium's
console log is checked as well. Screenshots and the Loiret PDF are kept in
test-artifacts/ for people to look at.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path
from typing import Any

import pytest

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
ARTIFACTS = PROJECT_DIR / "test-artifacts"
PAGES = {
    "department:45": "departement-45.html",
    "region:24": "region-24.html",
    "country:FR": "france.html",
}
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
    for territory in PAGES:
        command += ["--territory", territory]
    result = subprocess.run(
        command, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "3 pages, 3 PDF" in result.stdout
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
    dom = page["dom"]
    for chart_id, spec in specs.items():
        start = dom.index(f'id="{chart_id}"')
        drawn = dom[start : dom.index('class="chart-spec"', start)]
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
            assert trace["type"] == "treemap"
            assert drawn.count('class="slice cursor-pointer"') == len(trace["ids"]), chart_id
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
