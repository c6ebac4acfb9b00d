"""Decide whether dbt may build incrementally, and remember what each build was made from.

Why: the models that are incremental by year (macros/incremental_by_year.sql)
keep the years whose raw rows have not changed. That is right only while the
code that computed those years is the code of today and no raw row has gone
without a newer load. So every build records a fingerprint of the dbt
project (models, macros, seeds, dbt_project.yml) in ``raw.build_log`` inside
the warehouse file, and the next build runs dbt with ``--full-refresh`` when
that fingerprint differs, when there is none, or when the load removed the
rows of files that vanished from the raw folder.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from scripts.paths import PROJECT_DIR

#: What the incremental models' code and reference data come from.
PROJECT_INPUTS = ("models", "macros", "seeds", "dbt_project.yml")

CREATE_BUILD_LOG = """
create table if not exists raw.build_log (
    built_at timestamp with time zone not null,
    project_fingerprint varchar not null,
    full_refresh boolean not null,
    reason varchar not null
)
"""


def project_fingerprint(project_dir: Path = PROJECT_DIR) -> str:
    """SHA-256 over the path and content of every file the dbt build depends on."""
    digest = hashlib.sha256()
    for name in PROJECT_INPUTS:
        root = project_dir / name
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in files:
            if path.exists() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(project_dir).as_posix().encode())
                digest.update(b"\0")
                digest.update(path.read_bytes())
                digest.update(b"\0")
    return digest.hexdigest()


def last_fingerprint(warehouse: Path) -> str | None:
    """The fingerprint of the last successful build recorded in ``warehouse``, if any."""
    if not warehouse.exists():
        return None
    with duckdb.connect(str(warehouse), read_only=True) as con:
        known = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'raw' and table_name = 'build_log'"
        ).fetchone()[0]
        if not known:
            return None
        row = con.execute(
            "select project_fingerprint from raw.build_log order by built_at desc limit 1"
        ).fetchone()
    return row[0] if row else None


def full_refresh_reason(
    previous: str | None, current: str, files_removed: int, requested: bool
) -> str | None:
    """Why dbt must rebuild every year, or None when an incremental build is right."""
    if requested:
        return "full refresh requested"
    if previous is None:
        return "no earlier build recorded in this warehouse"
    if previous != current:
        return "the dbt project changed since the last build"
    if files_removed:
        return f"{files_removed} raw file(s) vanished since the last build"
    return None


def record_build(warehouse: Path, fingerprint: str, reason: str | None) -> None:
    """Append this build to ``raw.build_log`` (called once dbt has passed)."""
    with duckdb.connect(str(warehouse)) as con:
        con.execute(CREATE_BUILD_LOG)
        con.execute(
            "insert into raw.build_log values (current_timestamp, ?, ?, ?)",
            [fingerprint, reason is not None, reason or "incremental: only changed years"],
        )
