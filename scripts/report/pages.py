"""Writes the site's pages: the territory pages (in worker processes when many) and the index.

Why apart from ``render``: ``render`` checks what was asked and swaps the
site in; this module only turns the site content into HTML files, which is
most of a render's time. A page depends only on the marts and its
territory, so a full site is shared between this process and a spawned
worker per other core, in jobs of a few pages; each worker reads the
year's marts itself (its own read-only connection) rather than receive
them pickled (15 MB, a second of this process's time).
The pages are the same bytes as when written one after the other, which is
what a small site (a few territories) still does.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from functools import cache
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path
from typing import Any

import duckdb
import jinja2
from tqdm import tqdm

from scripts.report import folder as report_site
from scripts.report import queries as report_queries
from scripts.report.content import SiteContent, page_filename
from scripts.report.queries import TerritoryKey

PDF_FOLDER = "pdf"
#: The count of jobs taken so far, shared by the processes writing pages.
Counter = Synchronized
#: Pages per job, and the pages it takes to be worth starting (another) worker
#: (a worker spends about a second starting and reading the marts before its first page).
PAGES_PER_JOB = 4
MIN_PAGES_FOR_WORKERS = 40


class PageWorkerError(RuntimeError):
    """A worker process could not write its pages (it could not start or read the marts)."""


@cache
def _environment() -> jinja2.Environment:
    """The templates, compiled once per process (compiling them costs a tenth of a second)."""
    return report_site.template_environment()


def _write_territory_pages(
    staging: Path, content: SiteContent, keys: Sequence[TerritoryKey], pdf: bool
) -> Iterable[Path]:
    """One HTML file per territory of ``keys``, yielded as each is written."""
    page_template = _environment().get_template("territory.html")
    for key in keys:
        name = page_filename(key)
        pdf_url = f"{PDF_FOLDER}/{Path(name).stem}.pdf" if pdf else None
        html = page_template.render(**content.territory_page(key).context(), pdf_url=pdf_url)
        (staging / name).write_text(html, encoding="utf-8")
        yield staging / name


#: A worker process's site content and the shared count of jobs taken, set by ``_start_worker``.
_WORKER: dict[str, Any] = {}


def _start_worker(warehouse: Path, year: int, keys: list[TerritoryKey], taken: Counter) -> None:
    """Read the year's marts in a worker (its own read-only connection): no 15 MB pickle."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        _WORKER["content"] = SiteContent(report_queries.fetch_year(con, year), set(keys))
    _WORKER["taken"] = taken


def _take_jobs(
    content: SiteContent, taken: Counter, staging: Path, chunks: list[list[TerritoryKey]], pdf: bool
) -> dict[int, list[Path]]:
    """Take the next job not yet taken by any process, write it, again until none is left.

    The shared count hands each job to exactly one process, whichever is
    free first, so no process waits while another still has several jobs.
    """
    written: dict[int, list[Path]] = {}
    while True:
        with taken.get_lock():
            number = taken.value
            taken.value += 1
        if number >= len(chunks):
            return written
        written[number] = list(_write_territory_pages(staging, content, chunks[number], pdf))


def _worker_jobs(
    staging: Path, chunks: list[list[TerritoryKey]], pdf: bool
) -> dict[int, list[Path]]:
    """A worker's share of the jobs, from the content its start read."""
    return _take_jobs(_WORKER["content"], _WORKER["taken"], staging, chunks, pdf)


def _write_pages_with_workers(
    staging: Path,
    content: SiteContent,
    keys: Sequence[TerritoryKey],
    pdf: bool,
    warehouse: Path,
    workers: int,
    bar: tqdm,
) -> list[Path]:
    """The territory pages, shared between this process and ``workers`` spawned ones.

    The pages are cut into jobs of a few, which every process takes in turn
    from a shared count (this one starts at once; a worker after reading the
    marts). Nothing is cancelled: a worker that dies makes the pool raise.
    """
    chunks = [list(keys[i : i + PAGES_PER_JOB]) for i in range(0, len(keys), PAGES_PER_JOB)]
    context = multiprocessing.get_context("spawn")
    taken = context.Value("i", 0)
    start = (warehouse, content.data.year, list(keys), taken)
    try:
        with ProcessPoolExecutor(workers, context, _start_worker, start) as pool:
            shares = [pool.submit(_worker_jobs, staging, chunks, pdf) for _ in range(workers)]
            written = _take_jobs(content, taken, staging, chunks, pdf)
            bar.update(sum(len(pages) for pages in written.values()))
            for share in as_completed(shares):
                written.update(share.result())
                bar.update(sum(len(pages) for pages in share.result().values()))
    except (BrokenProcessPool, duckdb.Error) as error:
        raise PageWorkerError(f"a page-writing process failed: {error}") from error
    if sorted(written) != list(range(len(chunks))):
        raise PageWorkerError("the page-writing processes left some pages unwritten")
    return [page for number in sorted(written) for page in written[number]]


def write_pages(
    staging: Path,
    content: SiteContent,
    keys: Sequence[TerritoryKey],
    pdf: bool,
    progress: bool,
    warehouse: Path,
) -> list[Path]:
    """One HTML file per territory, then the index; the territory pages' paths.

    Worker processes (one per core but this one's, at most one per
    ``MIN_PAGES_FOR_WORKERS`` pages) only when there are two cores or more;
    they are spawned, not forked, because the caller may hold DuckDB threads.
    """
    # this process writes pages too; a worker is started per MIN_PAGES_FOR_WORKERS pages
    workers = min(len(os.sched_getaffinity(0)) - 1, len(keys) // MIN_PAGES_FOR_WORKERS)
    bar = tqdm(total=len(keys), desc=f"report pages {content.data.year}", unit="page",
               disable=not progress)  # fmt: skip
    with bar:
        if workers < 1:
            pages = []
            for page in _write_territory_pages(staging, content, keys, pdf):
                pages.append(page)
                bar.update()
        else:
            pages = _write_pages_with_workers(staging, content, keys, pdf, warehouse, workers, bar)
    index = _environment().get_template("index.html").render(**content.index_page().context())
    (staging / "index.html").write_text(index, encoding="utf-8")
    return pages
