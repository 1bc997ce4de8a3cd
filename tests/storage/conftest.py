"""Fixtures of the storage tests: making a file or folder read-only for real."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ReadOnly = Callable[[Path], None]


def _run(*command: str | Path) -> None:
    subprocess.run([str(part) for part in command], check=True)


@pytest.fixture
def make_read_only() -> Iterator[ReadOnly]:
    """`make_read_only(path)`: the file or folder cannot be written, for real, until the test
    ends. As root, permission bits do not stop writes, so root sets the immutable flag
    (chattr +i); the test is skipped when that is not allowed here."""
    undo: list[Callable[[], None]] = []

    def read_only(path: Path) -> None:
        if os.geteuid() != 0:
            mode = path.stat().st_mode
            path.chmod(0o555 if path.is_dir() else 0o444)
            undo.append(lambda: path.chmod(mode))
            return
        chattr = shutil.which("chattr")
        if chattr is None:
            pytest.skip("running as root without chattr: cannot make a file read-only")
        result = subprocess.run([chattr, "+i", str(path)], capture_output=True, check=False)
        if result.returncode != 0:
            pytest.skip(f"running as root and chattr +i is refused here: {result.stderr!r}")
        undo.append(lambda: _run(chattr, "-i", path))

    yield read_only
    for step in reversed(undo):
        step()
