"""README promises: the quick start is two commands, and its example queries run."""

from __future__ import annotations

import re

import duckdb

from scripts.paths import PROJECT_DIR

README = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")


def test_quick_start_is_two_commands_and_ci_runs_the_second() -> None:
    quick_start = README.split("## Quick start", 1)[1]
    block = re.search(r"```\n(.*?)```", quick_start, re.DOTALL)
    assert block is not None
    commands = [line for line in block.group(1).splitlines() if line.strip()]
    assert commands == ["make build", "make test"]
    assert "make test" in (PROJECT_DIR / ".ci" / "run").read_text()


def test_readme_example_queries_return_rows(warehouse: duckdb.DuckDBPyConnection) -> None:
    queries = re.findall(r"<!-- readme-query -->\n```sql\n(.*?)```", README, re.DOTALL)
    assert len(queries) == 3
    for query in queries:
        rows = warehouse.execute(query).fetchall()
        assert rows, query
        assert all(value is not None for value in rows[0]), query
