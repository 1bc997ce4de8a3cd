"""Formats are told apart by content; the file name's extension is only a hint."""

from __future__ import annotations

import zipfile
from io import BytesIO

import pytest

from bot.library.formats import FORMATS, detect_format, is_epub
from tests.library.formats.helpers import build_epub, fixture_bytes, xhtml

EPUB = build_epub([("a.xhtml", xhtml("<p>Text.</p>"))])
GUTENBERG_HEAD = b"Title: X\n\n*** START OF THE PROJECT GUTENBERG EBOOK X ***\n\nText.\n"


def plain_zip() -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("filename", "data", "expected"),
    [
        ("single.html", fixture_bytes("ao3_single_chapter.html"), "ao3-html"),
        ("renamed.txt", fixture_bytes("ao3_multi_chapter.html"), "ao3-html"),
        ("page", b"<!DOCTYPE html><html><body><p>x</p></body></html>", "ao3-html"),
        ("x.xhtml", b"<?xml version='1.0'?>\n<html xmlns='x'><body/></html>", "ao3-html"),
        ("frag.txt", b"<p>one</p>\n<p>two</p>", "ao3-html"),
        ("frag.html", b"Some text<br>more text", "ao3-html"),
        ("book.epub", EPUB, "epub"),
        ("book.zip", EPUB, "epub"),
        ("truncated.epub", EPUB[:100], "epub"),
        ("letter.docx", plain_zip(), "epub"),
        ("pg.txt", fixture_bytes("gutenberg_parts.txt"), "gutenberg"),
        ("pg-legacy", fixture_bytes("pg1952-the-yellow-wallpaper-legacy-2011.txt"), "gutenberg"),
        (
            "indented.txt",
            b"x\n      *** START OF THIS PROJECT GUTENBERG EBOOK 1 ***\n",
            "gutenberg",
        ),
        ("decoy.txt", b"Text.\n\n*** START: FULL LICENSE ***\n", "text"),
        ("story.md", fixture_bytes("story_front_matter.md"), "markdown"),
        ("story.txt", fixture_bytes("story_front_matter.md"), "markdown"),
        ("story.md", fixture_bytes("story_plain.md"), "markdown"),
        ("notes.markdown", b"No headings at all.\n", "markdown"),
        ("story.txt", fixture_bytes("story_plain.md"), "text"),
        ("rule.txt", b"---\nA scene break, then text.\n---\nMore.\n", "text"),
        ("copy.txt", b"Work Header\n\nA Title\n\nWork Text:\n\nText.\n", "text"),
        ("mention.txt", b"I found it on archiveofourown.org, <3\n", "text"),
        ("plain.txt", "Plain “text”.\n".encode(), "text"),
        ("empty.txt", b"", "text"),
        ("noext", b"\x00\x01\x02", "text"),
    ],
)
def test_detect_format(filename: str, data: bytes, expected: str) -> None:
    assert detect_format(filename, data) == expected
    assert expected in FORMATS


def test_is_epub() -> None:
    assert is_epub(EPUB)
    assert not is_epub(plain_zip())
    assert not is_epub(b"PK\x03\x04 truncated")
    assert not is_epub(b"text")


def test_every_parser_takes_a_fallback_title() -> None:
    from bot.library.formats import parse_ao3_html, parse_epub, parse_gutenberg, parse_markdown

    name = "From The File Name"
    assert parse_ao3_html(b"<p>Text.</p>", fallback_title=name).metadata.title == name
    nameless = build_epub([("a.xhtml", xhtml("<p>Text.</p>"))], title=None)
    assert parse_epub(nameless, fallback_title=name).metadata.title == name
    assert parse_gutenberg("Text.\n", fallback_title=name).metadata.title == name
    assert parse_markdown("Text.\n", fallback_title=name).metadata.title == name
    assert parse_ao3_html(b"<p>Text.</p>").metadata.title == "Untitled"
