"""The benchmark's results as the targets of issue #17 and Markdown tables.

Why apart from the measuring: the figures are computed once (``results.json``)
and this module only reads them, so the report can be rewritten from a saved
run without measuring again (``trade bench --report-only``).
"""

from __future__ import annotations

from typing import Any

#: Lines a year of the real regional file (both flows, four quarters), estimated from the
#: nomenclatures, since no real regional data file was available (a guess, see
#: docs/benchmarks.md): 101 department codes x 2 flows x 4 quarters x about 200 active CPF4
#: classes (of 298 goods classes) x about 15 partners each.
ESTIMATED_LINES_PER_YEAR = 101 * 2 * 4 * 200 * 15
#: DuckDB is comfortable on a size while loading and building it take under a minute
#: (the main command's target) and 2 GiB.
COMFORT_SECONDS = 60.0
COMFORT_MIB = 2048.0

Results = dict[str, Any]


#: The main command's stages, as the benchmark also times them one by one.
MAIN_STAGES = ("sample", "raw_load", "dbt_build", "render_all_pages")


def _stages_wall(five: Results) -> float:
    """The main command's stages' wall times, one after the other."""
    return sum(five["stages"][s]["wall_s"] for s in MAIN_STAGES if s in five["stages"])


def _main_command(five: Results) -> float:
    """The main command's wall time as timed whole; in older results, its stages' sum."""
    if "main_command" in five:
        return float(five["main_command"]["wall_s"])
    return _stages_wall(five)


def slope(small: Results, large: Results) -> dict[str, float]:
    """Seconds per additional year and per additional million raw rows, from two sizes."""
    years = int(large["years"].split("-")[1]) - int(large["years"].split("-")[0])
    years -= int(small["years"].split("-")[1]) - int(small["years"].split("-")[0])
    extra = large["total_wall_s"] - small["total_wall_s"]
    extra_cpu = _total_cpu(large) - _total_cpu(small)
    rows = (large["raw_rows"] - small["raw_rows"]) / 1e6
    return {"s_per_year": extra / years if years else float("nan"),
            "s_per_million_rows": extra / rows if rows else float("nan"),
            "cpu_s_per_year": extra_cpu / years if years else float("nan"),
            "cpu_s_per_million_rows": extra_cpu / rows if rows else float("nan")}  # fmt: skip


def _total_cpu(size: Results) -> float:
    """CPU seconds of a size's DuckDB pipeline (Spark's stages apart)."""
    return sum(m["cpu_s"] for n, m in size["stages"].items() if not n.startswith("spark_"))


def dbt_model_time(five: Results, gap: Results) -> float:
    """dbt's time for the fiche's models, one at a time when measured so (as the baseline
    runs), else as the main build's two threads recorded it (each model's time including
    its wait for the other thread's)."""
    return float(gap.get("dbt_sequential_models_s", five["dbt_core_models_s"]))


def targets(results: Results) -> list[dict[str, object]]:
    """The issue's targets, each with the measured value and whether it is met."""
    five, gap, loader = results.get("five_years"), results.get("gap"), results.get("loader")
    rows: list[tuple[str, float | None, str, bool | None]] = []
    if five and gap:
        main_job = _main_command(five)
        ratio = dbt_model_time(five, gap) / gap["baseline_s"]
        # a run may mark the wall ratio unreliable (its parts timed under different loads)
        ratio_met = None if gap.get("ratio_not_established") else ratio <= 2
        rows += [("main command on the 5-year sample, set-up excluded (s)", main_job, "< 60",
                  main_job < 60),
                 ("dbt model time of the fiche's marts / hand-written DuckDB", ratio, "<= 2",
                  ratio_met)]  # fmt: skip
        if "compiled_stored_cpu_s" in gap:
            sql = gap["compiled_stored_cpu_s"] / gap["baseline_cpu_s"]
            rows.append(("dbt's SQL for them, stored as dbt does, without dbt / hand-written "
                         "DuckDB (CPU; dbt's own cost per model not included)", sql, "<= 2",
                         sql <= 2))  # fmt: skip
    if loader:
        rate, peak = loader["lines_per_s"], loader["load"]["peak_rss_mib"]
        big = loader["raw_lines"] >= 20e6
        rows += [(f"loader, raw lines a second ({loader['raw_lines']:,} lines"
                  f"{'' if big else ', under the 20 million asked'})", rate, ">= 1,000,000",
                  rate >= 1e6),
                 ("loader peak memory (MiB)", peak, "< 2048", peak < 2048)]  # fmt: skip
    inc = results.get("incremental")
    if inc:
        share = inc["add_one_year"]["wall_s"] / inc["full_rebuild"]["wall_s"]
        years = int(inc["years"][-4:]) - int(inc["years"][:4])
        rows.append((f"adding one year to {years} / full rebuild (wall)", share, "< 0.20",
                     share < 0.2))  # fmt: skip
    dense = results.get("dense") or (loader and {**loader, "raw_rows": loader["raw_lines"]})
    if dense:
        per_year = dense["raw_rows"] / (1 + int(dense["years"][-4:]) - int(dense["years"][:4]))
        rows.append(
            (
                f"densest size, raw rows a year (estimate of a real year: "
                f"{ESTIMATED_LINES_PER_YEAR:,})",
                per_year,
                f">= {ESTIMATED_LINES_PER_YEAR:,}",
                per_year >= ESTIMATED_LINES_PER_YEAR,
            )
        )
    if _sizes(results):
        peak = max(r["peak_rss_mib"] for r in _sizes(results).values())
        rows.append(("peak memory of any DuckDB stage (MiB)", peak, "< 2048", peak < 2048))
    return [{"target": t, "measured": m, "goal": g, "met": ok} for t, m, g, ok in rows]


def _sizes(results: Results) -> dict[str, Results]:
    sizes = dict(results.get("growth", {}))
    if results.get("five_years"):
        sizes["5 years (default sample)"] = results["five_years"]
    if results.get("dense"):
        sizes[results["dense"]["label"]] = results["dense"]
    return sizes


def _met(met: bool | None) -> str:
    """yes, no, or not established (figures a busy machine made incomparable; see the notes)."""
    return {True: "yes", False: "**no**"}.get(met, "**not established**")  # type: ignore[arg-type]


def _number(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.2f}"


def _header(results: Results) -> list[str]:
    return [
        f"Measured {results['measured_at']} on {results['machine']} with `{results['command']}` "
        f"({results['duration_s'] / 60:.0f} min); median of {results['runs']} run(s) for the "
        "1- and 5-year samples, one for the other sizes. Load average (1, 5, 15 min) at start "
        f"{results['load_average_at_start']}, at end {results['load_average_at_end']}: the "
        "machine has 2 cores, and a load above 2 means other work inflated wall times.", "",
        "| target | measured | goal | met |", "| --- | --- | --- | --- |",
        *[f"| {r['target']} | {_number(r['measured'])} | {r['goal']} | "
          f"{_met(r['met'])} |" for r in results["targets"]],
        *[f"\nNote: {note}." for note in results.get("notes", [])],
        *_floor(results),
    ]  # fmt: skip


def _floor(results: Results) -> list[str]:
    """The main command's CPU time: on a busy machine the one figure its load does not inflate."""
    five = results.get("five_years")
    if not five:
        return []
    stages = five["stages"]
    cpu = sum(stages[n]["cpu_s"] for n in MAIN_STAGES if n in stages)
    lines = ["", f"The main command's stages used {cpu:.0f} CPU seconds on the 5-year sample "
             "when timed one by one: even with both cores free and always busy it cannot "
             f"take less than {cpu / 2:.0f} s."]  # fmt: skip
    whole = five.get("main_command")
    if whole:
        lines[-1] += (f" Timed whole (`trade build` in a fresh copy of the project), it took "
                      f"{whole['wall_s']:.1f} s and {whole['cpu_s']:.0f} CPU seconds, against "
                      f"{_stages_wall(five):.1f} s for its stages one after another.")  # fmt: skip
    return lines


def _dbt_gap(results: Results) -> list[str]:
    five, gap = results.get("five_years"), results.get("gap")
    if not five or not gap:
        return []
    base, temp, stored = gap["baseline_s"], gap["compiled_temp_s"], gap["compiled_stored_s"]
    dbt = dbt_model_time(five, gap)

    def cpu(key: str) -> str:
        return f"{gap[key]:.1f}" if key in gap else "n/a"

    return [
        "", "### dbt against hand-written DuckDB (5-year sample)", "",
        f"dbt build: {five['dbt_startup_s']:.1f} s of fixed start-up (parsing, connecting), "
        f"{five['dbt_models_s']:.1f} s of models, {five['dbt_tests_s']:.1f} s of data tests and "
        f"{five['dbt_unit_tests_s']:.1f} s of unit tests (summed over dbt's 2 threads).", "",
        "| the fiche's marts and the models they come from | wall s | CPU s | step |",
        "| --- | --- | --- | --- |",
        f"| hand-written SQL (scripts/bench/baseline.sql), one connection | {base:.1f} | "
        f"{cpu('baseline_cpu_s')} | |",
        f"| dbt's compiled SQL run straight in DuckDB, temporary tables | {temp:.1f} | "
        f"{cpu('compiled_temp_cpu_s')} | +{temp - base:.1f} s: the models compute more "
        "(columns, rows, steps) |",
        f"| the same, written as tables in the file as dbt does | {stored:.1f} | "
        f"{cpu('compiled_stored_cpu_s')} | +{stored - temp:.1f} s: materialisation |",
        f"| dbt's model time for them, one model at a time (run_results.json of "
        f"`dbt run --threads 1`) | {dbt:.1f} | n/a | +{dbt - stored:.1f} s: dbt's cost per "
        "model |",
        f"| the same models in the main build, two at a time on two cores (summed, each "
        f"including its wait for the other) | {five['dbt_core_models_s']:.1f} | n/a | not in "
        "the ratio |",
        f"| data and unit tests of those models | {five['dbt_core_tests_s']:.1f} | n/a | "
        "not in the ratio |",
        "", f"Rows differing between the baseline and the marts: {gap['rows_differing']}.",
    ]  # fmt: skip


def _loader(results: Results) -> list[str]:
    loader = results.get("loader")
    if not loader:
        return []
    load, bare, phases = loader["load"], loader["bare"], loader["phases_s"]
    checks = load["wall_s"] - bare["copy_s"]
    return [
        "", f"### Loader on {loader['raw_lines']:,} raw lines ({loader['years']}, detail "
        f"x{loader['detail']:g})", "",
        f"End to end {load['wall_s']:.1f} s ({loader['lines_per_s']:,.0f} lines a second), "
        f"{load['cpu_s']:.1f} s of CPU, peak {load['peak_rss_mib']:.0f} MiB. Its phases: "
        + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in phases.items()) + "; in CPU "
        "seconds (DuckDB's threads included; the wall times wait for a core on a busy machine): "
        + ", ".join(f"{name} {seconds:.1f}" for name, seconds in loader.get("phases_cpu_s", {})
                    .items()) + f", {loader['raw_lines'] / load['cpu_s']:,.0f} lines a CPU second. "
        f"DuckDB alone on the same lines: {bare['count_s']:.1f} s to read and count them "
        f"({loader['raw_lines'] / bare['count_s']:,.0f} a second), {bare['copy_s']:.1f} s to "
        f"read and store them in a new file. The loader's checks, lineage, audit and atomic "
        f"publication cost {checks:.1f} s on top of reading and storing "
        f"({load['wall_s'] / bare['copy_s']:.1f} times the bare copy)" + (
            f"; in CPU seconds {bare['count_cpu_s']:.1f} to count, {bare['copy_cpu_s']:.1f} to "
            f"store, against the loader's {load['cpu_s']:.1f} "
            f"({load['cpu_s'] / bare['copy_cpu_s']:.1f} times the bare copy)."
            if "copy_cpu_s" in bare else "."),
    ]  # fmt: skip


def _growth(results: Results) -> list[str]:
    one = results.get("growth", {}).get("1 year")
    ten = results.get("growth", {}).get("10 years") or results.get("five_years")
    lines = ["", "### Cost of one more year", ""]
    if one and ten:
        s = slope(one, ten)
        years = int(ten["years"][-4:]) - int(ten["years"][:4]) + 1
        lines.append(f"From 1 to {years} years: {s['s_per_year']:.1f} s of total wall time per "
                     f"additional year, {s['s_per_million_rows']:.1f} s per additional million "
                     f"raw rows ({years} years cost "
                     f"{ten['total_wall_s'] / one['total_wall_s']:.2f} times 1 year; total: "
                     "sample, load, dbt build, pages and Parquet export). In CPU seconds, which "
                     f"other work on the machine does not inflate: {s['cpu_s_per_year']:.1f} per "
                     f"additional year, {s['cpu_s_per_million_rows']:.1f} per additional million "
                     f"raw rows ({_total_cpu(one):.0f} for 1 year, {_total_cpu(ten):.0f} for "
                     f"{years}).")  # fmt: skip
    inc = results.get("incremental")
    if inc:
        add, full, dbt = inc["add_one_year"], inc["full_rebuild"], inc["add_dbt"]
        rest = add["wall_s"] - inc["copy_s"] - (inc["load_s"] or 0) - dbt["dbt_elapsed_s"]
        lines += ["", f"Adding {inc['years'][-4:]} to a warehouse of {inc['years'][:4]}-"
                  f"{int(inc['years'][-4:]) - 1}: {add['wall_s']:.1f} s (dbt "
                  f"{'incremental' if inc['incremental_build'] else 'full'}) against "
                  f"{full['wall_s']:.1f} s for a full rebuild "
                  f"({add['wall_s'] / full['wall_s']:.0%}; in CPU seconds {add['cpu_s']:.0f} "
                  f"against {full['cpu_s']:.0f}, {add['cpu_s'] / full['cpu_s']:.0%}). Of the "
                  "added year: "
                  f"{inc['copy_s']:.1f} s copying the warehouse file for the atomic swap, "
                  f"{inc['load_s'] or 0:.1f} s of raw load, {dbt['dbt_elapsed_s']:.1f} s of dbt "
                  f"run ({dbt['dbt_models_s']:.1f} s of models and {dbt['dbt_tests_s']:.1f} s "
                  f"of data tests, summed over 2 threads), {rest:.1f} s of dbt start-up and "
                  "Python start-ups."]  # fmt: skip
    return lines


def _stages(results: Results) -> list[str]:
    lines = ["", "| data | raw rows | stage | wall s | CPU s | peak RSS MiB |",
             "| --- | --- | --- | --- | --- | --- |"]  # fmt: skip
    for label, run in _sizes(results).items():
        for stage, m in run["stages"].items():
            lines.append(f"| {label} | {run['raw_rows']:,} | {stage} | {m['wall_s']:.1f} | "
                         f"{m['cpu_s']:.1f} | {m['peak_rss_mib']:.0f} |")  # fmt: skip
    return lines


def _engines(results: Results) -> list[str]:
    """DuckDB against Spark, size by size: the benchmark's Spark column."""
    sizes = {k: v for k, v in _sizes(results).items() if "spark_dbt_build" in v["stages"]}
    if not sizes:
        return ["", "Spark: not measured in this run (`--spark` needs `make setup-spark`)."]
    lines = [
        "", "### DuckDB against Spark on the same raw rows", "",
        "Spark: local, dbt-spark session method, one run; each dbt command includes Spark's "
        f"start-up. DuckDB is comfortable while raw load + dbt build take under "
        f"{COMFORT_SECONDS:.0f} s and {COMFORT_MIB:.0f} MiB.", "",
        "| data | raw rows | DuckDB raw load s | DuckDB dbt build s | DuckDB peak MiB | "
        "DuckDB comfortable | Spark raw to Parquet + register s | Spark dbt build s | "
        "Spark peak MiB |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]  # fmt: skip
    for label, run in sizes.items():
        st = run["stages"]
        duck_s = st["raw_load"]["wall_s"] + st["dbt_build"]["wall_s"]
        duck_mib = max(st["raw_load"]["peak_rss_mib"], st["dbt_build"]["peak_rss_mib"])
        ok = duck_s < COMFORT_SECONDS and duck_mib < COMFORT_MIB
        spark_raw = st["spark_raw_to_parquet"]["wall_s"] + st["spark_register_raw"]["wall_s"]
        spark_mib = max(st[n]["peak_rss_mib"] for n in st if n.startswith("spark_"))
        lines.append(f"| {label} | {run['raw_rows']:,} | {st['raw_load']['wall_s']:.1f} | "
                     f"{st['dbt_build']['wall_s']:.1f} | {duck_mib:.0f} | "
                     f"{'yes' if ok else f'**no** ({duck_s:.0f} s)'} | {spark_raw:.1f} | "
                     f"{st['spark_dbt_build']['wall_s']:.1f} | {spark_mib:.0f} |")  # fmt: skip
    return lines


def markdown(results: Results) -> str:
    """The whole report: targets, where the time goes, every stage, Spark."""
    missed = [r["target"] for r in results["targets"] if r["met"] is not True]
    lines = _header(results)
    if missed:
        lines += ["", "Missed or not established: " + "; ".join(missed) + ". What limits each is "
                  "measured below "
                  "and explained in docs/benchmarks.md."]  # fmt: skip
    for name, error in results.get("errors", {}).items():
        lines += ["", f"**The {name} measure failed**, so its figures are missing: `{error}`"]
    lines += [*_dbt_gap(results), *_loader(results), *_growth(results), "", "### Every stage",
              *_stages(results), *_engines(results)]  # fmt: skip
    return "\n".join(lines) + "\n"
