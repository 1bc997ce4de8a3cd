from __future__ import annotations

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.library.render import discord_length
from bot.library.search.matching import MatchSpan, match_spans
from bot.library.search.query import Query, parse_query
from bot.library.search.snippet import SNIPPET_WIDTH, snippet
from bot.library.wording import ELLIPSIS
from tests.library.search.discord_markdown import read
from tests.library.search.strategies import paragraphs, searches


def shown_bold(markdown: str) -> list[str]:
    shown = read(markdown)
    assert shown.other == []
    return [shown.text[start:end] for start, end in shown.bold]


def hit(text: str, query: str, limit: int = 1000) -> str:
    return snippet(text, match_spans(parse_query(query), text), limit)


@pytest.mark.parametrize(
    ("text", "query", "markdown"),
    [
        ("a word here", "word", "a **word** here"),
        ("word at the start", "word", "**word** at the start"),
        ("at the end a word", "word", "at the end a **word**"),
        ("*word*", "word", r"\***word**\*"),
        ("**word**", "word", r"\*\***word**\*\*"),
        ("_word_", "word", r"\_**word**\_"),
        ("__init__ word", "init", r"\_\_**init**\_\_ word"),
        ("||word||", "word", r"\|\|**word**\|\|"),
        ("`word`", "word", r"\`**word**\`"),
        ("\\word\\", "word", r"\\**word**\\"),
        ("x*word*y", "word", r"x\***word**\*y"),
        ("inside a super_word_here", "word", r"inside a super\_**word**\_here"),
        ("Pierre’s hat", "pierre", "**Pierre**’s hat"),
        ("“Don’t!” he said", "don't", "“**Don’t**!” he said"),
        ("a well-known man", '"well known"', "a **well-known** man"),
        ("war and peace", "war peace", "**war** and **peace**"),
        ("- war\n# peace", "peace", "\\- war \\# **peace**"),  # line starts stay text
        ("~~war~~ > peace", "war", r"\~\~**war**\~\~ \> peace"),
        ("<@123> war", "war", r"\<@123\> **war**"),
    ],
)
def test_bold_on_the_matches_and_the_rest_escaped(text: str, query: str, markdown: str) -> None:
    result = hit(text, query)
    assert result == markdown
    bold = shown_bold(result)
    assert bold
    assert read(result).text == text.replace("\n", " ")
    for start, end in match_spans(parse_query(query), text):
        assert text[start:end] in bold


def test_a_long_paragraph_is_cut_at_spaces_around_the_match() -> None:
    before, after = (" ".join(f"{letter}{n}" for n in range(200)) for letter in "wv")
    text = f"{before} target {after}"
    result = hit(text, "target")
    assert result.startswith(ELLIPSIS + "w")
    assert result.endswith(ELLIPSIS)
    assert "**target**" in result
    assert SNIPPET_WIDTH - 10 <= len(read(result).text) <= SNIPPET_WIDTH + 2
    assert " " + ELLIPSIS not in result
    assert ELLIPSIS + " " not in result


def test_the_excerpt_holds_the_closest_cluster_of_matches() -> None:
    text = "war here. " + "filler " * 60 + "war and war and war. " + "filler " * 60
    result = hit(text, "war")
    assert shown_bold(result) == ["war", "war", "war"]


def test_without_spans_the_excerpt_is_the_paragraph_s_start() -> None:
    text = "First words of a paragraph. " * 20
    assert snippet(text, [], 1000).startswith("First words")


@pytest.mark.parametrize("limit", [0, 1, 2, 5, 12, 40])
def test_a_small_limit_is_kept(limit: int) -> None:
    result = hit("a naïve *café* with 👩‍👩‍👧 inside, and more words after it", "cafe", limit)
    assert discord_length(result) <= limit


@pytest.mark.parametrize(
    "text",
    [
        "🇫🇷🇫🇷🇫🇷🇫🇷🇫🇷🇫🇷🇫🇷 war 🇫🇷🇫🇷🇫🇷🇫🇷🇫🇷🇫🇷",
        "👩‍👩‍👧👩‍👩‍👧👩‍👩‍👧👩‍👩‍👧war👩‍👩‍👧👩‍👩‍👧👩‍👩‍👧",
        "e\u0301" * 30 + " war " + "e\u0301" * 30,
        "中国人" * 30 + "war" + "中国人" * 30,
    ],
)
@pytest.mark.parametrize("width", [5, 9, 14, 20])
def test_cuts_fall_between_grapheme_clusters(text: str, width: int) -> None:
    spans = match_spans(parse_query("war"), text)
    result = snippet(text, spans, 1000, width=width)
    body = read(result).text.strip(ELLIPSIS)
    assert body in text
    start = text.index(body)
    boundaries = {0, *(m.end() for m in regex.finditer(r"\X", text))}
    assert start in boundaries
    assert start + len(body) in boundaries
    assert shown_bold(result) == ["war"]


def _check_snippet(text: str, spans: list[MatchSpan], limit: int) -> None:
    result = snippet(text, spans, limit)
    assert discord_length(result) <= limit
    if result == ELLIPSIS or not result:
        return
    shown = read(result)
    assert shown.other == []
    body = shown.text.removeprefix(ELLIPSIS).removesuffix(ELLIPSIS)
    flat = text.replace("\n", " ")
    assert body in flat
    if flat.count(body) != 1:
        return  # the excerpt is found at more than one place: no single place to check
    start = flat.index(body) - (1 if shown.text.startswith(ELLIPSIS) else 0)
    bold_chars = {start + i for first, end in shown.bold for i in range(first, end)}
    window = range(start + 1, start + len(shown.text) - 1)
    matched = {i for first, end in spans for i in range(first, end)}
    # Bold is what was matched, widened to whole characters as the reader sees them, with no
    # whitespace at the edges of a bold run.
    assert {i for i in matched & set(window) if not text[i].isspace()} <= bold_chars | {
        i for i in matched if regex.match(r"\p{M}|\u200d", text[i])
    }
    for first, end in shown.bold:
        assert not shown.text[first].isspace()
        assert not shown.text[end - 1].isspace()


@settings(max_examples=300, deadline=None)
@given(searches(), st.integers(min_value=0, max_value=400))
def test_snippets_of_hits_keep_their_promises(search: tuple[list[str], Query], limit: int) -> None:
    texts, query = search
    for text in texts:
        _check_snippet(text, match_spans(query, text), limit)


@settings(max_examples=300, deadline=None)
@given(
    paragraphs, st.lists(st.tuples(st.integers(-5, 80), st.integers(-5, 80))), st.integers(0, 300)
)
def test_any_spans_give_a_snippet_within_the_limit(
    text: str, spans: list[MatchSpan], limit: int
) -> None:
    assert discord_length(snippet(text, spans, limit)) <= limit
