"""EPUBs: AO3's Calibre-made downloads (built here from our own AO3-shaped fixtures, split
into pieces and with classes renamed as Calibre does) and ordinary EPUB 2 and 3 books."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

import pytest

from bot.library.errors import UnusableText
from bot.library.formats import parse_ao3_html, parse_epub
from bot.library.model import Paragraph, Span
from tests.library.formats.helpers import (
    assert_document_ok,
    build_epub,
    fixture_bytes,
    texts,
    xhtml,
)


def calibre_split(html: str) -> list[tuple[str, str]]:
    """Split an AO3 HTML download the way Calibre's AO3 EPUBs are: a file for the preface,
    one per chapter (each inside its own `#chapters`), one for the afterword; `userstuff`
    classes renamed, `&nbsp;` spelled as XML allows."""
    body = html[html.index("<body>") + 6 : html.index("</body>")].replace("&nbsp;", "&#160;")
    preface, rest = body.split('<div id="chapters" class="userstuff">', 1)
    chapters, afterword = rest.rsplit('<div id="afterword">', 1)
    chapters = chapters.strip().removesuffix("</div>")  # the end of #chapters
    chapters = chapters.replace('class="userstuff"', 'class="userstuff2"')
    pieces = [p for p in re.split(r'(?=<div class="meta group">)', chapters) if p.strip()]
    files = [("split_000.xhtml", xhtml(preface))]
    for number, piece in enumerate(pieces, start=1):
        renamed = piece.replace('class="meta group"', 'class="calibre1"')
        wrapped = f'<div class="userstuff1" id="chapters">{renamed}</div>'
        files.append((f"split_{number:03}.xhtml", xhtml(wrapped)))
    files.append((f"split_{len(files):03}.xhtml", xhtml(f'<div id="afterword">{afterword}')))
    return files


@pytest.mark.parametrize("name", ["ao3_single_chapter.html", "ao3_multi_chapter.html"])
def test_ao3_epub_reads_like_the_html_download(name: str) -> None:
    html = fixture_bytes(name).decode("utf-8")
    from_html = parse_ao3_html(html.encode())
    files = calibre_split(html)
    data = build_epub(
        files,
        title=from_html.metadata.title,
        author=from_html.metadata.author,
        subjects=["Fanworks", "General Audiences", "Original Work"],
        toc=[("Preface", files[0][0])],
    )
    document = parse_epub(data)
    assert_document_ok(document)
    assert document.format == "epub"
    assert document.chapters == from_html.chapters
    # The package's subjects mix ratings and tags; AO3's preface sorts them, so they win.
    assert document.metadata == from_html.metadata


def test_ao3_epub_falls_back_on_package_metadata() -> None:
    body = (
        '<div id="chapters" class="userstuff1"><div class="userstuff2">'
        "<p>Only text.</p></div></div>"
    )
    data = build_epub(
        [("c.xhtml", xhtml(body))],
        title="Package Title",
        author="Package Author",
        description="&lt;p&gt;From the &lt;em&gt;package&lt;/em&gt;.&lt;/p&gt;",
        subjects=["Fanworks"],
    )
    document = parse_epub(data)
    assert document.metadata.title == "Package Title"
    assert document.metadata.author == "Package Author"
    assert document.metadata.summary == "From the package."
    assert document.metadata.language == "en"
    assert document.metadata.tags == ()
    assert texts(document) == ["Only text."]


def generic_book(*, nav: bool) -> bytes:
    cover = xhtml("<h1>The Tin Kettle</h1><p>by A. Tinker</p>")
    one = xhtml(
        "<h2>Chapter One</h2><p>The kettle <em>sang</em>.</p><p>* * *</p><p>Then it stopped.</p>"
    )
    one_more = xhtml("<p>Calibre split this chapter here.</p>")
    two = xhtml("<h2>Chapter Two</h2><p>It was <b>mended</b>.</p>")
    return build_epub(
        [("cover.xhtml", cover), ("one.xhtml", one), ("one_b.xhtml", one_more), ("two.xhtml", two)],
        title="The Tin Kettle",
        author="A. Tinker",
        description="A kettle's life.",
        subjects=["Kettles", "Kitchens"],
        toc=[("Chapter One", "one.xhtml"), ("Chapter Two", "two.xhtml#start")],
        nav=nav,
        folder="",
    )


@pytest.mark.parametrize("nav", [False, True], ids=["epub2-ncx", "epub3-nav"])
def test_ordinary_epub(nav: bool) -> None:
    document = parse_epub(generic_book(nav=nav))
    assert_document_ok(document)
    metadata = document.metadata
    assert (metadata.title, metadata.author, metadata.language) == (
        "The Tin Kettle",
        "A. Tinker",
        "en",
    )
    assert (metadata.summary, metadata.tags) == ("A kettle's life.", ("Kettles", "Kitchens"))
    one, two = document.chapters  # the cover page, not in the contents and short, is left out
    assert one.title == "Chapter One"
    assert one.scenes == (
        (Paragraph("The kettle sang.", (Span(11, 15, "italic"),)),),
        (Paragraph("Then it stopped."), Paragraph("Calibre split this chapter here.")),
    )
    assert two.title == "Chapter Two"
    assert two.scenes == ((Paragraph("It was mended.", (Span(7, 13, "bold"),)),),)


def test_epub_without_a_table_of_contents_titles_chapters_by_their_headings() -> None:
    data = build_epub(
        [("a.xhtml", xhtml("<h1>First</h1><p>One.</p>")), ("b.xhtml", xhtml("<p>Two.</p>"))],
        toc=[],
    )
    document = parse_epub(data)
    assert [chapter.title for chapter in document.chapters] == ["First", None]
    assert texts(document) == ["One.", "Two."]


def test_epub_without_container_uses_the_first_package_file() -> None:
    data = build_epub([("a.xhtml", xhtml("<p>Found.</p>"))])
    source = zipfile.ZipFile(BytesIO(data))
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            if info.filename != "META-INF/container.xml":
                target.writestr(info, source.read(info))
    assert texts(parse_epub(buffer.getvalue())) == ["Found."]


def zip_of(files: dict[str, str]) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "not a readable EPUB"),
        (b"not a zip at all", "not a readable EPUB"),
        (build_epub([("a.xhtml", xhtml("<p>x</p>"))])[:200], "EPUB"),
        (zip_of({"mimetype": "application/epub+zip"}), "not an EPUB"),
        (zip_of({"word/document.xml": "<w/>"}), "not an EPUB"),
        (zip_of({"content.opf": "<package><unclosed"}), "not valid XML"),
        (
            zip_of({"content.opf": '<package xmlns="http://www.idpf.org/2007/opf"/>'}),
            "no readable documents",
        ),
        (build_epub([("a.xhtml", xhtml("<p>&#160;</p>"))]), "no story text"),
    ],
    ids=["empty", "text", "truncated", "no-package", "docx-like", "bad-xml", "no-spine", "blank"],
)
def test_unusable_epubs(data: bytes, reason: str) -> None:
    with pytest.raises(UnusableText, match=reason):
        parse_epub(data)


def test_a_missing_spine_document_is_unusable() -> None:
    data = build_epub([("a.xhtml", xhtml("<p>x</p>"))])
    source = zipfile.ZipFile(BytesIO(data))
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            if not info.filename.endswith("a.xhtml"):
                target.writestr(info, source.read(info))
    with pytest.raises(UnusableText, match="lacks the file"):
        parse_epub(buffer.getvalue())
