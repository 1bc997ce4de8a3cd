"""The README's quick-start commands are the ones CI runs."""

from __future__ import annotations

import re

from tests.corpus import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def quick_start_commands() -> list[str]:
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", quick_start)


def test_quick_start_has_two_commands_run_and_test() -> None:
    run, test = quick_start_commands()[:2]
    assert run.endswith("python -m bot")
    assert "pytest" in test


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert quick_start_commands()[1] in ci.splitlines()
