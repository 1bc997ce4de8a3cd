from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from bot.library.errors import EmptyLibrary
from bot.library.loader import load_library, load_story, story_id_for
from tests.corpus import REPO_ROOT, SEED
from tests.library.invariants import assert_story_invariants


def test_bad_files_are_skipped_with_one_line_each_and_others_load(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "good.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" * 50)
    (tmp_path / "preface-only.txt").write_text("Work Header\n\nTitle\n\nWork Text:\n\n")
    (tmp_path / "latin.txt").write_bytes("Un café crème, s'il vous plaît.".encode("latin-1"))
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")  # not a story file: ignored
    (tmp_path / ".hidden.txt").write_text("secret")
    with caplog.at_level(logging.INFO, logger="bot.library.loader"):
        library, skipped = load_library(tmp_path)
    assert sorted(story.id for story in library) == ["good", "latin"]
    assert {s.name: s.reason for s in skipped} == {
        "binary.txt": "it looks like a binary file, not text",
        "empty.txt": "it is empty",
        "preface-only.txt": "it holds no story text after its preface",
    }
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 3
    assert all(w.startswith("Skipping ") for w in warnings)
    latin = library.get("latin")
    assert latin.encoding == "cp1252"
    assert latin.scenes[0].paragraphs[0].text == "Un café crème, s'il vous plaît."
    assert any("latin.txt" in r.getMessage() and "cp1252" in r.getMessage() for r in caplog.records)


def test_no_usable_story_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"   \n")
    with pytest.raises(EmptyLibrary, match=r"No usable story in .*empty\.txt: it is empty"):
        load_library(tmp_path)
    with pytest.raises(EmptyLibrary, match="does not exist"):
        load_library(tmp_path / "missing")


def test_a_ten_megabyte_single_paragraph_loads_whole(tmp_path: Path) -> None:
    sentence = "A sentence that goes on and on, and never, ever ends. "
    path = tmp_path / "huge.txt"
    path.write_text(sentence * (10_000_000 // len(sentence)))
    story = load_story(path)
    assert len(story.scenes) == 1
    assert len(story.scenes[0].paragraphs) == 1
    assert story.page_count >= 10_000_000 // 4096
    assert_story_invariants(story)


def test_duplicate_ids_keep_the_first(tmp_path: Path) -> None:
    (tmp_path / "tale.txt").write_text("First.")
    (tmp_path / "Tale!.txt").write_text("Second.")
    library, skipped = load_library(tmp_path)
    assert len(library) == 1
    assert skipped[0].reason.startswith("its id 'tale' is taken")


@pytest.mark.parametrize(
    ("name", "story_id"),
    [
        ("lay-your-heart-bare.txt", "lay-your-heart-bare"),
        ("My Story (v2).TXT", "my-story-v2"),
        ("ÉTÉ.txt", "t"),
        ("!!!.txt", "story"),
        ("a" * 80 + ".txt", "a" * 40),
        (
            "ao3-23009290-my-aim-is-steady-and-true.download.html",
            "ao3-23009290-my-aim-is-steady-and-true",
        ),
        ("x-" + "b" * 60 + ".txt", "x-" + "b" * 38),
    ],
)
def test_story_ids_are_short_slugs(name: str, story_id: str) -> None:
    assert story_id_for(Path(name)) == story_id


def test_the_library_core_never_imports_discord() -> None:
    code = (
        "import sys, bot.library.loader, bot.library.quotes, bot.library.stats\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'discord'], 'discord imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO_ROOT)
