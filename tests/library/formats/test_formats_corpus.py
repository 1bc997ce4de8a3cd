"""The real texts of the shared corpus (skipped when it is absent; see PROVENANCE.md there).

Counts were read off the texts themselves: chapter headings by `grep`, the Yellow
Wallpaper's diary sections by its two-blank-line gaps, and for AO3 files every `<p>` of the
chapter bodies, read independently with ElementTree, must be a paragraph, once, in order.
"""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path
from xml.etree import ElementTree

import pytest

from bot.library.documents import parse_document
from bot.library.formats import (
    count_parts_and_chapters,
    detect_format,
    parse_ao3_html,
    parse_epub,
    parse_gutenberg,
)
from bot.library.model import Document
from bot.library.text import decode_text
from tests.library.formats.helpers import (
    CORPUS,
    ao3_chapter_paragraph_texts,
    assert_document_ok,
    requires_corpus,
    texts,
)

pytestmark = [pytest.mark.corpus, requires_corpus]

GUTENBERG = CORPUS / "gutenberg"
AO3 = CORPUS / "ao3"
AIM = "ao3-23009290-my-aim-is-steady-and-true"
FIRE = "ao3-218676-fire-and-feather"


def gutenberg(name: str) -> Document:
    return parse_gutenberg(decode_text((GUTENBERG / name).read_bytes())[0])


def parse_any(path: Path) -> Document:
    return parse_document(path.name, path.read_bytes())


# --- Project Gutenberg ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "parts", "chapters"),
    [
        ("pg11-alice-in-wonderland.txt", 0, 12),
        ("pg345-dracula.txt", 0, 27),
        ("pg2600-war-and-peace.txt", 17, 365),
        ("pg1952-the-yellow-wallpaper.txt", 0, 1),
        ("pg1952-the-yellow-wallpaper-legacy-2011.txt", 0, 1),
    ],
)
def test_gutenberg_counts(name: str, parts: int, chapters: int) -> None:
    document = gutenberg(name)
    assert_document_ok(document)
    assert count_parts_and_chapters(document) == (parts, chapters)
    assert document.problems == ()
    joined = " ".join(texts(document))
    assert "Project Gutenberg" not in joined
    assert "FULL LICENSE" not in joined


def test_alice() -> None:
    document = gutenberg("pg11-alice-in-wonderland.txt")
    assert document.metadata.title == "Alice's Adventures in Wonderland"
    assert document.metadata.author == "Lewis Carroll"
    titles = [chapter.title for chapter in document.chapters]
    assert titles[0] == "Chapter I: Down the Rabbit-Hole"
    assert titles[-1] == "Chapter XII: Alice’s Evidence"
    assert texts(document)[0].startswith("Alice was beginning to get very tired of sitting")
    assert texts(document)[-1] == "THE END"
    # Verse keeps its lines; the star lines of chapter I break its scene.
    assert any(t.startswith("“How doth the little crocodile\n    Improve") for t in texts(document))
    assert len(document.chapters[0].scenes) == 2


def test_dracula() -> None:
    document = gutenberg("pg345-dracula.txt")
    titles = [chapter.title for chapter in document.chapters]
    assert titles[0] == "Chapter I: Jonathan Harker’s Journal"
    assert titles[4] == "Chapter V: Letters—Lucy and Mina"
    assert titles[23] == "Chapter XXIV: Dr. Seward’s Phonograph Diary, spoken by Van Helsing"
    assert titles[26] == "Chapter XXVII: Mina Harker’s Journal"
    # The subtitle line is in the title, not the text; the note before chapter I is a note.
    assert not any(t.startswith("JONATHAN HARKER’S JOURNAL") for t in texts(document))
    assert (document.metadata.notes or "").startswith("How these papers have been placed")
    assert texts(document)[-1] == "THE END"  # the publisher's advertisements are cut


def test_war_and_peace() -> None:
    document = gutenberg("pg2600-war-and-peace.txt")
    titles = [chapter.title for chapter in document.chapters]
    assert titles[0] == "Book One: 1805 · Chapter I"
    assert titles[28] == "Book Two: 1805 · Chapter I"
    assert "First Epilogue: 1813 - 20 · Chapter I" in titles
    assert titles[-1] == "Second Epilogue · Chapter XII"
    assert texts(document)[0].startswith("“Well, Prince, so Genoa and Lucca are now just family")


def test_yellow_wallpaper_editions() -> None:
    modern = gutenberg("pg1952-the-yellow-wallpaper.txt")
    legacy = gutenberg("pg1952-the-yellow-wallpaper-legacy-2011.txt")
    for document in (modern, legacy):
        (chapter,) = document.chapters
        assert chapter.title is None
        assert texts(document)[0].startswith("It is very seldom that mere ordinary people")
        assert texts(document)[-1].endswith("so that I had to creep over him every time!")
    assert len(modern.chapters[0].scenes) == 1  # no visible section breaks
    assert len(legacy.chapters[0].scenes) == 9  # 8 two-blank-line gaps between diary sections


# --- AO3 --------------------------------------------------------------------------------------


def epub_documents(path: Path) -> list[ElementTree.Element]:
    """The spine documents of an EPUB, parsed with ElementTree, in reading order."""
    archive = zipfile.ZipFile(BytesIO(path.read_bytes()))
    ns = {"opf": "http://www.idpf.org/2007/opf"}
    opf = ElementTree.fromstring(archive.read("content.opf"))
    hrefs = {item.get("id"): item.get("href") for item in opf.iterfind(".//opf:item", ns)}
    return [
        ElementTree.fromstring(archive.read(hrefs[ref.get("idref")] or ""))
        for ref in opf.iterfind(".//opf:itemref", ns)
    ]


@pytest.mark.parametrize("name", [f"{AIM}.download.html", f"{FIRE}.download.html"])
def test_ao3_html_loses_no_paragraph(name: str) -> None:
    path = AO3 / name
    expected = ao3_chapter_paragraph_texts([ElementTree.parse(path).getroot()])
    document = parse_ao3_html(path.read_bytes())
    assert_document_ok(document)
    assert texts(document) == expected


@pytest.mark.parametrize("name", [f"{AIM}.download.epub", f"{FIRE}.download.epub"])
def test_ao3_epub_loses_no_paragraph(name: str) -> None:
    path = AO3 / name
    expected = ao3_chapter_paragraph_texts(epub_documents(path))
    document = parse_epub(path.read_bytes())
    assert_document_ok(document)
    assert texts(document) == expected


@pytest.mark.parametrize("work", [AIM, FIRE])
def test_ao3_epub_and_html_agree(work: str) -> None:
    html = parse_ao3_html((AO3 / f"{work}.download.html").read_bytes())
    epub = parse_epub((AO3 / f"{work}.download.epub").read_bytes())
    assert epub.chapters == html.chapters
    assert epub.metadata == html.metadata


def test_ao3_work_page_reads_like_the_download() -> None:
    page = parse_ao3_html((AO3 / f"{AIM}.workpage.html").read_bytes())
    download = parse_ao3_html((AO3 / f"{AIM}.download.html").read_bytes())
    assert page.chapters == download.chapters
    assert page.metadata.title == download.metadata.title
    assert page.metadata.summary == download.metadata.summary


def test_single_chapter_ao3_work() -> None:
    document = parse_ao3_html((AO3 / f"{AIM}.download.html").read_bytes())
    metadata = document.metadata
    assert (metadata.title, metadata.author) == ("My Aim Is Steady And True", "nianeyna")
    assert metadata.rating == "Teen And Up Audiences"
    assert metadata.warnings == ("Graphic Depictions Of Violence",)
    assert metadata.fandoms == ("Final Fantasy XIV",)
    assert metadata.source_url == "https://archiveofourown.org/works/23009290"
    assert ("Words", "4,559") in metadata.stats
    assert metadata.summary
    assert metadata.notes
    assert metadata.end_notes
    (chapter,) = document.chapters
    assert chapter.title is None
    assert len(chapter.scenes) == 2  # the NBSP-only paragraph
    assert any(p.spans for p in chapter.scenes[0])


def test_multi_chapter_ao3_work() -> None:
    document = parse_ao3_html((AO3 / f"{FIRE}.download.html").read_bytes())
    assert [chapter.title for chapter in document.chapters] == [
        "Chapter 1: Festival",
        "Chapter 2: Riversong K'Vala",
        "Chapter 3: Conversations",
    ]
    one, two, three = document.chapters
    assert len(one.scenes) == 3  # two `<p>xxx</p>` breaks
    assert (one.notes, one.end_notes) == (None, None)
    assert two.notes
    assert two.notes.startswith("Only one more chapter")
    assert two.end_notes == "oh bb!Nia, why so many italics?"
    assert three.notes is None
    assert (three.end_notes or "").startswith("Seriously")
    assert ("Chapters", "3/?") in document.metadata.stats


# --- every file ---------------------------------------------------------------------------------

EXPECTED_FORMATS = {
    f"{AIM}.download.html": "ao3-html",
    f"{AIM}.download.epub": "epub",
    f"{AIM}.workpage.html": "ao3-html",
    f"{FIRE}.download.html": "ao3-html",
    f"{FIRE}.download.epub": "epub",
    f"{AIM}.texts-shape.txt": "text",
    "pg11-alice-in-wonderland.txt": "gutenberg",
    "pg1952-the-yellow-wallpaper.txt": "gutenberg",
    "pg1952-the-yellow-wallpaper-legacy-2011.txt": "gutenberg",
    "pg2600-war-and-peace.txt": "gutenberg",
    "pg345-dracula.txt": "gutenberg",
}
FILES = (
    sorted(p for p in CORPUS.rglob("*") if p.name in EXPECTED_FORMATS) if CORPUS.is_dir() else []
)


@pytest.mark.parametrize("path", FILES, ids=[path.name for path in FILES])
def test_every_corpus_file_is_detected_and_parsed(path: Path) -> None:
    assert detect_format(path.name, path.read_bytes()) == EXPECTED_FORMATS[path.name]
    assert_document_ok(parse_any(path))
