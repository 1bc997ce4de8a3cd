"""Scene-break marks: short lines of marks only (shared by every format)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.library.breaks import MAX_BREAK_CHARS, is_scene_break


@pytest.mark.parametrize(
    "line",
    ["* * *", "*       *       *       *       *", "---", "~~~", "###", "o0o", "xxx", "X X X",
     "<hr>", "\u00a0", "        * * *", "-" * 72],
)  # fmt: skip
def test_break_marks(line: str) -> None:
    assert is_scene_break(line)


@pytest.mark.parametrize(
    "line",
    ["x" * 9000, "*" * (MAX_BREAK_CHARS + 1), "* * * and then she left", "xxx marks the spot",
     "* * *\n* * *"],
)  # fmt: skip
def test_text_is_no_break(line: str) -> None:
    assert not is_scene_break(line)


@given(st.sampled_from("x*-~#="), st.integers(min_value=MAX_BREAK_CHARS + 1, max_value=20_000))
def test_a_long_run_of_one_mark_is_text(mark: str, length: int) -> None:
    assert not is_scene_break(mark * length)


def test_a_file_of_one_long_run_of_x_holds_text() -> None:
    from bot.library.documents import parse_document

    document = parse_document("x.txt", b"x" * 9000)
    assert [p.text for c in document.chapters for s in c.scenes for p in s] == ["x" * 9000]
