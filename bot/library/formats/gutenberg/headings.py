"""Division headings: the words books use for their parts and chapters, in five languages.

A heading line is a division word with a number (`CHAPTER IV`, `Letter 1`, `STAVE I:  MARLEY'S
GHOST`, `BOOK THE FIRST`, `FIRST ACT`, `PREMIÈRE PARTIE`, `Erstes Kapitel`, `Canto 1`,
`BOOKXXXV.`), a bookend word with or without one (`PROLOGUE`, `SECOND EPILOGUE`, `Préface de
1832`), or a number alone (`VII.`, `XII. THE ADVENTURE OF …`), which only counts where the
book's contents list or its sequence of headings shows it is one (see `structure.py`). Words
in any case; Roman, Arabic or written-out numbers; an optional title after `.`, `:`, a dash or
a wide gap. Words running on after the number make a sentence, not a heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from bot.library.formats.gutenberg.text import ROMAN

# Division words by kind. A kind's rank orders divisions: lower ranks hold higher ones
# (a volume holds books, a book chapters).
DIVISIONS: Final[dict[str, tuple[str, ...]]] = {
    "volume": ("volume", "vol.", "tome", "band", "tomo"),
    "book": ("book", "livre", "buch", "libro"),
    "part": ("part", "partie", "teil", "parte"),
    "act": ("act", "acte", "akt", "aufzug", "acto", "atto"),
    "chapter": ("chapter", "chap.", "chapitre", "kapitel", "capítulo", "capitulo", "capitolo"),
    "letter": ("letter", "lettre", "brief", "carta", "lettera"),
    "scene": ("scene", "scène", "szene", "auftritt", "escena", "scena"),
    "stave": ("stave",),
    "canto": ("canto", "chant", "gesang"),
    "adventure": ("adventure", "aventure", "abenteuer", "aventura", "avventura"),
    "story": ("story", "histoire", "geschichte", "historia", "storia"),
    "section": ("section", "abschnitt", "sección", "seccion", "sezione"),
}
# Words that open or close a book, with or without a number.
BOOKENDS: Final[dict[str, tuple[str, ...]]] = {
    "prologue": ("prologue", "prolog", "prólogo", "prologo"),
    "epilogue": ("epilogue", "epilog", "epílogo", "epilogo"),
    "preface": ("preface", "préface", "vorwort", "prefacio", "prefazione", "foreword"),
    "introduction": ("introduction", "einleitung", "introducción", "introduccion", "introduzione"),
}
RANKS: Final[dict[str, int]] = {"volume": 0, "book": 1, "part": 1, "act": 1}
CHAPTER_RANK: Final = 2
NUMBERED: Final = "numbered"  # a number alone
TITLED: Final = "titled"  # an unnumbered title the contents list names

# Ordinals: whole words (English, French), and stems that take an ending (German erst-e,
# -er, -es, -en; Spanish and Italian prim-o, -a).
_ORDINALS: Final[dict[str, int]] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20,
    "premier": 1, "première": 1, "premiere": 1, "deuxième": 2, "deuxieme": 2, "seconde": 2,
    "troisième": 3, "troisieme": 3, "quatrième": 4, "quatrieme": 4,
    "cinquième": 5, "cinquieme": 5, "sixième": 6, "sixieme": 6, "septième": 7, "septieme": 7,
    "huitième": 8, "huitieme": 8, "neuvième": 9, "neuvieme": 9, "dixième": 10, "dixieme": 10,
    "primer": 1, "tercer": 3,
}  # fmt: skip
_ORDINAL_STEMS: Final[dict[str, int]] = {
    "erst": 1, "zweit": 2, "dritt": 3, "viert": 4, "fünft": 5, "sechst": 6, "siebent": 7,
    "siebt": 7, "acht": 8, "neunt": 9, "zehnt": 10, "elft": 11, "zwölft": 12,
    "prim": 1, "primer": 1, "tercer": 3, "segund": 2, "terc": 3, "cuart": 4, "quint": 5,
    "sext": 6, "séptim": 7,
    "septim": 7, "octav": 8, "noven": 9, "décim": 10, "decim": 10, "terz": 3, "quart": 4,
    "sest": 6, "settim": 7, "ottav": 8, "non": 9,
}  # fmt: skip
_NUMBER_WORDS: Final[dict[str, int]] = {
    # English
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
    # French
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15,
    "seize": 16, "vingt": 20, "trente": 30,
    # German
    "eins": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7,
    "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12,
    # Spanish and Italian
    "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
    "nueve": 9, "diez": 10, "once": 11, "doce": 12, "due": 2, "tre": 3, "quattro": 4,
    "cinque": 5, "sei": 6, "sette": 7, "otto": 8, "nove": 9, "dieci": 10, "undici": 11,
    "dodici": 12,
}  # fmt: skip
_ORDINAL_ENDINGS: Final = ("e", "er", "es", "en", "o", "a")
# `last` orders no sequence, but names an epilogue.
_LAST: Final = ("last", "dernier", "dernière", "letzt", "ultimo", "ultima", "último", "última")
# A bare arabic number above this is a year or a page, not a heading.
MAX_BARE_NUMBER: Final = 300
MAX_HEADING_CHARS: Final = 100
# A bookend's name may run on in a few words of its own (`Préface de 1832`).
MAX_BOOKEND_WORDS: Final = 6
MAX_RUN_ON_WORDS: Final = 3  # unless shouted


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_ORDINAL_WORDS = sorted(
    {*_ORDINALS, *_LAST} | {stem + ending for stem in _ORDINAL_STEMS for ending in _ORDINAL_ENDINGS}
)
_KEYWORDS = {word: kind for kind, words in DIVISIONS.items() for word in words}
_BOOKEND_WORDS = {word: kind for kind, words in BOOKENDS.items() for word in words}
_ORD = rf"(?:{_alternation(_ORDINAL_WORDS)})"
_WORD_NUMBER = (
    rf"(?:{_alternation(list(_NUMBER_WORDS))})(?:[- ](?:{_alternation(list(_NUMBER_WORDS))}))?"
)
_NUM = rf"(?:[IVXLCDM]+|[ivxlcdm]+|\d{{1,4}}|{_WORD_NUMBER}|{_ORD})"
_ARTICLE = r"(?:the|le|la|der|die|das|el|il|lo)\s+"
_KW = rf"(?:{_alternation(list(_KEYWORDS))})"
_BOOKEND_KW = rf"(?:{_alternation(list(_BOOKEND_WORDS))})"
# `(?=\W|$)` after each word: `Part of …` is no `PART` heading, `PARTIE` no `PART I` + `E`.
_KEYWORD_FIRST = re.compile(
    rf"^(?:{_ARTICLE})?(?P<kw>{_KW})(?:\s+(?:{_ARTICLE})?(?P<num>{_NUM})|(?P<tight>[IVXLC]+|\d+))"
    rf"(?=\W|$)(?P<rest>.*)$",
    re.IGNORECASE,
)
_ORDINAL_FIRST = re.compile(
    rf"^(?:{_ARTICLE})?(?P<num>{_ORD})\s+(?P<kw>{_KW})(?=\W|$)(?P<rest>.*)$", re.IGNORECASE
)
_BOOKEND = re.compile(
    rf"^(?:{_ARTICLE})?(?:(?P<num>{_ORD}|{_NUM}(?=\s))\s+)?(?P<kw>{_BOOKEND_KW})"
    rf"(?:\s+(?P<after>[IVXLC]+|\d{{1,2}}))?(?=\W|$)(?P<rest>.*)$",
    re.IGNORECASE,
)
# A heading opens with a division or bookend word, or with an article or ordinal before one
# (`THE PROLOGUE`, `FIRST ACT`, `The First Book`); `BOOKXXXV.` runs its number on (`_TIGHT`).
_DIVISION_WORDS = frozenset(word.rstrip(".") for word in [*_KEYWORDS, *_BOOKEND_WORDS])
_LEADING_WORDS = frozenset([*_ORDINAL_WORDS, "the", "le", "la", "der", "die", "das", "el", "il"])
_TIGHT = tuple(word.rstrip(".") for word in _KEYWORDS)
_WORD_PUNCTUATION = ".,:;"
_BARE = re.compile(r"^(?P<num>[IVXLC]+|\d{1,3})(?=[.:]|\s{2,}|$)(?P<rest>.*)$")
_TITLE_AFTER = re.compile(r"^(?:(?:\s*(?:[.:—–]|--?)\s*)+|\s{2,})(?P<title>\S.*?)\.?$")
_PUNCTUATION_ONLY = re.compile(r"^[\s.:—–-]*$")


@dataclass(frozen=True, slots=True)
class Heading:
    """A division heading as read from its line."""

    kind: str  # a DIVISIONS or BOOKENDS key, NUMBERED or TITLED
    number: int | None
    label: str  # as shown: "Chapter IV", "First Act", "IV"
    title: str | None = None  # the title on the heading's line, as written

    @property
    def key(self) -> tuple[str, int | None]:
        """What names the division in a contents list: its kind and number."""
        return self.kind, self.number

    @property
    def rank(self) -> int:
        return RANKS.get(self.kind, CHAPTER_RANK)

    @property
    def bookend(self) -> bool:
        return self.kind in BOOKENDS


def number_value(word: str) -> int | None:
    """The value of a Roman, Arabic or written number or ordinal, None when it is none."""
    if word.isdigit():
        return int(word)
    upper = word.upper()
    if upper and ROMAN.match(upper):
        return _roman_value(upper)
    lowered = word.lower()
    if lowered in _NUMBER_WORDS:
        return _NUMBER_WORDS[lowered]
    if "-" in lowered or " " in lowered:
        parts = [_NUMBER_WORDS.get(part) for part in re.split(r"[- ]", lowered)]
        if all(parts):
            return sum(part for part in parts if part)
    if lowered in _ORDINALS:
        return _ORDINALS[lowered]
    for ending in _ORDINAL_ENDINGS:
        stem = lowered[: -len(ending)]
        if lowered.endswith(ending) and stem in _ORDINAL_STEMS:
            return _ORDINAL_STEMS[stem]
    return None


def _roman_value(numeral: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    total = 0
    for index, char in enumerate(numeral):
        value = values[char]
        following = values[numeral[index + 1]] if index + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total


def parse_heading(line: str) -> Heading | None:
    """The heading `line` is (stripped of its indentation), or None for text."""
    line = line.strip()
    if not line or len(line) > MAX_HEADING_CHARS or not (line[0].isalnum()):
        return None
    if line[0].isdigit() or line[0] in "IVXLC":
        bare = _bare(line)
        if bare is not None:
            return bare
    if not _may_open_a_heading(line):
        return None  # most lines of a book: no division word opens them
    return _keyword_first(line) or _ordinal_first(line) or _bookend(line)


def _may_open_a_heading(line: str) -> bool:
    """A cheap look at the first words, before the regular expressions."""
    words = line.split(None, 2)
    first = words[0].rstrip(_WORD_PUNCTUATION)
    word = first.lower()
    if word in _DIVISION_WORDS:
        return True
    if word in _LEADING_WORDS and len(words) > 1:
        second = words[1].rstrip(_WORD_PUNCTUATION).lower()
        return second in _DIVISION_WORDS or second in _LEADING_WORDS
    return first.isupper() and word.startswith(_TIGHT)


def _bare(line: str) -> Heading | None:
    match = _BARE.match(line)
    if match is None:
        return None
    numeral = match.group("num")
    if not numeral.isdigit() and ROMAN.match(numeral) is None:
        return None
    value = number_value(numeral)
    if value is None or value == 0 or value > MAX_BARE_NUMBER:
        return None
    title = _title(match.group("rest"), bare=True)
    if title is None:
        return None
    return Heading(NUMBERED, value, numeral, title or None)


def _keyword_first(line: str) -> Heading | None:
    match = _KEYWORD_FIRST.match(line)
    if match is None:
        return None
    keyword = match.group("kw")
    numeral = match.group("num") or match.group("tight")
    if match.group("tight") and not keyword.isupper():
        return None  # `Chapter1` is no typo of a heading; `BOOKXXXV.` is
    value = number_value(numeral)
    if value is None:
        return None
    title = _title(match.group("rest"))
    if title is None:
        return None
    shown = line[: match.end("kw") if match.group("tight") else match.end("num")]
    label = _label(shown) if not match.group("tight") else f"{_label(keyword)} {numeral}"
    return Heading(_KEYWORDS[keyword.lower()], value, label, title or None)


def _ordinal_first(line: str) -> Heading | None:
    match = _ORDINAL_FIRST.match(line)
    if match is None:
        return None
    title = _title(match.group("rest"))
    if title is None:
        return None
    kind = _KEYWORDS[match.group("kw").lower()]
    label = _label(line[: match.end("kw")])
    return Heading(kind, number_value(match.group("num")), label, title or None)


def _bookend(line: str) -> Heading | None:
    match = _BOOKEND.match(line)
    if match is None:
        return None
    kind = _BOOKEND_WORDS[match.group("kw").lower()]
    numeral = match.group("num") or match.group("after")
    value = number_value(numeral) if numeral else None
    if numeral and value is None:
        return None
    rest = match.group("rest")
    title = _title(rest)
    if title is None:
        # A bookend may run on in a few words (`Préface de 1832`, `PREFACE TO THE SECOND
        # EDITION.`): then the whole line names it.
        shouted = not any(char.islower() for char in line)
        if len(rest.split()) > (MAX_BOOKEND_WORDS if shouted else MAX_RUN_ON_WORDS):
            return None
        if any(char in rest for char in ',;!?"“”'):
            return None
        return Heading(kind, value, _label(line.rstrip(".")), None)
    shown = line[: match.end("after") if match.group("after") else match.end("kw")]
    return Heading(kind, value, _label(shown), title or None)


def _title(rest: str, *, bare: bool = False) -> str | None:
    """The title after a heading's number: "" for none, None when words run on (a sentence)."""
    if _PUNCTUATION_ONLY.match(rest):
        return ""
    titled = _TITLE_AFTER.match(rest)
    if titled is None:
        return None
    title = titled.group("title")
    if bare and not (title[:1].isupper() or title[:1] in "“‘\"'_"):
        return None  # `1. and then` is a list, not a heading
    return title


_SMALL: Final = frozenset("the of to de la le du des der die das del di".split())


def _label(text: str) -> str:
    """A heading's words as shown: each capitalised, Roman numerals and small words kept."""
    out: list[str] = []
    for position, word in enumerate(text.split()):
        letters = word.strip(".:")
        if letters and letters.isupper() and ROMAN.match(letters):
            out.append(letters)
        elif position and word.lower() in _SMALL:
            out.append(word.lower())
        else:
            out.append("-".join(part[:1].upper() + part[1:].lower() for part in word.split("-")))
    return " ".join(out).rstrip(".:")
