"""Service tests: each service over a real Storage on a tmp SQLite file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.library.library import Library
from bot.library.loader import load_library
from bot.services.holder import LibraryHolder
from bot.services.reading import ReadingService
from bot.storage.interface import Storage
from tests.bot.harness import SEED_ID, seed_library

SEED_FILE = Path(__file__).resolve().parents[2] / "texts" / f"{SEED_ID}.txt"
OTHER = (
    "The Lighthouse\n\n"
    '"I will keep the light burning for you, every night, until you come home," Marta says.\n\n'
    "The sea was quiet that night, and the keeper waited alone.\n"
)


@pytest.fixture
def texts(tmp_path: Path) -> Path:
    folder = tmp_path / "texts"
    folder.mkdir()
    shutil.copy(SEED_FILE, folder / SEED_FILE.name)
    (folder / "the-lighthouse.txt").write_text(OTHER, encoding="utf-8")
    return folder


@pytest.fixture
def two_stories(texts: Path) -> Library:
    return load_library(texts)[0]


@pytest.fixture
def reading(store: Storage) -> ReadingService:
    return ReadingService(store, LibraryHolder(seed_library()))
