"""A dbt process started before the raw load, told to build once the load is done.

Why: importing dbt (about 2 s) and parsing the project (1.5 s with dbt's
partial parse, 7 s in a fresh clone) depend on no data, yet the main job paid
them after the load (issue #17). :class:`DbtChild` starts this module as a
child process when the build starts; the child imports dbt and parses the
project with dbt's programmatic API while the parent generates the sample and
loads the raw files, then waits for ONE JSON line on its standard input:
``{"args": [...], "env": {...}}`` runs ``dbt build`` with these arguments and
the manifest already parsed, after setting (a null value: removing) these
environment variables (dbt reads ``env_var()`` from the environment of each
invocation); anything else, or the end of the input, makes it exit without
building. Its exit status is the build's: 0 success, 1 dbt failed (dbt printed
why), 2 an exception (printed here).

The child still opens the warehouse only when told to build (dbt parse does not
connect), so it holds no lock while the loader writes the file, and being a
separate process it closes dbt's DuckDB connection before the parent moves the
file into place. The parse needs the build's profile (its warehouse path is
part of it), so the child is started with the environment of the build; when
the build's extra dbt options are not all known (see :func:`parse_arguments`)
the child does not pre-parse and the build parses itself, as a plain ``dbt
build`` does, so that an unexpected option never builds from a stale parse.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

#: Options that change what dbt parses or where it keeps its parse (each takes a value).
PARSE_OPTIONS = frozenset({"--target-path", "--log-path", "--vars", "--target", "-t",
                           "--profile", "--threads"})  # fmt: skip
#: Options that only choose what the build runs (followed by zero or more values).
RUN_OPTIONS = frozenset({"--select", "-s", "--exclude", "--full-refresh", "--fail-fast", "-x",
                         "--exclude-resource-type", "--resource-type",
                         "--indirect-selection"})  # fmt: skip
#: The parse prints only warnings and errors: the build prints its own start-up lines.
QUIET_PARSE = ("--log-level", "warn", "--log-level-file", "debug")


def parse_arguments(dbt_args: Sequence[str]) -> list[str] | None:
    """The options of ``dbt_args`` a ``dbt parse`` must share with the build; None if unsure.

    None when an option is neither in :data:`PARSE_OPTIONS` nor in
    :data:`RUN_OPTIONS`: it might change the parse, so the build parses itself.
    """
    kept: list[str] = []
    tokens = list(dbt_args)
    while tokens:
        option = tokens.pop(0)
        name = option.split("=", 1)[0]
        if name in PARSE_OPTIONS:
            kept.append(option)
            if "=" not in option:
                if not tokens:
                    return None
                kept.append(tokens.pop(0))
        elif name in RUN_OPTIONS:
            while tokens and not tokens[0].startswith("-"):
                tokens.pop(0)
        else:
            return None
    return kept


class DbtChild:
    """The parent's handle on the child: start it, then build once or cancel it.

    A context manager: leaving it cancels a child never told to build, so an
    error before the build (a refused load) leaves no process behind.
    """

    def __init__(self, process: subprocess.Popen[bytes], key: tuple[Path, tuple[str, ...]],
                 fingerprint: str = "") -> None:  # fmt: skip
        self.process = process
        self.key = key  # the warehouse and dbt options it was started for
        # the project's fingerprint taken before the child read the project (see build.py)
        self.fingerprint = fingerprint

    @classmethod
    def start(cls, command: Sequence[str], warehouse: Path, dbt_args: Sequence[str],
              project_dir: Path, fingerprint: str = "") -> DbtChild:  # fmt: skip
        """Start the child for a build of ``warehouse`` with the extra ``dbt_args``.

        ``command`` is the parse's (``parse`` and the project's options); the
        options of ``dbt_args`` it needs are added here, and when they cannot
        be told (:func:`parse_arguments` returns None) the child only imports dbt.
        """
        env = {**os.environ, "TRADE_WAREHOUSE_PATH": str(warehouse)}
        env.pop("TRADE_CHANGED_YEARS", None)
        shared = parse_arguments(dbt_args)
        argv = ["--no-parse"] if shared is None else [*command, *QUIET_PARSE, *shared]
        process = subprocess.Popen(
            [sys.executable, "-m", "scripts.pipeline.dbt_child", *argv],
            cwd=project_dir, env=env, stdin=subprocess.PIPE,
        )  # fmt: skip
        return cls(process, (warehouse, tuple(dbt_args)), fingerprint)

    def build(self, args: Sequence[str], env: Mapping[str, str | None]) -> int:
        """Tell the child to run ``dbt build`` with ``args``; its exit status."""
        assert self.process.stdin is not None
        if self.process.stdin.closed:  # told or cancelled already: it builds once at most
            return self.process.wait()
        message = json.dumps({"args": list(args), "env": dict(env)}) + "\n"
        try:
            self.process.stdin.write(message.encode("utf-8"))
            self.process.stdin.close()
        except BrokenPipeError:  # it already stopped: its status says why
            pass
        return self.process.wait()

    def cancel(self) -> None:
        """Stop the child if it still runs: before its build order (no need to wait for the
        end of its parse) or during its build (the parent was interrupted: the build's
        result will not be used). After a build it has ended, and this only reaps it."""
        if self.process.poll() is None:
            self.process.terminate()
        if self.process.stdin and not self.process.stdin.closed:
            self.process.stdin.close()
        self.process.wait()

    def __enter__(self) -> DbtChild:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:  # fmt: skip
        self.cancel()


def run_child(argv: list[str]) -> int:
    """The child's side: parse (unless ``--no-parse``), wait for the build order, build."""
    from dbt.cli.main import dbtRunner  # the slow import this process exists for

    manifest = None
    if argv != ["--no-parse"]:
        parsed = dbtRunner().invoke(argv)
        # a failed parse is not reported here: the build then parses itself and says why
        manifest = parsed.result if parsed.success else None
    line = sys.stdin.readline()
    order = json.loads(line) if line.strip() else {}
    if not isinstance(order, dict) or "args" not in order:
        return 0  # cancelled: nothing built
    for name, value in order.get("env", {}).items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    result = dbtRunner(manifest=manifest).invoke(order["args"])
    if result.exception is not None:
        print(f"dbt build failed: {result.exception!r}", file=sys.stderr)
        return 2
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(run_child(sys.argv[1:]))
