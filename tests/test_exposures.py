"""The dbt exposures say which marts each front end reads, and that must stay true.

The lists in models/marts/_exposures.yml are written by hand; these tests read
the SQL the front ends actually run and compare, so a page that starts reading
a new mart (or stops reading one) fails here until the exposure follows.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from scripts.paths import PROJECT_DIR

EXPOSURES = PROJECT_DIR / "models" / "marts" / "_exposures.yml"
MARTS_DIR = PROJECT_DIR / "models" / "marts"
REPORTS = PROJECT_DIR / "reports"

# A table of the marts schema, optionally quoted: marts.x, "marts"."x", marts . x
_MART_TABLE = re.compile(r'(?<![\w."])"?marts"?\s*\.\s*"?([a-z_][a-z0-9_]*)"?', re.IGNORECASE)
_LINE_COMMENT = re.compile(r"--[^\n]*")
_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_REF = re.compile(r"""ref\(\s*['"]([a-z0-9_]+)['"]\s*\)""")


def marts_read_by(sql_files: list[Path]) -> set[str]:
    """The marts tables named in the SQL of ``sql_files``, comments left out.

    Comments are dropped first so that a file saying in prose which mart it
    copies does not count as reading it.
    """
    names: set[str] = set()
    for path in sql_files:
        sql = _BLOCK_COMMENT.sub(" ", path.read_text(encoding="utf-8"))
        sql = _LINE_COMMENT.sub(" ", sql)
        names |= {match.lower() for match in _MART_TABLE.findall(sql)}
    return names


def exposure_refs() -> dict[str, set[str]]:
    """Each exposure's name and the models its depends_on refers to."""
    exposures = yaml.safe_load(EXPOSURES.read_text(encoding="utf-8"))["exposures"]
    return {
        exposure["name"]: {_REF.fullmatch(dep.strip()).group(1) for dep in exposure["depends_on"]}
        for exposure in exposures
    }


def all_marts() -> set[str]:
    """Every model of models/marts/ (the marts schema), by name."""
    return {path.stem for path in MARTS_DIR.rglob("*.sql")}


def test_the_parser_finds_marts_and_ignores_comments(tmp_path: Path) -> None:
    sql = tmp_path / "q.sql"
    sql.write_text(
        "-- copies marts.trade_periods\n/* and marts.territories */\n"
        'select * from "marts"."territory_flow_links" join marts.data_provenance on true\n',
        encoding="utf-8",
    )
    assert marts_read_by([sql]) == {"territory_flow_links", "data_provenance"}


def test_static_pages_exposure_lists_the_marts_of_reports_queries() -> None:
    # The Python renderer reads the warehouse only through reports/queries/.
    read = marts_read_by(sorted((REPORTS / "queries").glob("*.sql")))
    assert read and read <= all_marts(), read - all_marts()
    assert exposure_refs()["territory_report_pages"] == read


def test_evidence_exposure_lists_the_marts_of_its_sources() -> None:
    # Evidence reads the warehouse only through its source queries, copied to
    # Parquet by `npm run sources`; its pages query those copies.
    read = marts_read_by(sorted((REPORTS / "evidence" / "sources").rglob("*.sql")))
    assert read and read <= all_marts(), read - all_marts()
    assert exposure_refs()["evidence_site"] == read


def test_bi_exposure_lists_every_mart() -> None:
    assert exposure_refs()["bi_and_sql_access"] == all_marts()


def test_paths_named_in_exposures_exist() -> None:
    text = EXPOSURES.read_text(encoding="utf-8")
    paths = set(re.findall(r"\b((?:reports|scripts|models)/[\w./-]*\w/?)", text))
    assert paths, "the exposures name no file or folder"
    missing = sorted(path for path in paths if not (PROJECT_DIR / path).exists())
    assert not missing, missing
