"""The site folder: templates, static assets, and the atomic swap into place.

Why this care: the site is rebuilt as a whole into a fresh folder next to the
target and only then swapped in, so a failed render (an unknown territory, a
broken query, Chromium failing on a PDF) leaves the previous site exactly as
it was, and nobody ever browses a half-written one. A manifest file marks a
folder as a site this module wrote; any other non-empty folder is never
replaced, so a mistyped ``--out`` cannot destroy unrelated files.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

TEMPLATES_DIR = Path(__file__).with_name("templates")
STATIC_DIR = Path(__file__).with_name("assets")
ASSETS = "assets"
MANIFEST = "report-site.json"
GENERATOR = "scripts.report.render"


class SiteError(RuntimeError):
    """The site cannot be written where it was asked to go."""


def template_environment(templates_dir: Path = TEMPLATES_DIR) -> jinja2.Environment:
    """Jinja2 with autoescaping on: every label from the warehouse is escaped in HTML.

    StrictUndefined turns a misspelt variable into an error instead of a
    silently empty cell. A value that is missing on purpose (a partner's
    export rank when it buys nothing from the territory) is None, which a
    reader must see as a dash, never as Python's "None".
    """
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=lambda value: "–" if value is None else value,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def plotly_bundle() -> bytes:
    """plotly.js as shipped in the installed plotly wheel: pages never load it from a CDN."""
    return resources.files("plotly").joinpath("package_data", "plotly.min.js").read_bytes()


def write_assets(site: Path) -> list[Path]:
    """Write the shared assets once into ``site/assets``; pages refer to them relatively."""
    folder = site / ASSETS
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "plotly.min.js"]
    written[0].write_bytes(plotly_bundle())
    for source in sorted(STATIC_DIR.iterdir()):
        if source.is_file() and source.suffix in {".css", ".js"}:
            target = folder / source.name
            shutil.copyfile(source, target)
            written.append(target)
    return written


def write_manifest(site: Path, content: dict[str, Any]) -> None:
    """Describe the site (year, pages) and mark the folder as ours for the next swap."""
    payload = {"generator": GENERATOR, **content}
    (site / MANIFEST).write_text(json.dumps(payload, ensure_ascii=False, indent=2), "utf-8")


def check_replaceable(out_dir: Path) -> None:
    """Refuse to replace anything but a missing folder, an empty one, or a previous site."""
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise SiteError(f"output path {out_dir} exists and is not a folder")
    if any(out_dir.iterdir()) and not (out_dir / MANIFEST).is_file():
        raise SiteError(
            f"output folder {out_dir} is not empty and was not written by {GENERATOR} "
            f"(no {MANIFEST}); refusing to replace it"
        )


@contextmanager
def staging_folder(out_dir: Path) -> Iterator[Path]:
    """A new empty folder beside ``out_dir`` (same file system, so the final move is atomic).

    It is removed when the block fails; on success the caller has moved it away.
    """
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.building-", dir=out_dir.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; a published site must be readable
    try:
        yield staging
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def publish(staging: Path, out_dir: Path) -> None:
    """Swap the freshly built folder in place of ``out_dir`` (the old site is then removed).

    Two renames: the old site steps aside, the new one takes its name. If the
    second rename fails the old site is put back.
    """
    check_replaceable(out_dir)
    previous = None
    if out_dir.exists():
        previous = out_dir.with_name(f".{out_dir.name}.previous-{uuid.uuid4().hex[:8]}")
        os.replace(out_dir, previous)
    try:
        os.replace(staging, out_dir)
    except OSError:
        if previous is not None:
            os.replace(previous, out_dir)
        raise
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)
