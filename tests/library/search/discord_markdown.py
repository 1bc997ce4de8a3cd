"""A model of how Discord's client reads inline markdown (simple-markdown's rules, as Discord
uses them), enough to say what a snippet shows: which characters are bold, and whether any
other formatting (italics, underline, strike, spoiler, code) would take effect."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ESCAPE = re.compile(r"\\([^0-9A-Za-z\s])")
_STRONG = re.compile(r"\*\*((?:\\[\s\S]|[^\\])+?)\*\*(?!\*)")
_EM_STAR = re.compile(
    r"\*(?=\S)((?:\*\*|\\[\s\S]|\s+(?:\\[\s\S]|[^\s*\\]|\*\*)|[^\s*\\])+?)\*(?!\*)"
)
_EM_UNDERSCORE = re.compile(r"\b_((?:__|\\[\s\S]|[^\\_])+?)_\b")
_OTHER = {
    "underline": re.compile(r"__((?:\\[\s\S]|[^\\])+?)__(?!_)"),
    "strike": re.compile(r"~~([\s\S]+?)~~(?!_)"),
    "spoiler": re.compile(r"\|\|([\s\S]+?)\|\|"),
    "code": re.compile(r"(`+)([\s\S]*?[^`])\1(?!`)"),
}
# Plain text runs to the next character that may start a rule.
_TEXT = re.compile(r"[\s\S]+?(?=[^0-9A-Za-z\s\u00c0-\uffff]|\n\n| {2,}\n|\w+:\S|$)")


@dataclass
class Shown:
    text: str  # what the reader sees
    bold: list[tuple[int, int]]  # spans of `text` shown bold
    other: list[str]  # any other formatting that took effect


def read(markdown: str, *, bold: bool = False, shown: Shown | None = None) -> Shown:
    result = shown or Shown("", [], [])
    at = 0
    while at < len(markdown):
        if escape := _ESCAPE.match(markdown, at):
            _append(result, escape.group(1), bold)
            at = escape.end()
            continue
        strong = _STRONG.match(markdown, at)
        em = _EM_STAR.match(markdown, at) or _EM_UNDERSCORE.match(markdown, at)
        if em and (not strong or len(em.group(0)) >= len(strong.group(0))):
            result.other.append("italic")
            read(em.group(1), bold=bold, shown=result)
            at = em.end()
            continue
        if strong:
            read(strong.group(1), bold=True, shown=result)
            at = strong.end()
            continue
        other = next(
            ((name, m) for name, rule in _OTHER.items() if (m := rule.match(markdown, at))), None
        )
        if other:
            result.other.append(other[0])
            _append(result, other[1].group(0), bold)
            at = other[1].end()
            continue
        text = _TEXT.match(markdown, at)
        end = text.end() if text and text.end() > at else at + 1
        _append(result, markdown[at:end], bold)
        at = end
    return result


def _append(shown: Shown, text: str, bold: bool) -> None:
    start = len(shown.text)
    shown.text += text
    if bold and text:
        if shown.bold and shown.bold[-1][1] == start:
            shown.bold[-1] = (shown.bold[-1][0], start + len(text))
        else:
            shown.bold.append((start, start + len(text)))
