"""The loader's throughput on a large input, against DuckDB's bare CSV reader on the same lines.

Why: the loader reads, checks, inserts and audits every raw line, and the
question is what that costs on top of the engine's own reading. So the same
files are read three ways: by the loader end to end (its phases timed by the
loader itself: prepare, read, check, publish), by DuckDB alone counting the
lines (the reader's floor), and by DuckDB alone copying them into a table of
a new database file (the floor of reading and storing, with no check).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
import zipfile
from dataclasses import asdict
from pathlib import Path

import duckdb

from scripts.bench.measure import PY, run_stage
from scripts.bench.runs import generate

#: Fields of the published regional and national files (both have ten since 2017).
FIELDS = 10


def _extract(raw: Path, out: Path) -> list[Path]:
    """The regional and national data files of a sample folder, unzipped (not timed)."""
    out.mkdir(parents=True, exist_ok=True)
    found = []
    for archive in sorted(raw.rglob("*.zip")):
        with zipfile.ZipFile(archive) as opened:
            for member in opened.namelist():
                target = out / f"{archive.stem}_{Path(member).name}"
                target.write_bytes(opened.read(member))
                found.append(target)
    return found


def bare_read(paths: list[str], database: Path) -> dict[str, float]:
    """Seconds (wall and CPU) for DuckDB to count the lines, then to copy them into a new
    database file."""
    columns = {f"c{i}": "VARCHAR" for i in range(FIELDS)}
    scan = ("read_csv($paths, sep=';', header=false, auto_detect=false, columns=$columns, "
            "quote='\"', escape='\"', strict_mode=true)")  # fmt: skip
    timings = {}
    with duckdb.connect(str(database)) as con:
        con.execute("set enable_progress_bar = false")
        for name, sql in (("count_s", f"select count(*) from {scan}"),
                          ("copy_s", f"create table lines as select * from {scan}")):  # fmt: skip
            started, started_cpu = time.perf_counter(), time.process_time()
            con.execute(sql, {"paths": paths, "columns": columns}).fetchall()
            timings[name] = time.perf_counter() - started
            timings[name.replace("_s", "_cpu_s")] = time.process_time() - started_cpu
    return timings


def throughput(work: Path, first: int, last: int, detail: float) -> dict[str, object]:
    """Generate the input, load it with the loader, then read it bare; return the figures."""
    shutil.rmtree(work, ignore_errors=True)
    raw, warehouse = work / "raw", work / "trade.duckdb"
    subprocess.run(generate(raw, first, last, detail), check=True, stdout=subprocess.DEVNULL)
    printed: list[str] = []
    load = run_stage([PY, "-m", "scripts.ingest.load", "--raw-dir", str(raw), "--warehouse",
                      str(warehouse)], output=printed)  # fmt: skip
    said = dict(line.split(": ", 1) for line in printed[0].splitlines() if "seconds: " in line)
    phases, phases_cpu = json.loads(said["seconds"]), json.loads(said["cpu seconds"])
    with duckdb.connect(str(warehouse), read_only=True) as con:
        lines = int(con.execute("select sum(rows_read) from raw.load_audit").fetchone()[0])
    data_files = [str(p) for p in _extract(raw, work / "unzipped")]
    printed = []
    bare = run_stage([PY, "-m", "scripts.bench.loader", "--bare", str(work / "bare.duckdb"),
                      *data_files], output=printed)  # fmt: skip
    return {
        "years": f"{first}-{last}", "detail": detail, "raw_lines": lines,
        "load": asdict(load), "phases_s": phases, "phases_cpu_s": phases_cpu,
        "lines_per_s": lines / load.wall_s, "bare": json.loads(printed[0]),
        "bare_peak_rss_mib": bare.peak_rss_mib,
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="DuckDB's bare reading of data files (timed)")
    parser.add_argument("--bare", type=Path, required=True, help="new database file")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args(argv)
    print(json.dumps(bare_read(args.paths, args.bare)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
