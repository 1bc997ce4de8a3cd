from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.library.model import Paragraph, Span
from bot.library.render import discord_length, escape, render, strip_emphasis, unescape


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("*not bold*", r"\*not bold\*"),
        ("snake_case and __init__", r"snake\_case and \_\_init\_\_"),
        ("~~gone~~ ||spoiler|| `code`", r"\~\~gone\~\~ \|\|spoiler\|\| \`code\`"),
        ("> not a quote", r"\> not a quote"),
        ("# Not a heading\n## nor this", "\\# Not a heading\n\\## nor this"),
        ("-# not subtext", r"\-# not subtext"),
        ("- not a list\n+ nor this", "\\- not a list\n\\+ nor this"),
        ("1. not numbered", r"1\. not numbered"),
        ("a - b # c 1. d", "a - b # c 1. d"),
        (
            "<@123> <@&456> <#789> [link](http://x)",
            r"\<@123\> \<@&456\> \<#789\> \[link](http://x)",
        ),
        (r"back\slash", r"back\\slash"),
        ("curly “quotes” — dash\u00a0nbsp", "curly “quotes” — dash\u00a0nbsp"),
    ],
)
def test_escape_shows_text_literally(text: str, escaped: str) -> None:
    assert escape(text) == escaped
    assert unescape(escaped) == text


@given(st.text())
def test_unescape_inverts_escape(text: str) -> None:
    assert unescape(escape(text)) == text
    assert strip_emphasis(escape(text)) == text


@pytest.mark.parametrize(
    ("text", "length"), [("abc", 3), ("é", 1), ("e\u0301", 2), ("🎉", 2), ("👩‍👩‍👧", 8)]
)
def test_length_counts_utf16_code_units(text: str, length: int) -> None:
    assert discord_length(text) == length


def test_render_adds_emphasis_outside_escapes() -> None:
    paragraph = Paragraph(
        "He said *no* to her. Really.", (Span(8, 12, "italic"), Span(0, 2, "bold"))
    )
    assert render(paragraph) == r"**He** said *\*no\** to her. Really."
    assert strip_emphasis(render(paragraph)) == paragraph.text


def test_render_clips_spans_to_the_piece_and_keeps_markers_on_words() -> None:
    paragraph = Paragraph("one two three four", (Span(3, 13, "italic"),))
    assert render(paragraph) == "one *two three* four"
    assert render(paragraph, 8, 18) == "*three* four"
    assert render(paragraph, 0, 7) == "one *two*"
