"""The set of loaded stories, looked up by id or by a few letters of the title."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator

from bot.errors import StoryRequired, UnknownStory
from bot.library.model import Story

# Latin letters whose stroke or ligature no decomposition removes, as readers type them.
_UNDECOMPOSED = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ŧ": "t", "ı": "i", "æ": "ae", "œ": "oe"}
)


def fold(text: str) -> str:
    """Case- and accent-insensitive form of `text`, for matching what users type
    (`Łódź`, `ØRSTED` and `Œuvre` fold to `lodz`, `orsted` and `oeuvre`)."""
    if text.isascii():  # the common case, and a hot path of quote finding
        return text.lower()
    # Decomposed before case folding too, so that compatibility forms (`𝐴`) fold to lowercase.
    folded = unicodedata.normalize("NFKD", text).casefold().translate(_UNDECOMPOSED)
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


class Library:
    """Stories by id, ordered by title. Immutable: a reload builds a new Library."""

    def __init__(self, stories: Iterable[Story]) -> None:
        ordered = sorted(stories, key=lambda story: (fold(story.title), story.id))
        self._stories = {story.id: story for story in ordered}
        titles = Counter(fold(story.title) for story in ordered)
        self._shared_titles = frozenset(title for title, count in titles.items() if count > 1)

    def __len__(self) -> int:
        return len(self._stories)

    def __iter__(self) -> Iterator[Story]:
        return iter(self._stories.values())

    def __contains__(self, story_id: object) -> bool:
        return story_id in self._stories

    def shares_title(self, story: Story) -> bool:
        """True when another story of the library has the same title (any case or accents)."""
        return fold(story.title) in self._shared_titles

    def name(self, story: Story) -> str:
        """The story's title, told apart from others of the same title by its author (or, when
        the authors are the same too, its id): `Persuasion — Jane Austen`, `Emma (emma-2)`."""
        if not self.shares_title(story):
            return story.title
        author = story.metadata.author
        same_author = [
            other for other in self if fold(other.title) == fold(story.title)
            and (other.metadata.author or "") == (author or "")
        ]  # fmt: skip
        if author and len(same_author) == 1:
            return f"{story.title} — {author}"
        return f"{story.title} ({story.id})"

    def get(self, story_id: str) -> Story:
        try:
            return self._stories[story_id]
        except KeyError:
            raise UnknownStory(story_id) from None

    def resolve(self, story_id: str | None, fallback: str | None = None) -> Story:
        """The story a command means: the one named, else `fallback`, else the only one."""
        if story_id:
            return self.get(story_id)
        if fallback and fallback in self._stories:
            return self._stories[fallback]
        if len(self._stories) == 1:
            return next(iter(self._stories.values()))
        raise StoryRequired()

    def search(self, query: str, limit: int = 25) -> list[Story]:
        """Stories whose title or id holds `query` anywhere (prefix matches first)."""
        needle = fold(query.strip())
        matches = [s for s in self if needle in fold(s.title) or needle in s.id]
        matches.sort(key=lambda story: not fold(story.title).startswith(needle))
        return matches[:limit]
