"""Write the embedded synthetic sample: the customs' regional and national files for France.

Why it exists: the warehouse must build, and its tests must run, on any machine
without network access, and its numbers must be checkable against a published
report. So this script writes files exactly in the layout the customs service
(DGDDI) publishes (``raw_layout.FIXED_LAYOUTS``), deterministically from a
fixed seed, with the shapes of real departmental trade (a few products and
partners dominate each department, neighbours and large economies weigh as
they do in French trade, departments specialise, ports import hydrocarbons,
some national trade is allocated to no department). Its 2024 totals for
Loiret, Centre-Val de Loire and France equal, to the 0.1 million euros, the
figures printed in the Loiret 2024 fiche
(../shared/reference/published_figures_2024.csv). Every other number is
invented: the data is synthetic and says so in its manifest.

Each year gets two zips. ``raw_layout.regional_archive_name`` holds the
regional file, one member per flow (``regional_member_name``): no header,
``;``, ``\\n``, ten fields per line: flow, quarter (1-4), year, department
(the customs' code: ``20`` Corsica, ``9A``-``9E`` overseas, ``99`` Monaco),
DGDDI region code, A129, CPF4, partner country, value in whole euros, mass in
kg. The trade is drawn as annual cells (department x A129 x partner, whole
euros), and each cell is split exactly into one to three CPF4 classes of its
A129 code and into quarters (large cells in all four, small ones in fewer);
masses are values divided by a price per kg drawn per A38 division. As in the
real regional file there is no line for the trade allocated to no department:
that trade is only in the national file (``national_archive_name``), in its
own ten-field layout (flow, month, year, CPF6, A129, NC8, country, euros, kg,
supplementary unit), which holds for each flow, quarter, A129, CPF4 and
partner the sum of all departments plus the unallocated part, in one month of
the quarter, under synthetic CPF6 and NC8 codes (the CPF4 plus two digits,
then two more). The label annexes (real files, ``seeds/customs_annexes/``) are
copied byte-exact into ``annexes/``.

With ``--declaration-lines N`` it writes the same annual cells as
declaration-level files instead (``raw_layout.DECLARATIONS``, the project's
older header-based layout, with the warehouse's department codes and ``00``
for the unallocated trade): each cell's euros split exactly into about N
lines, each with a month and a line number, one plain CSV per region and
year. That gives the benchmark tens of millions of raw rows that dbt must
aggregate back. It is vectorised with numpy and written by DuckDB's CSV
writer, because a Python loop over 20 million lines would take minutes; the
published files are written the same way.

The package is cut by job: ``calibration`` (the numbers the sample is drawn
with), ``reference`` (the seed lists), ``splits`` (exact integer splits),
``cells`` (the drawing), ``published`` and ``declarations`` (the two ways of
writing a year); this module assembles them and is the ``sample`` command.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import shutil
import sys
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import cast

from scripts.ingest import layout as raw_layout
from scripts.paths import SAMPLE_RAW_DIR, SEEDS_DIR
from scripts.reference.seeds import ANNEX_DIR, ANNEXES
from scripts.sample.calibration import (
    ANNEX_FOLDER,
    CALIBRATED_TOTALS_EUR,
    CALIBRATION_YEAR,
    DEFAULT_FIRST_YEAR,
    DEFAULT_LAST_YEAR,
    SEED,
    SEED_FILES,
    UNALLOCATED_SHARE,
)
from scripts.sample.cells import SampleGenerator
from scripts.sample.declarations import write_declarations_year
from scripts.sample.published import write_published_year
from scripts.sample.reference import Reference, read_reference
from scripts.sample.splits import split_into_lines

#: What tests and the main job import from here (the sample's public face).
__all__ = [
    "CALIBRATED_TOTALS_EUR", "DEFAULT_FIRST_YEAR", "DEFAULT_LAST_YEAR", "SEED", "UNALLOCATED_SHARE",
    "SampleGenerator", "generator_version", "main", "read_reference", "split_into_lines",
    "write_sample",
]  # fmt: skip


def generator_version(seeds_dir: Path = SEEDS_DIR, annex_dir: Path = ANNEX_DIR) -> str:
    """Fingerprint of this generator, the seeds it draws from and the annexes it copies.

    Stored in the sample's manifest so that the main job regenerates a sample
    written by an older generator instead of silently reusing it. The
    generator is every module of this package (scripts/sample/), by name.
    """
    digest = hashlib.sha256()
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.read_bytes())
    for name in SEED_FILES:
        digest.update((seeds_dir / name).read_bytes())
    for name in ANNEXES:
        digest.update((annex_dir / name).read_bytes())
    return digest.hexdigest()[:16]


def copy_annexes(out_dir: Path, annex_dir: Path = ANNEX_DIR) -> None:
    """The real label annexes, byte-exact, as the customs ship them next to the data."""
    target = out_dir / ANNEX_FOLDER
    target.mkdir(parents=True, exist_ok=True)
    for name in ANNEXES:
        shutil.copyfile(annex_dir / name, target / name)


def _clear_earlier_sample(out_dir: Path, manifest_path: Path) -> None:
    """Empty ``out_dir`` for a new sample, refusing to delete anything but a synthetic sample."""
    if out_dir.exists() and any(out_dir.iterdir()):
        if not manifest_path.exists() or not json.loads(manifest_path.read_text())["synthetic"]:
            raise FileExistsError(f"{out_dir} holds files that are not a synthetic sample")
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)


def _manifest(
    years: list[int],
    seed: int,
    detail: float,
    declaration_lines: int,
    lines: int,
    counts: dict[str, dict[str, int]],
) -> dict[str, object]:
    """The sample's manifest: what it is (synthetic, said in words), how it was drawn, its size."""
    manifest: dict[str, object] = {
        "name": "Échantillon synthétique / synthetic sample",
        "synthetic": True,
        "description": (
            "Synthetic demonstration data generated by scripts/sample/generate.py, written "
            "in the customs' published layout: per year, the regional file (quarter, "
            "department, A129, CPF4, partner; euros and kg) and the national file (month, "
            "synthetic CPF6 and NC8 codes), headerless, with the real label annexes. Only "
            "the 2024 totals of Loiret, Centre-Val de Loire and France match published "
            "figures; every detail is invented. Not real customs data."
        ),
        "seed": seed,
        "detail": detail,
        "generator_version": generator_version(),
        "years": years,
    }
    if declaration_lines:
        manifest["description"] = (
            "Synthetic demonstration data generated by scripts/sample/generate.py, written "
            f"as synthetic declaration lines (the project's header-based declarations "
            f"layout): each departmental value is split into about {declaration_lines} lines "
            "(invented months and line numbers, values in euros) that sum to it exactly, for "
            "volume benchmarks; the real label annexes are copied alongside. Only the 2024 "
            "totals of Loiret, Centre-Val de Loire and France match published figures; every "
            "detail is invented. Not real customs data."
        )
        manifest["declaration_lines"] = declaration_lines
        manifest["line_count"] = lines
    else:
        manifest["line_counts"] = counts
    return manifest


def _write_year(
    generator: SampleGenerator, out_dir: Path, year: int, declaration_lines: int
) -> int | dict[str, int]:
    """One year's files: its declaration line count, or its published files' line counts."""
    year_dir = out_dir / str(year)
    year_dir.mkdir()
    if declaration_lines:
        return write_declarations_year(generator, year_dir, year, declaration_lines)
    return write_published_year(generator, year_dir, year)


def _write_years(
    generator: SampleGenerator, out_dir: Path, years: list[int], declaration_lines: int
) -> list[int | dict[str, int]]:
    """Write every year, shared between this process and a spawned one per other core.

    A year's files depend on nothing drawn for another year: every random
    stream is seeded by the seed, what it draws for and the year
    (``SampleGenerator._rng``), never shared. So the years can be written by
    separate processes (each with a copy of the generator) and the files are
    byte-identical to those written one year after the other. This process
    writes the last years (its share of them, rounded up: it needs no
    start-up), the workers the others; nothing is cancelled, so a worker
    that dies makes the pool raise. Processes are spawned, not forked,
    because the caller may hold DuckDB threads.
    """
    workers = min(len(years), len(os.sched_getaffinity(0))) - 1  # this process writes too
    if workers < 1:
        return [_write_year(generator, out_dir, year, declaration_lines) for year in years]
    mine = -(-len(years) // (workers + 1))
    with ProcessPoolExecutor(workers, multiprocessing.get_context("spawn")) as pool:
        jobs = [
            pool.submit(_write_year, generator, out_dir, year, declaration_lines)
            for year in years[:-mine]
        ]  # fmt: skip
        written = [
            _write_year(generator, out_dir, year, declaration_lines) for year in years[-mine:]
        ]
        return [job.result() for job in jobs] + written


def write_sample(
    out_dir: Path,
    years: Iterable[int],
    seed: int = SEED,
    detail: float = 1.0,
    reference: Reference | None = None,
    declaration_lines: int = 0,
) -> dict[str, object]:
    """Write the sample into ``out_dir`` (replacing an earlier sample) and return its manifest.

    By default each year gets the regional and national zips of the published
    layout; ``declaration_lines`` > 0 writes the same cells as declaration-level
    files of about that many lines per cell instead. The label annexes are
    copied in both cases.
    """
    if declaration_lines < 0:
        raise ValueError("declaration_lines must be 0 (published files) or more")
    years = sorted(set(years))
    if CALIBRATION_YEAR not in years:
        raise ValueError(f"the sample must include {CALIBRATION_YEAR}, the calibrated year")
    manifest_path = out_dir / raw_layout.DATASET_MANIFEST
    _clear_earlier_sample(out_dir, manifest_path)

    generator = SampleGenerator(reference or read_reference(), seed=seed, detail=detail)
    copy_annexes(out_dir)
    lines = 0
    counts: dict[str, dict[str, int]] = {"regional": {}, "national": {}}
    for year, written in zip(years, _write_years(generator, out_dir, years, declaration_lines),
                             strict=True):  # fmt: skip
        if isinstance(written, int):
            lines += written
        else:
            for kind, count in written.items():
                counts[kind][str(year)] = count
    manifest = _manifest(years, seed, detail, declaration_lines, lines, counts)
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SAMPLE_RAW_DIR, help="output folder")
    parser.add_argument("--first-year", type=int, default=DEFAULT_FIRST_YEAR)
    parser.add_argument("--last-year", type=int, default=DEFAULT_LAST_YEAR)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--detail", type=float, default=1.0,
        help="multiplies the number of products and partners per department (benchmarks)",
    )  # fmt: skip
    parser.add_argument(
        "--declaration-lines", type=int, default=0, metavar="N",
        help="write declaration-level files, about N lines per cell, instead of the "
             "published regional and national files (benchmarks; 0, the default, is off)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    started = time.perf_counter()
    years = range(args.first_year, args.last_year + 1)
    manifest = write_sample(
        args.out, years, seed=args.seed, detail=args.detail,
        declaration_lines=args.declaration_lines,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    if args.declaration_lines:
        lines = f" ({manifest['line_count']:,} declaration lines)"
    else:
        counts = cast(dict[str, dict[str, int]], manifest["line_counts"])
        lines = (f" ({sum(counts['regional'].values()):,} regional lines, "
                 f"{sum(counts['national'].values()):,} national lines)")  # fmt: skip
    print(f"synthetic sample {args.first_year}-{args.last_year}{lines} written to {args.out} "
          f"in {elapsed:.1f} s")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
