"""The story model: frozen dataclasses shared by parsing, paging, quotes and the bot.

A text file is parsed into a `Document` (metadata plus chapters of scenes of paragraphs, no
paging). `build_story` (in `story.py`) pages a document into a `Story`, the object every
other layer reads. Nothing here imports discord.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bot.library.render import render

Style = Literal["italic", "bold"]
# Between the paragraphs of a page: a blank line, as in the text the story came from.
PARAGRAPH_SEPARATOR = "\n\n"


@dataclass(frozen=True, slots=True)
class Span:
    """Inline emphasis over `text[start:end]` of a paragraph (from HTML `<em>`/`<strong>`)."""

    start: int
    end: int
    style: Style


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph of story text, exactly as written (may hold single line breaks)."""

    text: str
    spans: tuple[Span, ...] = ()


Scene = tuple[Paragraph, ...]


@dataclass(frozen=True, slots=True)
class ChapterSource:
    """A chapter as parsed: its heading, its scenes, and notes shown apart from the text."""

    title: str | None
    scenes: tuple[Scene, ...]
    notes: str | None = None
    end_notes: str | None = None


@dataclass(frozen=True, slots=True)
class StoryMetadata:
    """What a reader may want to know about a story before reading it."""

    title: str
    author: str | None = None
    rating: str | None = None
    warnings: tuple[str, ...] = ()
    fandoms: tuple[str, ...] = ()
    relationships: tuple[str, ...] = ()
    characters: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    language: str | None = None
    summary: str | None = None
    notes: str | None = None
    end_notes: str | None = None
    source_url: str | None = None
    stats: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed text file, before paging. `format` names the parser that read it."""

    metadata: StoryMetadata
    chapters: tuple[ChapterSource, ...]
    format: str
    encoding: str = "utf-8"
    problems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Piece:
    """The part `text[start:end]` of paragraph `paragraph` (index within its scene) on a page.

    Pieces of one paragraph are contiguous: between two pieces lies only the whitespace at
    which the paragraph was split (nothing when it had to be split inside a word).
    """

    paragraph: int
    start: int
    end: int
    source: Paragraph = field(repr=False, compare=False)

    @property
    def text(self) -> str:
        return self.source.text[self.start : self.end]

    @property
    def markdown(self) -> str:
        return render(self.source, self.start, self.end)


@dataclass(frozen=True, slots=True)
class Page:
    """One Discord-sized page of a scene. Text is kept once, in the paragraphs; pages point in."""

    scene: int  # index of the scene in the story (0-based)
    number: int  # index of the page in its scene (0-based)
    pieces: tuple[Piece, ...]
    words: int
    words_before: int  # words of the story before this page, for percentages
    index: int = 0  # of the page in the whole story, in reading order (0-based)

    @property
    def markdown(self) -> str:
        """The escaped text, ready for an embed description (within its limit by construction)."""
        return PARAGRAPH_SEPARATOR.join(piece.markdown for piece in self.pieces)

    @property
    def text(self) -> str:
        """The raw (unescaped) text shown on the page: its pieces, one per paragraph block."""
        return PARAGRAPH_SEPARATOR.join(piece.text for piece in self.pieces)


@dataclass(frozen=True, slots=True)
class StoryScene:
    index: int  # in the story, 0-based
    chapter: int  # index of its chapter, 0-based
    paragraphs: tuple[Paragraph, ...]
    pages: tuple[Page, ...]
    words: int


@dataclass(frozen=True, slots=True)
class Chapter:
    index: int
    title: str | None
    first_scene: int
    scene_count: int
    notes: str | None = None
    end_notes: str | None = None

    @property
    def name(self) -> str:
        """The heading as the text gives it (`Chapter 2: Riversong`), else `Chapter N`."""
        return self.title or f"Chapter {self.index + 1}"


@dataclass(frozen=True, slots=True)
class Story:
    """A paged story: chapters of scenes of pages. `pages` holds every page in reading order
    (`page.index` is its place there); scene and page numbers are 0-based."""

    id: str
    metadata: StoryMetadata
    chapters: tuple[Chapter, ...]
    scenes: tuple[StoryScene, ...]
    words: int
    format: str = "text"
    encoding: str = "utf-8"
    source: str = ""
    problems: tuple[str, ...] = field(default=())
    pages: tuple[Page, ...] = field(default=(), repr=False)
    # Each page's markdown, rendered the first time it is shown (pages never change).
    _markdown: dict[int, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def title(self) -> str:
        return self.metadata.title

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def first_page(self) -> Page:
        return self.pages[0]

    @property
    def last_page(self) -> Page:
        return self.pages[-1]

    def markdown_of(self, page: Page) -> str:
        """`page.markdown` (a page of this story), rendered once and kept."""
        text = self._markdown.get(page.index)
        if text is None:
            text = self._markdown[page.index] = page.markdown
        return text

    def step(self, page: Page, delta: int) -> Page | None:
        """The page `delta` pages after `page` (before, when negative); None past either end."""
        index = page.index + delta
        return self.pages[index] if 0 <= index < len(self.pages) else None

    def nearest_page(self, scene: int, page: int) -> tuple[Page, bool]:
        """Page `page` of scene `scene` if the story has it, else the nearest page before that
        place (the first page when there is none); and whether it was exact."""
        if 0 <= scene < len(self.scenes):
            pages = self.scenes[scene].pages
            if 0 <= page < len(pages):
                return pages[page], True
            if page >= len(pages):
                return pages[-1], False
        if scene >= len(self.scenes):
            return self.last_page, False
        return self.first_page, False

    @property
    def has_chapters(self) -> bool:
        """True when the text names its chapters; a story without them has one unnamed chapter."""
        return len(self.chapters) > 1 or any(c.title for c in self.chapters)

    def page(self, scene: int, page: int) -> Page:
        return self.scenes[scene].pages[page]

    def chapter_of(self, scene: int) -> Chapter:
        return self.chapters[self.scenes[scene].chapter]
