"""Anchors: a place in the text that survives a changed text (and pages re-cut)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.library.anchors import (
    SNIPPET_LENGTH,
    TOKEN_PATTERN,
    Anchor,
    PagePlace,
    TokenPlace,
    anchor_of,
    anchor_token,
    locate,
    locate_token,
)
from bot.library.model import Page, Story
from bot.library.plaintext import parse_plaintext
from bot.library.story import build_story
from tests.bot.harness import SEED_ID, seed_library
from tests.corpus import corpus_dir

WORDS = "the keeper waited alone by the quiet sea while gulls called over grey water".split()


def story_of(text: str, limit: int = 4096) -> Story:
    return build_story("s", parse_plaintext(text, "s"), limit=limit)


def scenes_text(scenes: list[list[str]]) -> str:
    return "\n\n\n".join("\n\n".join(paragraphs) for paragraphs in scenes) + "\n"


def sentence(n: int, words: int = 12) -> str:
    """Sentence `n`: its number first, so that no two begin alike."""
    return f"{n}: " + " ".join(WORDS[(n + i) % len(WORDS)] for i in range(words)) + "."


def numbered_story(scenes: int = 4, paragraphs: int = 6, limit: int = 300) -> list[list[str]]:
    return [
        [" ".join(sentence(100 * s + 10 * p + k) for k in range(3)) for p in range(paragraphs)]
        for s in range(scenes)
    ]


def same_text(old: Story, old_page: Page, new: Story, new_page: Page) -> bool:
    """The new page holds where the text the old page began with begins (that text may run
    on to the next page when pages were re-cut)."""
    snippet = anchor_of(old, old_page).snippet
    after = new.step(new_page, 1)
    following = after.text if after is not None else ""
    here = new_page.text
    return snippet in here + " " + following and snippet.split()[0] in here


def test_every_page_of_the_seed_locates_back_to_itself() -> None:
    story = seed_library().get(SEED_ID)
    for page in story.pages:
        anchor = anchor_of(story, page)
        assert 0 < len(anchor.snippet) <= SNIPPET_LENGTH
        assert locate(story, anchor) == (page, True)
        assert locate_token(story, TokenPlace.parse(anchor_token(anchor))) == (page, True)


def test_a_scene_inserted_at_the_start_keeps_every_reader_at_the_same_sentence() -> None:
    scenes = numbered_story()
    old = story_of(scenes_text(scenes), limit=300)
    new = story_of(scenes_text([["A new opening scene, written later."], *scenes]), limit=300)
    for page in old.pages:
        found, exact = locate(new, anchor_of(old, page))
        assert exact
        assert found.scene == page.scene + 1
        assert same_text(old, page, new, found)
        # A button sent before the change finds the page by its text's check.
        by_button, exact = locate_token(new, TokenPlace.parse(anchor_token(anchor_of(old, page))))
        assert exact
        assert by_button == found


def test_a_typo_fixed_elsewhere_changes_nothing_and_pages_recut_keep_the_sentence() -> None:
    scenes = numbered_story()
    old = story_of(scenes_text(scenes), limit=300)
    fixed = [list(paragraphs) for paragraphs in scenes]
    fixed[2][3] = fixed[2][3].replace("keeper", "keepr", 1)
    new = story_of(scenes_text(fixed), limit=300)
    for page in old.pages:
        if page.scene == 2 and page.pieces[0].paragraph == 3:
            continue  # the edited paragraph itself: see the next test
        assert locate(new, anchor_of(old, page)) == (new.pages[page.index], True)
    recut = story_of(scenes_text(scenes), limit=170)  # smaller pages: every page boundary moves
    for page in old.pages:
        found, exact = locate(recut, anchor_of(old, page))
        assert exact
        assert same_text(old, page, recut, found)


def test_a_text_that_is_gone_lands_on_the_nearest_page_before_it() -> None:
    scenes = numbered_story()
    old = story_of(scenes_text(scenes), limit=300)
    shortened = [scenes[0], scenes[1]]  # scenes 3 and 4 removed
    new = story_of(scenes_text(shortened), limit=300)
    late = old.scenes[3].pages[-1]
    found, exact = locate(new, anchor_of(old, late))
    assert not exact
    assert found is new.last_page
    rewritten = [list(p) for p in scenes]
    rewritten[1] = ["Everything here was rewritten from scratch, word by word."] * 6
    new = story_of(scenes_text(rewritten), limit=300)
    gone = old.scenes[1].pages[-1]
    found, exact = locate(new, anchor_of(old, gone))
    assert not exact
    assert found.scene == 1  # the nearest page before the old point: in that scene still


def test_page_places_kept_before_anchors_are_their_page() -> None:
    story = seed_library().get(SEED_ID)
    assert locate(story, PagePlace(2, 1)) == (story.scenes[2].pages[1], True)
    assert locate(story, PagePlace(2, 9)) == (story.scenes[2].pages[-1], False)
    assert locate(story, PagePlace(40, 0)) == (story.last_page, False)


@pytest.mark.parametrize(
    "anchor",
    [Anchor(99, 0, 0, "nowhere at all"), Anchor(0, 99, 0, "nope"), Anchor(0, 0, 99999, "@@@")],
)
def test_points_outside_the_story_land_inside_it(anchor: Anchor) -> None:
    story = seed_library().get(SEED_ID)
    page, exact = locate(story, anchor)
    assert page in story.pages
    assert not exact
    button_page, _ = locate_token(story, TokenPlace.parse(anchor_token(anchor)))
    assert button_page in story.pages


def test_tokens_fit_a_custom_id() -> None:
    huge = Anchor(36**6 - 1, 36**6 - 1, 36**6 - 1, "snippet")
    token = anchor_token(huge)
    assert len(token) <= 6 * 3 + 4 + 3
    import re

    assert re.fullmatch(TOKEN_PATTERN, token)
    assert TokenPlace.parse(token).scene == huge.scene


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=6),
        min_size=1,
        max_size=5,
    ),
    st.integers(min_value=0, max_value=3),
    st.integers(min_value=60, max_value=400),
)
def test_any_story_finds_its_sentences_after_a_scene_is_inserted(
    shape: list[list[int]], at: int, limit: int
) -> None:
    scenes = [[sentence(1000 * s + 7 * n + p, 5 + n) for p, n in enumerate(row)] for s, row in
              enumerate(shape)]  # fmt: skip
    old = story_of(scenes_text(scenes), limit=limit)
    at = min(at, len(scenes))
    changed = [*scenes[:at], ["An inserted scene with words of its own."], *scenes[at:]]
    new = story_of(scenes_text(changed), limit=limit)
    for page in old.pages:
        found, exact = locate(new, anchor_of(old, page))
        assert exact
        assert same_text(old, page, new, found)


@pytest.mark.corpus
def test_every_page_of_a_long_book_locates_back_to_itself() -> None:
    from bot.library.loader import load_story

    path = corpus_dir() / "gutenberg" / "pg345-dracula.txt"
    if not path.is_file():
        pytest.skip("the corpus is not here")
    story = load_story(path)
    for page in story.pages:
        assert locate(story, anchor_of(story, page)) == (page, True)
