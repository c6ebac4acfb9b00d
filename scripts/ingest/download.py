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
import csv
import hashlib
import json
import os
import string
import sys
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tqdm import tqdm

from scripts.ingest.layout import fixed_layout_for
from scripts.paths import DATA_DIR, PROJECT_DIR, SEEDS_DIR

DEFAULT_CONFIG = PROJECT_DIR / "config" / "customs_sources.toml"
DEFAULT_TARGET = DATA_DIR / "raw" / "douanes"
DOWNLOAD_LOG = "downloads.jsonl"
LATEST_FOLDER = "latest"
KIOSQUE_FOLDER = "kiosque"
CHUNK = 64 * 1024

#: The open-data data sets, in download order; ``all`` means these three.
OPEN_DATA_SETS: tuple[str, ...] = ("regional", "national", "annexes")
KIOSQUE = "kiosque"
KIOSQUE_SECTION = "kiosque_regions"
#: Column of seeds/reference/departments.csv holding each department's DGDDI region code.
CUSTOMS_REGION_COLUMN = "customs_region_code"
#: HTTP statuses worth asking again for (timeouts, rate limiting), besides 5xx.
RETRYABLE_CLIENT_ERRORS = frozenset({408, 429})


class DownloadError(RuntimeError):
    """A file could not be downloaded whole; nothing was written in its place."""


class ContentError(DownloadError):
    """The server answered, but not with the expected file (not retried)."""


class ConfigError(ValueError):
    """The sources file cannot be used as it is."""


class RegionCodeError(ValueError):
    """A region code is not a known DGDDI code, or the codes cannot be read."""


@dataclass(frozen=True)
class DownloadSettings:
    timeout_seconds: float = 60.0
    retries: int = 3
    backoff_seconds: float = 2.0


@dataclass(frozen=True)
class FileSource:
    """One file to fetch: its URL (template) and the name it is saved under."""

    url: str
    file_name: str


@dataclass(frozen=True)
class DatasetSource:
    name: str
    latest: tuple[FileSource, ...]
    yearly: tuple[FileSource, ...]


@dataclass(frozen=True)
class SourcesConfig:
    settings: DownloadSettings
    datasets: dict[str, DatasetSource]  # open-data sets present in the file
    kiosque: FileSource | None  # url and file_name hold {region_code} (DGDDI)


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


# --------------------------------------------------------------------------- config

_DOWNLOAD_KEYS = {"timeout_seconds", "retries", "backoff_seconds"}
_DATASET_KEYS = {"description", "latest", "yearly"}
_KIOSQUE_KEYS = {"description", "url", "file_name", "region_codes"}


def _placeholders(template: str, where: str) -> set[str]:
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as error:
        raise ConfigError(f"{where}: malformed placeholder in {template!r} ({error})") from error
    return {name for _, name, _, _ in parsed if name is not None}


def _check_template(template: str, where: str, allowed: set[str], required: set[str]) -> None:
    """Refuse unknown placeholders (an INSEE region code above all) and missing ones."""
    found = _placeholders(template, where)
    for name in sorted(found - allowed):
        if "insee" in name.lower():
            raise ConfigError(
                f"{where}: {{{name}}} asks for an INSEE region code; the customs name regions "
                "by their own DGDDI codes (04 = Centre-Val de Loire, 24 = overseas), which "
                "INSEE codes do not match. Use {region_code} (a DGDDI code) in the "
                f"[{KIOSQUE_SECTION}] section."
            )
        if "region" in name.lower():
            raise ConfigError(
                f"{where}: {{{name}}}: this data set covers every region in one file; "
                f"only the [{KIOSQUE_SECTION}] section has a {{region_code}} (DGDDI code)"
            )
        shown = ", ".join(f"{{{a}}}" for a in sorted(allowed)) or "none"
        raise ConfigError(f"{where}: unknown placeholder {{{name}}} (allowed here: {shown})")
    for name in sorted(required - found):
        raise ConfigError(f"{where}: {template!r} needs a {{{name}}} placeholder")


def _check_file_name(file_name: str, where: str) -> None:
    plain = file_name.replace("{year}", "2000").replace("{region_code}", "00")
    if not plain or "/" in plain or "\\" in plain or plain in {".", ".."}:
        raise ConfigError(f"{where}: file_name {file_name!r} must be a bare file name")
    if plain.endswith((".part", ".jsonl")):
        raise ConfigError(f"{where}: file_name {file_name!r} ends like a working file")


def _check_url(url: str, where: str) -> None:
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme not in {"http", "https"}:
        raise ConfigError(f"{where}: {url!r} is not an http(s) URL")


def _check_name_fits(dataset: str, file_name: str, where: str) -> None:
    """A loose .txt must be a file the loader recognises for this data set."""
    if not file_name.lower().endswith(".txt"):
        return
    found = fixed_layout_for(file_name.replace("{year}", "2000"))
    layout = found[0] if found else None
    fits = layout is not None and (
        layout.target == "labels" if dataset == "annexes" else layout.name == dataset
    )
    if not fits:
        raise ConfigError(
            f"{where}: {file_name!r} is not a file name the loader recognises for the "
            f"{dataset} data set (scripts/ingest/layout.py, FIXED_LAYOUTS)"
        )


def _file_sources(
    dataset: str, section: dict[str, Any], key: str, allowed: set[str], required: set[str]
) -> tuple[FileSource, ...]:
    entries = section.get(key, [])
    where = f"[{dataset}].{key}"
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ConfigError(f"{where}: expected a list of {{ url = ..., file_name = ... }} tables")
    sources = []
    for number, entry in enumerate(entries, start=1):
        here = f"{where}[{number}]"
        if set(entry) != {"url", "file_name"}:
            raise ConfigError(f"{here}: needs exactly the keys url and file_name")
        _check_url(entry["url"], here)
        _check_template(entry["url"], here + ".url", allowed, required)
        _check_template(entry["file_name"], here + ".file_name", allowed, set())
        _check_file_name(entry["file_name"], here)
        _check_name_fits(dataset, entry["file_name"], here)
        sources.append(FileSource(entry["url"], entry["file_name"]))
    names = [s.file_name for s in sources]
    if len(set(names)) != len(names):
        raise ConfigError(f"{where}: two files would be saved under the same name")
    return tuple(sources)


def _kiosque(section: dict[str, Any]) -> FileSource:
    where = f"[{KIOSQUE_SECTION}]"
    unknown = set(section) - _KIOSQUE_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown keys {sorted(unknown)} (allowed: "
                          f"{sorted(_KIOSQUE_KEYS)})")  # fmt: skip
    codes = section.get("region_codes", "dgddi")
    if codes != "dgddi":
        raise ConfigError(
            f"{where}: region_codes = {codes!r}: only 'dgddi' is supported. The kiosque names "
            "its per-region zips by the customs' own region codes (04 = Centre-Val de Loire, "
            "24 = overseas); an INSEE code would fetch another region's file."
        )
    if "url" not in section or "file_name" not in section:
        raise ConfigError(f"{where}: needs url and file_name")
    url, file_name = section["url"], section["file_name"]
    _check_url(url, where)
    _check_template(url, where + ".url", {"region_code"}, {"region_code"})
    _check_template(file_name, where + ".file_name", {"region_code"}, {"region_code"})
    _check_file_name(file_name, where)
    return FileSource(url, file_name)


def _settings(section: dict[str, Any]) -> DownloadSettings:
    settings = DownloadSettings(
        timeout_seconds=float(section.get("timeout_seconds", 60)),
        retries=int(section.get("retries", 3)),
        backoff_seconds=float(section.get("backoff_seconds", 2.0)),
    )
    if settings.timeout_seconds <= 0 or settings.retries < 1 or settings.backoff_seconds < 0:
        raise ConfigError("[download]: timeout_seconds > 0, retries >= 1, backoff_seconds >= 0")
    return settings


def parse_config(content: dict[str, Any]) -> SourcesConfig:
    """Check a parsed sources file and turn it into a ``SourcesConfig``."""
    if "regional_files" in content:
        raise ConfigError(
            "[regional_files] is the old per-region section, whose {region_code} was an INSEE "
            f"code; it is no longer read. Use [{KIOSQUE_SECTION}] (same url and file_name, "
            "{region_code} now a DGDDI code) and/or the open-data sections [regional], "
            "[national], [annexes] (see config/customs_sources.toml)."
        )
    known = {"download", *OPEN_DATA_SETS, KIOSQUE_SECTION}
    unknown = set(content) - known
    if unknown:
        raise ConfigError(f"unknown sections {sorted(unknown)} (known: {sorted(known)})")
    download = content.get("download", {})
    if set(download) - _DOWNLOAD_KEYS:
        raise ConfigError(f"[download]: unknown keys {sorted(set(download) - _DOWNLOAD_KEYS)}")
    datasets = {}
    for name in OPEN_DATA_SETS:
        if name not in content:
            continue
        section = content[name]
        if set(section) - _DATASET_KEYS:
            raise ConfigError(f"[{name}]: unknown keys {sorted(set(section) - _DATASET_KEYS)} "
                              f"(allowed: {sorted(_DATASET_KEYS)})")  # fmt: skip
        datasets[name] = DatasetSource(
            name=name,
            latest=_file_sources(name, section, "latest", set(), set()),
            yearly=_file_sources(name, section, "yearly", {"year"}, {"year"}),
        )
    kiosque = _kiosque(content[KIOSQUE_SECTION]) if KIOSQUE_SECTION in content else None
    return SourcesConfig(_settings(download), datasets, kiosque)


def read_config(path: Path | None = None) -> SourcesConfig:
    """Read the sources file (``--config``, TRADE_SOURCES_FILE, or the project's)."""
    path = path or Path(os.environ.get("TRADE_SOURCES_FILE", DEFAULT_CONFIG))
    try:
        content = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ConfigError(f"sources file {path} not found") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from error
    try:
        return parse_config(content)
    except ConfigError as error:
        raise ConfigError(f"{path}: {error}") from error


# --------------------------------------------------------------------- region codes


def customs_region_codes(seeds_dir: Path = SEEDS_DIR) -> dict[str, str]:
    """The known DGDDI region codes, from the departments seed, each with what it covers.

    The label is the names of the (INSEE) regions whose departments carry the
    code, e.g. ``24`` -> ``Guadeloupe, Martinique, ...``.
    """
    departments = _read_csv(seeds_dir / "departments.csv")
    if not departments or CUSTOMS_REGION_COLUMN not in departments[0]:
        raise RegionCodeError(
            f"{seeds_dir / 'departments.csv'} has no {CUSTOMS_REGION_COLUMN} column: the "
            "customs' own region codes (DGDDI: 04 = Centre-Val de Loire, 24 = overseas; "
            "see Departement_region.txt, third field) are needed to name the kiosque's "
            "per-region files, and INSEE's region_code cannot stand in for them"
        )
    names = {row["region_code"]: row["region_name"] for row in _read_csv(seeds_dir / "regions.csv")}
    covered: dict[str, list[str]] = {}
    for row in departments:
        code = (row.get(CUSTOMS_REGION_COLUMN) or "").strip()
        if code:
            label = names.get(row.get("region_code", ""), row.get("region_code", ""))
            if label and label not in covered.setdefault(code, []):
                covered[code].append(label)
    if not covered:
        raise RegionCodeError(f"{seeds_dir / 'departments.csv'}: {CUSTOMS_REGION_COLUMN} is empty")
    return {code: ", ".join(covered[code]) for code in sorted(covered)}


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        if path.name == "regions.csv":  # names only make messages nicer
            return []
        raise RegionCodeError(f"{path} not found: the DGDDI region codes are read from it")
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _insee_to_customs(seeds_dir: Path) -> dict[str, tuple[str, set[str]]]:
    """INSEE region code -> (its name, the DGDDI codes of its departments)."""
    names = {row["region_code"]: row["region_name"] for row in _read_csv(seeds_dir / "regions.csv")}
    found: dict[str, tuple[str, set[str]]] = {}
    for row in _read_csv(seeds_dir / "departments.csv"):
        insee, customs = row.get("region_code", ""), (row.get(CUSTOMS_REGION_COLUMN) or "")
        if insee and customs:
            found.setdefault(insee, (names.get(insee, insee), set()))[1].add(customs)
    return found


def check_region_codes(
    requested: list[str], seeds_dir: Path = SEEDS_DIR
) -> tuple[list[str], list[str]]:
    """The requested DGDDI codes (all known ones if none) and notes on ambiguous codes.

    Validation is against the known DGDDI set (the seed's ``customs_region_code``
    values), nothing else: a code is accepted if and only if DGDDI uses it. An
    INSEE code that DGDDI also uses (01, 03, 04, 24) is therefore accepted, with
    its DGDDI meaning, and a note says what INSEE would have meant by it.
    """
    known = customs_region_codes(seeds_dir)
    if not requested:
        return list(known), []
    insee = _insee_to_customs(seeds_dir)
    listing = "; ".join(f"{code} ({label})" for code, label in known.items())
    codes, notes = [], []
    for raw in requested:
        code = raw.strip()
        if code not in known:
            hint = ""
            if code in insee:
                name, customs = insee[code]
                hint = (f" {code} is INSEE's code for {name}, whose DGDDI code is "
                        f"{', '.join(sorted(customs))}.")  # fmt: skip
            raise RegionCodeError(
                f"region {code!r} is not a DGDDI (customs) region code.{hint} "
                f"Known DGDDI region codes: {listing}"
            )
        if code in insee and insee[code][1] != {code}:
            name, customs = insee[code]
            notes.append(
                f"region {code} is read as the DGDDI code ({known[code]}); INSEE's {code} "
                f"({name}) is DGDDI {', '.join(sorted(customs))}"
            )
        if code not in codes:
            codes.append(code)
    return codes, notes


# ------------------------------------------------------------------------- planning


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


def main(argv: list[str] | None = None, seeds_dir: Path = SEEDS_DIR) -> int:
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
