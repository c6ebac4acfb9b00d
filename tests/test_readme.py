"""README promises: the quick start is two commands, and the guides' examples run as written."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import duckdb

from scripts.paths import PROJECT_DIR

README = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
DOCS = PROJECT_DIR / "docs"


def test_quick_start_is_two_commands_and_ci_runs_the_second() -> None:
    quick_start = README.split("## Quick start", 1)[1]
    block = re.search(r"```\n(.*?)```", quick_start, re.DOTALL)
    assert block is not None
    commands = [line for line in block.group(1).splitlines() if line.strip()]
    assert commands == ["make build", "make test"]
    assert "make test" in (PROJECT_DIR / ".ci" / "run").read_text()


def test_readme_links_to_existing_guides() -> None:
    targets = re.findall(r"\]\((docs/[^)#]+)\)", README)
    assert {"docs/marts.md", "docs/real-files.md", "docs/development.md"} <= set(targets)
    for target in targets:
        assert (PROJECT_DIR / target).is_file(), target


def test_marts_guide_example_queries_return_rows(warehouse: duckdb.DuckDBPyConnection) -> None:
    guide = (DOCS / "marts.md").read_text(encoding="utf-8")
    queries = re.findall(r"<!-- readme-query -->\n```sql\n(.*?)```", guide, re.DOTALL)
    assert len(queries) == 3
    for query in queries:
        rows = warehouse.execute(query).fetchall()
        assert rows, query
        assert all(value is not None for value in rows[0]), query


def test_readme_shell_example_runs_with_the_installed_client(warehouse_file: Path) -> None:
    """The DuckDB CLI that `make setup` installs opens the warehouse as the README shows."""
    block = re.search(r"<!-- readme-shell -->\n```\n(.*?)```", README, re.DOTALL)
    assert block is not None
    argv = shlex.split(block.group(1).replace("\\\n", " "))
    assert argv[:3] == [".venv/bin/duckdb", "-readonly", "warehouse/trade.duckdb"]
    client = Path(sys.executable).parent / "duckdb"
    assert client.is_file(), "make setup must install the DuckDB command-line client"
    # The session's warehouse stands in for warehouse/trade.duckdb.
    done = subprocess.run(
        [str(client), "-readonly", str(warehouse_file), "-csv", *argv[3:]],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    rows = done.stdout.strip().splitlines()
    assert rows[0] == "territory_name,year,exports_meur"
    assert len(rows) > 2 and rows[1].startswith("Loiret,")
