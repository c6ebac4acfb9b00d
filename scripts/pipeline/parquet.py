"""Write every mart to Parquet, with a manifest, for tools that do not speak DuckDB.

Why: BI tools, notebooks and data lakes read Parquet natively, and a folder of
Parquet files with a manifest (tables, row counts, column types) is the most
portable hand-off of the marts. DuckDB's own COPY writes the files; large
marts are partitioned by year so a reader can fetch one year. The export is
written into a new folder and swapped into place, so readers never see a mix
of two exports.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import time
from pathlib import Path

import duckdb

from scripts.paths import PROJECT_DIR, warehouse_path

DEFAULT_OUT = PROJECT_DIR / "exports" / "parquet"
MANIFEST = "manifest.json"
#: Marts with more rows than this are written one file per year.
PARTITION_ROWS = 100_000


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def export_marts(warehouse: Path, out_dir: Path, schema: str = "marts") -> dict[str, object]:
    """Export every table of ``schema``; return the manifest written beside the files."""
    staging = out_dir.with_name(out_dir.name + ".writing")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    tables: list[dict[str, object]] = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        names = [row[0] for row in con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = ? and table_type = 'BASE TABLE' order by table_name",
            [schema],
        ).fetchall()]  # fmt: skip
        for name in names:
            columns = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = ? and table_name = ? order by ordinal_position",
                [schema, name],
            ).fetchall()
            rows = con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()[0]
            column_names = [c for c, _ in columns]
            order = ", ".join(f'"{c}"' for c in column_names[:6])
            partitioned = rows > PARTITION_ROWS and "year" in column_names
            target = staging / name if partitioned else staging / f"{name}.parquet"
            options = "format parquet, compression zstd"
            if partitioned:
                options += ", partition_by (year)"
            con.execute(
                f'copy (select * from "{schema}"."{name}" order by {order}) '
                f"to '{target}' ({options})"
            )
            files = sorted(target.rglob("*.parquet")) if partitioned else [target]
            tables.append({
                "table": name,
                "rows": int(rows),
                "columns": [{"name": c, "type": t} for c, t in columns],
                "partitioned_by": ["year"] if partitioned else [],
                "files": [{"path": f.relative_to(staging).as_posix(), "sha256": _digest(f)}
                          for f in files],
            })  # fmt: skip
    manifest: dict[str, object] = {
        "source": warehouse.name,
        "schema": schema,
        "exported_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "tables": tables,
    }
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    previous = out_dir.with_name(out_dir.name + ".previous")
    shutil.rmtree(previous, ignore_errors=True)
    if out_dir.exists():
        os.replace(out_dir, previous)
    os.replace(staging, out_dir)
    shutil.rmtree(previous, ignore_errors=True)
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, default=None, help="DuckDB file")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    args = parser.parse_args(argv)
    manifest = export_marts(args.warehouse or warehouse_path(), args.out)
    tables: list[dict[str, object]] = manifest["tables"]  # type: ignore[assignment]
    total = sum(int(str(t["rows"])) for t in tables)
    print(f"{len(tables)} marts, {total:,} rows written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
