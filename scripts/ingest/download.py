"""Download the customs' open-data foreign-trade files into the raw data folder.

What it fetches (URLs in ``config/customs_sources.toml``, overridable with
``--config`` or the TRADE_SOURCES_FILE environment variable):

- ``regional``: the regional and departmental data set, a zip of
  ``REGIONAL_CPF4PAYSE.txt`` / ``REGIONAL_CPF4PAYSI.txt`` and its annexes
  (the last five completed quarters), or with ``--year`` a yearly archive
  (``Region_YYYY_Export.txt`` / ``..._Import.txt``);
- ``national``: the national data set, a zip of ``NATIONAL_NC8PAYSE.txt`` /
  ``NATIONAL_NC8PAYSI.txt`` and its annexes (the last 13 months), or with
  ``--year`` a yearly archive;
- ``annexes``: the label files (``Libelle_*.txt``, ``Departement_region.txt``)
  as loose files, to refresh labels without the big zips;
- ``kiosque`` (only when asked, never part of ``all``): the kiosque's old
  per-region zips of XLS tables, one per **DGDDI region code**.

Files of the current publication land in ``<out>/latest/``, yearly archives in
``<out>/<year>/``, the kiosque's per-region zips in ``<out>/kiosque/``.

Region codes: the customs number regions their own way (DGDDI codes: 04 is
Centre-Val de Loire, 18 Auvergne-Rhône-Alpes, 24 all overseas departments),
not INSEE's (24 is Centre-Val de Loire for INSEE). A ``{region_code}`` in a URL
template is always a DGDDI code, read from the ``customs_region_code`` column
of ``seeds/reference/departments.csv``; ``--region`` is checked against that
known DGDDI set, so an INSEE-only code (84, 93, ...) is refused with the DGDDI
code it probably meant. A code both systems use (01, 03, 04, 24) is accepted
with its DGDDI meaning, and a note says so.

Why it is careful: the files come over a network that fails in every way a
network can (slow servers, missing files, connections cut mid-transfer, an
HTML error page served as if it were the file), and a half-downloaded zip that
lands in the raw folder would later be loaded as if it were whole. So each
file is streamed into a temporary ``.part`` file, its length checked against
what the server announced, a zip opened and its checksums verified (and it
must hold the data set's file), and only then renamed into place; a failed
file is retried with a back-off, and never leaves anything behind. Every
download is recorded (URL, size, SHA-256, time) in ``downloads.jsonl`` beside
the files, so a warehouse can be traced back to the exact bytes it was built
from.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from tqdm import tqdm

from scripts.ingest.download_config import (
    CHUNK,
    DEFAULT_CONFIG,
    DEFAULT_TARGET,
    DOWNLOAD_LOG,
    KIOSQUE,
    KIOSQUE_FOLDER,
    KIOSQUE_SECTION,
    LATEST_FOLDER,
    OPEN_DATA_SETS,
    RETRYABLE_CLIENT_ERRORS,
    ConfigError,
    ContentError,
    DownloadError,
    DownloadSettings,
    RegionCodeError,
    SourcesConfig,
    check_region_codes,
    customs_region_codes,
    parse_config,
    read_config,
)
from scripts.ingest.layout import fixed_layout_for
from scripts.paths import SEEDS_DIR

#: What the tests and ``trade download`` use from the downloader, wherever it is defined.
__all__ = ["DEFAULT_CONFIG", "ConfigError", "ContentError", "DownloadError", "DownloadSettings",
           "RegionCodeError", "check_region_codes", "customs_region_codes", "download_file",
           "main", "parse_config", "plan_downloads", "read_config"]  # fmt: skip


@dataclass(frozen=True)
class PlannedFile:
    dataset: str
    url: str
    destination: Path


@dataclass(frozen=True)
class DownloadRecord:
    """What the download log keeps of each file."""

    url: str
    file: str
    size_bytes: int
    sha256: str
    downloaded_at: str
    attempts: int
    dataset: str = ""


def plan_downloads(
    config: SourcesConfig,
    datasets: list[str],
    years: list[int],
    regions: list[str],
    out: Path,
) -> tuple[list[PlannedFile], list[str]]:
    """Which URL goes to which file, and notes on data sets skipped.

    ``years`` empty: the current publication (``latest`` entries) into
    ``out/latest``; otherwise each year's archives (``yearly`` entries) into
    ``out/<year>``. ``regions`` are checked DGDDI codes, used by the kiosque.
    """
    plan: list[PlannedFile] = []
    notes: list[str] = []
    for name in datasets:
        if name == KIOSQUE:
            if config.kiosque is None:
                raise ConfigError(f"no [{KIOSQUE_SECTION}] section in the sources file")
            if years:
                raise ConfigError("the kiosque serves only the latest publication: no --year")
            for code in regions:
                plan.append(PlannedFile(
                    KIOSQUE,
                    config.kiosque.url.format(region_code=code),
                    out / KIOSQUE_FOLDER / config.kiosque.file_name.format(region_code=code),
                ))  # fmt: skip
            continue
        source = config.datasets.get(name)
        if source is None:
            notes.append(f"{name}: no [{name}] section in the sources file, skipped")
            continue
        if not years:
            if not source.latest:
                notes.append(f"{name}: no latest files configured, skipped")
            for file in source.latest:
                plan.append(PlannedFile(name, file.url, out / LATEST_FOLDER / file.file_name))
            continue
        if not source.yearly:
            notes.append(f"{name}: no yearly files configured, skipped")
        for year in years:
            for file in source.yearly:
                plan.append(PlannedFile(
                    name, file.url.format(year=year),
                    out / str(year) / file.file_name.format(year=year),
                ))  # fmt: skip
    return plan, notes


# ------------------------------------------------------------------------ download


def _fetch_once(url: str, part: Path, timeout: float, progress: tqdm | None) -> tuple[int, str]:
    """Stream ``url`` into ``part``; raise if the body is shorter than announced."""
    request = urllib.request.Request(url, headers={"User-Agent": "french-trade-warehouse"})
    digest = hashlib.sha256()
    received = 0
    with urllib.request.urlopen(request, timeout=timeout) as response, part.open("wb") as out:
        announced = response.headers.get("Content-Length")
        if progress is not None:
            progress.reset(total=int(announced) if announced else None)
        while chunk := response.read(CHUNK):
            out.write(chunk)
            digest.update(chunk)
            received += len(chunk)
            if progress is not None:
                progress.update(len(chunk))
    if announced is not None and received != int(announced):
        raise DownloadError(f"truncated: received {received} of {announced} bytes")
    if received == 0:
        raise DownloadError("empty response")
    return received, digest.hexdigest()


def _check_content(part: Path, name: str, dataset: str | None) -> None:
    """Refuse what is not the expected file; a damaged zip is a (retried) DownloadError."""
    with part.open("rb") as handle:
        head = handle.read(1024).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head")):
        raise ContentError("the server sent an HTML page, not the file: the URL is probably "
                           "wrong or the file has moved (check the sources file)")  # fmt: skip
    if not name.lower().endswith(".zip"):
        return
    try:
        with zipfile.ZipFile(part) as archive:
            bad = archive.testzip()
            members = archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError) as error:  # cut short without a length
        raise DownloadError(f"not a readable zip ({error})") from error
    if bad is not None:
        raise DownloadError(f"corrupt zip member {bad}")
    if dataset in {"regional", "national"}:
        found = [fixed_layout_for(m) for m in members]
        if not any(f is not None and f[0].name == dataset for f in found):
            shown = ", ".join(members[:8]) + (", ..." if len(members) > 8 else "")
            raise ContentError(
                f"the zip holds no {dataset} data file the loader recognises "
                f"(scripts/ingest/layout.py); it holds: {shown or 'nothing'}"
            )


def download_file(
    url: str,
    destination: Path,
    settings: DownloadSettings,
    progress: tqdm | None = None,
    dataset: str | None = None,
) -> DownloadRecord:
    """Download one file with retries; on failure nothing is left at ``destination``.

    ``dataset`` (regional or national) also requires a zip to hold that data set's file.
    """
    part = destination.with_name(destination.name + ".part")
    last_error = ""
    for attempt in range(1, settings.retries + 1):
        try:
            size, sha256 = _fetch_once(url, part, settings.timeout_seconds, progress)
            _check_content(part, destination.name, dataset)
        except urllib.error.HTTPError as error:
            part.unlink(missing_ok=True)
            if 400 <= error.code < 500 and error.code not in RETRYABLE_CLIENT_ERRORS:
                # the file is not there: asking again will not help
                raise DownloadError(f"{url}: HTTP {error.code} {error.reason}") from error
            last_error = f"HTTP {error.code} {error.reason}"
        except ContentError as error:
            part.unlink(missing_ok=True)
            raise ContentError(f"{url}: {error}") from error
        except (OSError, DownloadError) as error:  # timeouts, resets, truncation
            part.unlink(missing_ok=True)
            last_error = str(error) or type(error).__name__
        except BaseException:  # interrupted (Ctrl-C): still leave nothing behind
            part.unlink(missing_ok=True)
            raise
        else:
            os.replace(part, destination)
            return DownloadRecord(
                url=url,
                file=destination.name,
                size_bytes=size,
                sha256=sha256,
                downloaded_at=datetime.now(UTC).isoformat(timespec="seconds"),
                attempts=attempt,
                dataset=dataset or "",
            )
        if attempt < settings.retries:
            time.sleep(settings.backoff_seconds * attempt)
    raise DownloadError(f"{url}: failed after {settings.retries} attempts ({last_error})")


def download_planned(plan: list[PlannedFile], settings: DownloadSettings) -> list[DownloadRecord]:
    """Download each planned file and log it in ``downloads.jsonl`` beside it.

    Stops at the first file that cannot be downloaded; the files before it are
    whole and logged.
    """
    records: list[DownloadRecord] = []
    for item in plan:
        item.destination.parent.mkdir(parents=True, exist_ok=True)
        desc = f"{item.dataset} {item.destination.name}"
        with tqdm(total=None, unit="B", unit_scale=True, desc=desc) as progress:
            record = download_file(item.url, item.destination, settings, progress,
                                   dataset=item.dataset)  # fmt: skip
        records.append(record)
        with (item.destination.parent / DOWNLOAD_LOG).open("a", encoding="utf-8") as log:
            log.write(json.dumps(asdict(record), ensure_ascii=False) + "\n")
    return records


# ----------------------------------------------------------------------------- CLI


def _year(text: str) -> int:
    if len(text) != 4 or not text.isdigit() or not 1990 <= int(text) <= 2099:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year (YYYY)")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    """The options of ``trade download``."""
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="--dataset all = regional, national and annexes (not the kiosque). "
        "--region takes DGDDI (customs) region codes, e.g. 04 = Centre-Val de Loire, "
        "24 = overseas departments; INSEE codes are refused unless DGDDI uses them too.",
    )
    parser.add_argument("--dataset", action="append", default=None,
                        choices=[*OPEN_DATA_SETS, KIOSQUE, "all"],
                        help="what to download (repeatable; default: all)")  # fmt: skip
    parser.add_argument("--year", type=_year, action="append", default=[],
                        help="yearly archives of this year (repeatable); "
                        "default: the current publication, into latest/")  # fmt: skip
    parser.add_argument(
        "--region",
        nargs="+",
        action="extend",
        default=None,
        metavar="CODE",
        help="kiosque only: these DGDDI region codes (default: all known)",
    )
    parser.add_argument("--config", type=Path, default=None,
                        help="sources file (TOML; default: TRADE_SOURCES_FILE or "
                        "config/customs_sources.toml)")  # fmt: skip
    parser.add_argument(
        "--out",
        "--target",
        dest="out",
        type=Path,
        default=DEFAULT_TARGET,
        help="raw data folder (default: data/raw/douanes)",
    )
    return parser


def main(argv: list[str] | None = None, seeds_dir: Path = SEEDS_DIR) -> int:
    parser = _parser()
    args = parser.parse_args(argv)

    chosen = args.dataset or ["all"]
    datasets = [d for d in (*OPEN_DATA_SETS, KIOSQUE)
                if d in chosen or (d in OPEN_DATA_SETS and "all" in chosen)]  # fmt: skip
    if args.region is not None and KIOSQUE not in datasets:
        parser.error("--region applies to the kiosque's per-region files (--dataset kiosque); "
                     "the regional open-data file covers every region in one file")  # fmt: skip
    years = sorted(set(args.year))
    try:
        config = read_config(args.config)
        regions: list[str] = []
        if KIOSQUE in datasets:
            regions, region_notes = check_region_codes(args.region or [], seeds_dir)
            for note in region_notes:
                print(f"note: {note}", file=sys.stderr)
        plan, notes = plan_downloads(config, datasets, years, regions, args.out)
    except (ConfigError, RegionCodeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    if not plan:
        print("error: nothing to download with these options", file=sys.stderr)
        return 2
    try:
        records = download_planned(plan, config.settings)
    except DownloadError as error:
        print(f"download failed: {error}", file=sys.stderr)
        return 1
    by_folder: dict[Path, list[DownloadRecord]] = {}
    for item, record in zip(plan, records, strict=True):
        by_folder.setdefault(item.destination.parent, []).append(record)
    for folder, done in by_folder.items():
        total = sum(r.size_bytes for r in done)
        print(f"{folder}: {len(done)} files, {total:,} bytes (logged in {DOWNLOAD_LOG})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
