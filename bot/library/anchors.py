"""Places in a text that survive a changed text: anchors, and pages by number as kept before.

A reader's place is the first character of the page they were shown: its scene, the paragraph
within that scene, the character offset within that paragraph, and `snippet`, the text found
there. The page is derived from the anchor when it is shown, so a text whose pages are re-cut,
or that gained a scene at the start, still opens at the same sentence: the snippet is looked
for where the anchor points, and elsewhere when the text moved.
"""

from __future__ import annotations

from dataclasses import dataclass

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
