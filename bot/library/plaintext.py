"""Plain text and AO3 work-page copies: paragraphs split by one blank line, scenes by two.

An AO3 work-page copy opens with a preface (`Work Header`, the title, `Work Text:` or
`Chapter Text`); the preface is metadata and never story text.
"""

from __future__ import annotations

import re

from bot.library.breaks import is_scene_break
from bot.library.errors import UnusableText
from bot.library.model import ChapterSource, Document, Paragraph, Scene, StoryMetadata
from bot.library.text import normalise_lines

# The preface of an AO3 work-page copy: `Work Header`, lines holding the title (and maybe
# labels), then `Work Text:` or `Chapter Text` alone on a line.
_PREFACE = re.compile(
    r"\A\ufeff?\s*Work Header[ \t]*\r?\n(?P<preface>.*?)"
    r"^[ \t]*(?:Work Text|Chapter Text):?[ \t]*(?=\r\n|\r|\n|\Z)",
    re.DOTALL | re.MULTILINE,
)
# Labels that may sit in a copied preface before or after the title.
_PREFACE_LABEL = re.compile(r"^(?:Rating|Archive Warnings?|Fandoms?|Language|Stats|Summary|Notes):")
# A blank line holds spaces, tabs or non-breaking spaces only; two or more in a row end a scene.
# Line ends may still be CRLF or CR here: normalising block by block avoids copying the text.
_NEWLINE = r"(?:\r\n|\r(?!\n)|\n)"
_BLANK_RUN = re.compile(rf"{_NEWLINE}(?:[ \t\f\v\u00a0]*{_NEWLINE})+")


def title_from_name(name: str) -> str:
    """A readable title from a file name: `lay-your-heart-bare` -> `Lay Your Heart Bare`."""
    words = re.split(r"[-_\s]+", name.strip())
    return " ".join(word[:1].upper() + word[1:] for word in words if word) or name


def _find_preface(text: str) -> tuple[str | None, int]:
    """The preface's title (None without a preface) and the offset where the story begins."""
    if not text.lstrip("\ufeff \t\r\n").startswith("Work Header"):
        return None, 0
    match = _PREFACE.match(text)
    if match is None:
        raise UnusableText("it has a 'Work Header' preface but no 'Work Text:' line")
    lines = (line.strip() for line in match.group("preface").splitlines())
    title = next((line for line in lines if line and not _PREFACE_LABEL.match(line)), None)
    return title or "", match.end()


def split_scenes(text: str, start: int = 0) -> tuple[Scene, ...]:
    """Split `text[start:]` into scenes of paragraphs, normalising each block as it goes.

    One blank line separates paragraphs; two or more, or a break-marker line, separate scenes.
    A break marker may also stand inside a block of lines (no blank line around it).
    """
    scenes: list[Scene] = []
    current: list[Paragraph] = []

    def end_scene() -> None:
        if current:
            scenes.append(tuple(current))
            current.clear()

    position = start
    for match in [*_BLANK_RUN.finditer(text, start), None]:
        block = normalise_lines(text[position : match.start() if match else len(text)]).strip("\n")
        lines: list[str] = []
        for line in block.split("\n") if block else ():
            if is_scene_break(line):
                if lines:
                    current.append(Paragraph("\n".join(lines)))
                    lines = []
                end_scene()
            else:
                lines.append(line)
        if lines:
            current.append(Paragraph("\n".join(lines)))
        if match is None:
            break
        if _count_line_ends(match.group()) > 2:  # two or more blank lines
            end_scene()
        position = match.end()
    end_scene()
    return tuple(scenes)


def _count_line_ends(run: str) -> int:
    return run.count("\n") + run.count("\r") - run.count("\r\n")


def parse_plaintext(text: str, name: str, encoding: str = "utf-8") -> Document:
    """Parse a plain text or an AO3 work-page copy; `name` (the file stem) is the fallback title."""
    preface_title, body_start = _find_preface(text)
    if body_start == 0 and text.startswith("\ufeff"):
        body_start = 1  # a byte-order mark is not text
    scenes = split_scenes(text, body_start)
    if not scenes:
        raise UnusableText(
            "it holds no story text after its preface"
            if preface_title is not None
            else "it holds no text"
        )
    title = preface_title or title_from_name(name)
    return Document(
        metadata=StoryMetadata(title=title),
        chapters=(ChapterSource(title=None, scenes=scenes),),
        format="ao3-workpage" if preface_title is not None else "text",
        encoding=encoding,
    )
