"""Parts of a story for a read-along: a scene, a chapter, or about N minutes of reading each.

A part is a run of whole pages, `story.pages[first_page : last_page + 1]`. Parts by minutes are
cut where the author broke the text: at the end of the chapter or scene nearest the target,
and between two pages only inside a scene longer than one and a half parts. The same story
and rule always give the same parts, so a read-along can go on by part number after a
restart.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from bot.library.model import Chapter, Page, Story
from bot.library.stats import WORDS_PER_MINUTE, reading_minutes
from bot.library.wording import truncate

PartKind = Literal["scene", "chapter", "minutes"]

PART_TITLE_LIMIT = 100
MAX_PART_MINUTES = 240

# What a cut costs beyond its distance from the target (in targets): at a chapter's end
# nothing, at a scene's end a little, so that a chapter's end a little further is preferred.
# A scene is cut between pages only when it is very long (longer than one and a half parts),
# and then at some cost, so that its end is still taken when near enough.
_CHAPTER_END_COST = 0.0
_SCENE_END_COST = 0.1
_PAGE_END_COST = 0.3
_LONG_SCENE = 1.5
# A cut that would leave less than this share of a target as the story's last part is not
# taken: the scrap is read with the part before it.
_SMALLEST_LAST_SHARE = 0.25

_MINUTES = re.compile(r"(?:minutes:)?(\d+)\s*(?:m|min|mins|minute|minutes)?", re.IGNORECASE)


class UnknownPartRule(ValueError):
    """A part rule that cannot be read; the message says what can be."""


@dataclass(frozen=True, slots=True)
class PartRule:
    """How a story is cut into parts: `scene`, `chapter`, or about `minutes` minutes each."""

    kind: PartKind
    minutes: int = 0

    def __post_init__(self) -> None:
        if self.kind == "minutes" and not 1 <= self.minutes <= MAX_PART_MINUTES:
            raise UnknownPartRule(
                f"A part can be from 1 to {MAX_PART_MINUTES} minutes long, not {self.minutes}."
            )
        if self.kind != "minutes" and self.minutes:
            raise UnknownPartRule(f"A part by {self.kind} has no length in minutes.")

    @classmethod
    def parse(cls, text: str) -> PartRule:
        """`scene`, `chapter`, `15`, `15 min`, `15 minutes`, or a stored `code`."""
        cleaned = text.strip().lower()
        if cleaned in {"scene", "scenes"}:
            return cls("scene")
        if cleaned in {"chapter", "chapters"}:
            return cls("chapter")
        match = _MINUTES.fullmatch(cleaned)
        if match is None:
            raise UnknownPartRule(
                f"“{truncate(text.strip(), 40)}” is no kind of part: say `scene`, `chapter`, "
                "or a number of minutes such as `15`."
            )
        return cls("minutes", int(match.group(1)))

    @property
    def code(self) -> str:
        """A short stable form to store (`scene`, `chapter`, `minutes:15`); `parse` reads it."""
        return f"minutes:{self.minutes}" if self.kind == "minutes" else self.kind

    @property
    def label(self) -> str:
        """`a scene`, `a chapter`, `about 15 minutes`: what one part is, for a sentence."""
        return f"about {self.minutes} minutes" if self.kind == "minutes" else f"a {self.kind}"


@dataclass(frozen=True, slots=True)
class Part:
    """Part `number` (1-based): pages `first_page` to `last_page` of `story.pages`, both
    included. `title` names where it is (`Chapter 2: Riversong · Scene 1`), never its text."""

    number: int
    first_page: int
    last_page: int
    title: str
    minutes: int
    words: int

    @property
    def page_count(self) -> int:
        return self.last_page - self.first_page + 1

    def holds(self, page: int) -> bool:
        return self.first_page <= page <= self.last_page


@dataclass(frozen=True, slots=True)
class Remaining:
    """What a reader still has to read to finish a part: nothing once it is read."""

    pages: int
    words: int

    @property
    def minutes(self) -> int:
        return reading_minutes(self.words)


def cut_parts(story: Story, rule: PartRule) -> tuple[Part, ...]:
    """The parts of `story` under `rule`: every page in exactly one part, in reading order."""
    if rule.kind == "scene":
        spans = [(scene.pages[0].index, scene.pages[-1].index) for scene in story.scenes]
    elif rule.kind == "chapter":
        spans = [
            (
                story.scenes[chapter.first_scene].pages[0].index,
                story.scenes[chapter.first_scene + chapter.scene_count - 1].pages[-1].index,
            )
            for chapter in story.chapters
        ]
    else:
        spans = _spans_by_words(story, rule.minutes * WORDS_PER_MINUTE)
    return tuple(
        _part(story, number, first, last) for number, (first, last) in enumerate(spans, start=1)
    )


def part_holding(parts: Sequence[Part], page: int) -> Part:
    """The part that holds page index `page` (`ValueError` when no part does)."""
    at = bisect.bisect_right([part.first_page for part in parts], page) - 1
    if at < 0 or not parts[at].holds(page):
        raise ValueError(f"no part holds page {page}")
    return parts[at]


def has_read(part: Part, place: int | None, *, finished: bool = False) -> bool:
    """Whether a reader whose place is page index `place` (None: never opened) has read all of
    `part`: their place is past its last page. A place stays on the last page of the story
    when its reader finishes it, so `finished` (they turned past the end) counts as past."""
    if finished:
        return True
    return place is not None and place > part.last_page


def still_to_read(story: Story, part: Part, place: int | None) -> Remaining:
    """Pages and words from the reader's place (the page they are on counts as unread) to the
    end of `part`; from the first page for a reader who never opened the story."""
    start = 0 if place is None else place
    if start > part.last_page:
        return Remaining(0, 0)
    last = story.pages[part.last_page]
    words = last.words_before + last.words - story.pages[start].words_before
    return Remaining(part.last_page - start + 1, words)


def _spans_by_words(story: Story, target: int) -> list[tuple[int, int]]:
    """Greedy from the start: each part ends at the cut of least cost (distance from `target`
    in targets, plus what cutting there costs), its later cuts only looked at while they can
    still win."""
    pages = story.pages
    costs = _cut_costs(story, target)
    spans: list[tuple[int, int]] = []
    start = 0
    while start < len(pages):
        begin = pages[start].words_before
        best, best_cost = len(pages) - 1, math.inf
        for index in range(start, len(pages)):
            read = pages[index].words_before + pages[index].words - begin
            distance = abs(read - target) / target
            if read > target and distance >= best_cost:
                break  # every later cut is further from the target still
            rest = story.words - begin - read
            if index < len(pages) - 1 and rest < target * _SMALLEST_LAST_SHARE:
                continue
            if distance + costs[index] < best_cost:
                best, best_cost = index, distance + costs[index]
        spans.append((start, best))
        start = best + 1
    return spans


def _cut_costs(story: Story, target: int) -> list[float]:
    """For each page, what a cut right after it costs: least at a chapter's end, and past
    counting (infinite) inside a scene that is not very long."""
    costs = [math.inf] * len(story.pages)
    for scene in story.scenes:
        if scene.words > target * _LONG_SCENE:
            for page in scene.pages:
                costs[page.index] = _PAGE_END_COST
        costs[scene.pages[-1].index] = _SCENE_END_COST
    for chapter in story.chapters:
        last_scene = story.scenes[chapter.first_scene + chapter.scene_count - 1]
        costs[last_scene.pages[-1].index] = _CHAPTER_END_COST
    return costs


def span_title(story: Story, first_page: int, last_page: int) -> str:
    """Where pages `first_page` to `last_page` are, as shortly as says it: a whole chapter by
    its name, scenes counted within their chapter, pages only for a part of one scene, no
    scene in a chapter (or story) of one scene; at most PART_TITLE_LIMIT characters."""
    return _title(story, story.pages[first_page], story.pages[last_page])


def _part(story: Story, number: int, first: int, last: int) -> Part:
    start, end = story.pages[first], story.pages[last]
    words = end.words_before + end.words - start.words_before
    return Part(number, first, last, _title(story, start, end), reading_minutes(words), words)


def _title(story: Story, first: Page, last: Page) -> str:
    if not story.has_chapters:
        if first.index == 0 and last.index == story.page_count - 1:
            return "The whole story"
        if len(story.scenes) == 1:
            return _pages(story, first, last)
        return _scenes(story, first, last, offset=0)
    opening, closing = story.chapter_of(first.scene), story.chapter_of(last.scene)
    from_start = first.index == story.scenes[opening.first_scene].pages[0].index
    last_scene = story.scenes[closing.first_scene + closing.scene_count - 1]
    to_end = last.index == last_scene.pages[-1].index
    if opening.index == closing.index:
        if from_start and to_end:
            return _fit_names(lambda names: names[0], [opening.name])
        if opening.scene_count == 1:
            where = _pages(story, first, last)
        else:
            where = _scenes(story, first, last, offset=opening.first_scene)
        return _fit_names(lambda names: f"{names[0]} · {where}", [opening.name])
    left = "" if from_start else f" · {_place_in(opening, first)}"
    right = "" if to_end else f" · {_place_in(closing, last)}"
    closing_name = _without_shared_heading(opening.name, closing.name)
    return _fit_names(
        lambda names: f"{names[0]}{left} – {names[1]}{right}", [opening.name, closing_name]
    )


def _without_shared_heading(opening: str, closing: str) -> str:
    """`closing` less the headings it shares with `opening` (`Book One · Chapter III` after
    `Book One · Chapter I` is `Chapter III`), so a range names its book once."""
    shared = 0
    for opening_part, closing_part in zip(
        opening.split(" · ")[:-1], closing.split(" · ")[:-1], strict=False
    ):
        if opening_part != closing_part:
            break
        shared += len(opening_part) + len(" · ")
    return closing[shared:]


def _place_in(chapter: Chapter, page: Page) -> str:
    """`Scene 2` of the chapter, or `Page 3` in a chapter of one scene."""
    if chapter.scene_count == 1:
        return f"Page {page.number + 1}"
    return f"Scene {page.scene - chapter.first_scene + 1}"


def _scenes(story: Story, first: Page, last: Page, offset: int) -> str:
    """`Scene 3`, `Scene 3 · Pages 2–4` (part of one scene) or `Scenes 3–5`, counted from
    scene `offset` of the story."""
    if first.scene != last.scene:
        return f"Scenes {first.scene - offset + 1}–{last.scene - offset + 1}"
    scene = f"Scene {first.scene - offset + 1}"
    pages = _pages(story, first, last)
    return f"{scene} · {pages}" if pages else scene


def _pages(story: Story, first: Page, last: Page) -> str:
    """`Pages 2–4` or `Page 2` within one scene; empty when that is the whole scene."""
    if first.number == 0 and last.number == len(story.scenes[last.scene].pages) - 1:
        return ""
    if first.number == last.number:
        return f"Page {first.number + 1}"
    return f"Pages {first.number + 1}–{last.number + 1}"


def _fit_names(compose: Callable[[list[str]], str], names: list[str]) -> str:
    """`compose(names)` within PART_TITLE_LIMIT: chapter names on one line, each cut to an equal
    share of the room the rest of the title leaves."""
    names = [" ".join(name.split()) for name in names]
    title = compose(names)
    if len(title) <= PART_TITLE_LIMIT:
        return title
    room = (PART_TITLE_LIMIT - len(compose([""] * len(names)))) // len(names)
    return compose([truncate(name, room) for name in names])
