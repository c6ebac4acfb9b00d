"""`dbt docs generate` produces a catalog describing every mart and its columns."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from scripts.paths import PROJECT_DIR
from scripts.pipeline.build import dbt_command


def test_docs_catalog_covers_every_mart(warehouse_file: Path, tmp_path: Path) -> None:
    copy = tmp_path / "trade.duckdb"  # dbt opens the file read-write: give it its own copy
    shutil.copyfile(warehouse_file, copy)
    env = {**os.environ, "TRADE_WAREHOUSE_PATH": str(copy)}
    target = tmp_path / "target"
    subprocess.run(
        dbt_command("docs", "generate", "--target-path", str(target)),
        cwd=PROJECT_DIR, env=env, check=True, capture_output=True,
    )  # fmt: skip
    catalog = json.loads((target / "catalog.json").read_text())
    manifest = json.loads((target / "manifest.json").read_text())
    marts = {
        node["name"]: node for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["schema"] == "marts"
    }  # fmt: skip
    assert len(marts) >= 14
    for name, node in marts.items():
        assert node["description"].strip(), name
        catalogued = catalog["nodes"][node["unique_id"]]["columns"]
        assert set(catalogued) == {c.lower() for c in node["columns"]}, name
        assert all(c["description"].strip() for c in node["columns"].values()), name
    assert (target / "index.html").exists()
