"""Shared test helpers: fixture and corpus paths, document invariants, an EPUB builder, and
an independent (ElementTree-based) reading of AO3 chapter paragraphs for nothing-lost checks.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterable, Iterator
from io import BytesIO
from pathlib import Path
from xml.etree import ElementTree

import pytest

from bot.library.breaks import is_scene_break
from bot.library.model import Document, Paragraph

REPO_ROOT = Path(__file__).resolve().parents[3]
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "formats"


def corpus_dir() -> Path:
    """The shared corpus: `$STORYBOT_CORPUS`, else `../shared/texts/corpus` beside the repo."""
    configured = os.environ.get("STORYBOT_CORPUS")
    return Path(configured) if configured else (REPO_ROOT / "../shared/texts/corpus").resolve()


CORPUS = corpus_dir()
requires_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"the shared corpus is not present at {CORPUS}"
)


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def paragraphs(document: Document) -> list[Paragraph]:
    """Every paragraph of the document, in reading order."""
    return [p for chapter in document.chapters for scene in chapter.scenes for p in scene]


def texts(document: Document) -> list[str]:
    return [paragraph.text for paragraph in paragraphs(document)]


def assert_document_ok(document: Document) -> None:
    """What every parser promises: chapters hold scenes hold paragraphs, none empty; no
    paragraph is a scene break or holds a blank line; spans lie inside their paragraph."""
    assert document.chapters, "a document has at least one chapter"
    assert document.metadata.title, "a document always has a title"
    for chapter in document.chapters:
        assert chapter.scenes, f"chapter {chapter.title!r} has no scene"
        for scene in chapter.scenes:
            assert scene, f"chapter {chapter.title!r} has an empty scene"
            for paragraph in scene:
                text = paragraph.text
                assert text.strip(), "empty paragraph"
                assert "\n\n" not in text, f"blank line inside {text[:60]!r}"
                assert not is_scene_break(text), f"scene break kept as text: {text!r}"
                for span in paragraph.spans:
                    assert 0 <= span.start < span.end <= len(text), (span, len(text))
                    assert span.style in {"italic", "bold"}


# --- EPUB -----------------------------------------------------------------------------------

CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="{opf}" media-type="application/oebps-package+xml"/></rootfiles>
</container>"""


def build_epub(
    documents: list[tuple[str, str]],
    *,
    title: str | None = "A Test Book",
    author: str | None = "Test Author",
    toc: Iterable[tuple[str, str]] = (),
    subjects: Iterable[str] = (),
    description: str | None = None,
    folder: str = "OEBPS",
    nav: bool = False,
) -> bytes:
    """An EPUB 2 (or, with `nav`, EPUB 3) zip of (file name, XHTML) documents, spine in order.

    `toc` lists (label, file name) entries for the NCX (or the nav document).
    """
    prefix = f"{folder}/" if folder else ""
    toc = list(toc)
    items = "\n".join(
        f'<item id="doc{i}" href="{name}" media-type="application/xhtml+xml"/>'
        for i, (name, _) in enumerate(documents)
    )
    spine = "\n".join(f'<itemref idref="doc{i}"/>' for i in range(len(documents)))
    meta = ["<dc:language>en</dc:language>"]
    if title:
        meta.append(f"<dc:title>{title}</dc:title>")
    if author:
        meta.append(f'<dc:creator opf:role="aut">{author}</dc:creator>')
    meta += [f"<dc:subject>{subject}</dc:subject>" for subject in subjects]
    if description:
        meta.append(f"<dc:description>{description}</dc:description>")
    nav_item = (
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
        if nav
        else '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>'
    )
    opf = f"""<?xml version='1.0' encoding='utf-8'?>
<package xmlns="http://www.idpf.org/2007/opf" version="{"3.0" if nav else "2.0"}">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
    {"".join(meta)}
  </metadata>
  <manifest>{items}{nav_item}</manifest>
  <spine toc="ncx">{spine}</spine>
</package>"""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", CONTAINER.format(opf=f"{prefix}content.opf"))
        archive.writestr(f"{prefix}content.opf", opf)
        if nav:
            archive.writestr(f"{prefix}nav.xhtml", _nav(toc))
        else:
            archive.writestr(f"{prefix}toc.ncx", _ncx(toc))
        for name, xhtml in documents:
            archive.writestr(f"{prefix}{name}", xhtml, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _ncx(toc: list[tuple[str, str]]) -> str:
    points = "".join(
        f'<navPoint id="p{i}" playOrder="{i + 1}"><navLabel><text>{label}</text></navLabel>'
        f'<content src="{href}"/></navPoint>'
        for i, (label, href) in enumerate(toc)
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?>"
        '<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">'
        f"<navMap>{points}</navMap></ncx>"
    )


def _nav(toc: list[tuple[str, str]]) -> str:
    links = "".join(f'<li><a href="{href}">{label}</a></li>' for label, href in toc)
    return (
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
        f'<body><nav epub:type="toc"><ol>{links}</ol></nav></body></html>'
    )


def xhtml(body: str, title: str = "Test") -> str:
    return (
        "<?xml version='1.0' encoding='utf-8'?>\n"
        '<html xmlns="http://www.w3.org/1999/xhtml"><head>'
        f"<title>{title}</title></head><body>{body}</body></html>"
    )


# --- an independent reading of AO3 chapter paragraphs ---------------------------------------------

_LABELS = {"chapter notes", "chapter end notes", "chapter summary"}
_BR = "\x00"


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def ao3_chapter_paragraph_texts(roots: Iterable[ElementTree.Element]) -> list[str]:
    """The text of every `<p>` of the chapter bodies, in order, read with ElementTree.

    Paragraphs inside notes (blockquotes, `#endnotesN`), note labels, and scene-break
    paragraphs (`xxx`, a lone NBSP) are left out: they are not story paragraphs.
    """
    found: list[str] = []
    for root in roots:
        for chapters in root.iter():
            if chapters.get("id") == "chapters":
                found.extend(_story_paragraphs(chapters))
    return found


def _story_paragraphs(element: ElementTree.Element) -> Iterator[str]:
    for child in element:
        name = _local(child.tag)
        if name == "blockquote" or child.get("id", "").startswith("endnotes"):
            continue
        if "toc-heading" in child.get("class", "").split():
            continue
        if name == "p":
            text = _p_text(child)
            if text and text.lower() not in _LABELS and not is_scene_break(text):
                yield text
        else:
            yield from _story_paragraphs(child)


def _p_text(p: ElementTree.Element) -> str:
    def walk(node: ElementTree.Element) -> str:
        out = [node.text or ""]
        for child in node:
            out.append(_BR if _local(child.tag) == "br" else walk(child))
            out.append(child.tail or "")
        return "".join(out)

    collapsed = re.sub(r"[ \t\n\r\f]+", " ", walk(p))
    return re.sub(f" ?{_BR} ?", "\n", collapsed).strip(" \n")
