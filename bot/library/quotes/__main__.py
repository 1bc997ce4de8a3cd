"""python -m bot.library.quotes texts/story.txt ...: each story's quote count and best lines."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.library.loader import load_story
from bot.library.quotes.finding import top_quotes_report

for argument in sys.argv[1:]:
    print(top_quotes_report(load_story(Path(argument))))
