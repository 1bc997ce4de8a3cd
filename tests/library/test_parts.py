"""Parts of a story for a read-along: by scene, by chapter, or about N minutes at the breaks."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.library.errors import UnusableText
from bot.library.loader import load_story
from bot.library.model import ChapterSource, Document, Paragraph, Story, StoryMetadata
from bot.library.parts import (
    MAX_PART_MINUTES,
    PART_TITLE_LIMIT,
    Part,
    PartRule,
    UnknownPartRule,
    cut_parts,
    has_read,
    part_holding,
    span_title,
    still_to_read,
)
from bot.library.stats import WORDS_PER_MINUTE, reading_minutes
from bot.library.story import build_story
from tests.corpus import corpus_files

PAGE_LIMIT = 200  # characters a page: about 40 words, so a minute of reading is six pages
WORD = "zqx"  # the story's text: a word no title is made of

# A story as chapters (title or None) of scenes of paragraphs, each paragraph a word count.
Shape = list[tuple[str | None, list[list[int]]]]


def story_of(shape: Shape) -> Story:
    chapters = tuple(
        ChapterSource(
            title,
            tuple(
                tuple(Paragraph(" ".join([WORD] * words)) for words in scene) for scene in scenes
            ),
        )
        for title, scenes in shape
    )
    document = Document(StoryMetadata("The Test"), chapters, format="text")
    return build_story("test", document, limit=PAGE_LIMIT)


def scenes_of(*scene_words: int) -> list[list[int]]:
    """Scenes of paragraphs of 20 words, each scene about `scene_words` words long."""
    return [[20] * max(1, words // 20) for words in scene_words]


def spans(parts: tuple[Part, ...]) -> list[tuple[int, int]]:
    return [(part.first_page, part.last_page) for part in parts]


def scene_ends(story: Story) -> set[int]:
    return {scene.pages[-1].index for scene in story.scenes}


def assert_parts_cover(story: Story, parts: tuple[Part, ...]) -> None:
    """Every page in exactly one part, in order; no part empty; counts that add up."""
    assert [part.number for part in parts] == list(range(1, len(parts) + 1))
    covered = [page for part in parts for page in range(part.first_page, part.last_page + 1)]
    assert covered == list(range(story.page_count))
    for part in parts:
        assert part.page_count >= 1
        pages = story.pages[part.first_page : part.last_page + 1]
        assert part.words == sum(page.words for page in pages)
        assert part.minutes == reading_minutes(part.words)
        assert 0 < len(part.title) <= PART_TITLE_LIMIT
        assert WORD not in part.title
        assert "\n" not in part.title
    assert sum(part.words for part in parts) == story.words


# --- generated stories ---------------------------------------------------------------------

titles = st.one_of(
    st.none(),
    st.text(st.characters(codec="utf-8", exclude_characters="zZ"), min_size=1, max_size=150)
    .map(lambda text: " ".join(text.split()))
    .filter(bool),
)
scenes = st.lists(st.lists(st.integers(1, 60), min_size=1, max_size=5), min_size=1, max_size=6)
shapes = st.lists(st.tuples(titles, scenes), min_size=1, max_size=5)
rules = st.one_of(
    st.just(PartRule("scene")),
    st.just(PartRule("chapter")),
    st.integers(1, 5).map(lambda minutes: PartRule("minutes", minutes)),
)
quick = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@quick
@given(shapes, rules)
def test_parts_cover_every_page_once_in_order(shape: Shape, rule: PartRule) -> None:
    story = story_of(shape)
    parts = cut_parts(story, rule)
    assert_parts_cover(story, parts)
    for page in story.pages:
        assert part_holding(parts, page.index).holds(page.index)
    assert cut_parts(story, rule) == parts  # the same parts every time


@quick
@given(shapes)
def test_a_part_by_scene_is_one_scene_and_by_chapter_one_chapter(shape: Shape) -> None:
    story = story_of(shape)
    by_scene = cut_parts(story, PartRule("scene"))
    assert spans(by_scene) == [(s.pages[0].index, s.pages[-1].index) for s in story.scenes]
    by_chapter = cut_parts(story, PartRule("chapter"))
    assert len(by_chapter) == len(story.chapters)
    for part, chapter in zip(by_chapter, story.chapters, strict=True):
        assert story.pages[part.first_page].scene == chapter.first_scene
        assert story.pages[part.last_page].scene == chapter.first_scene + chapter.scene_count - 1


@quick
@given(shapes, st.integers(1, 5))
def test_a_scene_is_cut_between_pages_only_when_longer_than_one_and_a_half_parts(
    shape: Shape, minutes: int
) -> None:
    story = story_of(shape)
    target = minutes * WORDS_PER_MINUTE
    for part in cut_parts(story, PartRule("minutes", minutes)):
        scene = story.scenes[story.pages[part.last_page].scene]
        assert part.last_page == scene.pages[-1].index or scene.words > 1.5 * target


# Scenes shorter than half a part: the author's breaks always allow a cut near the target.
short_scenes = st.lists(
    st.lists(st.integers(1, 30), min_size=1, max_size=3), min_size=1, max_size=8
)


@quick
@given(st.lists(st.tuples(titles, short_scenes), min_size=1, max_size=6), st.integers(2, 5))
def test_parts_by_minutes_end_at_breaks_and_run_close_to_the_target(
    shape: Shape, minutes: int
) -> None:
    story = story_of(shape)
    target = minutes * WORDS_PER_MINUTE
    assert all(scene.words <= target / 2 for scene in story.scenes)
    parts = cut_parts(story, PartRule("minutes", minutes))
    assert_parts_cover(story, parts)
    assert {part.last_page for part in parts} <= scene_ends(story)
    for part in parts[:-1]:
        assert target / 2 <= part.words <= target * 1.5
    assert parts[-1].words < target * 1.5
    if len(parts) > 1:
        assert parts[-1].words >= target / 4  # no scrap left at the end


@quick
@given(st.integers(40, 400), st.integers(1, 4))
def test_a_scene_far_longer_than_a_part_is_cut_between_pages_near_the_target(
    paragraphs: int, minutes: int
) -> None:
    story = story_of([(None, [[20] * paragraphs])])
    target = minutes * WORDS_PER_MINUTE
    assert max(page.words for page in story.pages) <= target / 4
    parts = cut_parts(story, PartRule("minutes", minutes))
    assert_parts_cover(story, parts)
    for part in parts[:-1]:
        assert abs(part.words - target) <= target / 4
    assert parts[-1].words < target * 1.5


def test_a_long_scene_between_short_ones_is_cut_only_inside_itself() -> None:
    target = 2 * WORDS_PER_MINUTE
    story = story_of([("Chapter 1", scenes_of(target, 8 * target, target))])
    parts = cut_parts(story, PartRule("minutes", 2))
    assert_parts_cover(story, parts)
    long_scene = story.scenes[1]
    assert parts[0].last_page == story.scenes[0].pages[-1].index
    assert parts[-1].first_page == story.scenes[2].pages[0].index
    inside = [part for part in parts if story.pages[part.first_page].scene == 1]
    assert len(inside) == 8
    assert inside[-1].last_page == long_scene.pages[-1].index
    for part in inside:
        assert story.pages[part.last_page].scene == 1  # never into the next scene
        assert abs(part.words - target) <= target / 4


def test_a_part_ends_at_the_scene_end_nearest_the_target() -> None:
    target = 10 * WORDS_PER_MINUTE
    # Scene ends at 0.4, 0.9, 1.5 and 2.0 targets: 0.9 is nearest to one target.
    story = story_of([(None, scenes_of(*(int(target * share) for share in (0.4, 0.5, 0.6, 0.5))))])
    parts = cut_parts(story, PartRule("minutes", 10))
    assert [story.pages[part.last_page].scene for part in parts] == [1, 3]


def test_the_end_of_a_chapter_is_preferred_to_a_scene_end_as_near() -> None:
    target = 5 * WORDS_PER_MINUTE
    # A scene ends at the target itself, the chapter a little after it: the chapter wins.
    story = story_of([("One", scenes_of(target, target // 20)), ("Two", scenes_of(target))])
    parts = cut_parts(story, PartRule("minutes", 5))
    assert [part.title for part in parts] == ["One", "Two"]


def test_a_scrap_at_the_end_is_read_with_the_part_before() -> None:
    target = 10 * WORDS_PER_MINUTE
    story = story_of([(None, scenes_of(target, target // 10))])
    (only,) = cut_parts(story, PartRule("minutes", 10))
    assert only.title == "The whole story"


def test_pages_without_words_at_the_end_are_no_part_of_their_own() -> None:
    target = 2 * WORDS_PER_MINUTE
    text = tuple(Paragraph(" ".join([WORD] * 20)) for _ in range(target // 20))
    ornament = (Paragraph("* * *"),)
    chapters = (ChapterSource("One", (text,)), ChapterSource("Two", (ornament,)))
    document = Document(StoryMetadata("T"), chapters, "text")
    story = build_story("t", document, limit=PAGE_LIMIT)
    assert story.last_page.words == 0
    (only,) = cut_parts(story, PartRule("minutes", 2))
    assert only.last_page == story.last_page.index


def test_a_story_shorter_than_a_part_is_one_part() -> None:
    story = story_of([("Prologue", scenes_of(100)), ("Chapter 1", scenes_of(100, 100))])
    parts = cut_parts(story, PartRule("minutes", 30))
    assert spans(parts) == [(0, story.page_count - 1)]
    assert parts[0].title == "Prologue – Chapter 1"


def test_the_same_text_gives_the_same_parts_after_a_restart() -> None:
    shape: Shape = [("A", scenes_of(300, 500, 200)), ("B", scenes_of(700, 100))]
    for rule in (PartRule("scene"), PartRule("chapter"), PartRule("minutes", 2)):
        assert cut_parts(story_of(shape), rule) == cut_parts(story_of(shape), rule)


# --- titles --------------------------------------------------------------------------------

# Scenes of 40 words are one page each, of 160 words four pages.
CHAPTERED: Shape = [
    ("Chapter 1: Morning", scenes_of(40, 40)),
    ("Chapter 2: Riversong", scenes_of(40, 40, 40, 40, 40)),
    ("Chapter 3: Flood", scenes_of(160)),
]


def part_titled(story: Story, first: tuple[int, int], last: tuple[int, int]) -> str:
    """The title of the pages from (scene, page) `first` to `last`, both 0-based."""
    return span_title(story, story.page(*first).index, story.page(*last).index)


@pytest.mark.parametrize(
    ("first", "last", "title"),
    [
        ((0, 0), (1, 0), "Chapter 1: Morning"),
        ((2, 0), (2, 0), "Chapter 2: Riversong · Scene 1"),
        ((4, 0), (6, 0), "Chapter 2: Riversong · Scenes 3–5"),
        ((2, 0), (6, 0), "Chapter 2: Riversong"),
        ((7, 0), (7, 3), "Chapter 3: Flood"),
        ((7, 1), (7, 2), "Chapter 3: Flood · Pages 2–3"),
        ((7, 3), (7, 3), "Chapter 3: Flood · Page 4"),
        ((0, 0), (6, 0), "Chapter 1: Morning – Chapter 2: Riversong"),
        ((1, 0), (3, 0), "Chapter 1: Morning · Scene 2 – Chapter 2: Riversong · Scene 2"),
        ((2, 0), (7, 1), "Chapter 2: Riversong – Chapter 3: Flood · Page 2"),
        ((6, 0), (7, 3), "Chapter 2: Riversong · Scene 5 – Chapter 3: Flood"),
    ],
)
def test_a_title_says_where_the_part_is_as_shortly_as_it_can(
    first: tuple[int, int], last: tuple[int, int], title: str
) -> None:
    story = story_of(CHAPTERED)
    assert story.scenes[7].pages[3] == story.last_page  # the shape is as the cases assume
    assert part_titled(story, first, last) == title


@pytest.mark.parametrize(
    ("shape", "first", "last", "title"),
    [
        ([(None, scenes_of(40, 40, 40))], (1, 0), (1, 0), "Scene 2"),
        ([(None, scenes_of(40, 40, 40))], (0, 0), (1, 0), "Scenes 1–2"),
        ([(None, scenes_of(40, 40, 40))], (0, 0), (2, 0), "The whole story"),
        ([(None, scenes_of(40, 160))], (1, 1), (1, 2), "Scene 2 · Pages 2–3"),
        ([(None, scenes_of(160))], (0, 0), (0, 1), "Pages 1–2"),
        ([(None, scenes_of(160))], (0, 0), (0, 3), "The whole story"),
        ([(None, scenes_of(40)), (None, scenes_of(40))], (1, 0), (1, 0), "Chapter 2"),
    ],
)
def test_a_story_without_chapter_titles_is_named_by_scenes_and_pages(
    shape: Shape, first: tuple[int, int], last: tuple[int, int], title: str
) -> None:
    assert part_titled(story_of(shape), first, last) == title


def test_the_titles_of_parts_by_scene_and_by_chapter() -> None:
    story = story_of(CHAPTERED)
    by_chapter = [part.title for part in cut_parts(story, PartRule("chapter"))]
    assert by_chapter == ["Chapter 1: Morning", "Chapter 2: Riversong", "Chapter 3: Flood"]
    by_scene = [part.title for part in cut_parts(story, PartRule("scene"))]
    assert by_scene[2] == "Chapter 2: Riversong · Scene 1"
    assert by_scene[-1] == "Chapter 3: Flood"


def test_a_range_names_a_shared_book_heading_once() -> None:
    story = story_of(
        [("Book One · Chapter I", scenes_of(40)), ("Book One · Chapter III", scenes_of(40))]
    )
    assert part_titled(story, (0, 0), (1, 0)) == "Book One · Chapter I – Chapter III"


@given(st.text(min_size=1, max_size=300), st.text(min_size=1, max_size=300))
@settings(deadline=None)
def test_long_chapter_names_are_cut_so_that_a_title_fits_and_names_both(
    opening: str, closing: str
) -> None:
    opening, closing = "A" + opening, "B" + closing  # never blank, never alike
    story = story_of([(opening, scenes_of(40, 40)), (closing, scenes_of(40, 40))])
    title = part_titled(story, (1, 0), (2, 0))
    assert len(title) <= PART_TITLE_LIMIT
    assert " · Scene 2 – " in title
    assert title.endswith(" · Scene 1")
    assert title.startswith("A")
    assert " – B" in title


def test_a_long_name_keeps_its_start_and_says_it_was_cut() -> None:
    name = "Chapter 9: " + "A very long chapter name indeed " * 6
    story = story_of([(name, scenes_of(40, 40, 40))])
    title = part_titled(story, (0, 0), (1, 0))
    assert len(title) <= PART_TITLE_LIMIT
    assert title.startswith("Chapter 9: A very long")
    assert title.endswith("… · Scenes 1–2")


# --- finding and reading parts -------------------------------------------------------------


@pytest.fixture
def chaptered() -> Story:
    return story_of(CHAPTERED)


def test_the_part_holding_a_page(chaptered: Story) -> None:
    parts = cut_parts(chaptered, PartRule("chapter"))
    assert [part_holding(parts, page.index).number for page in chaptered.pages] == [
        1,
        1,
        2,
        2,
        2,
        2,
        2,
        3,
        3,
        3,
        3,
    ]


@pytest.mark.parametrize("page", [-1, 11, 100])
def test_no_part_holds_a_page_the_story_has_not(chaptered: Story, page: int) -> None:
    with pytest.raises(ValueError, match="no part holds"):
        part_holding(cut_parts(chaptered, PartRule("chapter")), page)


@pytest.mark.parametrize(
    ("place", "finished", "read"),
    [
        (None, False, False),  # never opened the story
        (0, False, False),  # before the part
        (2, False, False),  # on its first page
        (6, False, False),  # on its last page: still reading it
        (7, False, True),  # past it
        (10, False, True),
        (6, True, True),  # finished the story (their place stays where it was)
    ],
)
def test_a_part_is_read_once_the_place_is_past_its_last_page(
    chaptered: Story, place: int | None, finished: bool, read: bool
) -> None:
    riversong = cut_parts(chaptered, PartRule("chapter"))[1]
    assert (riversong.first_page, riversong.last_page) == (2, 6)
    assert has_read(riversong, place, finished=finished) is read


def test_the_last_part_is_read_only_by_finishing_the_story(chaptered: Story) -> None:
    last = cut_parts(chaptered, PartRule("chapter"))[-1]
    assert not has_read(last, chaptered.last_page.index)
    assert has_read(last, chaptered.last_page.index, finished=True)


@pytest.mark.parametrize(
    ("place", "pages"),
    [(None, 7), (0, 7), (2, 5), (4, 3), (6, 1), (7, 0), (10, 0)],
)
def test_what_is_left_to_read_counts_from_the_place_to_the_parts_end(
    chaptered: Story, place: int | None, pages: int
) -> None:
    riversong = cut_parts(chaptered, PartRule("chapter"))[1]
    left = still_to_read(chaptered, riversong, place)
    assert left.pages == pages
    start = 0 if place is None else place
    expected = sum(page.words for page in chaptered.pages[start : riversong.last_page + 1])
    assert left.words == expected
    assert left.minutes == reading_minutes(expected)


# --- rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("scene", PartRule("scene")),
        (" Chapters ", PartRule("chapter")),
        ("15", PartRule("minutes", 15)),
        ("15 min", PartRule("minutes", 15)),
        ("20 Minutes", PartRule("minutes", 20)),
        ("minutes:5", PartRule("minutes", 5)),
    ],
)
def test_a_rule_is_read_from_what_an_admin_types(text: str, rule: PartRule) -> None:
    assert PartRule.parse(text) == rule


@given(st.one_of(st.sampled_from(["scene", "chapter"]), st.integers(1, MAX_PART_MINUTES)))
def test_a_rule_is_stored_as_a_code_it_is_read_back_from(kind: str | int) -> None:
    rule = PartRule("minutes", kind) if isinstance(kind, int) else PartRule.parse(kind)
    assert PartRule.parse(rule.code) == rule


@pytest.mark.parametrize("text", ["", "paragraph", "0", "-5", f"{MAX_PART_MINUTES + 1}", "5 hours"])
def test_a_rule_that_cannot_be_read_says_what_can(text: str) -> None:
    with pytest.raises(UnknownPartRule, match=r"scene|minutes"):
        PartRule.parse(text)


@pytest.mark.parametrize(
    ("rule", "label"),
    [
        (PartRule("scene"), "a scene"),
        (PartRule("chapter"), "a chapter"),
        (PartRule("minutes", 15), "about 15 minutes"),
    ],
)
def test_a_rule_says_what_one_part_is(rule: PartRule, label: str) -> None:
    assert rule.label == label


# --- real texts ----------------------------------------------------------------------------

FILES = corpus_files()


@pytest.mark.corpus
@pytest.mark.skipif(not FILES, reason="the shared corpus is not present")
@pytest.mark.parametrize("path", FILES, ids=[path.name for path in FILES])
def test_every_corpus_text_is_cut_into_parts_that_cover_it(path: Path) -> None:
    try:
        story = load_story(path)
    except UnusableText as error:
        pytest.skip(f"{path.name} is refused: {error.reason}")
    for rule in (PartRule("scene"), PartRule("chapter"), PartRule("minutes", 15)):
        parts = cut_parts(story, rule)
        covered = [page for part in parts for page in range(part.first_page, part.last_page + 1)]
        assert covered == list(range(story.page_count))
        assert all(0 < len(part.title) <= PART_TITLE_LIMIT for part in parts)
    by_minutes = cut_parts(story, PartRule("minutes", 15))
    long_ones = [part for part in by_minutes[:-1] if not 7 <= part.minutes <= 23]
    # Only a scene or chapter far from the target's size makes a part far from it.
    assert len(long_ones) <= max(2, len(by_minutes) // 5), [p.minutes for p in long_ones]
