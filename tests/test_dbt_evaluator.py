"""dbt Labs' dbt-project-evaluator passes on this project, up to the exceptions it declares.

The evaluator checks the project's layout against dbt Labs' conventions
(directories, naming, primary-key tests, exposures on public models, source
freshness, DAG shape...). Every rule the project does not meet must be a row of
seeds/dbt_project_evaluator/dbt_project_evaluator_exceptions.csv with its
reason; any other finding fails here.

The evaluator and the dbt-utils it needs are not part of this repository (the
dbt package hub is unreachable here). They are read from the folder named by
DBT_PROJECT_EVALUATOR_PACKAGES (default: vendor/dbt_packages/, ignored by git),
which must hold dbt_project_evaluator/ (release v1.3.2) and dbt_utils/ (1.4.1,
the 1.x its packages.yml asks for). Without them the test is skipped, saying so.

The run happens in a copy of the project, so the normal build never sees the
packages and never grows: the evaluator's models and our exceptions seed are
built only here, into a temporary DuckDB file.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from scripts.paths import PROJECT_DIR

PACKAGES = Path(
    os.environ.get("DBT_PROJECT_EVALUATOR_PACKAGES", PROJECT_DIR / "vendor" / "dbt_packages")
)
EXCEPTIONS = (
    PROJECT_DIR / "seeds" / "dbt_project_evaluator" / "dbt_project_evaluator_exceptions.csv"
)
PROJECT_PARTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests/dbt")
# In the copy only: the package's own (empty) exceptions seed gives way to
# ours, and an unmet rule is an error, not the package's default warning.
EVALUATOR_CONFIG = """
  dbt_project_evaluator:
    dbt_project_evaluator_exceptions:
      +enabled: false

data_tests:
  dbt_project_evaluator:
    +severity: error
"""
# The evaluator's rules are its fct_ models; v1.3.2 has 29 of them.
MIN_RULES = 29


def test_every_exception_gives_its_reason() -> None:
    with EXCEPTIONS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for row in rows:
        assert row["fct_name"].startswith("fct_"), row
        assert row["column_name"].strip() and row["id_to_exclude"].strip(), row
        assert len(row["comment"].split()) >= 5, f"no real reason given: {row}"


def project_copy(root: Path) -> Path:
    """The project's dbt files copied under ``root``, with the packages linked in."""
    project = root / "project"
    for part in PROJECT_PARTS:
        source, target = PROJECT_DIR / part, project / part
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copyfile(source, target)
    with (project / "dbt_project.yml").open("a", encoding="utf-8") as handle:
        handle.write(EVALUATOR_CONFIG)
    (project / "dbt_packages").mkdir()
    for package in ("dbt_project_evaluator", "dbt_utils"):
        (project / "dbt_packages" / package).symlink_to(PACKAGES / package)
    return project


def test_dbt_project_evaluator_finds_nothing_undeclared(tmp_path: Path) -> None:
    if not (PACKAGES / "dbt_project_evaluator" / "dbt_project.yml").exists():
        pytest.skip(f"dbt-project-evaluator not found in {PACKAGES} (see this module's docstring)")
    project = project_copy(tmp_path)
    warehouse = tmp_path / "evaluator.duckdb"
    env = {
        **os.environ,
        "TRADE_WAREHOUSE_PATH": str(warehouse),
        "DBT_PROJECT_EVALUATOR": "true",
    }
    dbt = Path(sys.executable).parent / "dbt"
    command = [
        str(dbt), "build", "--profiles-dir", ".",
        "--select", "package:dbt_project_evaluator", "dbt_project_evaluator_exceptions",
    ]  # fmt: skip
    result = subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, check=False
    )
    results = project / "target" / "run_results.json"
    assert results.exists(), result.stdout[-3000:] + result.stderr[-3000:]
    run = json.loads(results.read_text())
    rule_tests = [
        r for r in run["results"] if r["unique_id"].startswith("test.dbt_project_evaluator.")
    ]
    assert len(rule_tests) >= MIN_RULES, result.stdout[-3000:]
    unmet = sorted(r["unique_id"].split(".")[2] for r in rule_tests if r["status"] != "pass")
    findings = describe(warehouse, unmet)
    assert result.returncode == 0 and not unmet, f"unmet rules: {unmet}\n{findings}"


def describe(warehouse: Path, unmet: list[str]) -> str:
    """The rows of each unmet rule's fct_ model, so the failure says what to fix."""
    if not unmet or not warehouse.exists():
        return ""
    lines = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = {name for (name,) in con.execute(
            "select table_name from information_schema.tables where table_name like 'fct_%'"
        ).fetchall()}  # fmt: skip
        for test_name in unmet:
            for table in sorted(t for t in tables if t in test_name):
                rows = con.execute(f'select * from "{table}"').fetchall()
                lines.append(f"{table}: {rows}")
    return "\n".join(lines)
