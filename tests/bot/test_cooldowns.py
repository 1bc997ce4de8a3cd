"""Per-reader limits count each reader's window right while idle readers are swept out."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from bot.ui.cooldowns import SWEEP_EVERY, per_reader


def action(user_id: int) -> Any:
    return SimpleNamespace(user=SimpleNamespace(id=user_id))


@pytest.mark.parametrize("others", [0, 1, 300])
def test_a_readers_window_holds_across_sweeps(others: int) -> None:
    limits = per_reader(5, 10.0)
    at = 1_000.0
    for step in range(5):
        assert limits.update_rate_limit(action(1), at + step) is None
        for other in range(others):  # other readers acting: sweeps run between
            limits.update_rate_limit(action(100 + other), at + step + SWEEP_EVERY)
    refused = limits.update_rate_limit(action(1), at + 5)
    assert refused is not None
    assert 0 < refused <= 10
    assert limits.update_rate_limit(action(1), at + 10.5) is None  # the window has passed
