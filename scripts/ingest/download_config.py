"""The customs download sources file (config/customs_sources.toml): its settings, data
sets and URLs, read and checked before anything is fetched.

Why apart from the downloader: a mistake in the sources file (a misspelt key,
a URL template without its year, a file name the loader would not recognise)
is refused with the file's own words before a single request is made.
"""

from __future__ import annotations

import csv
import os
import string
import tomllib
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
