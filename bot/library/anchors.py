"""Places in a text that survive a changed text: anchors, and pages by number as kept before.

A reader's place is the first character of the page they were shown: its scene, the paragraph
within that scene, the character offset within that paragraph, and `snippet`, the text found
there. The page is derived from the anchor when it is shown, so a text whose pages are re-cut,
or that gained a scene at the start, still opens at the same sentence: the snippet is looked
for where the anchor points, and elsewhere when the text moved.
"""

from __future__ import annotations

import bisect
import hashlib
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from bot.library.model import Page, Story

SNIPPET_LENGTH = 32
"""Characters of text kept with an anchor, enough to find the sentence again."""


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a page begins: `offset` into paragraph `paragraph` (0-based) of scene `scene`.

    `snippet` is the text there (at most SNIPPET_LENGTH characters of that paragraph).
    """

    scene: int
    paragraph: int
    offset: int
    snippet: str

    def __post_init__(self) -> None:
        if self.scene < 0 or self.paragraph < 0 or self.offset < 0:
            raise ValueError(f"an anchor's indexes are 0-based, got {self}")


@dataclass(frozen=True, slots=True)
class PagePlace:
    """A page by its number in a scene (both 0-based), as places were kept before anchors
    (schema version 1, and the buttons sent then)."""

    scene: int
    page: int

    def __post_init__(self) -> None:
        if self.scene < 0 or self.page < 0:
            raise ValueError(f"a page place is 0-based, got {self}")


Place = Anchor | PagePlace
"""A stored place: an anchor, or (saved before anchors) a page number."""


# --- from pages to anchors and back ---------------------------------------------------------


def anchor_of(story: Story, page: Page) -> Anchor:
    """The anchor of `page`: where its first piece begins, and the text there."""
    first = page.pieces[0]
    text = story.scenes[page.scene].paragraphs[first.paragraph].text
    return Anchor(page.scene, first.paragraph, first.start, text[first.start :][:SNIPPET_LENGTH])


def page_at(story: Story, scene: int, paragraph: int, offset: int) -> Page:
    """The page of `story` holding character `offset` of `paragraph` in `scene` (all in range),
    or the nearest page before that point."""
    pages = story.scenes[scene].pages
    starts = [(page.pieces[0].paragraph, page.pieces[0].start) for page in pages]
    return pages[max(bisect.bisect_right(starts, (paragraph, offset)) - 1, 0)]


def locate(story: Story, place: Place) -> tuple[Page, bool]:
    """The page of `story` a stored place points at, and whether it was found as stored.

    An anchor whose text is still where it points is exact. Otherwise its text is looked for
    from that point outwards (a scene inserted earlier, an edit elsewhere, pages re-cut: the
    reader stays at the same sentence). A text that is gone gives the nearest page before
    the old point, not exact. A page place (kept before anchors) is its page, if it exists.
    """
    if isinstance(place, PagePlace):
        return story.nearest_page(place.scene, place.page)
    snippet = place.snippet

    def holds_it(text: str, offset: int) -> bool:
        return bool(snippet) and text.startswith(snippet, offset)

    found = _same_point_nearby(story, place.scene, place.paragraph, place.offset, holds_it)
    if found is None:
        found = _search(story, place)
    if found is not None:
        return page_at(story, *found), True
    return _before_point(story, place.scene, place.paragraph, place.offset), False


def check_of(snippet: str) -> str:
    """A 4-character check of an anchor's text, for buttons (the text is too long for them)."""
    return _base36(zlib.crc32(snippet.encode("utf-8")) % _CHECK_SPACE).rjust(4, "0")


def anchor_token(anchor: Anchor) -> str:
    """`scene.paragraph.offset.check` in base 36: an anchor within a button's custom_id."""
    numbers = (anchor.scene, anchor.paragraph, anchor.offset)
    return ".".join([*map(_base36, numbers), check_of(anchor.snippet)])


TOKEN_PATTERN = r"[0-9a-z]{1,6}\.[0-9a-z]{1,6}\.[0-9a-z]{1,6}\.[0-9a-z]{4}"
"""What `anchor_token` writes (for the buttons' templates)."""


@dataclass(frozen=True, slots=True)
class TokenPlace:
    """A place as a button carries it: an anchor's indexes and the check of its text."""

    scene: int
    paragraph: int
    offset: int
    check: str

    @classmethod
    def parse(cls, token: str) -> TokenPlace:
        scene, paragraph, offset, check = token.split(".")
        return cls(int(scene, 36), int(paragraph, 36), int(offset, 36), check)


def locate_token(story: Story, place: TokenPlace) -> tuple[Page, bool]:
    """The page a button's place points at: where it says, or at the same point of a nearby
    scene, if the text there checks; else the page beginning with text of that check nearest
    to it; else the nearest page before the point, not exact."""

    def checks(text: str, offset: int) -> bool:
        return check_of(text[offset:][:SNIPPET_LENGTH]) == place.check

    point = _same_point_nearby(story, place.scene, place.paragraph, place.offset, checks)
    if point is not None:
        return page_at(story, *point), True
    approximate = _before_point(story, place.scene, place.paragraph, place.offset)
    matching = [
        page for page in story.pages if check_of(anchor_of(story, page).snippet) == place.check
    ]
    if matching:
        return min(matching, key=lambda page: abs(page.index - approximate.index)), True
    return approximate, False


# --- helpers --------------------------------------------------------------------------------

_CHECK_SPACE = 36**4
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _base36(number: int) -> str:
    digits = ""
    while True:
        number, digit = divmod(number, 36)
        digits = _DIGITS[digit] + digits
        if not number:
            return digits


Point = tuple[int, int, int]
"""(scene, paragraph, offset) in a story."""


def _same_point_nearby(
    story: Story, scene: int, paragraph: int, offset: int, holds: Callable[[str, int], bool]
) -> Point | None:
    """The point itself, else the same paragraph and offset of the scene nearest to it, where
    `holds` says the text is the one looked for: scenes added or removed before a point
    move it to another scene and keep the rest."""
    for index in _outwards(scene, len(story.scenes)):
        paragraphs = story.scenes[index].paragraphs
        if paragraph < len(paragraphs) and holds(paragraphs[paragraph].text, offset):
            return index, paragraph, offset
    return None


def _outwards(start: int, count: int) -> Iterator[int]:
    """The indexes 0..count-1 nearest to `start` first: start, start+1, start-1, start+2..."""
    for distance in range(max(start + 1, count - start) + 1):
        for index in (start + distance, start - distance) if distance else (start,):
            if 0 <= index < count:
                yield index


def _search(story: Story, anchor: Anchor) -> Point | None:
    """The anchor's text nearest to its old point, searching paragraph by paragraph outwards."""
    if not anchor.snippet:
        return None
    order = [(s, p) for s, scene in enumerate(story.scenes) for p in range(len(scene.paragraphs))]
    start = min(bisect.bisect_left(order, (anchor.scene, anchor.paragraph)), len(order) - 1)
    for index in _outwards(start, len(order)):
        scene, paragraph = order[index]
        found = _nearest(
            story.scenes[scene].paragraphs[paragraph].text, anchor.snippet, anchor.offset
        )
        if found >= 0:
            return scene, paragraph, found
    return None


def _nearest(text: str, snippet: str, offset: int) -> int:
    """Where `snippet` occurs in `text` nearest to `offset` (a paragraph that moved keeps its
    offsets); -1 when it does not occur."""
    best, found = -1, text.find(snippet)
    while found >= 0:
        if best < 0 or abs(found - offset) < abs(best - offset):
            best = found
        found = text.find(snippet, found + 1)
    return best


def _before_point(story: Story, scene: int, paragraph: int, offset: int) -> Page:
    """The page holding the point, or the nearest page before it (the last page past the end)."""
    if scene >= len(story.scenes):
        return story.last_page
    paragraphs = story.scenes[scene].paragraphs
    if paragraph >= len(paragraphs):
        return story.scenes[scene].pages[-1]
    return page_at(story, scene, paragraph, min(offset, len(paragraphs[paragraph].text)))


def text_digest(story: Story) -> str:
    """A digest of a story's text and its cut into scenes and paragraphs (not of its pages):
    when it changes, stored anchors may point elsewhere and are looked for again."""
    digest = hashlib.sha256()
    for scene in story.scenes:
        digest.update(b"\x1d")
        for paragraph in scene.paragraphs:
            digest.update(b"\x1e")
            digest.update(paragraph.text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()
