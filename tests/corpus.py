"""Where the shared real-text corpus lives; tests over it are skipped when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
TEXTS_DIR = REPO_ROOT / "texts"
SEED = TEXTS_DIR / "lay-your-heart-bare.txt"


def corpus_dir() -> Path:
    """`$STORYBOT_CORPUS`, else `../shared/texts/corpus` beside the repository."""
    configured = os.environ.get("STORYBOT_CORPUS")
    return Path(configured) if configured else REPO_ROOT.parent / "shared" / "texts" / "corpus"


def corpus_files() -> list[Path]:
    """Every file of the corpus (empty when the corpus is absent)."""
    root = corpus_dir()
    if not root.is_dir():
        return []
    return sorted(
        p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in {".txt", ".html", ".epub"}
    )
