"""The project's one command, ``trade``, with one subcommand per job.

Why one command: a newcomer types ``trade --help`` and sees every job the
project can do, in the order data flows, instead of guessing module paths.
Each subcommand hands its arguments to the ``main`` of the module that does
the job, so ``trade load --help`` shows that module's own options, and
``python -m scripts.ingest.load`` keeps working for anyone who prefers it.
Modules are imported only when their subcommand runs, so ``trade --help``
stays instant and a missing optional dependency (PySpark) only matters to
the job that needs it.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable

# name -> (module whose main() runs the job, one line for --help), in data-flow order.
COMMANDS: dict[str, tuple[str, str]] = {
    "build": (
        "scripts.pipeline.build",
        "everything: sample (by default), raw load, dbt build, report pages",
    ),
    "download": ("scripts.ingest.download", "fetch the customs' published files"),
    "sample": ("scripts.sample.generate", "write the synthetic sample in the customs' layouts"),
    "load": ("scripts.ingest.load", "check and load customs files into the raw schema"),
    "seeds": ("scripts.reference.seeds", "rebuild the reference seeds from the customs annexes"),
    "territoires": (
        "scripts.reference.territoires_industrie",
        "rebuild the Territoires d'industrie seed from the ANCT's list",
    ),
    "render": ("scripts.report.render", "render the report pages from the marts"),
    "export": ("scripts.pipeline.parquet", "export the marts as Parquet files"),
    "spark-raw": ("scripts.pipeline.spark", "register the raw tables in a local Spark"),
    "bench": ("scripts.bench.benchmark", "time the stages against a hand-written baseline"),
}


def usage() -> str:
    """The top-level help: every job, one line each."""
    width = max(len(name) for name in COMMANDS)
    lines = [
        "usage: trade <command> [options]",
        "",
        "French foreign trade by territory: DuckDB + dbt warehouse and report pages.",
        "",
        "commands:",
    ]
    lines += [f"  {name.ljust(width)}  {summary}" for name, (_, summary) in COMMANDS.items()]
    lines += ["", "`trade <command> --help` lists a command's options."]
    return "\n".join(lines)


def job(name: str) -> Callable[[list[str]], int]:
    """The ``main`` function of a subcommand's module."""
    module_name, _ = COMMANDS[name]
    return importlib.import_module(module_name).main


def main(argv: list[str] | None = None) -> int:
    """Dispatch ``trade <command> ...`` to the job's own argument parser."""
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in {"-h", "--help", "help"}:
        print(usage())
        return 0
    name, rest = args[0], args[1:]
    if name not in COMMANDS:
        print(f"trade: unknown command {name!r}\n\n{usage()}", file=sys.stderr)
        return 2
    # argparse in the job names itself after sys.argv[0]; make it say "trade load".
    sys.argv = [f"trade {name}", *rest]
    return job(name)(rest)


if __name__ == "__main__":
    raise SystemExit(main())
