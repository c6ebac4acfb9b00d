"""Writes a year of the sample in the customs' published layout: regional and national zips.

Why apart: the published files' fields, order and zip members are the
customs' layout (``raw_layout``), which this module alone turns the drawn
cells into; DuckDB's CSV writer writes the lines (a Python loop would take
minutes on a detailed sample).
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from pathlib import Path

import duckdb
import numpy as np

from scripts.ingest import layout as raw_layout
from scripts.sample.calibration import FLOWS
from scripts.sample.cells import SampleGenerator


def _zip_entry(name: str) -> zipfile.ZipInfo:
    """A zip member with a fixed date, so the same seed gives byte-identical archives."""
    info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _sql_literal(value: object) -> str:
    """A code, a year or a list of codes as a DuckDB literal (codes are letters and digits)."""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        if not re.fullmatch(r"[0-9A-Za-z]+", value):
            raise ValueError(f"not a code: {value!r}")
        return f"'{value}'"
    if isinstance(value, list):
        return "[" + ", ".join(_sql_literal(item) for item in value) + "]"
    raise TypeError(f"no literal for {value!r}")


def _copy_lines(
    con: duckdb.DuckDBPyConnection,
    table: dict[str, np.ndarray],
    expressions: list[str],
    params: dict[str, object],
    target: Path,
) -> None:
    """Write ``table`` through ``expressions`` as a headerless ``;`` file, in row order.

    ``$name`` in an expression is ``params[name]`` written as a literal: code
    lists passed as query parameters cost DuckDB's Python client seconds.
    """
    select = re.sub(r"\$(\w+)", lambda m: _sql_literal(params[m.group(1)]), ", ".join(expressions))
    con.register("sample_lines", table)
    try:
        con.execute(
            f"copy (select {select} from sample_lines) to $path "
            "(format csv, header false, delimiter ';')",
            {"path": str(target)},
        )
    finally:
        con.unregister("sample_lines")


#: Fields of the regional file (raw_layout.REGIONAL), from positions in the code lists.
REGIONAL_EXPRESSIONS = [
    "$flow", "quarter", "$year", "$departments[department + 1]", "$regions[department + 1]",
    "$products[product + 1]", "$cpf4[cpf4 + 1]", "$countries[country + 1]", "value", "mass",
]  # fmt: skip
#: Fields of the national file (raw_layout.NATIONAL): synthetic CPF6 and NC8 codes.
NATIONAL_EXPRESSIONS = [
    "$flow", "lpad(cast(month as varchar), 2, '0')", "$year",
    "$cpf4[cpf4 + 1] || cast(cpf6 as varchar)", "$products[product + 1]",
    "$cpf4[cpf4 + 1] || cast(cpf6 as varchar) || lpad(cast(nc8 as varchar), 2, '0')",
    "$countries[country + 1]", "value", "mass", "nullif(units, 0)",
]  # fmt: skip


def write_published_year(generator: SampleGenerator, year_dir: Path, year: int) -> dict[str, int]:
    """The year's regional and national zips (both flows in each); count their lines.

    The regional lines are sorted by quarter, department (customs code),
    A129, CPF4 and partner, as an extract of the real file would be.
    """
    customs_order = np.argsort(generator.customs_codes, kind="stable")
    department_rank = np.empty(len(customs_order), dtype=np.int64)
    department_rank[customs_order] = np.arange(len(customs_order))
    params: dict[str, object] = {
        "year": year,
        "departments": generator.customs_codes,
        "regions": generator.customs_regions,
        "products": generator.product_codes.tolist(),
        "cpf4": generator.cpf4_codes.tolist(),
        "countries": generator.country_codes.tolist(),
    }
    counts = {"regional": 0, "national": 0}
    archives = {
        "regional": (raw_layout.regional_archive_name(year), raw_layout.regional_member_name),
        "national": (raw_layout.national_archive_name(year), raw_layout.national_member_name),
    }
    with tempfile.TemporaryDirectory() as temporary, duckdb.connect() as con:
        con.execute("set enable_progress_bar = false")
        con.execute("set preserve_insertion_order = true")
        written: dict[str, list[tuple[str, Path]]] = {"regional": [], "national": []}
        for flow in FLOWS:
            parts = []
            for index, code in enumerate(generator.dept_codes):
                lines = generator.published_rows(code, flow, year)
                lines["department"] = np.full(len(lines["value"]), index, dtype=np.int16)
                parts.append(lines)
            regional = {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}
            listed = np.lexsort((regional["country"], regional["cpf4"], regional["product"],
                                 department_rank[regional["department"]],
                                 regional["quarter"]))  # fmt: skip
            regional = {name: column[listed] for name, column in regional.items()}
            unallocated = generator.published_rows(raw_layout.UNALLOCATED_DEPARTMENT, flow, year)
            everything = {
                name: np.concatenate([regional[name], unallocated[name]]) for name in unallocated
            }
            national = generator.national_rows(everything, flow, year)
            for kind, table, expressions in (
                ("regional", regional, REGIONAL_EXPRESSIONS),
                ("national", national, NATIONAL_EXPRESSIONS),
            ):
                member = archives[kind][1](year, flow)
                target = Path(temporary) / member
                _copy_lines(con, table, expressions, {**params, "flow": flow}, target)
                written[kind].append((member, target))
                counts[kind] += len(table["value"])
        for kind, (archive, _) in archives.items():
            with zipfile.ZipFile(year_dir / archive, "w") as zipped:
                for member, path in written[kind]:
                    zipped.writestr(_zip_entry(member), path.read_bytes(), compresslevel=1)
    return counts
