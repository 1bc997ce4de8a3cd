"""Places and moments for the storage tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.library.anchors import Anchor


def anchor(scene: int, paragraph: int = 0, offset: int = 0) -> Anchor:
    """A distinct anchor per (scene, paragraph, offset), with a snippet that says which."""
    return Anchor(scene, paragraph, offset, f"text at {scene}.{paragraph}.{offset}")


def now() -> datetime:
    return datetime.now(UTC)


def before(moment: datetime, seconds: float = 1.0) -> datetime:
    return moment - timedelta(seconds=seconds)
