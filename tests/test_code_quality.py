"""Linters as tests: the SQL follows .sqlfluff and the Python is ruff-clean."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from scripts.paths import PROJECT_DIR

BIN = Path(sys.executable).parent


def test_sqlfluff_lint_passes_on_models_and_sql_tests(tmp_path: Path) -> None:
    env = {**os.environ, "TRADE_WAREHOUSE_PATH": str(tmp_path / "lint.duckdb")}
    result = subprocess.run(
        [str(BIN / "sqlfluff"), "lint", "models", "tests/dbt", "--nofail", "--format", "json"],
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    files = json.loads(result.stdout)
    assert files, "sqlfluff linted no file"
    violations = [
        f"{f['filepath']}:{v['start_line_no']} {v['code']} {v['description']}"
        for f in files
        for v in f["violations"]
    ]
    assert violations == []


def test_ruff_passes() -> None:
    result = subprocess.run(
        [str(BIN / "ruff"), "check", "scripts", "tests"],
        cwd=PROJECT_DIR, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout
