"""Quotable lines: the sentences of a story worth sharing, scored like pull quotes, and a picker.

`find_quotes(story)` cuts every paragraph into sentences (`split_sentences`), forms candidates
from one sentence or a run of whole consecutive sentences (a short paragraph is the run of all
its sentences), keeps those that stand on their own (`is_standalone`), scores them
(`score_line`, weights in `Weights`) and returns those above `THRESHOLD`, best first. Within one
paragraph the chosen quotes never overlap, so a reader is not shown the same words twice under
two ids. `pick_quote` serves them to a reader without repeats. Pure Python: no discord here.

One job per module: `sentences` (sentences, standing alone), `speakers` (speeches and their
attributions), `vocabulary` and `words` (word tables, counting words by kind), `passage` (a
paragraph read once), `scoring` (the weights), `finding` (candidates to quotes), `picking`
(filters and the picker).
"""

from bot.library.quotes.finding import (
    ID_LENGTH,
    Quote,
    find_quotes,
    quote_id,
    story_names,
    top_quotes_report,
)
from bot.library.quotes.picking import PICK_TEMPERATURE, QuotePick, matches, pick_quote
from bot.library.quotes.scoring import (
    THRESHOLD,
    WEIGHTS,
    Weights,
    score_breakdown,
    score_line,
    weights_table,
)
from bot.library.quotes.sentences import (
    ABBREVIATIONS,
    MAX_LENGTH,
    MIN_LENGTH,
    Sentence,
    is_standalone,
    split_sentences,
)
from bot.library.quotes.speakers import QUOTE_MARKS

__all__ = [
    "ABBREVIATIONS",
    "ID_LENGTH",
    "MAX_LENGTH",
    "MIN_LENGTH",
    "PICK_TEMPERATURE",
    "QUOTE_MARKS",
    "THRESHOLD",
    "WEIGHTS",
    "Quote",
    "QuotePick",
    "Sentence",
    "Weights",
    "find_quotes",
    "is_standalone",
    "matches",
    "pick_quote",
    "quote_id",
    "score_breakdown",
    "score_line",
    "split_sentences",
    "story_names",
    "top_quotes_report",
    "weights_table",
]
