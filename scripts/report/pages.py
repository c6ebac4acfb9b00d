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
from pathlib import Path

import duckdb
import jinja2
from tqdm import tqdm

from scripts.report import folder as report_site
from scripts.report import queries as report_queries
from scripts.report.content import SiteContent, page_filename
from scripts.report.queries import TerritoryKey

PDF_FOLDER = "pdf"
#: Pages per job of a worker process, and the fewest pages worth starting workers for
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


#: The site content of a worker process, read once by ``_start_worker``.
_WORKER_CONTENT: SiteContent | None = None


def _start_worker(warehouse: Path, year: int, keys: list[TerritoryKey]) -> None:
    """Read the year's marts in a worker (its own read-only connection): no 15 MB pickle."""
    global _WORKER_CONTENT
    with duckdb.connect(str(warehouse), read_only=True) as con:
        _WORKER_CONTENT = SiteContent(report_queries.fetch_year(con, year), set(keys))


def _worker_job(staging: Path, keys: list[TerritoryKey], pdf: bool) -> list[Path]:
    """One job of a worker: a few territory pages, from the content its start read."""
    if _WORKER_CONTENT is None:
        raise PageWorkerError("a page-writing process was not started by _start_worker")
    return list(_write_territory_pages(staging, _WORKER_CONTENT, keys, pdf))


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

    The pages are cut into jobs of a few; the workers take jobs from the
    start while this process, which needs no start-up, takes them from the
    end (cancelling each before a worker gets it), until they meet.
    """
    chunks = [list(keys[i : i + PAGES_PER_JOB]) for i in range(0, len(keys), PAGES_PER_JOB)]
    written: dict[int, list[Path]] = {}
    start = (warehouse, content.data.year, list(keys))
    try:
        with ProcessPoolExecutor(workers, multiprocessing.get_context("spawn"),
                                 _start_worker, start) as pool:  # fmt: skip
            jobs = [pool.submit(_worker_job, staging, chunk, pdf) for chunk in chunks]
            for number in reversed(range(len(jobs))):
                if not jobs[number].cancel():  # a worker has it, and every job before it
                    break
                written[number] = list(_write_territory_pages(staging, content, chunks[number],
                                                              pdf))  # fmt: skip
                bar.update(len(written[number]))
            taken = {job: number for number, job in enumerate(jobs) if number not in written}
            for job in as_completed(taken):
                written[taken[job]] = job.result()
                bar.update(len(written[taken[job]]))
    except (BrokenProcessPool, duckdb.Error) as error:
        raise PageWorkerError(f"a page-writing process failed: {error}") from error
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

    Worker processes (one per core but this one's) only for a site of at
    least ``MIN_PAGES_FOR_WORKERS`` pages on two cores or more; they are
    spawned, not forked, because the caller may hold DuckDB threads.
    """
    workers = len(os.sched_getaffinity(0)) - 1  # this process writes pages too
    bar = tqdm(total=len(keys), desc=f"report pages {content.data.year}", unit="page",
               disable=not progress)  # fmt: skip
    with bar:
        if workers < 1 or len(keys) < MIN_PAGES_FOR_WORKERS:
            pages = []
            for page in _write_territory_pages(staging, content, keys, pdf):
                pages.append(page)
                bar.update()
        else:
            pages = _write_pages_with_workers(staging, content, keys, pdf, warehouse, workers, bar)
    index = _environment().get_template("index.html").render(**content.index_page().context())
    (staging / "index.html").write_text(index, encoding="utf-8")
    return pages
