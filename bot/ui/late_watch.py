"""`LateWatch`: call back for work still running a fixed time after it started, on one timer.

The plain way, a `call_later` per interaction, leaves the loop a timer handle for every
interaction in flight: a burst of readers puts a burst of handles in the loop's heap, each
cancelled moments later. Here deadlines are all `after` seconds from the start of their
work, so they come in the order they are set, and one timer (for the oldest deadline) serves
them all; it is cancelled as soon as nothing is watched.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

log = logging.getLogger(__name__)


class LateWatch:
    """Call `on_late` for each watched piece of work not `forget`-ten within `after` seconds."""

    def __init__(self, after: float) -> None:
        if after <= 0:
            raise ValueError(f"after must be positive, got {after}")
        self.after = after
        # token -> (deadline in loop time, callback); insertion order is deadline order.
        self._watched: dict[int, tuple[float, Callable[[], None]]] = {}
        self._last_token = 0
        self._timer: asyncio.TimerHandle | None = None

    def __len__(self) -> int:
        return len(self._watched)

    def watch(self, on_late: Callable[[], None]) -> int:
        """Start watching; returns the token to `forget` it with when the work is done."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.after
        self._last_token = token = self._last_token + 1
        self._watched[token] = (deadline, on_late)
        if self._timer is None:
            self._timer = loop.call_at(deadline, self._fire)
        return token

    def forget(self, token: int) -> None:
        """The work is done (or was called late already): stop watching it."""
        self._watched.pop(token, None)
        if not self._watched and self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _fire(self) -> None:
        self._timer = None
        loop = asyncio.get_running_loop()
        now = loop.time()
        while self._watched:
            token, (deadline, on_late) = next(iter(self._watched.items()))
            if deadline > now:
                self._timer = loop.call_at(deadline, self._fire)
                return
            del self._watched[token]
            try:
                on_late()
            except Exception:  # one failing callback must not stop the others
                log.exception("a late-work callback failed")
