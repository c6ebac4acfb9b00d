"""Run one stage in a child process and measure it alone: wall time, CPU time, peak memory.

Why a child process per stage: its wall time, CPU time and peak resident
memory are then its own, and the benchmark's parent stays small (a child's
peak memory counts the parent's at the moment it starts).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from scripts.paths import PROJECT_DIR

PY = sys.executable


@dataclass(frozen=True)
class Measure:
    """One stage's cost: wall seconds, CPU seconds of its process tree, peak RSS in MiB."""

    wall_s: float
    cpu_s: float
    peak_rss_mib: float


def _tree_sample(pid: int, cpu_ticks: dict[int, int]) -> int:
    """Resident memory (KiB) of a process and all its descendants now, from /proc;
    also records each one's CPU time so far (clock ticks) in ``cpu_ticks``.

    Why: Spark runs in a JVM that dbt's Python starts and never waits for, so
    the JVM's memory and CPU are missing from the rusage os.wait4 returns.
    """
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            stat = Path(f"/proc/{current}/stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            cpu_ticks[current] = int(fields[11]) + int(fields[12])  # utime + stime
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError, ValueError, IndexError):
            continue
    return total


def run_stage(
    command: list[str],
    env: dict[str, str] | None = None,
    output: list[str] | None = None,
    cwd: Path = PROJECT_DIR,
) -> Measure:
    """Run one stage as a child process and measure it alone.

    Wall time; CPU time and peak memory as the larger of what the rusage of
    os.wait4 says (the child and the descendants it waited for) and what
    sampling the whole process tree every 0.2 s saw. When ``output`` is a
    list, the stage's standard output is appended to it (some stages report
    their own phases there).
    """
    with tempfile.TemporaryFile() as errors, tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=errors)
        peak_tree = 0
        cpu_ticks: dict[int, int] = {}
        stop = threading.Event()

        def sample() -> None:
            nonlocal peak_tree
            while not stop.wait(0.2):
                peak_tree = max(peak_tree, _tree_sample(process.pid, cpu_ticks))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        stop.set()
        sampler.join()
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            tail = errors.read().decode(errors="replace")[-2000:]
            raise RuntimeError(f"stage failed: {' '.join(command)}\n{tail}")
        if output is not None:
            out.seek(0)
            output.append(out.read().decode(errors="replace"))
    peak_kib = max(usage.ru_maxrss, peak_tree)
    cpu_tree = sum(cpu_ticks.values()) / os.sysconf("SC_CLK_TCK")
    return Measure(wall, max(usage.ru_utime + usage.ru_stime, cpu_tree), peak_kib / 1024)


def median(measures: list[Measure]) -> Measure:
    """The median of each figure over several runs of a stage."""
    return Measure(
        statistics.median(m.wall_s for m in measures),
        statistics.median(m.cpu_s for m in measures),
        statistics.median(m.peak_rss_mib for m in measures),
    )


def load_average() -> list[float]:
    """The machine's load average (1, 5, 15 min): other work inflates wall times."""
    return [round(x, 2) for x in os.getloadavg()]
