"""Hypothesis strategies for search: paragraphs made of words that queries will find, and
queries over the same words (plus any text at all, for the parser's sake)."""

from __future__ import annotations

from hypothesis import strategies as st

from bot.library.search.query import Query, Term
from bot.library.search.words import index_words

# Words as stories write them: accents, apostrophes, hyphens, other scripts, numbers, and
# characters that fold to several letters or to nothing.
VOCABULARY = (
    "war", "peace", "War", "PEACE", "Natasha", "natasha’s", "Pierre's", "prince", "princess",
    "naïve", "naive", "café", "CAFÉ", "don’t", "don't", "dont", "l’homme", "homme",
    "well-known", "co-operate", "Œuvre", "Æsop", "Łódź", "Ørsted", "straße", "STRASSE",
    "中国", "国", "かな", "हिंदी", "Война", "мир", "Ελλάδα", "ﬁne", "½", "1e5x", "1e5", "x",
    "123", "Ⅻ", "é", "e\u0301", "ʼn", "a" * 70,
)  # fmt: skip
# Between words: spaces, line breaks, punctuation, markdown, emoji, controls.
SEPARATORS = (
    " ", "  ", "\n", ", ", ". ", "—", " – ", "“", "”", "‘", "’", "'", '"', "*", "**", "_",
    "||", "`", "\\", "~", "<", ">", "#", "- ", "(", ")", ":", "^", "🎉", "👩‍👩‍👧", "🇫🇷",
    "\u200d", "\u00a0", "\t", "\x00", "™",
)  # fmt: skip

words_and_gaps = st.one_of(
    st.sampled_from(VOCABULARY), st.sampled_from(SEPARATORS), st.text(max_size=4)
)
paragraphs = st.lists(words_and_gaps, max_size=24).map("".join)
"""Paragraph texts: mostly the vocabulary, with any characters at all mixed in."""

known_words = st.sampled_from(sorted({word for text in VOCABULARY for word in index_words(text)}))


@st.composite
def terms(draw: st.DrawFn, texts: tuple[str, ...] = ()) -> Term:
    """A word or phrase: often words next to each other in one of `texts` (so that it is
    found), else words of the vocabulary (always so for an exclusion, now and then); a
    prefix now and then."""
    excluded = draw(st.integers(0, 4)) == 0
    placed = [index_words(text) for text in texts if index_words(text)]
    if placed and not excluded and draw(st.integers(0, 4)):
        found = draw(st.sampled_from(placed))
        start = draw(st.integers(0, len(found) - 1))
        words = tuple(found[start : start + draw(st.integers(1, 3))])
    else:
        words = tuple(draw(st.lists(known_words, min_size=1, max_size=3)))
    prefix = draw(st.integers(0, 3)) == 0
    if prefix:  # a prefix of the last word, as a reader would type it
        last = words[-1]
        words = (*words[:-1], last[: draw(st.integers(min_value=1, max_value=len(last)))])
    return Term(words, prefix=prefix, excluded=excluded)


queries = st.builds(Query, st.lists(terms(), min_size=1, max_size=4).map(tuple))
"""Queries over the vocabulary's words: words, phrases, prefixes and exclusions."""


@st.composite
def searches(draw: st.DrawFn) -> tuple[list[str], Query]:
    """Paragraphs, and a query over their words (a hit in many examples, not in all)."""
    texts = draw(st.lists(paragraphs, min_size=1, max_size=8))
    target = draw(st.sampled_from(texts))  # the terms come from one paragraph, mostly
    query_terms = draw(st.lists(terms((target,)), min_size=1, max_size=4))
    return texts, Query(tuple(query_terms))


query_texts = st.one_of(
    st.text(),
    st.lists(
        st.one_of(
            st.sampled_from(VOCABULARY),
            st.sampled_from(SEPARATORS),
            st.sampled_from(['"', "“", "”", "«", "-", "—", "*", " -", '-"', '"*', "NOT", "OR"]),
            st.text(max_size=3),
        ),
        max_size=30,
    ).map("".join),
)
"""What a reader might type: anything, and the vocabulary with the query language's marks."""
