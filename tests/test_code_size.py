"""Size limits as a test: no module in scripts/ over 400 lines, no function over 60.

Why: a newcomer should be able to read a module in one sitting and a
function on one screen (issue #14). Measured with :mod:`ast` (a function's
lines run from its ``def``, decorators excluded, to its last statement).
The modules and functions that still exceed the limits are listed below by
name, each with the reason it has not been cut yet; the test fails when a new
one appears, when a listed one grows, and when a listed one has been cut
below the limit (so that the list only shrinks).
"""

from __future__ import annotations

import ast
from pathlib import Path

from scripts.paths import PROJECT_DIR

SCRIPTS = PROJECT_DIR / "scripts"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
# Modules and functions still over the limits, each with the reason it has not
# been cut: none left (issue #14). A new entry needs its reason.
# path relative to scripts/ -> (lines today, reason)
LONG_MODULES: dict[str, tuple[int, str]] = {}
# "path:function" -> (lines today, reason)
LONG_FUNCTIONS: dict[str, tuple[int, str]] = {}


def measure(root: Path = SCRIPTS) -> tuple[dict[str, int], dict[str, int]]:
    """Lines of every module, and of every function (methods and nested ones included)."""
    modules: dict[str, int] = {}
    functions: dict[str, int] = {}
    for path in sorted(root.rglob("*.py")):
        name = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        modules[name] = len(text.splitlines())
        for node in ast.walk(ast.parse(text, filename=str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                key = f"{name}:{node.name}"
                size = node.end_lineno - node.lineno + 1 if node.end_lineno else 1
                functions[key] = max(functions.get(key, 0), size)
    return modules, functions


def over(sizes: dict[str, int], limit: int, allowed: dict[str, tuple[int, str]]) -> list[str]:
    """The entries over ``limit`` that are not allowed, or larger than allowed, or stale."""
    problems = []
    for name, size in sorted(sizes.items()):
        if size > limit and name not in allowed:
            problems.append(f"{name}: {size} lines (limit {limit})")
        elif name in allowed and size > allowed[name][0]:
            problems.append(f"{name}: grew to {size} lines (listed at {allowed[name][0]})")
    for name, (listed, _) in sorted(allowed.items()):
        if sizes.get(name, 0) <= limit:
            problems.append(f"{name}: within {limit} lines now (listed at {listed}): unlist it")
    return problems


def test_the_measure_sees_modules_and_functions() -> None:
    modules, functions = measure()
    assert modules["report/content.py"] > 0
    assert "report/render.py:render_site" in functions


def test_no_module_over_400_lines() -> None:
    modules, _ = measure()
    assert over(modules, MAX_MODULE_LINES, LONG_MODULES) == []


def test_no_function_over_60_lines() -> None:
    _, functions = measure()
    assert over(functions, MAX_FUNCTION_LINES, LONG_FUNCTIONS) == []


def test_the_check_flags_a_long_function(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    (tmp_path / "long.py").write_text(f"def long():\n{body}\n", encoding="utf-8")
    _, functions = measure(tmp_path)
    assert over(functions, MAX_FUNCTION_LINES, {}) == [
        f"long.py:long: {MAX_FUNCTION_LINES + 1} lines (limit {MAX_FUNCTION_LINES})"
    ]
