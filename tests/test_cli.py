"""The one command: `trade` is declared, lists every job, and each job answers --help."""

from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest

from scripts import cli
from scripts.paths import PROJECT_DIR


def test_pyproject_declares_the_trade_command() -> None:
    project = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())["project"]
    assert project["scripts"] == {"trade": "scripts.cli:main"}


def test_help_lists_every_job(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([]) == 0
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines() if line[:2] == "  "]
    assert listed == list(cli.COMMANDS)


@pytest.mark.parametrize("name", list(cli.COMMANDS))
def test_each_job_answers_help_under_its_trade_name(name: str) -> None:
    """Run as a user would: a child process, so argparse exits and prints its usage."""
    code = f"import sys; from scripts import cli; sys.exit(cli.main([{name!r}, '--help']))"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_DIR, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"usage: trade {name}"), done.stdout[:200]


def test_unknown_job_is_refused_with_the_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["frobnicate"]) == 2
    err = capsys.readouterr().err
    assert "unknown command 'frobnicate'" in err
    assert "render" in err
