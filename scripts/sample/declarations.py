"""Writes a year of the sample as declaration-level files (the benchmarks' volume layout).

Why apart: the project's header-based declarations layout splits every cell
into many lines, for volume benchmarks only; the published files
(``published``) are the default.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np

from scripts.ingest import layout as raw_layout
from scripts.sample.calibration import FLOWS
from scripts.sample.cells import SampleGenerator


def write_declarations(
    con: duckdb.DuckDBPyConnection,
    generator: SampleGenerator,
    codes: list[str],
    year: int,
    mean_lines: int,
    target: Path,
) -> int:
    """Write the declaration lines of some departments for one year as one CSV; count them.

    Lines are numbered 1.. in the file; codes travel as small integers and are
    looked up in lists by DuckDB, which writes the CSV (in insertion order).
    """
    parts: list[dict[str, np.ndarray]] = []
    for code in codes:
        for flow in FLOWS:
            lines = generator.declarations(code, flow, year, mean_lines)
            size = len(lines["value"])
            lines["department"] = np.full(size, generator.dept_codes_all.index(code), np.int16)
            lines["flow"] = np.full(size, FLOWS.index(flow), np.int8)
            parts.append(lines)
    table = {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}
    table["line"] = np.arange(1, len(table["value"]) + 1, dtype=np.int64)
    names = [f'"{name}"' for name in raw_layout.DECLARATIONS_HEADER]
    expressions = ["$flows[flow + 1]", "$year", "month", "$departments[department + 1]",
                   "$products[product + 1]", "$countries[country + 1]", "line",
                   "value"]  # fmt: skip
    columns = ", ".join(f"{e} as {n}" for e, n in zip(expressions, names, strict=True))
    con.register("declaration_lines", table)
    try:
        con.execute(
            f"copy (select {columns} from declaration_lines) to $path "
            f"(format csv, header true, delimiter '{raw_layout.SAMPLE_SEPARATOR}')",
            {
                "flows": list(FLOWS),
                "year": year,
                "departments": generator.dept_codes_all,
                "products": generator.product_codes.tolist(),
                "countries": generator.country_codes.tolist(),
                "path": str(target),
            },
        )
    finally:
        con.unregister("declaration_lines")
    return len(table["value"])


def write_declarations_year(
    generator: SampleGenerator, year_dir: Path, year: int, mean_lines: int
) -> int:
    """One declarations CSV per region and one for the unallocated trade; count the lines."""
    regions = sorted(set(generator.region_of.values()))
    written = 0
    with duckdb.connect() as con:
        con.execute("set enable_progress_bar = false")
        con.execute("set preserve_insertion_order = true")
        for region in regions:
            codes = [c for c in generator.dept_codes if generator.region_of[c] == region]
            target = year_dir / raw_layout.declarations_file_name(region, year)
            written += write_declarations(con, generator, codes, year, mean_lines, target)
        target = year_dir / raw_layout.declarations_file_name(None, year)
        unallocated = [raw_layout.UNALLOCATED_DEPARTMENT]
        written += write_declarations(con, generator, unallocated, year, mean_lines, target)
    return written
