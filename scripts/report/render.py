"""Render the report site (one page per department, region and France) from the marts.

Why one entry point: the main pipeline calls :func:`render_site` after the
warehouse build, and people call the same code from the command line::

    trade render                      # every territory, latest year
    trade render --territory department:45 --territory region:24
    trade render --year 2023 --pdf    # another year, with A4 PDFs
    trade render --list-territories   # the valid level:code pairs

Everything is checked (warehouse, year, territory codes, Chromium for
``--pdf``) before anything is written; the site is built in a temporary folder
and swapped in at the end, so an error leaves the previous site untouched.
Pages read only the ``marts`` schema, through the SQL files in reports/queries/
(shared with the Evidence project in reports/).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
from tqdm import tqdm

from scripts.paths import PROJECT_DIR, warehouse_path
from scripts.report import folder as report_site
from scripts.report import pages as report_pages
from scripts.report import pdf as report_pdf
from scripts.report import queries as report_queries
from scripts.report.content import SiteContent, page_filename
from scripts.report.queries import TerritoryKey

LEVELS = ("department", "region", "country")
LEVEL_ORDER = {level: index for index, level in enumerate(("country", "region", "department"))}
DEFAULT_OUT = PROJECT_DIR / "site"
PDF_FOLDER = report_pages.PDF_FOLDER


class RenderError(RuntimeError):
    """The site cannot be rendered as asked; nothing was written."""


@dataclass(frozen=True)
class RenderReport:
    """What a render produced: ``page_count`` territory pages (the index not counted)."""

    out_dir: Path
    year: int
    page_count: int
    pdf_count: int
    elapsed_seconds: float


def parse_territory(text: str) -> TerritoryKey:
    """``department:45`` -> ("department", "45"); codes are matched case-insensitively later."""
    level, sep, code = text.partition(":")
    level, code = level.strip().lower(), code.strip()
    if not sep or not code or level not in LEVELS:
        raise RenderError(
            f"invalid territory {text!r}: expected level:code with level one of "
            f"{', '.join(LEVELS)} (e.g. department:45, region:24, country:FR)"
        )
    return level, code


def _describe_codes(known: Iterable[TerritoryKey]) -> str:
    by_level: dict[str, list[str]] = {}
    for level, code in sorted(known):
        by_level.setdefault(level, []).append(code)
    return "; ".join(
        f"{level}: {codes[0]} … {codes[-1]} ({len(codes)})"
        if len(codes) > 3
        else f"{level}: {', '.join(codes)}"
        for level, codes in sorted(by_level.items(), key=lambda item: LEVEL_ORDER[item[0]])
    )


def resolve_territories(
    requested: Sequence[TerritoryKey] | None, known: Iterable[TerritoryKey]
) -> list[TerritoryKey]:
    """The territories to render, validated against marts.territories, in site order."""
    known = list(known)
    if not requested:
        chosen = known
    else:
        lookup = {(level, code.upper()): (level, code) for level, code in known}
        chosen, unknown = [], []
        for level, code in requested:
            if level not in LEVELS:
                raise RenderError(f"unknown territory level {level!r} (use one of {LEVELS})")
            match = lookup.get((level, code.upper()))
            if match is None:
                unknown.append(f"{level}:{code}")
            elif match not in chosen:
                chosen.append(match)
        if unknown:
            raise RenderError(
                f"unknown territory code(s): {', '.join(unknown)} (not in marts.territories). "
                f"Valid codes are {_describe_codes(known)}; list them all with "
                "`trade render --list-territories`."
            )
    return sorted(chosen, key=lambda key: (LEVEL_ORDER[key[0]], key[1]))


def _choose_year(available: Sequence[int], year: int | None, complete: Sequence[int] = ()) -> int:
    """The year asked for, else the newest complete year (else the newest year).

    The regional file's last year is usually partial: by default the pages
    show the last year with four quarters, which is what a reader takes a
    year's figures to mean; a partial year is shown only when asked for, and
    labelled with its quarters.
    """
    if not available:
        raise RenderError("the marts hold no year of data: run the pipeline first")
    if year is None:
        return max(complete or available)
    if year not in available:
        raise RenderError(
            f"year {year} is not in the marts (available: {min(available)}–{max(available)})"
        )
    return year


def _chromium_if_needed(pdf: bool) -> str | None:
    """Headless Chromium for ``--pdf``, checked before anything is written."""
    if not pdf:
        return None
    chromium = report_pdf.find_chromium()
    if chromium is None:
        raise RenderError(
            "--pdf needs headless Chromium: install it (apt-get install chromium) "
            f"or point ${report_pdf.CHROMIUM_ENV} at it"
        )
    return chromium


def _read_marts(
    warehouse: Path, territories: list[TerritoryKey] | None, year: int | None
) -> tuple[int, list[TerritoryKey], report_queries.YearData]:
    """The year to show, the territories to render (validated) and the year's rows."""
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            periods = report_queries.periods(con)
            complete = [y for y, row in periods.items() if row["is_complete_year"]]
            chosen_year = _choose_year(list(periods), year, complete)
            keys = resolve_territories(territories, report_queries.all_territories(con).keys())
            return chosen_year, keys, report_queries.fetch_year(con, chosen_year)
    except duckdb.Error as error:
        raise RenderError(
            f"cannot read the marts of {warehouse}: {error} (is it built? `make build`)"
        ) from error


def _print_pdfs(
    pages: list[Path], staging: Path, chromium: str, progress: bool, full: bool
) -> list[Path]:
    with tqdm(total=len(pages), desc="PDF", unit="page", disable=not progress) as bar:
        try:
            return report_pdf.print_pages(
                pages, staging / PDF_FOLDER, chromium, lambda _: bar.update(), full
            )
        except report_pdf.PdfError as error:
            raise RenderError(str(error)) from error


def render_site(
    warehouse: Path,
    out_dir: Path,
    territories: list[tuple[str, str]] | None = None,
    year: int | None = None,
    pdf: bool = False,
    progress: bool = True,
    pdf_full: bool = False,
) -> RenderReport:
    """Render the pages of ``territories`` (default: all) for ``year`` (default: latest).

    Writes ``out_dir/index.html``, one page per territory, ``out_dir/assets/``
    (plotly.js, CSS, JS, once) and, with ``pdf``, ``out_dir/pdf/*.pdf`` (the
    fiche's sections and charts; with ``pdf_full``, the exposure section and
    the charts' data tables too). When
    only some territories are asked for, the site holds those pages only and
    links to the others are left out. Raises RenderError before writing
    anything when the warehouse, year or a territory code is not valid.
    """
    started = time.perf_counter()
    warehouse, out_dir = Path(warehouse), Path(out_dir).resolve()
    if not warehouse.is_file():
        raise RenderError(f"warehouse not found: {warehouse} (build it with `make build`)")
    chromium = _chromium_if_needed(pdf)
    try:
        report_site.check_replaceable(out_dir)
    except report_site.SiteError as error:
        raise RenderError(str(error)) from error
    chosen_year, keys, data = _read_marts(warehouse, territories, year)
    content = SiteContent(data, set(keys))
    with report_site.staging_folder(out_dir) as staging:
        report_site.write_assets(staging)
        try:
            pages = report_pages.write_pages(staging, content, keys, pdf, progress, warehouse)
        except report_pages.PageWorkerError as error:
            raise RenderError(str(error)) from error
        pdfs = (
            _print_pdfs(pages, staging, chromium, progress, pdf_full)
            if chromium is not None
            else []
        )
        pages_list = [
            {"level": level, "code": code, "file": page_filename((level, code))}
            for level, code in keys
        ]
        manifest = {"year": chosen_year, "synthetic": data.is_synthetic, "pages": pages_list}
        report_site.write_manifest(staging, manifest)
        report_site.publish(staging, out_dir)
    return RenderReport(
        out_dir=out_dir,
        year=chosen_year,
        page_count=len(pages),
        pdf_count=len(pdfs),
        elapsed_seconds=time.perf_counter() - started,
    )


def list_territories(warehouse: Path) -> str:
    """One ``level:code  name`` line per territory, for the --list-territories option."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = report_queries.all_territories(con)
    keys = sorted(rows, key=lambda key: (LEVEL_ORDER[key[0]], key[1]))
    return "\n".join(
        f"{level}:{code}\t{rows[(level, code)]['territory_name']}" for level, code in keys
    )


def _parser() -> argparse.ArgumentParser:
    """The command line of ``trade render``."""
    parser = argparse.ArgumentParser(prog="trade render", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=None,
        help="DuckDB file to read (default: TRADE_WAREHOUSE_PATH or warehouse/trade.duckdb)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="site folder, replaced as a whole (default: site/)",
    )
    parser.add_argument(
        "--territory",
        action="append",
        default=None,
        metavar="LEVEL:CODE",
        help="render only this territory (repeatable), e.g. department:45",
    )
    parser.add_argument(
        "--year",
        type=int,
        default=None,
        help="year to show (default: the latest complete year in the marts)",
    )
    parser.add_argument(
        "--pdf", action="store_true", help="also print every page to A4 PDF with headless Chromium"
    )
    parser.add_argument(
        "--pdf-full",
        action="store_true",
        help="PDFs with the exposure section and the data tables, which the print leaves out "
        "by default (as the browser's print does)",
    )
    parser.add_argument(
        "--list-territories", action="store_true", help="print the valid level:code pairs and exit"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    warehouse = args.warehouse or warehouse_path()
    try:
        if args.list_territories:
            if not warehouse.is_file():
                raise RenderError(f"warehouse not found: {warehouse}")
            print(list_territories(warehouse))
            return 0
        territories = [parse_territory(text) for text in args.territory or []]
        report = render_site(
            warehouse,
            args.out,
            territories or None,
            args.year,
            args.pdf or args.pdf_full,
            pdf_full=args.pdf_full,
        )
    except RenderError as error:
        print(
            f"render failed: {error}\n(nothing was written: the site folder is unchanged)",
            file=sys.stderr,
        )
        return 2
    pdfs = f", {report.pdf_count} PDF" if report.pdf_count else ""
    print(
        f"{report.page_count} pages{pdfs} for {report.year} in {report.out_dir} "
        f"({report.elapsed_seconds:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
