"""`python -m bot texts`: what an admin sees before serving a text."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from bot.library.loader import load_story
from bot.library.places import place_line
from bot.texts_cli import main
from tests.corpus import SEED, corpus_dir


def run(argv: list[str], texts: Path) -> tuple[int, str]:
    out = io.StringIO()
    return main(argv, texts, out), out.getvalue()


def test_lists_each_text_and_exits_0_when_all_are_fine(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path)
    status, out = run([], tmp_path)
    assert status == 0
    header, row = out.splitlines()[:2]
    assert header.split()[:3] == ["FILE", "FORMAT", "TITLE"]
    assert row.split()[:2] == ["lay-your-heart-bare.txt", "ao3-workpage"]
    assert "Lay Your Heart Bare" in row
    assert row.split()[-3:] == ["5", "6", "2,785"]  # scenes, pages, words
    assert "1 file(s), 0 problem(s)" in out


def test_problems_are_listed_and_make_the_status_non_zero(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path)
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "only-preface.txt").write_text("Work Header\n\nTitle\n\nWork Text:\n")
    status, out = run([], tmp_path)
    assert status == 1
    assert "problem: empty.txt: it is empty" in out
    assert "problem: only-preface.txt: it holds no story text after its preface" in out
    assert "3 file(s), 2 problem(s)" in out


def test_show_prints_the_pages_exactly_as_paged(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path)
    status, out = run(["show", "lay-your-heart-bare", "--scene", "3"], tmp_path)
    assert status == 0
    assert "===== Scene 3/5 · Page 1/2 (3275 characters) =====" in out
    assert "===== Scene 3/5 · Page 2/2 (3479 characters) =====" in out
    first, second = out.split("===== Scene 3/5 · Page 2/2")
    assert first.rstrip().endswith("Derek listens.")
    assert second.split("\n", 2)[1].startswith('"You ran as soon as Peter killed Laura, right?')


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["show", "nope"], "No story 'nope'"),
        (["show", "lay-your-heart-bare", "--scene", "9"], "--scene must be between 1 and 5"),
    ],
)
def test_show_explains_bad_requests(tmp_path: Path, argv: list[str], message: str) -> None:
    shutil.copy(SEED, tmp_path)
    status, out = run(argv, tmp_path)
    assert status == 1
    assert message in out


@pytest.mark.corpus
@pytest.mark.skipif(not (corpus_dir() / "gutenberg").is_dir(), reason="corpus not present")
def test_war_and_peace_shows_365_chapters_in_17_parts(tmp_path: Path) -> None:
    for name in ("pg2600-war-and-peace.txt", "pg345-dracula.txt"):
        shutil.copy(corpus_dir() / "gutenberg" / name, tmp_path)
    status, out = run([], tmp_path)
    assert status == 0
    rows = {line.split()[0]: line for line in out.splitlines()[1:3]}
    assert "365 in 17 parts" in rows["pg2600-war-and-peace.txt"]
    assert rows["pg345-dracula.txt"].split()[-4] == "27"


BOOKS = Path(__file__).resolve().parents[1] / "fixtures" / "books"
FORMATS = Path(__file__).resolve().parents[1] / "fixtures" / "formats"


@pytest.mark.parametrize(
    ("folder", "reason"),
    [
        ("empty", "No usable story in {path} (no story files found)."),
        ("missing", "The texts folder {path} does not exist."),
        ("file", "The texts folder {path} is a file, not a folder."),
    ],
)
def test_a_folder_that_gives_nothing_to_serve_exits_1_with_the_bots_reason(
    tmp_path: Path, folder: str, reason: str
) -> None:
    path = tmp_path / folder
    if folder == "empty":
        path.mkdir()
    elif folder == "file":
        path.write_text("not a folder")
    for argv in ([], ["show", "anything"], ["structure", "anything"]):
        status, out = run(argv, path)
        assert status == 1
        assert out.strip() == reason.format(path=path)


def test_a_folder_of_unusable_files_lists_them_then_gives_the_bots_reason(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    status, out = run([], tmp_path)
    assert status == 1
    assert "problem: empty.txt: it is empty" in out
    assert out.rstrip().endswith(f"No usable story in {tmp_path} (empty.txt: it is empty).")


def test_help_keeps_the_usage_lines_apart(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"], Path("texts"))
    shown = capsys.readouterr().out
    assert "\n    python -m bot texts                          # every text" in shown
    assert "\n    python -m bot texts structure STORY " in shown
    assert "\n    python -m bot texts show STORY [--scene N]" in shown


def test_structure_shows_parts_and_chapters(tmp_path: Path) -> None:
    shutil.copy(FORMATS / "gutenberg_partie.txt", tmp_path / "moulin.txt")
    status, out = run(["structure", "moulin"], tmp_path)
    assert status == 0
    assert out.splitlines() == [
        "Les Saisons du Moulin — 3 chapters in 2 parts, 62 words",
        "Première Partie",
        "      1. I  (19 words)",
        "      2. II  (21 words)",
        "Deuxième Partie",
        "      3. I  (22 words)",
    ]


@pytest.mark.skipif(not BOOKS.is_dir(), reason="the book fixtures are absent")
def test_what_looks_wrong_is_flagged(tmp_path: Path) -> None:
    shutil.copy(BOOKS / "pg8789-the-vision-of-hell.txt", tmp_path / "hell.txt")
    status, out = run([], tmp_path)
    assert status == 1  # the contents list names a canto the text lacks: a problem
    assert (
        "problem: hell.txt: the contents list names headings not found in the text: canto 27" in out
    )
    assert "check: hell.txt: 'Canto XVII' follows 'Canto XXVI': headings out of sequence" in out
    status, out = run(["structure", "hell"], tmp_path)
    assert status == 0
    assert "   27. Canto XVII  (" in out
    assert "check: 'Canto XXVIII' follows 'Canto XVII': headings out of sequence" in out


def test_show_names_pages_exactly_as_the_bot_does(tmp_path: Path) -> None:
    """A Markdown chapter titled `# Chapter One: The Storm` is "Chapter One: The Storm" in
    both (it once came out as "Chapter 1: Chapter One: The Storm" here)."""
    (tmp_path / "storm.md").write_text(
        "# Chapter One: The Storm\n\nRain fell on the roof all night long.\n\n"
        "# Chapter Two\n\nMorning came grey and cold.\n",
        encoding="utf-8",
    )
    status, out = run(["show", "storm"], tmp_path)
    assert status == 0
    story = load_story(tmp_path / "storm.md")
    for page in story.pages:
        assert f"===== {place_line(story, page)} (" in out
    assert "===== Chapter One: The Storm · Scene 1/1 · Page 1/1 (" in out
    assert "Chapter 1: Chapter One" not in out


def test_two_stories_of_one_title_are_warned_about(tmp_path: Path) -> None:
    for name, author in (("emma.md", "Jane Austen"), ("emma-2.md", "A. Fan")):
        (tmp_path / name).write_text(
            f"---\ntitle: Emma\nauthor: {author}\n---\n\nEmma Woodhouse, handsome and clever.\n",
            encoding="utf-8",
        )
    status, out = run([], tmp_path)
    assert status == 0  # a warning: the bot serves both, told apart
    [warning] = [line for line in out.splitlines() if "warning:" in line]
    assert "2 stories are titled “Emma”" in warning
    assert "“Emma — Jane Austen”" in warning
    assert "“Emma — A. Fan”" in warning
