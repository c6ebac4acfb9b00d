"""Where the project's files live, in one place.

Every script and test resolves paths through this module so that the
warehouse location can be moved with one environment variable
(``TRADE_WAREHOUSE_PATH``, also read by profiles.yml) and the raw folder with
another (``TRADE_RAW_DIR``), without a script guessing its working directory.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_DIR / "seeds" / "reference"
DATA_DIR = PROJECT_DIR / "data"
SAMPLE_RAW_DIR = DATA_DIR / "raw" / "sample"
DEFAULT_WAREHOUSE = PROJECT_DIR / "warehouse" / "trade.duckdb"


def _configured(variable: str, default: Path) -> Path:
    """A path from an environment variable, relative ones taken from the project folder."""
    configured = os.environ.get(variable)
    if not configured:
        return default
    path = Path(configured)
    return path if path.is_absolute() else PROJECT_DIR / path


def warehouse_path() -> Path:
    """The DuckDB file dbt builds, honouring TRADE_WAREHOUSE_PATH like profiles.yml."""
    return _configured("TRADE_WAREHOUSE_PATH", DEFAULT_WAREHOUSE)


def raw_dir() -> Path:
    """The folder whose customs files are loaded (the synthetic sample by default)."""
    return _configured("TRADE_RAW_DIR", SAMPLE_RAW_DIR)
