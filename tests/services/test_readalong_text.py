"""What a read-along says: post titles, thread names, the word to a reader who is behind."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.library.model import ChapterSource, Document, Paragraph, Story, StoryMetadata
from bot.library.parts import Part, PartRule, cut_parts
from bot.library.render import discord_length, unescape
from bot.library.story import build_story
from bot.library.wording import ELLIPSIS
from bot.services.readalong import Status
from bot.services.readalong_text import (
    POST_TITLE_LIMIT,
    THREAD_NAME_LIMIT,
    behind_message,
    late_notice,
    length_label,
    part_post_title,
    thread_name,
)
from bot.services.schedule import Schedule
from bot.storage.records import PartPost, ReadAlong

CONTENT_LIMIT = 2000  # Discord's limit on a message's text


def story_of(title: str, chapters: list[tuple[str | None, list[int]]]) -> Story:
    """Chapters of scenes, each scene `pages` pages of one 40-word paragraph each."""
    paragraph = Paragraph(" ".join(["word"] * 40))
    sources = tuple(
        ChapterSource(name, tuple((paragraph,) * pages for pages in scenes))
        for name, scenes in chapters
    )
    return build_story("s", Document(StoryMetadata(title), sources, format="text"), limit=300)


@pytest.fixture
def story() -> Story:
    # Parts by chapter: pages 0-1, 2-6 and 7-10.
    return story_of(
        "The *Flood* Year",
        [("Chapter 1: Morning", [1, 1]), ("Chapter 2: Riversong", [2, 3]), ("Epilogue", [4])],
    )


@pytest.fixture
def parts(story: Story) -> tuple[Part, ...]:
    return cut_parts(story, PartRule("chapter"))


def part(number: int, title: str, minutes: int = 12) -> Part:
    return Part(number, 0, 3, title, minutes, minutes * 238)


@pytest.mark.parametrize(
    ("given_part", "title"),
    [
        (
            part(3, "Chapter 2: Riversong · Scene 1"),
            "Part 3 · Chapter 2: Riversong · Scene 1 · about 12 min",
        ),
        (part(1, "The whole story", 1), "Part 1 · The whole story · about 1 min"),
        (part(12, "Scenes 3–5", 0), "Part 12 · Scenes 3–5 · under a minute"),
        (
            part(2, "Chapter 4: *Bold* _moves_"),
            r"Part 2 · Chapter 4: \*Bold\* \_moves\_ · about 12 min",
        ),
    ],
)
def test_a_posts_title_names_the_part_where_it_is_and_its_length(
    given_part: Part, title: str
) -> None:
    assert part_post_title(given_part) == title


@given(st.text(min_size=1, max_size=400), st.integers(1, 9999), st.integers(0, 240))
def test_a_posts_title_fits_an_embed_title_after_escaping(
    title: str, number: int, minutes: int
) -> None:
    made = part_post_title(part(number, title, minutes))
    assert discord_length(made) <= POST_TITLE_LIMIT
    prefix, suffix = f"Part {number} · ", f" · {length_label(minutes)}"
    assert made.startswith(prefix)
    assert made.endswith(suffix)
    shown = unescape(made[len(prefix) : len(made) - len(suffix)])
    assert shown == title or (shown.endswith(ELLIPSIS) and title.startswith(shown[:-1]))


def test_a_title_of_markdown_is_cut_whole_escapes_only() -> None:
    made = part_post_title(part(1, "*" * 300))
    assert discord_length(made) <= POST_TITLE_LIMIT
    assert "\\*…" in made  # the cut falls between escapes, never inside one
    assert "\\…" not in made


@given(st.integers(1, 10**6))
def test_a_threads_name_is_the_parts_number_only(number: int) -> None:
    name = thread_name(part(number, "Chapter 9: The Twist Revealed"))
    assert name == f"Part {number} · discussion"
    assert len(name) <= THREAD_NAME_LIMIT


@pytest.mark.parametrize(
    ("place", "expected"),
    [
        (
            None,
            "You still have 7 pages to go, about 2 minutes of reading, before the end of Part 2 "
            "(Chapter 2: Riversong). You have not started “The \\*Flood\\* Year” yet.",
        ),
        (
            1,
            "You still have 6 pages to go, about 2 minutes of reading, before the end of Part 2 "
            "(Chapter 2: Riversong). You are at chapter 1, scene 2, page 1.",
        ),
        (
            6,
            "You still have 1 page to go, about 1 minute of reading, before the end of Part 2 "
            "(Chapter 2: Riversong). You are at chapter 2, scene 2, page 3.",
        ),
    ],
)
def test_a_reader_who_is_behind_is_told_how_far_they_have_to_go(
    story: Story, parts: tuple[Part, ...], place: int | None, expected: str
) -> None:
    message = behind_message(story, parts[1], place)
    first, last = message.split("\n")
    assert first == expected
    assert last == "Read on from your place: you join the discussion once you finish the part."


@pytest.mark.parametrize(
    ("discussing", "line"),
    [
        (0, None),
        (1, "1 reader is discussing it already."),
        (5, "5 readers are discussing it already."),
        (1200, "1,200 readers are discussing it already."),
    ],
)
def test_a_reader_who_is_behind_sees_how_many_are_discussing(
    story: Story, parts: tuple[Part, ...], discussing: int, line: str | None
) -> None:
    lines = behind_message(story, parts[1], 3, discussing=discussing).split("\n")
    assert len(lines) == (3 if line else 2)
    if line:
        assert lines[1] == line


@pytest.mark.parametrize("place", [7, 10])
def test_a_reader_past_the_part_is_told_the_discussion_is_open(
    story: Story, parts: tuple[Part, ...], place: int
) -> None:
    assert behind_message(story, parts[1], place) == (
        "You have read Part 2 (Chapter 2: Riversong): the discussion is open to you."
    )


def test_the_word_to_a_reader_fits_a_message_whatever_the_names() -> None:
    long_name = "*_~`|>" * 100
    story = story_of("#" + long_name, [(long_name, [1, 1]), (long_name + "!", [2])])
    for each in cut_parts(story, PartRule("scene")):
        message = behind_message(story, each, None, discussing=10**9)
        assert discord_length(message) <= CONTENT_LIMIT


@pytest.mark.parametrize(
    ("at", "due", "notice"),
    [
        (
            time(20),
            datetime(2026, 3, 24, 19, 0, tzinfo=UTC),
            "This part was due on Tuesday 24 March at 20:00 (Europe/Berlin time), while the "
            "bot was offline: here it is, late.",
        ),
        (
            time(2, 30),
            datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # 02:30 did not exist: due at 03:00
            "This part was due on Sunday 29 March at 03:00 (Europe/Berlin time), while the "
            "bot was offline: here it is, late.",
        ),
    ],
)
def test_a_late_part_says_when_it_was_due_in_the_schedules_time(
    at: time, due: datetime, notice: str
) -> None:
    schedule = Schedule(at, "Europe/Berlin")
    assert late_notice(schedule, due) == notice


def test_status_after_the_text_lost_the_part_posted_last(
    story: Story, parts: tuple[Part, ...]
) -> None:
    """A reload shortened the story below the part posted last: status shows no last part
    (and no next one) instead of failing."""
    moment = datetime(2026, 3, 1, tzinfo=UTC)
    readalong = ReadAlong(
        id=1, guild_id=1, channel_id=2, story_id=story.id, part_rule="chapter",
        local_time="20:00", timezone="UTC", weekdays="0123456", role_id=None, created_by=None,
        created_at=moment, next_part=len(parts) + 3, next_due_at=None, last_posted_at=None,
        paused_reason=None,
    )  # fmt: skip
    post = PartPost(1, len(parts) + 2, moment, moment, 10, None)
    status = Status(readalong, story, parts, post)
    assert status.last_part is None
    assert status.next_part is None
    first = PartPost(1, 1, moment, moment, 10, None)
    assert Status(readalong, story, parts, first).last_part == parts[0]
