"""Every bundled text and format fixture loads cleanly (modelled on Red's `test_trivia_lists`).

One test collects every problem of every file, then fails once with the whole list.
"""

from __future__ import annotations

from pathlib import Path

from bot.library.errors import UnusableText
from bot.library.loader import load_story, story_files
from tests.corpus import REPO_ROOT, TEXTS_DIR
from tests.library.invariants import assert_story_invariants

FIXTURES_DIR = REPO_ROOT / "tests" / "fixtures" / "formats"


def bundled_files() -> list[Path]:
    return story_files(TEXTS_DIR) + story_files(FIXTURES_DIR)


def problems_of(path: Path) -> list[str]:
    try:
        story = load_story(path)
    except UnusableText as error:
        return [f"refused: {error.reason}"]
    except Exception as error:  # a parser bug: report it with the others
        return [f"crashed: {type(error).__name__}: {error}"]
    found = [f"parser: {problem}" for problem in story.problems]
    if not story.title.strip():
        found.append("no title")
    if not story.chapters or not story.scenes:
        found.append("no chapters or scenes")
    for chapter in story.chapters:
        if chapter.scene_count < 1:
            found.append(f"chapter {chapter.index + 1} has no scene")
    try:
        assert_story_invariants(story)
    except AssertionError as error:
        found.append(f"nothing-lost invariant: {error}")
    return found


def test_every_bundled_text_and_fixture_loads() -> None:
    files = bundled_files()
    assert any(path.parent == TEXTS_DIR for path in files), "no bundled text found"
    assert len(files) >= 2
    problems = [
        f"{path.relative_to(REPO_ROOT)}: {problem}"
        for path in files
        for problem in problems_of(path)
    ]
    assert not problems, "bundled texts with problems:\n" + "\n".join(problems)
