"""EPUB files: AO3's (Calibre-made) downloads, and ordinary EPUB 2/3 books.

An EPUB is a zip: `META-INF/container.xml` names the package (`.opf`), whose manifest and
spine list the XHTML documents in reading order and whose metadata gives title, author,
language, description and subjects. The spine's documents are read as one HTML tree; when
it holds AO3's landmarks (`#preface`, `#chapters`) it is read exactly like an AO3 HTML
download (Calibre splits that file into pieces but keeps its ids). Any other EPUB becomes
one chapter per table-of-contents entry (NCX or EPUB 3 nav), documents that the table of
contents does not name continuing the chapter before them.
"""

from __future__ import annotations

import logging
import lzma
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from io import BytesIO
from typing import Final
from urllib.parse import unquote
from xml.etree import ElementTree

from bot.library.errors import UnusableText
from bot.library.formats.ao3_html import (
    UNTITLED,
    ChapterDraft,
    WorkDraft,
    is_ao3_tree,
    read_ao3_tree,
    work_to_document,
)
from bot.library.formats.html_common import (
    Element,
    html_blocks,
    html_to_text,
    inline_text,
    parse_html,
)
from bot.library.model import Document, Paragraph, StoryMetadata
from bot.library.text import decode_text, normalise

log = logging.getLogger(__name__)

FORMAT: Final = "epub"
# Limits that keep a hostile zip (a "zip bomb") from exhausting memory.
MAX_MEMBER_BYTES: Final = 64 * 1024 * 1024
MAX_TOTAL_BYTES: Final = 256 * 1024 * 1024
MAX_MEMBERS: Final = 10_000
# A document before the first table-of-contents entry with fewer words than this is a
# cover, title page or copyright page, not story text.
FRONT_MATTER_WORDS: Final = 60

_NS: Final = {
    "container": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
# What reading a damaged or hostile zip may raise, besides `zipfile`'s own errors.
ZIP_ERRORS: Final = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    lzma.LZMAError,
    struct.error,
    OSError,
    ValueError,
    EOFError,
    RuntimeError,
    NotImplementedError,
)
_HTML_TYPES: Final = frozenset({"application/xhtml+xml", "text/html", "application/xml"})
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]*encoding=["']([A-Za-z0-9_.:-]+)["']""")


@dataclass(frozen=True, slots=True)
class _Package:
    """What the `.opf` says: metadata, the spine's documents and the table of contents."""

    metadata: StoryMetadata
    spine: tuple[str, ...]  # archive paths, in reading order
    toc: dict[str, str]  # archive path -> the first table-of-contents label naming it


def parse_epub(data: bytes, *, fallback_title: str | None = None) -> Document:
    """Parse an EPUB into a `Document`. Raises `UnusableText` for anything unreadable.

    `fallback_title` (from the file name, say) is the title when the EPUB names none.
    """
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except ZIP_ERRORS as error:
        raise UnusableText(f"it is not a readable EPUB (zip) file: {error}") from None
    with archive:
        _check_size(archive)
        try:
            package = _read_package(archive, fallback_title or UNTITLED)
            documents = [(path, _read_document(archive, path)) for path in package.spine]
        except ZIP_ERRORS as error:
            raise UnusableText(f"its EPUB archive is damaged: {error}") from None
    return _to_document(package, documents)


def _check_size(archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise UnusableText(f"its EPUB holds too many files ({len(members):,})")
    total = sum(member.file_size for member in members)
    if total > MAX_TOTAL_BYTES:
        raise UnusableText(f"its EPUB unpacks to too much data ({total:,} bytes)")


def _read(archive: zipfile.ZipFile, path: str) -> bytes:
    try:
        info = archive.getinfo(path)
    except KeyError:
        raise UnusableText(f"its EPUB lacks the file {path}") from None
    if info.file_size > MAX_MEMBER_BYTES:
        raise UnusableText(f"its EPUB file {path} is too large")
    with archive.open(info) as member:
        return member.read(MAX_MEMBER_BYTES + 1)[:MAX_MEMBER_BYTES]


def _xml(data: bytes, what: str) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise UnusableText(f"its EPUB {what} is not valid XML: {error}") from None


def _read_package(archive: zipfile.ZipFile, fallback_title: str) -> _Package:
    opf_path = _package_path(archive)
    opf = _xml(_read(archive, opf_path), "package file")
    base = posixpath.dirname(opf_path)
    manifest: dict[str, tuple[str, str, str]] = {}  # id -> (path, media type, properties)
    for item in opf.iterfind("opf:manifest/opf:item", _NS):
        href = item.get("href")
        if item.get("id") and href:
            path = _join(base, href)
            manifest[item.get("id", "")] = (
                path,
                item.get("media-type", ""),
                item.get("properties", ""),
            )
    spine = tuple(
        manifest[ref][0]
        for ref in (item.get("idref", "") for item in opf.iterfind("opf:spine/opf:itemref", _NS))
        if ref in manifest and manifest[ref][1] in _HTML_TYPES and "nav" not in manifest[ref][2]
    )
    if not spine:
        raise UnusableText("its EPUB has no readable documents in its spine")
    toc = _read_toc(archive, opf, manifest)
    return _Package(_opf_metadata(opf, fallback_title), spine, toc)


def _package_path(archive: zipfile.ZipFile) -> str:
    """The `.opf` path named by `META-INF/container.xml`, else the first `.opf` found."""
    names = archive.namelist()
    if "META-INF/container.xml" in names:
        container = _xml(_read(archive, "META-INF/container.xml"), "container.xml")
        rootfile = container.find("container:rootfiles/container:rootfile", _NS)
        path = rootfile.get("full-path") if rootfile is not None else None
        if path and path in names:
            return path
    for name in names:
        if name.lower().endswith(".opf"):
            return name
    raise UnusableText("it is a zip file but not an EPUB (no package .opf file)")


def _join(base: str, href: str) -> str:
    return posixpath.normpath(posixpath.join(base, unquote(href.split("#", 1)[0])))


def _opf_metadata(opf: ElementTree.Element, fallback_title: str) -> StoryMetadata:
    """Title, authors, language, description and subjects from the package metadata."""

    def texts(tag: str) -> list[str]:
        return [
            " ".join((element.text or "").split())
            for element in opf.iterfind(f"opf:metadata/dc:{tag}", _NS)
            if (element.text or "").strip()
        ]

    titles, creators, languages = texts("title"), texts("creator"), texts("language")
    descriptions = texts("description")
    sources = [text for text in texts("source") + texts("identifier") if "://" in text]
    summary = html_to_text(descriptions[0]) if descriptions else None
    return StoryMetadata(
        title=titles[0] if titles else fallback_title,
        author=", ".join(creators) or None,
        language=languages[0] if languages else None,
        summary=summary or None,
        tags=tuple(texts("subject")),
        source_url=sources[0] if sources else None,
    )


def _read_toc(
    archive: zipfile.ZipFile,
    opf: ElementTree.Element,
    manifest: dict[str, tuple[str, str, str]],
) -> dict[str, str]:
    """Map each document to the first table-of-contents label that points into it."""
    toc: dict[str, str] = {}
    for path, media_type, properties in manifest.values():
        try:
            if media_type == "application/x-dtbncx+xml":
                _read_ncx(_xml(_read(archive, path), "NCX"), posixpath.dirname(path), toc)
            elif "nav" in properties.split():
                _read_nav(_decode(_read(archive, path)), posixpath.dirname(path), toc)
        except UnusableText as error:  # a broken table of contents is not fatal
            log.info("Ignoring the EPUB table of contents %s: %s", path, error.reason)
    return toc


def _read_ncx(ncx: ElementTree.Element, base: str, toc: dict[str, str]) -> None:
    for point in ncx.iter(f"{{{_NS['ncx']}}}navPoint"):
        label = point.find("ncx:navLabel/ncx:text", _NS)
        content = point.find("ncx:content", _NS)
        src = content.get("src") if content is not None else None
        if label is not None and src:
            toc.setdefault(_join(base, src), " ".join((label.text or "").split()))


def _read_nav(markup: str, base: str, toc: dict[str, str]) -> None:
    root = parse_html(markup)
    navs = [nav for nav in root.find_all("nav") if "toc" in nav.attrs.get("epub:type", "")]
    for nav in navs or root.find_all("nav")[:1]:
        for link in nav.find_all("a"):
            href = link.attrs.get("href", "")
            if href:
                toc.setdefault(_join(base, href), inline_text(link))


def _decode(data: bytes) -> str:
    declared = _XML_ENCODING.match(data[:200])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii")).removeprefix("\ufeff")
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)[0]


def _read_document(archive: zipfile.ZipFile, path: str) -> Element:
    """One spine document, parsed; its `<body>` (or the whole tree when it has none)."""
    root = parse_html(normalise(_decode(_read(archive, path))))
    return root.find("body") or root


def _to_document(package: _Package, documents: list[tuple[str, Element]]) -> Document:
    combined = Element("#document")
    for _, body in documents:
        combined.children.append(body)
    if is_ao3_tree(combined):
        work = read_ao3_tree(combined)
        if work.chapters:
            # The package's subjects mix AO3's rating, warnings and tags: the preface has them
            # sorted, so only the plain facts are taken from the package.
            facts = replace(package.metadata, tags=())
            return work_to_document(work, FORMAT, "utf-8", facts)
    return work_to_document(_read_book(package, documents), FORMAT, "utf-8", package.metadata)


def _read_book(package: _Package, documents: list[tuple[str, Element]]) -> WorkDraft:
    """An ordinary EPUB: a chapter per table-of-contents entry, else per document."""
    chapters: list[ChapterDraft] = []
    for path, body in documents:
        label = package.toc.get(path)
        blocks = html_blocks(body)
        if label is None and package.toc and chapters:
            chapters[-1].blocks.extend(blocks)  # a document split off the chapter before
            continue
        if label is None and package.toc and _words(blocks) < FRONT_MATTER_WORDS:
            continue  # cover, title page, copyright page
        title = label or _first_heading(body)
        if title and blocks and _is_heading_text(blocks[0], title):
            blocks = blocks[1:]  # the chapter's own heading repeats its title
        chapters.append(ChapterDraft(title, blocks))
    return WorkDraft(title=package.metadata.title, chapters=chapters)


def _words(blocks: Sequence[object]) -> int:
    return sum(len(b.text.split()) for b in blocks if isinstance(b, Paragraph))


def _first_heading(body: Element) -> str | None:
    for element in body.iter():
        if element.tag in {"h1", "h2", "h3"}:
            return inline_text(element) or None
    return None


def _is_heading_text(block: object, title: str) -> bool:
    return isinstance(block, Paragraph) and " ".join(block.text.split()).casefold() == (
        title.casefold()
    )
