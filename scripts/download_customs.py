"""Download the official customs regional files into the raw data folder.

Why it is careful: the files come over a network that fails in every way a
network can (slow servers, missing files, connections cut mid-transfer), and a
half-downloaded zip that lands in the raw folder would later be loaded as if
it were whole. So each file is streamed into a temporary ``.part`` file, its
length checked against what the server announced, and only then renamed into
place; every download is recorded (URL, size, SHA-256, time) in
``downloads.jsonl`` beside the files, so a warehouse can be traced back to
the exact bytes it was built from.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import sys
import time
import tomllib
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from tqdm import tqdm

from scripts.paths import DATA_DIR, PROJECT_DIR, SEEDS_DIR

DEFAULT_CONFIG = PROJECT_DIR / "config" / "customs_sources.toml"
DEFAULT_TARGET = DATA_DIR / "raw" / "douanes"
DOWNLOAD_LOG = "downloads.jsonl"
CHUNK = 64 * 1024


class DownloadError(RuntimeError):
    """A file could not be downloaded whole; nothing was written in its place."""


@dataclass(frozen=True)
class SourceConfig:
    url_template: str
    file_name: str
    timeout_seconds: float
    retries: int
    backoff_seconds: float


@dataclass(frozen=True)
class DownloadRecord:
    """What the download log keeps of each file."""

    url: str
    file: str
    size_bytes: int
    sha256: str
    downloaded_at: str
    attempts: int


def read_config(path: Path | None = None) -> SourceConfig:
    """Read the sources file (``--config``, TRADE_SOURCES_FILE, or the project's)."""
    path = path or Path(os.environ.get("TRADE_SOURCES_FILE", DEFAULT_CONFIG))
    content = tomllib.loads(path.read_text(encoding="utf-8"))
    files, download = content["regional_files"], content.get("download", {})
    return SourceConfig(
        url_template=files["url_template"],
        file_name=files["file_name"],
        timeout_seconds=float(download.get("timeout_seconds", 60)),
        retries=int(download.get("retries", 3)),
        backoff_seconds=float(download.get("backoff_seconds", 2.0)),
    )


def region_codes(seeds_dir: Path = SEEDS_DIR) -> list[str]:
    with (seeds_dir / "regions.csv").open(encoding="utf-8", newline="") as handle:
        return [row["region_code"] for row in csv.DictReader(handle)]


def _fetch_once(url: str, part: Path, timeout: float, progress: tqdm | None) -> None:
    """Stream ``url`` into ``part``; raise if the body is shorter than announced."""
    request = urllib.request.Request(url, headers={"User-Agent": "french-trade-warehouse"})
    with urllib.request.urlopen(request, timeout=timeout) as response, part.open("wb") as out:
        announced = response.headers.get("Content-Length")
        received = 0
        while chunk := response.read(CHUNK):
            out.write(chunk)
            received += len(chunk)
            if progress is not None:
                progress.update(len(chunk))
    if announced is not None and received != int(announced):
        raise DownloadError(f"truncated: received {received} of {announced} bytes")
    if received == 0:
        raise DownloadError("empty response")


def download_file(
    url: str, destination: Path, config: SourceConfig, progress: tqdm | None = None
) -> DownloadRecord:
    """Download one file with retries; on failure nothing is left at ``destination``."""
    part = destination.with_name(destination.name + ".part")
    last_error = ""
    for attempt in range(1, config.retries + 1):
        try:
            _fetch_once(url, part, config.timeout_seconds, progress)
        except urllib.error.HTTPError as error:
            part.unlink(missing_ok=True)
            if 400 <= error.code < 500:  # the file is not there: asking again will not help
                raise DownloadError(f"{url}: HTTP {error.code} {error.reason}") from error
            last_error = f"HTTP {error.code} {error.reason}"
        except (OSError, DownloadError) as error:  # timeouts, resets, truncation
            part.unlink(missing_ok=True)
            last_error = str(error) or type(error).__name__
        else:
            data = part.read_bytes()
            os.replace(part, destination)
            return DownloadRecord(
                url=url,
                file=destination.name,
                size_bytes=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                downloaded_at=datetime.now(UTC).isoformat(timespec="seconds"),
                attempts=attempt,
            )
        if attempt < config.retries:
            time.sleep(config.backoff_seconds * attempt)
    raise DownloadError(f"{url}: failed after {config.retries} attempts ({last_error})")


def download_year(
    year: int, target: Path, config: SourceConfig, regions: list[str] | None = None
) -> list[DownloadRecord]:
    """Download every region's file for ``year`` into ``target/<year>/`` and log them."""
    folder = target / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    records: list[DownloadRecord] = []
    codes = regions or region_codes()
    with tqdm(total=None, unit="B", unit_scale=True, desc=f"customs files {year}") as progress:
        for code in codes:
            url = config.url_template.format(region_code=code, year=year)
            destination = folder / config.file_name.format(region_code=code, year=year)
            record = download_file(url, destination, config, progress)
            records.append(record)
            with (folder / DOWNLOAD_LOG).open("a", encoding="utf-8") as log:
                log.write(json.dumps(asdict(record), ensure_ascii=False) + "\n")
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("years", type=int, nargs="+", help="years to download, e.g. 2024")
    parser.add_argument("--target", type=Path, default=DEFAULT_TARGET, help="raw data folder")
    parser.add_argument("--config", type=Path, default=None, help="sources file (TOML)")
    parser.add_argument("--region", action="append", default=None, help="only these regions")
    args = parser.parse_args(argv)
    config = read_config(args.config)
    try:
        for year in args.years:
            records = download_year(year, args.target, config, args.region)
            total = sum(r.size_bytes for r in records)
            print(f"{year}: {len(records)} files, {total:,} bytes into {args.target / str(year)}")
    except DownloadError as error:
        print(f"download failed: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
