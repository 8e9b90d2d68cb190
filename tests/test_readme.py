"""The README's two commands: present at the top, and the test command is what CI runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text, flags=re.S)


def test_readme_starts_with_the_demo_and_the_test_command() -> None:
    demo, tests = _commands()[:2]
    assert "pip install" in demo and "planner demo" in demo
    assert "pip install" in tests and "pytest" in tests
    assert demo.startswith("python3.11 -m venv") and tests.startswith("python3.11 -m venv")


def test_ci_runs_the_readme_test_command() -> None:
    tests = _commands()[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci.splitlines()
