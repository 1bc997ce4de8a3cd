"""`python -m bot texts`: the library as the bot sees it, for admins, without Discord.

    python -m bot texts                          # every text: format, title, counts, problems
    python -m bot texts structure STORY          # its parts and chapters, and what looks wrong
    python -m bot texts show STORY [--scene N]   # the pages exactly as they will be paged

The exit status is 1 when any text has a problem, or when the folder gives the bot nothing to
serve, so it can guard a deploy. Structure checks (a chapter far shorter or longer than the
rest, headings out of sequence) are hints and leave the status alone.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from bot.errors import UserError
from bot.library.errors import EmptyLibrary, UnusableText
from bot.library.formats import PART_SEPARATOR
from bot.library.library import Library, fold
from bot.library.loader import (
    SkippedText,
    load_each,
    load_library,
    load_story,
    story_files,
    story_id_for,
)
from bot.library.model import Story
from bot.library.places import place_line
from bot.library.stats import reading_minutes
from bot.library.structure_checks import chapter_shapes, check_structure
from bot.library.wording import plural


def part_names(titles: list[str | None]) -> set[str]:
    """The parts holding these chapters: the title prefixes before `PART_SEPARATOR`."""
    return {
        title.split(PART_SEPARATOR, 1)[0] for title in titles if title and PART_SEPARATOR in title
    }


def chapters_cell(story: Story) -> str:
    """Chapters, and the parts holding them when the book has parts ("365 in 17 parts")."""
    if not story.has_chapters:
        return "-"
    parts = part_names([chapter.title for chapter in story.chapters])
    return f"{len(story.chapters)} in {len(parts)} parts" if parts else str(len(story.chapters))


def _row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()


def list_texts(directory: Path, out: TextIO) -> int:
    """Print one line per file; return how many files have problems (1 at least when the
    folder gives the bot nothing to serve: the bot's own reason is printed)."""
    if not directory.is_dir() or not story_files(directory):
        return _no_library(directory, out)
    header = ["FILE", "FORMAT", "TITLE", "AUTHOR", "CHAPTERS", "SCENES", "PAGES", "WORDS"]
    rows: list[list[str]] = []
    problems: list[str] = []
    checks: list[str] = []
    served: list[Story] = []
    for story in load_each(directory):
        if isinstance(story, SkippedText):
            rows.append([story.name, "-", "(skipped)", "", "", "", "", ""])
            problems.append(f"{story.name}: {story.reason}")
            continue
        rows.append(
            [
                story.source,
                story.format,
                story.title,
                story.metadata.author or "",
                chapters_cell(story),
                str(len(story.scenes)),
                str(story.page_count),
                f"{story.words:,}",
            ]
        )
        served.append(story)
        problems.extend(f"{story.source}: {problem}" for problem in story.problems)
        checks.extend(
            f"{story.source}: {check}" for check in check_structure(chapter_shapes(story))
        )
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for cells in [header, *rows]:
        print(_row(cells, widths), file=out)
    print(f"\n{len(rows)} file(s), {len(problems)} problem(s)", file=out)
    for problem in problems:
        print(f"  problem: {problem}", file=out)
    for check in checks:
        print(f"  check: {check}", file=out)
    for warning in same_titles(served):
        print(f"  warning: {warning}", file=out)
    if not served:
        _no_library(directory, out)
        return max(1, len(problems))
    return len(problems)


def same_titles(stories: list[Story]) -> list[str]:
    """A warning for each title that several stories share (readers see them told apart
    by author, or by id)."""
    library = Library(stories)
    shared: dict[str, list[Story]] = {}
    for story in library:
        if library.shares_title(story):
            shared.setdefault(fold(story.title), []).append(story)
    return [
        f"{len(group)} stories are titled “{group[0].title}” ("
        + ", ".join(f"{story.source} as “{library.name(story)}”" for story in group)
        + "): readers see them told apart like this; give them distinct titles if you can"
        for group in shared.values()
    ]


def _no_library(directory: Path, out: TextIO) -> int:
    """Print why the bot would refuse to start on this folder (its own words); return 1."""
    try:
        load_library(directory)
    except EmptyLibrary as error:
        print(error, file=out)
    return 1


def show_structure(story: Story, out: TextIO) -> None:
    """Print the parts and chapters found, with their words, then what looks wrong."""
    shapes = chapter_shapes(story)
    parts = len(part_names([shape.title for shape in shapes]))
    held = f"{len(shapes)} chapters" + (f" in {parts} parts" if parts else "")
    print(f"{story.title} — {held}, {story.words:,} words", file=out)
    part: str | None = None
    for number, shape in enumerate(shapes, 1):
        title = shape.title or "(untitled)"
        own = title
        if PART_SEPARATOR in title:
            name, own = title.split(PART_SEPARATOR, 1)
            if name != part:
                part = name
                print(name, file=out)
        elif part is not None:
            part = None
        indent = "    " if part else "  "
        print(f"{indent}{number:>3}. {own}  ({shape.words:,} words)", file=out)
    for problem in story.problems:
        print(f"problem: {problem}", file=out)
    for check in check_structure(shapes):
        print(f"check: {check}", file=out)


def show_story(story: Story, scene: int | None, out: TextIO) -> None:
    """Print every page (or one scene's) as the bot will send it: the escaped markdown."""
    print(
        f"{story.title} — {plural(len(story.scenes), 'scene')}, "
        f"{plural(story.page_count, 'page')}, {plural(story.words, 'word')}, "
        f"about {reading_minutes(story.words)} min",
        file=out,
    )
    scenes = story.scenes if scene is None else [story.scenes[scene - 1]]
    for story_scene in scenes:
        for page in story_scene.pages:
            markdown = story.markdown_of(page)
            where = place_line(story, page)  # as the page's embed names it
            print(f"\n===== {where} ({len(markdown)} characters) =====", file=out)
            print(markdown, file=out)


def main(argv: list[str], texts_dir: Path, out: TextIO = sys.stdout) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot texts",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,  # the usage lines stay lines
    )
    commands = parser.add_subparsers(dest="command")
    structure = commands.add_parser("structure", help="print a story's parts and chapters")
    structure.add_argument("story", help="the story id (the file name without its extension)")
    show = commands.add_parser("show", help="print a story's pages as they will be paged")
    show.add_argument("story", help="the story id (the file name without its extension)")
    show.add_argument("--scene", type=int, help="only this scene (1-based)")
    args = parser.parse_args(argv)
    if args.command is None:
        return 1 if list_texts(texts_dir, out) else 0
    if not texts_dir.is_dir() or not story_files(texts_dir):
        return _no_library(texts_dir, out)
    paths = {story_id_for(path): path for path in story_files(texts_dir)}
    if args.story not in paths:
        print(f"No story '{args.story}' in {texts_dir}. Known: {', '.join(paths)}", file=out)
        return 1
    try:
        story = load_story(paths[args.story], args.story)
    except (UnusableText, EmptyLibrary, UserError) as error:
        print(f"{paths[args.story].name} cannot be served: {error}", file=out)
        return 1
    if args.command == "structure":
        show_structure(story, out)
        return 0
    if args.scene is not None and not 1 <= args.scene <= len(story.scenes):
        print(f"--scene must be between 1 and {len(story.scenes)}.", file=out)
        return 1
    show_story(story, args.scene, out)
    return 0
