"""AO3 HTML downloads (and saved AO3 work pages): metadata, chapters, notes, scenes.

An AO3 download is a `#preface` (a `dl.tags` of rating, warnings, fandoms ... and stats,
the title, byline, summary and notes), a `#chapters` holding, per chapter, a heading
(`h2.heading`, absent for a one-chapter work), its notes, its text (`div.userstuff`) and its
end notes (`#endnotesN`), then an `#afterword` with the work's end notes. The saved work
page (`h2.title`, `h3.byline`, `dl.work.meta`, `h3.title` per chapter, notes in
`.notes.module`) is read by the same walk. Elements are recognised by ids, tags and label
texts rather than exact class names, because Calibre renames classes in AO3's EPUBs
(`userstuff` becomes `userstuff2`), which `epub.py` reads with this module too.

Chapter titles keep the whole heading AO3 shows, `Chapter 1: Festival` (or `Chapter 2`
for an untitled chapter), so that the number is never lost and an untitled chapter still
has a name; a one-chapter work has a single chapter titled None.

HTML that is not from AO3 at all is read as a plain book: chapters at its main headings.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Final

from bot.library.errors import UnusableText
from bot.library.formats.html_common import (
    Block,
    Element,
    element_text,
    html_blocks,
    inline_text,
    is_hidden,
    parse_html,
    scenes_from_blocks,
    split_chapters,
)
from bot.library.model import ChapterSource, Document, StoryMetadata
from bot.library.text import decode_text, looks_binary, normalise

log = logging.getLogger(__name__)

FORMAT: Final = "ao3-html"
UNTITLED: Final = "Untitled"
AO3_WORK_URL: Final = "https://archiveofourown.org/works/{}"

_WORK_LINK = re.compile(r"^(?:https?://(?:www\.)?archiveofourown\.org)?/works/(\d+)(?:[/?#]|$)")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_STAT = re.compile(r"([A-Za-z][A-Za-z ]*?):\s*(\S+)")
_TITLE_SUFFIX = re.compile(r"\s*\[Archive of Our Own\]\s*$")

# Label paragraphs AO3 puts before a note's blockquote, and the note each names.
_LABELS: Final[dict[str, str]] = {
    "summary": "summary",
    "chapter summary": "summary",
    "notes": "notes",
    "chapter notes": "notes",
    "author's note": "notes",
    "author's notes": "notes",
    "end notes": "end_notes",
    "chapter end notes": "end_notes",
}
# `dl.tags` labels that fill a metadata field; any other label goes to `stats`.
_TAG_FIELDS: Final[dict[str, str]] = {
    "rating": "rating",
    "ratings": "rating",
    "archive warning": "warnings",
    "archive warnings": "warnings",
    "warning": "warnings",
    "warnings": "warnings",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "relationship": "relationships",
    "relationships": "relationships",
    "character": "characters",
    "characters": "characters",
    "additional tags": "tags",
    "freeform": "tags",
    "tags": "tags",
    "language": "language",
    "stats": "stats",
}


@dataclass(slots=True)
class ChapterDraft:
    """A chapter being collected: its heading, its text blocks and its notes."""

    title: str | None
    blocks: list[Block] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)

    def note(self, kind: str) -> str | None:
        return "\n\n".join(self.notes.get(kind, ())) or None


@dataclass(slots=True)
class WorkDraft:
    """What the walk over an AO3 tree found; `to_document` checks and freezes it."""

    title: str | None = None
    author: str | None = None
    tags: dict[str, list[str]] = field(default_factory=dict)
    stats: list[tuple[str, str]] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)
    source_url: str | None = None
    chapters: list[ChapterDraft] = field(default_factory=list)


def parse_ao3_html(
    data: bytes, encoding: str | None = None, *, fallback_title: str | None = None
) -> Document:
    """Parse an AO3 HTML download (or any HTML story) into a `Document`.

    `encoding` is a hint (from an HTTP header, say); without it UTF-8 is tried, then the
    page's `<meta charset>`, then cp1252. `fallback_title` (from the file name, say) is the
    title when the page names none. Raises `UnusableText` when no story text is found.
    """
    text, used = decode_html(data, encoding)
    root = parse_html(normalise(text))
    fallback = StoryMetadata(title=fallback_title or UNTITLED)
    return tree_to_document(root, FORMAT, used, fallback)


def decode_html(data: bytes, hint: str | None = None) -> tuple[str, str]:
    """Decode HTML bytes: the hint, else UTF-8, else the declared charset, else cp1252."""
    if looks_binary(data):
        raise UnusableText("it looks like a binary file, not HTML")
    declared = _CHARSET.search(data[:4096])
    for candidate in (hint, "utf-8", declared.group(1).decode("ascii") if declared else None):
        if not candidate:
            continue
        try:
            return data.decode(candidate).removeprefix("\ufeff"), candidate.lower()
        except (LookupError, UnicodeDecodeError):
            continue
    return decode_text(data)


def tree_to_document(
    root: Element, fmt: str, encoding: str, fallback: StoryMetadata | None = None
) -> Document:
    """A `Document` from a parsed AO3 tree (or a plain HTML tree when it is not AO3's).

    `fallback` fills what the tree does not say (an EPUB's package metadata).
    """
    work = read_ao3_tree(root) if is_ao3_tree(root) else None
    if work is None or not work.chapters:
        work = read_plain_tree(root)
    return work_to_document(work, fmt, encoding, fallback)


def is_ao3_tree(root: Element) -> bool:
    """True when the tree has AO3's landmarks (`#chapters`, `#preface`, `#workskin`)."""
    return any(element.id in {"chapters", "preface", "workskin"} for element in root.iter())


def read_ao3_tree(root: Element) -> WorkDraft:
    """Walk an AO3 tree once, in document order, collecting metadata, notes and chapters."""
    work = WorkDraft()
    _Walker(work).visit(root, in_chapters=False)
    _read_preface(root, work)
    return work


class _Walker:
    """Sorts every element of an AO3 tree into headings, chapter text and notes."""

    def __init__(self, work: WorkDraft) -> None:
        self.work = work

    def visit(self, element: Element, *, in_chapters: bool) -> None:
        if is_hidden(element):
            return
        if element.id == "chapters":
            in_chapters = True
        elif in_chapters and self._chapter_part(element):
            return
        elif element.tag == "blockquote":
            kind = _note_kind(element)
            if kind is not None:
                self.work.notes.setdefault(kind, []).append(element_text(element))
            return
        for child in element.elements():
            self.visit(child, in_chapters=in_chapters)

    def _chapter_part(self, element: Element) -> bool:
        """Take `element` if it is a chapter's heading, text or note; False to look inside."""
        if _is_label(element) or element.classes & {"endnote-link", "jump", "actions"}:
            return True
        if _is_chapter_heading(element):
            self.work.chapters.append(ChapterDraft(inline_text(element) or None))
            return True
        if element.tag == "blockquote":
            kind = _note_kind(element)
            if kind is not None:
                self._current().notes.setdefault(kind, []).append(element_text(element))
            return True
        if any(name.startswith("userstuff") for name in element.classes):
            self._current().blocks.extend(html_blocks(element))
            return True
        return False

    def _current(self) -> ChapterDraft:
        if not self.work.chapters:
            self.work.chapters.append(ChapterDraft(None))
        return self.work.chapters[-1]


def _is_label(element: Element) -> bool:
    if element.tag not in {"p", "h2", "h3", "h4", "h5", "h6"}:
        return False
    return inline_text(element).rstrip(":").strip().lower() in _LABELS


def _is_chapter_heading(element: Element) -> bool:
    return element.tag in {"h2", "h3"} and bool(element.classes & {"heading", "title"})


def _note_kind(blockquote: Element) -> str | None:
    """Which note a blockquote holds: "summary", "notes" or "end_notes" (None: not a note)."""
    holders = [blockquote, *list(blockquote.ancestors())[:3]]
    for holder in holders:
        if (
            holder.id.startswith(("endnotes", "work_endnotes"))
            or {"end", "notes"} <= holder.classes
        ):
            return "end_notes"
    label = blockquote.previous_element()
    if label is not None and _is_label(label):
        return _LABELS[inline_text(label).rstrip(":").strip().lower()]
    for holder in holders:
        if "summary" in holder.classes:
            return "summary"
        if "notes" in holder.classes:
            return "notes"
    return None


def _outside_chapters(element: Element) -> bool:
    return all(ancestor.id != "chapters" for ancestor in element.ancestors())


def _read_preface(root: Element, work: WorkDraft) -> None:
    """Title, author, tags, stats and the work's URL, from the preface and the page head."""
    everything = [element for element in root.iter() if _outside_chapters(element)]
    work.title = _first_text(
        [e for e in everything if e.tag == "h1" and _in_preface(e)]
        + [e for e in everything if e.tag == "h2" and {"title", "heading"} <= e.classes]
        + [e for e in everything if e.tag == "b" and "message" in _parent_classes(e)]
    ) or _page_title(root)
    bylines = [e for e in everything if "byline" in e.classes]
    work.author = _author(bylines[0]) if bylines else None
    for dl in everything:
        if dl.tag == "dl" and ("tags" in dl.classes or {"work", "meta"} <= dl.classes):
            _read_tags(dl, work)
    work.source_url = _work_url(root)


def _in_preface(element: Element) -> bool:
    return any(
        ancestor.id == "preface" or "preface" in ancestor.classes
        for ancestor in element.ancestors()
    )


def _parent_classes(element: Element) -> frozenset[str]:
    return element.parent.classes if element.parent is not None else frozenset()


def _first_text(elements: list[Element]) -> str | None:
    for element in elements:
        text = inline_text(element)
        if text:
            return text
    return None


def _page_title(root: Element) -> str | None:
    """The `<title>` text, less AO3's " - author - fandom" and site suffixes."""
    title = root.find("title")
    if title is None:
        return None
    text = _TITLE_SUFFIX.sub("", " ".join("".join(_texts(title)).split()))
    if is_ao3_tree(root):  # AO3's is "title - author - fandom"
        text = text.split(" - ", 1)[0]
    return text or None


def _texts(element: Element) -> list[str]:
    out: list[str] = []
    for child in element.children:
        out.extend([child] if isinstance(child, str) else _texts(child))
    return out


def _author(byline: Element) -> str | None:
    names = [inline_text(a) for a in byline.find_all("a") if a.attrs.get("rel") == "author"]
    if names:
        return ", ".join(name for name in names if name) or None
    text = inline_text(byline)
    return re.sub(r"^by\s+", "", text, flags=re.IGNORECASE) or None


def _read_tags(dl: Element, work: WorkDraft) -> None:
    """Read a `dl.tags` (or the work page's `dl.work.meta`) into tags and stats."""
    label: str | None = None
    for child in dl.elements():
        if child.tag == "dt":
            label = inline_text(child).rstrip(":").strip()
        elif child.tag == "dd" and label:
            _read_tag_value(label, child, work)
            label = None


def _read_tag_value(label: str, dd: Element, work: WorkDraft) -> None:
    kind = _TAG_FIELDS.get(label.lower())
    if kind == "stats":
        work.stats.extend(_stats(dd))
        return
    links = [text for text in (inline_text(a) for a in dd.find_all("a")) if text]
    values = links or [value.strip() for value in inline_text(dd).split(", ") if value.strip()]
    if kind is None:
        if values:
            work.stats.append((label, ", ".join(values)))
        return
    work.tags.setdefault(kind, []).extend(values)


def _stats(dd: Element) -> list[tuple[str, str]]:
    """Stats pairs, from a nested `dl.stats` (work page) or `Label: value` text (download)."""
    nested = dd.find("dl")
    if nested is not None:
        pairs: list[tuple[str, str]] = []
        label: str | None = None
        for child in nested.elements():
            if child.tag == "dt":
                label = inline_text(child).rstrip(":").strip()
            elif child.tag == "dd" and label:
                pairs.append((label, inline_text(child)))
                label = None
        return pairs
    return [(label.strip(), value) for label, value in _STAT.findall(inline_text(dd))]


def _work_url(root: Element) -> str | None:
    """The work's AO3 address: the first link to `/works/<id>`, absolute ones first."""
    hrefs = [a.attrs.get("href", "") for a in root.find_all("a")]
    for absolute in (True, False):
        for href in hrefs:
            match = _WORK_LINK.match(href)
            if match and href.startswith("http") == absolute:
                return AO3_WORK_URL.format(match.group(1))
    return None


def read_plain_tree(root: Element) -> WorkDraft:
    """Read HTML that is not AO3's: the title, and chapters at the main headings."""
    body = root.find("body") or root
    headings, title_heading = chapter_headings(body)
    title = _page_title(root)
    if title_heading is not None:
        title = title or inline_text(title_heading) or None
    skipped = [title_heading] if title_heading is not None else []
    blocks = html_blocks(body, headings=headings, skipped=skipped)
    chapters = [ChapterDraft(heading, part) for heading, part in split_chapters(blocks)]
    return WorkDraft(title=title, chapters=chapters)


def chapter_headings(body: Element) -> tuple[list[Element], Element | None]:
    """The headings that start chapters, and the one that titles the book (if any).

    Chapters start at the top level (h1, h2 or h3) used twice or more. A lone `<h1>` that
    comes before them is the book's title, not a chapter.
    """
    by_level: dict[str, list[Element]] = {"h1": [], "h2": [], "h3": []}
    order: list[Element] = []
    for element in body.iter():
        if element.tag in by_level and not is_hidden(element) and inline_text(element):
            by_level[element.tag].append(element)
            order.append(element)
    title = by_level["h1"][0] if len(by_level["h1"]) == 1 and order[0].tag == "h1" else None
    for level in ("h1", "h2", "h3"):
        if len(by_level[level]) >= 2:
            return by_level[level], title
    return [], title


def work_to_document(
    work: WorkDraft, fmt: str, encoding: str, fallback: StoryMetadata | None = None
) -> Document:
    """Check and freeze a collected work. Chapters without text are skipped, and named."""
    chapters: list[ChapterSource] = []
    problems: list[str] = []
    for number, draft in enumerate(work.chapters, start=1):
        scenes = scenes_from_blocks(draft.blocks)
        if not scenes:
            if draft.title is not None or draft.notes:
                name = f"'{draft.title}'" if draft.title else str(number)
                problems.append(f"chapter {name} has no text; skipped")
            continue
        notes = "\n\n".join(filter(None, (draft.note("summary"), draft.note("notes")))) or None
        chapters.append(ChapterSource(draft.title, scenes, notes, draft.note("end_notes")))
    if not chapters:
        raise UnusableText("it holds no story text")
    for problem in problems:
        log.info("%s", problem)
    return Document(
        metadata=_metadata(work, fallback),
        chapters=tuple(chapters),
        format=fmt,
        encoding=encoding,
        problems=tuple(problems),
    )


def _metadata(work: WorkDraft, fallback: StoryMetadata | None) -> StoryMetadata:
    base = fallback or StoryMetadata(title=UNTITLED)
    tags = work.tags

    def joined(kind: str) -> str | None:
        return ", ".join(tags[kind]) if tags.get(kind) else None

    def listed(kind: str, default: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(tags[kind]) if tags.get(kind) else default

    def note(kind: str, default: str | None) -> str | None:
        return "\n\n".join(work.notes[kind]) if work.notes.get(kind) else default

    return StoryMetadata(
        title=work.title or base.title,
        author=work.author or base.author,
        rating=joined("rating") or base.rating,
        warnings=listed("warnings", base.warnings),
        fandoms=listed("fandoms", base.fandoms),
        relationships=listed("relationships", base.relationships),
        characters=listed("characters", base.characters),
        tags=listed("tags", base.tags),
        language=joined("language") or base.language,
        summary=note("summary", base.summary),
        notes=note("notes", base.notes),
        end_notes=note("end_notes", base.end_notes),
        source_url=work.source_url or base.source_url,
        stats=tuple(work.stats) or base.stats,
    )
