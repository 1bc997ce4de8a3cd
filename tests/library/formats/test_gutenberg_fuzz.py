"""Scrambled books of every shape the Gutenberg parser knows: it gives a sound document (every
page within limits) or refuses with a reason, whatever the mix."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.library.errors import UnusableText
from bot.library.formats import parse_gutenberg
from bot.library.story import build_story
from tests.library.formats.helpers import assert_document_ok
from tests.library.invariants import assert_story_invariants

PIECES = (
    "*** START OF THE PROJECT GUTENBERG EBOOK X ***\n",
    "*** END OF THE PROJECT GUTENBERG EBOOK X ***\n",
    "*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*END*\n",
    "End of The Project Gutenberg Etext\n",
    "[Illustration:", "[Illustration]\n", "]", "[", "Chapter I.]\n", "LIST OF CANTOS\n",
    "CONTENTS\n", "Table des matières\n", "List of Illustrations\n", "PREMIÈRE PARTIE\n", "I\n",
    "II.\n", "III\n", "VII. THE ADVENTURE OF THE GREEN DOOR\n", "ADVENTURE I. THE RED LAMP\n",
    "Letter 1\n", "CHAPTER 2. OF THE LONG\n", "WINTER\n", "FIRST ACT\n", "SCENE I. A room.\n",
    "SCENE\n", "ALGERNON.\n", "Dramatis Personæ\n", "PREFACE\n", "THE PROLOGUE\n",
    "SECOND EPILOGUE\n", "BOOK ONE: 1805\n", "BOOKXXXV.\n", "STAVE ONE\n", "CANTO I\n",
    " Canto 1\n", "Erstes Kapitel\n", "   I.     A Title                 12\n", "PAGE\n",
    "Frontispiece       iv\n", "THE END\n", "To my father.\n", "by A. Writer\n",
    "Produced by Someone\n", "        An indented verse line,\n",
    "Upon the road I walked at dusk,\n", "And would not soon return;\n", "\n", "\n\n\n",
    "*       *       *\n", "x" * 200, "word ", "_it_", "--", "—",
    "A long line of prose that goes on and on to the wrap width of the printed page\n",
)  # fmt: skip
BOOKS = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=10)), max_size=90).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BOOKS)
def test_any_mix_gives_a_sound_book_or_a_reason(text: str) -> None:
    try:
        document = parse_gutenberg(text)
    except UnusableText as error:
        reason = error.reason
    else:
        assert_document_ok(document)
        assert_story_invariants(build_story("fuzz", document))
        return
    assert reason
