from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.library.model import ChapterSource, Document, Paragraph, StoryMetadata
from bot.library.paging import EMBED_DESCRIPTION_LIMIT, paginate
from bot.library.render import discord_length, render
from bot.library.story import build_story
from tests.library.invariants import assert_story_invariants


def story_of(paragraphs: list[str], limit: int = EMBED_DESCRIPTION_LIMIT):  # type: ignore[no-untyped-def]
    scene = tuple(Paragraph(text) for text in paragraphs)
    document = Document(StoryMetadata("T"), (ChapterSource(None, (scene,)),), format="text")
    return build_story("t", document, limit=limit)


def page_lengths(paragraphs: list[str], limit: int) -> list[int]:
    return [discord_length(page.markdown) for page in story_of(paragraphs, limit).scenes[0].pages]


def test_a_short_scene_is_one_page() -> None:
    story = story_of(["One.", "Two."])
    assert [page.markdown for page in story.scenes[0].pages] == ["One.\n\nTwo."]


def test_pages_end_between_paragraphs() -> None:
    paragraphs = [f"Paragraph {i} " + "word " * 30 for i in range(40)]
    story = story_of([p.strip() for p in paragraphs], limit=1000)
    for page in story.scenes[0].pages:
        assert all(piece.start == 0 for piece in page.pieces)
    assert_story_invariants(story, limit=1000)


def test_a_long_paragraph_splits_at_a_sentence_end() -> None:
    sentence = "This is one sentence of the long paragraph, said slowly. "
    paragraph = (sentence * 120).strip()  # about 6,800 characters
    story = story_of([paragraph])
    pages = story.scenes[0].pages
    assert len(pages) == 2
    assert pages[0].text.endswith("slowly.")
    assert pages[1].text.startswith("This is one sentence")
    assert_story_invariants(story)


def test_a_sentence_longer_than_a_page_splits_at_a_word() -> None:
    paragraph = " ".join(f"word{i}" for i in range(700))  # no sentence end at all
    story = story_of([paragraph])
    first, second = (page.text for page in story.scenes[0].pages)
    assert first.split()[-1] + " " + second.split()[0] in paragraph  # cut between two words
    assert_story_invariants(story)


def test_text_without_spaces_splits_hard_but_never_inside_a_grapheme() -> None:
    cluster = "e\u0301\u0302"  # e with two combining marks
    family = "👩\u200d👩\u200d👧"
    flag = "🇫🇷"
    unit = cluster + family + flag + "x"
    story = story_of([unit * 600])
    assert_story_invariants(story)
    for page in story.scenes[0].pages:
        text = page.text
        assert not text.startswith(("\u0301", "\u0302", "\u200d", "👩\u200d"[1:]))
        assert not text.endswith("\u200d")
        assert text.count("🇫") == text.count("🇷")


def test_markdown_heavy_text_is_measured_after_escaping() -> None:
    paragraph = "*_~|`>" * 1000  # doubles in length once escaped
    story = story_of([paragraph])
    assert len(story.scenes[0].pages) == math.ceil(12000 / 4096)
    assert_story_invariants(story)


def test_pages_are_balanced_with_no_tiny_last_page() -> None:
    paragraphs = ["x" * 400] * 11  # 4,400 + separators: greedy would leave one paragraph alone
    lengths = page_lengths(paragraphs, EMBED_DESCRIPTION_LIMIT)
    assert len(lengths) == 2
    assert min(lengths) >= 400 * 5


def test_fewest_pages_is_kept_while_balancing() -> None:
    paragraphs = ["y" * 4000, "z" * 100, "w" * 4000]
    assert len(page_lengths(paragraphs, EMBED_DESCRIPTION_LIMIT)) == 3
    # Balancing never splits a paragraph that fits a page.
    story = story_of(paragraphs)
    assert all(len(page.pieces) == 1 for page in story.scenes[0].pages)
    assert [p.pieces[0].start for p in story.scenes[0].pages] == [0, 0, 0]


def test_empty_scene_has_no_pages() -> None:
    assert paginate([]) == []


def test_tiny_limits_are_refused() -> None:
    with pytest.raises(ValueError, match="at least"):
        paginate([Paragraph("x")], limit=4)


# --- properties over generated texts -----------------------------------------------------

_SPECIAL = ["é", "e\u0301", "🎉", "👩\u200d👧", "\u00a0", "“", "”", "’", "\n", "  "]
_alphabet = st.sampled_from([*"abcdefghij ABC.,!?;:'\"-—…", *"*_~|`>#<@[]\\", *_SPECIAL])
_paragraph = st.one_of(
    st.lists(_alphabet, min_size=1, max_size=300).map("".join),
    st.lists(_alphabet, min_size=800, max_size=3000).map("".join),  # longer than small pages
    st.integers(1, 3000).map(lambda n: "x" * n),  # no spaces at all
).map(lambda text: text.strip() or "w")


def _paragraph_of_text(text: str) -> str:
    # A paragraph never holds a blank line: collapse them so the generated text is valid.
    while "\n\n" in text:
        text = text.replace("\n\n", "\n")
    return text.strip() or "w"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_paragraph.map(_paragraph_of_text), min_size=1, max_size=25),
    st.integers(min_value=40, max_value=1500),
)
def test_nothing_is_lost_and_every_page_fits(paragraphs: list[str], limit: int) -> None:
    story = story_of(paragraphs, limit)
    assert_story_invariants(story, limit)
    assert [p.text for p in story.scenes[0].paragraphs] == paragraphs


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=200), min_size=2, max_size=60),
    st.integers(min_value=300, max_value=1200),
)
def test_page_count_is_minimal_and_last_page_not_tiny(sizes: list[int], limit: int) -> None:
    paragraphs = ["a" * size for size in sizes]
    slots = paginate([Paragraph(text) for text in paragraphs], limit)
    # Next-fit greedy is optimal for contiguous unsplit paragraphs: the count must match it.
    greedy, used = 1, -2
    for size in sizes:
        if used + 2 + size > limit:
            greedy, used = greedy + 1, size
        else:
            used += 2 + size
    assert len(slots) == greedy
    lengths = [
        sum(discord_length(render(Paragraph(paragraphs[i]), s, e)) + 2 for i, s, e in page) - 2
        for page in slots
    ]
    assert max(lengths) <= limit
    if len(slots) > 1:  # balanced: no page is far below the average
        largest_step = max(sizes) + 2
        average = sum(lengths) / len(lengths)
        assert min(lengths) >= average - (len(slots) - 1) * largest_step
