"""Print report pages to A4 PDF with headless Chromium.

Why Chromium and not a Python PDF library: the pages draw their charts with
plotly.js, so only a browser can print what a reader sees. Each page is
opened with ``?print``, which makes the page draw the same A4-wide copies of
its charts that a reader's browser prints (assets/report.js), before
Chromium prints it with the page's own print stylesheet: the PDF and the
browser's print are the same document. Like the browser's print, the PDF
holds the fiche's sections and charts, without the exposure section and the
charts' data tables, unless ``full`` asks for them (``?print&extra&tables``,
as a reader ticking the page's two print boxes).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_ENV = "TRADE_CHROMIUM"
TIMEOUT_SECONDS = 180


class PdfError(RuntimeError):
    """Chromium is missing or did not produce a PDF."""


def find_chromium() -> str | None:
    """The Chromium executable: $TRADE_CHROMIUM if set, else the first one on PATH."""
    configured = os.environ.get(CHROMIUM_ENV)
    if configured:
        return configured if shutil.which(configured) else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def headless_command(chromium: str, profile: Path) -> list[str]:
    """The flags of a quiet, offline, throw-away headless Chromium."""
    return [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
    ]


def print_page(chromium: str, page: Path, pdf: Path, full: bool = False) -> Path:
    """Print one HTML page to ``pdf``; raise PdfError with Chromium's output if it fails.

    ``full`` adds the exposure section and the data tables, left out by default.
    """
    pdf.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="report-pdf-profile-") as profile:
        command = [
            *headless_command(chromium, Path(profile)),
            "--run-all-compositor-stages-before-draw",
            "--virtual-time-budget=20000",
            "--window-size=800,1200",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.resolve().as_uri() + ("?print&extra&tables" if full else "?print"),
        ]
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
            )
        except subprocess.TimeoutExpired as error:
            raise PdfError(f"Chromium timed out printing {page.name}") from error
    if result.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-5:])
        raise PdfError(f"Chromium could not print {page.name} (exit {result.returncode}): {tail}")
    return pdf


def print_pages(
    pages: Sequence[Path],
    pdf_dir: Path,
    chromium: str,
    on_done: Callable[[Path], None] | None = None,
    full: bool = False,
) -> list[Path]:
    """Print pages in parallel (one Chromium per core), ``pdf_dir/<page>.pdf`` each."""
    workers = max(1, min(len(pages), os.cpu_count() or 1))

    def one(page: Path) -> Path:
        pdf = print_page(chromium, page, pdf_dir / f"{page.stem}.pdf", full)
        if on_done is not None:
            on_done(pdf)
        return pdf

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, pages))
