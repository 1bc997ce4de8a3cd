"""AO3 HTML downloads (fixtures of our own writing, in AO3's shape), and other HTML."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from bot.library.errors import UnusableText
from bot.library.formats import parse_ao3_html
from bot.library.model import Paragraph, Span, StoryMetadata, Style
from tests.library.formats.helpers import (
    ao3_chapter_paragraph_texts,
    assert_document_ok,
    fixture_bytes,
    texts,
)

SINGLE = "ao3_single_chapter.html"
MULTI = "ao3_multi_chapter.html"
NBSP = "\u00a0"


def span(text: str, words: str, style: Style = "italic") -> Span:
    """The span over the first `words` in `text`."""
    start = text.index(words)
    return Span(start, start + len(words), style)


def test_single_chapter_metadata() -> None:
    document = parse_ao3_html(fixture_bytes(SINGLE))
    assert document.format == "ao3-html"
    assert document.encoding == "utf-8"
    assert document.metadata == StoryMetadata(
        title="The Lamplighter's Ledger",
        author="quillwright",
        rating="General Audiences",
        warnings=("No Archive Warnings Apply",),
        fandoms=("Original Work",),
        relationships=("Tamsin & Oriel",),
        characters=("Tamsin", "Oriel"),
        tags=("Lighthouses", "Fluff", "Weather"),
        language="English",
        summary="Tamsin keeps the lamp. Oriel keeps the accounts.",
        notes="Written for a prompt about ledgers.\n\nThanks to my beta!",
        end_notes="The bell is real; the ledger is not.",
        source_url="https://archiveofourown.org/works/1000001",
        stats=(
            ("Category", "Gen"),
            ("Published", "2021-02-03"),
            ("Words", "312"),
            ("Chapters", "1/1"),
        ),
    )
    assert document.problems == ()


def test_single_chapter_text() -> None:
    document = parse_ao3_html(fixture_bytes(SINGLE))
    assert_document_ok(document)
    (chapter,) = document.chapters
    assert chapter.title is None
    assert (chapter.notes, chapter.end_notes) == (None, None)
    # The NBSP-only paragraph and the <hr> are the two scene breaks.
    assert [len(scene) for scene in chapter.scenes] == [6, 2, 2]
    first, second, third = chapter.scenes
    assert first[0] == Paragraph(
        "The lamp was lit at dusk, as it had been every night for ninety years."
    )
    # Whitespace collapses as in a browser; curly quotes and dashes are kept.
    assert first[1].text == (
        "Tamsin climbed the stairs two at a time, counting them under her breath: "
        "“Forty-one, forty-two —” and lost count, as always."
    )
    assert first[2] == Paragraph("Oil: four measures.", (Span(0, 19, "italic"),))
    assert first[3] == Paragraph("Wick: trimmed. Twice Once.", (Span(0, 26, "italic"),))
    assert "read them aloud & laughed" in first[4].text
    said = "“You counted again,” said Oriel from the doorway. “I heard you lose it at forty-two.”"
    assert first[5] == Paragraph(said, (span(said, "counted", "bold"),))
    assert second[0].text == (
        "In the morning the fog came in so thick that the gulls walked instead of flying.\n"
        "The bell rang once,\nand then again."
    )
    # A non-breaking space inside a sentence is the author's and stays.
    assert second[1].text == (
        f"Tamsin wrote: Fog. Bell rung at six. Oriel added, underneath,{NBSP}and at six "
        "past, because accuracy mattered."
    )
    wrote = second[1].text
    assert second[1].spans == (
        span(wrote, "Fog. Bell rung at six."),
        span(wrote, "and at six past"),
    )
    assert third[-1].text == "They ate bread on the gallery rail and did not count anything at all."


def test_multi_chapter_metadata_and_notes() -> None:
    document = parse_ao3_html(fixture_bytes(MULTI))
    metadata = document.metadata
    assert metadata.title == "Salt and Cinder"
    assert metadata.author == "emberlark"
    assert metadata.rating == "Teen And Up Audiences"
    assert metadata.warnings == ("Graphic Depictions Of Violence", "Major Character Death")
    assert metadata.characters == ("Original Characters",)
    assert metadata.relationships == ()
    assert metadata.summary == "A smith's apprentice and a salt merchant cross the marsh."
    assert metadata.notes is None
    assert metadata.end_notes == "Written in a notebook on a train."
    assert metadata.stats == (
        ("Published", "2019-05-01"),
        ("Updated", "2019-07-14"),
        ("Words", "640"),
        ("Chapters", "3/?"),
    )
    assert metadata.source_url == "https://archiveofourown.org/works/2000002"


def test_multi_chapter_chapters() -> None:
    document = parse_ao3_html(fixture_bytes(MULTI))
    assert_document_ok(document)
    titles = [chapter.title for chapter in document.chapters]
    assert titles == ["Chapter 1: The Marsh Road", "Chapter 2: Cinder's Bargain", "Chapter 3"]
    one, two, three = document.chapters
    assert [len(scene) for scene in one.scenes] == [2, 2]  # split at <p>xxx</p>
    walking = '"Keep walking," said the merchant. "Salt doesn\'t wait."'
    assert one.scenes[1][1] == Paragraph(walking, (span(walking, "wait"),))
    assert (one.notes, one.end_notes) == (None, None)
    assert [len(scene) for scene in two.scenes] == [2, 1]  # split at <p>&nbsp;</p>
    assert two.scenes[0][1].spans == (span(two.scenes[0][1].text, "one", "bold"),)
    assert two.notes == "This one is darker. Mind the warnings."
    assert two.end_notes == "The bargain comes back later."
    # Chapter 3's "Chapter Notes" only point to its end notes: no notes of its own.
    assert three.notes is None
    assert three.end_notes == "Thanks for reading this far."
    assert [p.text for p in three.scenes[0]] == [
        "Home again, the salt sold, the hammer hung on its nail.",
        "One sack for the baker.",
        "One sack for the well.",
        "Wren slept for two days.",
    ]


@pytest.mark.parametrize("name", [SINGLE, MULTI])
def test_nothing_is_lost(name: str) -> None:
    """Every chapter-body <p>, read independently with ElementTree, is a paragraph, in order."""
    data = fixture_bytes(name)
    root = ElementTree.fromstring(data.replace(b"&nbsp;", b"&#160;"))
    expected = ao3_chapter_paragraph_texts([root])
    got = texts(parse_ao3_html(data))
    # The list items of the multi-chapter fixture are paragraphs too, but not <p>s.
    assert [text for text in got if text.startswith("One sack") is False] == expected


def test_encoding_hint_and_fallback() -> None:
    html = "<html><body><div id='chapters'><div class='userstuff'><p>Café — “x”</p></div></div>"
    assert texts(parse_ao3_html(html.encode("cp1252"), "cp1252")) == ["Café — “x”"]
    assert texts(parse_ao3_html(html.encode("cp1252"))) == ["Café — “x”"]
    assert parse_ao3_html(html.encode("cp1252")).encoding == "cp1252"
    declared = b'<meta charset="iso-8859-7"><p>\xe1\xe2\xe3</p><p>more</p>'
    assert texts(parse_ao3_html(declared))[0] == "αβγ"
    assert texts(parse_ao3_html(html.encode("utf-8"), "no-such-codec")) == ["Café — “x”"]


def test_a_chapter_without_text_is_skipped_and_named() -> None:
    html = """<div id="chapters">
      <div class="meta group"><h2 class="heading">Chapter 1: Here</h2></div>
      <div class="userstuff"><p>Text.</p></div>
      <div class="meta group"><h2 class="heading">Chapter 2: Gone</h2></div>
      <div class="userstuff"><p>&nbsp;</p></div>
    </div>"""
    document = parse_ao3_html(html.encode())
    assert [chapter.title for chapter in document.chapters] == ["Chapter 1: Here"]
    assert document.problems == ("chapter 'Chapter 2: Gone' has no text; skipped",)


def test_saved_work_page_shape() -> None:
    """The AO3 work page (not a download) is read by the same walk."""
    html = """<html><head><title>Tide Tables - gullwing [Archive of Our Own]</title></head><body>
    <dl class="work meta group">
      <dt class="rating tags">Rating:</dt>
      <dd class="rating tags"><ul class="commas"><li><a class="tag">Mature</a></li></ul></dd>
      <dt class="stats">Stats:</dt>
      <dd class="stats"><dl class="stats"><dt>Published:</dt><dd>2020-01-01</dd>
        <dt>Chapters:</dt><dd>2/2</dd></dl></dd>
    </dl>
    <div id="workskin">
      <div class="preface group">
        <h2 class="title heading">Tide Tables</h2>
        <h3 class="byline heading"><a rel="author" href="/users/gullwing">gullwing</a></h3>
        <div class="summary module"><h3 class="heading">Summary:</h3>
          <blockquote class="userstuff"><p>Low water.</p></blockquote></div>
      </div>
      <div id="chapters" role="article">
        <div class="chapter" id="chapter-1">
          <div class="chapter preface group">
            <h3 class="title"><a href="/works/5/chapters/1">Chapter 1</a>: Ebb</h3>
            <div class="notes module"><h3 class="heading">Notes:</h3>
              <blockquote class="userstuff"><p>Chapter one notes.</p></blockquote></div></div>
          <div class="userstuff module">
            <h3 class="landmark heading">Chapter Text</h3><p>Out.</p></div>
          <div class="chapter preface group"><div id="chapter_1_endnotes" class="end notes module">
            <h3 class="heading">Notes:</h3>
            <blockquote class="userstuff"><p>After one.</p></blockquote></div></div>
        </div>
        <div class="chapter" id="chapter-2">
          <div class="chapter preface group">
            <h3 class="title"><a href="/works/5/chapters/2">Chapter 2</a>: Flood</h3></div>
          <div class="userstuff module">
            <h3 class="landmark heading">Chapter Text</h3><p>In.</p></div>
        </div>
      </div>
      <div id="work_endnotes" class="end notes module"><h3 class="heading">Notes:</h3>
        <blockquote class="userstuff"><p>The end.</p></blockquote></div>
    </div></body></html>"""
    document = parse_ao3_html(html.encode())
    assert document.metadata.title == "Tide Tables"
    assert document.metadata.author == "gullwing"
    assert document.metadata.rating == "Mature"
    assert document.metadata.summary == "Low water."
    assert document.metadata.end_notes == "The end."
    assert document.metadata.stats == (("Published", "2020-01-01"), ("Chapters", "2/2"))
    assert document.metadata.source_url == "https://archiveofourown.org/works/5"
    one, two = document.chapters
    assert (one.title, one.notes, one.end_notes) == (
        "Chapter 1: Ebb",
        "Chapter one notes.",
        "After one.",
    )
    assert (two.title, texts(document)) == ("Chapter 2: Flood", ["Out.", "In."])


def test_html_that_is_not_from_ao3() -> None:
    html = """<!DOCTYPE html><html><head><title>The Kite</title></head><body>
      <h1>The Kite</h1>
      <h2>One</h2><p>It rose.</p><hr/><p>It fell.</p>
      <h2>Two</h2><p>It rose <em>again</em>.</p>
    </body></html>"""
    document = parse_ao3_html(html.encode())
    assert_document_ok(document)
    assert document.metadata.title == "The Kite"
    assert [chapter.title for chapter in document.chapters] == ["One", "Two"]
    assert [len(scene) for scene in document.chapters[0].scenes] == [1, 1]
    assert document.metadata.source_url is None


def test_plain_html_without_headings_is_one_chapter() -> None:
    document = parse_ao3_html(b"<p>Just one.</p><p>And two.</p>")
    assert [chapter.title for chapter in document.chapters] == [None]
    assert document.metadata.title == "Untitled"


@pytest.mark.parametrize(
    "data",
    [b"", b"   ", b"<html><body></body></html>", b"<p>&nbsp;</p><hr/>", b"\x00\x01\x02binary"],
)
def test_no_story_text_is_unusable(data: bytes) -> None:
    with pytest.raises(UnusableText):
        parse_ao3_html(data)
