"""Load every story of a folder into a `Library`, skipping (and naming) the unusable files."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.library.documents import parse_document
from bot.library.errors import EmptyLibrary, UnusableText
from bot.library.library import Library
from bot.library.model import Story
from bot.library.story import build_story
from bot.library.wording import plural

log = logging.getLogger(__name__)

STORY_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".xhtml", ".epub"})
MAX_FILE_BYTES = 64 * 1024 * 1024
# Story ids travel in button custom_ids (100 characters at most), so they stay short.
MAX_STORY_ID_LENGTH = 40


@dataclass(frozen=True, slots=True)
class SkippedText:
    name: str
    reason: str


def story_id_for(path: Path) -> str:
    """A stable id from the file name: lowercase words joined by hyphens."""
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    if len(slug) > MAX_STORY_ID_LENGTH:  # cut between words when that keeps most of it
        head = slug[: MAX_STORY_ID_LENGTH + 1]
        word_cut = head.rfind("-")
        slug = head[:word_cut] if word_cut >= MAX_STORY_ID_LENGTH // 2 else head[:-1]
    return slug.rstrip("-") or "story"


def load_story(path: Path, story_id: str | None = None) -> Story:
    """Load one file. Raises `UnusableText` with the reason when it cannot be served."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise UnusableText(f"it is too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})")
    document = parse_document(path.name, path.read_bytes())
    story = build_story(story_id or story_id_for(path), document, source=path.name)
    if story.words == 0:
        raise UnusableText("it holds no words to read")
    return story


def story_files(directory: Path) -> list[Path]:
    """The files of `directory` that may hold stories, in name order (hidden files left out)."""
    return sorted(
        path
        for path in directory.iterdir()
        if path.is_file()
        and not path.name.startswith(".")
        and path.suffix.lower() in STORY_SUFFIXES
    )


def load_each(directory: Path) -> Iterator[Story | SkippedText]:
    """Each story file of `directory` in name order: its story, or why it was skipped.

    A file whose id another file already took is skipped, as is one a parser cannot read;
    an unexpected parser error skips that file only, never the others.
    """
    sources: dict[str, str] = {}
    for path in story_files(directory):
        story_id = story_id_for(path)
        try:
            if story_id in sources:
                raise UnusableText(f"its id '{story_id}' is taken by {sources[story_id]}")
            story = load_story(path, story_id)
        except UnusableText as error:
            yield SkippedText(path.name, error.reason)
        except Exception as error:  # a parser bug must not take the other stories down
            log.debug("Traceback for %s", path.name, exc_info=True)
            yield SkippedText(path.name, f"unexpected {type(error).__name__}: {error}")
        else:
            sources[story_id] = path.name
            yield story


def library_summary(library: Library, skipped: tuple[SkippedText, ...]) -> str:
    """`3 stories (1 file skipped)`, for the log."""
    return f"{plural(len(library), 'story')} ({plural(len(skipped), 'file')} skipped)"


def load_library(directory: Path) -> tuple[Library, tuple[SkippedText, ...]]:
    """Load every story file in `directory`; a file that fails is skipped with one log line.

    Raises `EmptyLibrary` when no file gives a usable story: a bot with nothing to read is a
    setup mistake to report at start, not an empty bot.
    """
    if directory.is_file():
        raise EmptyLibrary(f"The texts folder {directory} is a file, not a folder.")
    if not directory.is_dir():
        raise EmptyLibrary(f"The texts folder {directory} does not exist.")
    stories: list[Story] = []
    skipped: list[SkippedText] = []
    for result in load_each(directory):
        if isinstance(result, SkippedText):
            log.warning("Skipping %s: %s", result.name, result.reason)
            skipped.append(result)
        else:
            stories.append(result)
            log.info(
                "Loaded %s as '%s' (%s, %s, %d scenes, %d pages, %d words)",
                result.source, result.title, result.format, result.encoding,
                len(result.scenes), result.page_count, result.words,
            )  # fmt: skip
    if not stories:
        details = "; ".join(f"{s.name}: {s.reason}" for s in skipped) or "no story files found"
        raise EmptyLibrary(f"No usable story in {directory} ({details}).")
    return Library(stories), tuple(skipped)
