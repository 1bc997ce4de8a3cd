from __future__ import annotations

import itertools

import pytest

from bot.library.model import Story
from bot.library.plaintext import parse_plaintext
from bot.library.search.query import parse_query
from bot.library.search.scope import (
    ReadUpTo,
    count_ahead,
    is_read_hit,
    read_up_to,
    visible_text,
)
from bot.library.story import build_story

# Three scenes; the long paragraph of the second runs over more than one page.
SCENES = [
    ["The lighthouse keeper rose early.", "He climbed the stair and lit the lamp."],
    [
        "A ship came in the night.",
        " ".join(f"wave{n}" for n in range(60)) + " and then the sailor spoke.",
        "The sailor was his brother.",
    ],
    ["In the morning the brothers ate together."],
]


@pytest.fixture(scope="module")
def story() -> Story:
    text = "\n\n\n".join("\n\n".join(paragraphs) for paragraphs in SCENES) + "\n"
    return build_story("keeper", parse_plaintext(text, "keeper"), limit=300)


def paragraphs_of(story: Story) -> list[tuple[int, int, str]]:
    return [
        (scene.index, number, paragraph.text)
        for scene in story.scenes
        for number, paragraph in enumerate(scene.paragraphs)
    ]


def test_a_page_is_read_to_its_end(story: Story) -> None:
    first = story.first_page
    limit = read_up_to(first)
    last_piece = first.pieces[-1]
    assert limit == ReadUpTo(first.scene, last_piece.paragraph, last_piece.end)
    assert read_up_to(story.last_page) == ReadUpTo(
        len(story.scenes) - 1, len(story.scenes[-1].paragraphs) - 1, len(SCENES[-1][-1])
    )


def test_what_is_read_grows_as_the_reader_reads_on(story: Story) -> None:
    limits = [read_up_to(page) for page in story.pages]
    assert all(a < b for a, b in itertools.pairwise(limits))


def test_the_store_filters_at_or_before_the_last_paragraph_read() -> None:
    limit = ReadUpTo(1, 1, 40)
    assert limit.covers(0, 5)
    assert limit.covers(1, 0)
    assert limit.covers(1, 1)
    assert not limit.covers(1, 2)
    assert not limit.covers(2, 0)


def test_visible_text_is_what_was_read_of_a_paragraph() -> None:
    limit = ReadUpTo(1, 1, 5)
    assert visible_text(limit, 1, 0, "before the limit") == "before the limit"
    assert visible_text(limit, 1, 1, "half read") == "half "
    assert visible_text(limit, 1, 2, "not yet") == ""
    assert visible_text(limit, 0, 9, "an earlier scene") == "an earlier scene"
    assert visible_text(None, 9, 9, "the whole story") == "the whole story"


def test_a_paragraph_cut_by_a_page_is_judged_on_its_part_read(story: Story) -> None:
    page = next(
        page
        for page in story.pages
        if page.pieces[-1].end < len(page.pieces[-1].source.text)  # the paragraph goes on
    )
    limit = read_up_to(page)
    scene, number = page.scene, page.pieces[-1].paragraph
    text = story.scenes[scene].paragraphs[number].text
    assert is_read_hit(parse_query("wave0"), limit, scene, number, text)
    assert not is_read_hit(parse_query("sailor"), limit, scene, number, text)
    assert not is_read_hit(parse_query("wave0 sailor"), limit, scene, number, text)
    assert count_ahead(parse_query("sailor"), limit, paragraphs_of(story)) == 2


@pytest.mark.parametrize(
    ("query", "on_first_page", "on_last_page"),
    [
        ("keeper", 0, 0),  # found before any reading: nothing ahead
        ("sailor", 2, 0),
        ("brother*", 2, 0),
        ("the", 4, 0),
        ("lamp -stair", 0, 0),  # not a hit at all
        ("-the", 0, 0),  # nothing to look for
    ],
)
def test_hits_ahead_are_counted(
    story: Story, query: str, on_first_page: int, on_last_page: int
) -> None:
    parsed = parse_query(query)
    every = paragraphs_of(story)
    assert count_ahead(parsed, read_up_to(story.first_page), every) == on_first_page
    assert count_ahead(parsed, read_up_to(story.last_page), every) == on_last_page
    assert count_ahead(parsed, None, every) == 0  # the whole story in scope
