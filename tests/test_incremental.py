"""Adding or revising a year rebuilds only that year, and gives the marts a full build gives.

The models incremental by year (macros/incremental_by_year.sql) keep the
years whose raw rows did not change. These tests check the three things that
make that safe: the years an incremental build selects are exactly the new
and revised ones; the marts and intermediate tables after an incremental
build equal, row for row, those of a build from scratch on the same files;
and the pipeline falls back to a full refresh whenever keeping old years
could be wrong.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import duckdb
import pytest

from scripts.ingest import layout as raw_layout
from scripts.ingest import load as load_raw
from scripts.paths import PROJECT_DIR
from scripts.pipeline import build as run_pipeline
from scripts.pipeline import state as build_state
from scripts.sample import generate as generate_sample

FIRST, LAST = 2022, 2024
#: Columns that record when something was loaded, not what the data says.
LOAD_TIME_COLUMNS = {"loaded_at", "source_loaded_at", "generated_at"}
#: Tables left out of the comparison with a build from scratch (_compared_columns says why).
UNCOMPARED_TABLES = {"int_territory_trade"}


def _add_to_first_value(archive: Path, member: str, value_field: int) -> None:
    """Add 1,000 euros to the value of the first line of a headerless file in a zip."""
    with zipfile.ZipFile(archive) as zipped:
        contents = {name: zipped.read(name) for name in zipped.namelist()}
    lines = contents[member].decode("utf-8").splitlines(keepends=True)
    fields = lines[0].rstrip("\n").split(";")
    fields[value_field] = str(int(fields[value_field]) + 1000)
    lines[0] = ";".join(fields) + "\n"
    contents[member] = "".join(lines).encode("utf-8")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, data in contents.items():
            zipped.writestr(name, data)


def _drop_last_quarter(archive: Path) -> None:
    """Remove the fourth quarter's lines from every member of a regional zip."""
    with zipfile.ZipFile(archive) as zipped:
        contents = {name: zipped.read(name) for name in zipped.namelist()}
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, data in contents.items():
            lines = data.decode("utf-8").splitlines(keepends=True)
            zipped.writestr(name, "".join(x for x in lines if x.split(";")[1] != "4"))


def _revise_year(folder: Path, year: int) -> None:
    """Revise a year as the customs do: +1,000 euros on an export line of the regional
    file, and on one of the national file, whose total then stays departments plus
    unallocated trade."""
    year_dir = folder / str(year)
    _add_to_first_value(year_dir / raw_layout.regional_archive_name(year),
                        raw_layout.regional_member_name(year, "E"), 8)  # fmt: skip
    _add_to_first_value(year_dir / raw_layout.national_archive_name(year),
                        raw_layout.national_member_name(year, "E"), 7)  # fmt: skip


def _compared_columns(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, list[str]]:
    """Each mart's and intermediate table's compared columns, doubles rounded to 1e-12.

    The intermediate tables too: several are incremental by year, and a year
    they kept wrongly would reach a mart only through the years it feeds.
    Not the territory trade, the one large one (7 million rows for ten years):
    comparing it costs more than a build, and its sums reach the partner,
    balance and indicator marts compared here. Doubles are rounded because
    their sums' order may vary.
    """
    columns = con.execute(
        "select table_schema, table_name, column_name, data_type "
        "from information_schema.columns where table_catalog = ? "
        "and table_schema in ('marts', 'intermediate') "
        "order by table_schema, table_name, ordinal_position",
        [catalog],
    ).fetchall()
    tables: dict[str, list[str]] = {}
    for schema, table, column, data_type in columns:
        if column not in LOAD_TIME_COLUMNS and table not in UNCOMPARED_TABLES:
            expression = f'round("{column}", 12)' if data_type == "DOUBLE" else f'"{column}"'
            tables.setdefault(f"{schema}.{table}", []).append(expression)
    return tables


def _differing_tables(ours: Path, theirs: Path) -> list[str]:
    """The tables whose rows (as a multiset) differ between two warehouses.

    Compared inside DuckDB, both ways with `except all`: fetching every row of
    the intermediate tables into Python would cost more than a build.
    """
    with duckdb.connect(str(ours), read_only=True) as con:
        con.execute(f"attach '{theirs}' as theirs (read_only)")
        mine = con.execute("select current_database()").fetchone()[0]
        tables = _compared_columns(con, mine)
        assert tables == _compared_columns(con, "theirs")
        differing = []
        for table, expressions in tables.items():
            listed = ", ".join(expressions)
            a, b = f'select {listed} from "{mine}".{table}', f"select {listed} from theirs.{table}"
            count = f"select count(*) from (({a} except all {b}) union all ({b} except all {a}))"
            if con.execute(count).fetchone()[0]:
                differing.append(table)
    return differing


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two states of a raw folder: 2022-2023, then 2022-2024 with 2023 revised."""
    root = tmp_path_factory.mktemp("incremental")
    later = root / "later"
    generate_sample.write_sample(later, range(FIRST, LAST + 1))
    earlier = root / "earlier"
    shutil.copytree(later, earlier)
    shutil.rmtree(earlier / str(LAST))
    _revise_year(later, LAST - 1)
    return {"earlier": earlier, "later": later, "root": root}


@pytest.fixture(scope="module")
def first_build(folders: dict[str, Path]) -> Path:
    """A warehouse built from the earlier folder (2022-2023)."""
    target = folders["root"] / "incremental.duckdb"
    run_pipeline.build_warehouse(
        folders["earlier"], target, ["--target-path", str(folders["root"] / "target-1")]
    )
    return target


def test_incremental_build_selects_only_new_and_revised_years(
    folders: dict[str, Path], first_build: Path
) -> None:
    probe = folders["root"] / "probe.duckdb"
    shutil.copyfile(first_build, probe)
    load_raw.load(folders["later"], probe)
    target_path = folders["root"] / "target-probe"
    env = {**os.environ, "TRADE_WAREHOUSE_PATH": str(probe)}
    subprocess.run(
        run_pipeline.dbt_command(
            "compile", "--select", "stg_customs__trade_values", "--target-path", str(target_path)
        ),
        cwd=PROJECT_DIR, env=env, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    compiled = (
        target_path / "compiled/french_trade/models/staging/customs/stg_customs__trade_values.sql"
    )
    sql = compiled.read_text(encoding="utf-8")
    with duckdb.connect(str(probe), read_only=True) as con:
        years = {row[0] for row in con.execute(f"select distinct year from ({sql})").fetchall()}
        raw_years = {row[0] for row in con.execute(
            "select distinct cast(year as integer) from raw.customs_trade"
        ).fetchall()}  # fmt: skip
    assert raw_years == {FIRST, FIRST + 1, LAST}
    # 2024 is new, 2023 was revised, 2022 is untouched and kept as built
    assert years == {LAST - 1, LAST}


@pytest.fixture(scope="module")
def rebuilt(folders: dict[str, Path], first_build: Path) -> dict[str, Path]:
    """The later folder built on the first build (incremental) and from scratch."""
    root = folders["root"]
    incremental = root / "after-increment.duckdb"
    shutil.copyfile(first_build, incremental)
    run_pipeline.build_warehouse(folders["later"], incremental,
                                 ["--target-path", str(root / "target-2")])  # fmt: skip
    scratch = root / "from-scratch.duckdb"
    run_pipeline.build_warehouse(
        folders["later"], scratch, ["--target-path", str(root / "target-3")], full_refresh=True
    )
    return {
        "incremental": incremental,
        "scratch": scratch,
        "incremental_target": root / "target-2",
        "scratch_target": root / "target-3",
    }


def test_incremental_build_equals_a_build_from_scratch(
    first_build: Path, rebuilt: dict[str, Path]
) -> None:
    with duckdb.connect(str(rebuilt["incremental"]), read_only=True) as con:
        log = con.execute(
            "select full_refresh, reason from raw.build_log order by build_number"
        ).fetchall()
        france_2023 = con.execute(
            "select exports_eur from marts.territory_trade_balance "
            "where territory_level = 'country' and year = 2023"
        ).fetchone()[0]
    assert [full for full, _ in log] == [True, False], log
    with duckdb.connect(str(first_build), read_only=True) as con:
        before = con.execute(
            "select exports_eur from marts.territory_trade_balance "
            "where territory_level = 'country' and year = 2023"
        ).fetchone()[0]
    # the revision (+1 000 euros on an export line) reached the marts
    assert france_2023 - before == 1000
    assert not _differing_tables(rebuilt["incremental"], rebuilt["scratch"])


def _compiled_test(target: Path, folder: str, name: str) -> str:
    return (target / "compiled/french_trade" / folder / name).read_text(encoding="utf-8")


def test_an_incremental_build_recomputes_the_changed_years_of_a_mart(
    rebuilt: dict[str, Path],
) -> None:
    """2024 is new and 2023 revised: a mart incremental by year computes those two
    years only (and equals a build from scratch, above); a full build every year."""
    mart = ("models/marts", "territory_product_trade.sql")
    assert "year in (2023, 2024)" in _compiled_test(rebuilt["incremental_target"], *mart)
    assert "year in (" not in _compiled_test(rebuilt["scratch_target"], *mart)
    # the seeds and what is built from them alone are kept as the last build left them
    ran = {name: {r["unique_id"].split(".")[-1] for r in json.loads(
        (rebuilt[name] / "run_results.json").read_text(encoding="utf-8"))["results"]}
        for name in ("incremental_target", "scratch_target")}  # fmt: skip
    kept = {"departments", "stg_reference__departments", "int_territories"}
    assert not kept & ran["incremental_target"]
    assert kept <= ran["scratch_target"]
    assert "territory_product_trade" in ran["incremental_target"]


def test_an_incremental_build_tests_the_changed_years_and_a_full_one_every_year(
    rebuilt: dict[str, Path], tmp_path: Path
) -> None:
    """2024 is new and 2023 revised: the per-row tests and the reconciliations
    read those two years; a full build's tests read every year."""
    row_test = ("models/marts/_marts__models.yml",
                "value_between_territory_trade_balance_exports_eur__1e15__0.sql")  # fmt: skip
    reconciliation = ("tests/dbt", "assert_departments_sum_to_regions_and_france.sql")
    tests = {"row": row_test, "reconciliation": reconciliation}
    limited = {name: _compiled_test(rebuilt["incremental_target"], *t) for name, t in tests.items()}
    for name, test in tests.items():
        assert "year in (2023, 2024)" in limited[name], name
        assert "year in (" not in _compiled_test(rebuilt["scratch_target"], *test), name
    # the limited tests still fail on a wrong figure of a changed year, and only
    # there: 2022's rows passed them when 2022 was built, and are unchanged
    broken = tmp_path / rebuilt["incremental"].name  # the compiled SQL names the file
    found = {}
    for year in (FIRST, LAST):
        shutil.copyfile(rebuilt["incremental"], broken)
        with duckdb.connect(str(broken)) as con:
            con.execute("update marts.territory_trade_balance set exports_eur = -1 "
                        "where territory_level = 'department' and year = ?", [year])  # fmt: skip
            found[year] = {name: len(con.execute(sql).fetchall()) for name, sql in limited.items()}
    assert found[LAST]["row"] > 0 and found[LAST]["reconciliation"] > 0
    assert found[FIRST] == {"row": 0, "reconciliation": 0}


def test_a_year_that_becomes_partial_loses_the_rows_of_complete_years_only(
    folders: dict[str, Path], rebuilt: dict[str, Path], tmp_path: Path
) -> None:
    """2024 complete at the last build, partial now (its fourth quarter gone): the
    incremental build recomputes 2024, and the top movers, computed for complete
    years only, lose their 2024 rows although the new computation gives none."""
    partial = tmp_path / "partial"
    shutil.copytree(folders["later"], partial)
    _drop_last_quarter(partial / str(LAST) / raw_layout.regional_archive_name(LAST))
    warehouse = tmp_path / "partial.duckdb"
    shutil.copyfile(rebuilt["incremental"], warehouse)
    count = "select count(*) from marts.territory_top_movers where year = ?"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute(count, [LAST]).fetchone()[0] > 0
    run_pipeline.build_warehouse(partial, warehouse, ["--target-path", str(tmp_path / "t")])
    with duckdb.connect(str(warehouse), read_only=True) as con:
        log = con.execute("select full_refresh from raw.build_log order by build_number").fetchall()
        complete = con.execute(
            "select is_complete_year from marts.trade_periods where year = ?", [LAST]
        ).fetchone()[0]
        assert con.execute(count, [LAST]).fetchone()[0] == 0
        assert con.execute(count, [LAST - 1]).fetchone()[0] > 0
    assert log[-1] == (False,) and not complete


def test_a_year_whose_files_vanish_is_removed_by_a_full_refresh(
    folders: dict[str, Path], first_build: Path
) -> None:
    fewer = folders["root"] / "without-2022"
    shutil.copytree(folders["earlier"], fewer)
    shutil.rmtree(fewer / str(FIRST))
    warehouse = folders["root"] / "after-removal.duckdb"
    shutil.copyfile(first_build, warehouse)
    run_pipeline.build_warehouse(
        fewer, warehouse, ["--target-path", str(folders["root"] / "target-4")],
        consent=load_raw.Consent(allow_removals=True),  # the year's files vanish on purpose
    )  # fmt: skip
    with duckdb.connect(str(warehouse), read_only=True) as con:
        last = con.execute(
            "select full_refresh from raw.build_log order by build_number desc limit 1"
        ).fetchone()[0]
        years = {row[0] for row in con.execute(
            "select distinct year from marts.territory_trade_balance"
        ).fetchall()}  # fmt: skip
    assert last is True
    assert years == {FIRST + 1}


def test_fingerprint_follows_the_project_files(tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    model = tmp_path / "models" / "a.sql"
    model.write_text("select 1", encoding="utf-8")
    (tmp_path / "dbt_project.yml").write_text("name: x", encoding="utf-8")
    first = build_state.project_fingerprint(tmp_path)
    assert build_state.project_fingerprint(tmp_path) == first
    model.write_text("select 2", encoding="utf-8")
    assert build_state.project_fingerprint(tmp_path) != first
    model.write_text("select 1", encoding="utf-8")
    model.rename(tmp_path / "models" / "b.sql")
    assert build_state.project_fingerprint(tmp_path) != first


def test_dbt_arguments_that_compute_count_but_output_paths_do_not(tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "a.sql").write_text("select 1", encoding="utf-8")
    plain = build_state.project_fingerprint(tmp_path, [])
    moved = build_state.project_fingerprint(tmp_path, ["--target-path", "/x", "--log-path=/y"])
    assert moved == plain
    assert build_state.project_fingerprint(tmp_path, ["--vars", "{flow_top_n: 5}"]) != plain


KEEP = build_state.BuildRecord("abc", "raw 1")


@pytest.mark.parametrize(
    ("previous", "raw_before", "removed", "gone", "requested", "refresh"),
    [
        (KEEP, "raw 1", 0, [], False, False),  # only new or revised files: incremental
        (None, "raw 1", 0, [], False, True),  # nothing built yet
        (build_state.BuildRecord("old", "raw 1"), "raw 1", 0, [], False, True),  # new code
        (KEEP, "raw 2", 0, [], False, True),  # load_raw run by hand in between
        (KEEP, "raw 1", 2, [], False, True),  # files vanished
        (KEEP, "raw 1", 0, [2019], False, True),  # a whole year gone
        (KEEP, "raw 1", 0, [], True, True),  # asked for
    ],
)
def test_full_refresh_when_kept_years_could_be_wrong(
    previous: build_state.BuildRecord | None,
    raw_before: str,
    removed: int,
    gone: list[int],
    requested: bool,
    refresh: bool,
) -> None:
    reason = build_state.full_refresh_reason(previous, "abc", raw_before, removed, gone, requested)
    assert (reason is not None) == refresh, reason
