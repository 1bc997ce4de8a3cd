"""Stopping in order. systemd, Docker and most hosts stop a service with SIGTERM, a person at
a terminal with Ctrl+C (SIGINT): both stop the bot the same way. It stops taking interactions
(each new one is told to try again shortly), lets those in flight finish for a few seconds,
then closes the gateway and, last, the store."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

log = logging.getLogger(__name__)

DRAIN_SECONDS = 5.0
"""How long interactions in flight may take to finish once a stop is asked for."""
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class InFlight:
    """The interactions being handled now, so that a stop can wait for them (not for ever)."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self.draining = False

    def __len__(self) -> int:
        return len(self._tasks)

    def enter(self) -> bool:
        """Count the current task as an interaction being handled; False once stopping."""
        if self.draining:
            return False
        task = asyncio.current_task()
        if task is not None and task not in self._tasks:
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return True

    async def drain(self, timeout: float = DRAIN_SECONDS) -> int:  # noqa: ASYNC109
        """Take no more interactions; wait up to `timeout` for those in flight. Returns how
        many were still running when the time was up."""
        self.draining = True
        pending = self._tasks - {asyncio.current_task()}
        if not pending:
            return 0
        _, still_running = await asyncio.wait(pending, timeout=timeout)
        return len(still_running)


async def run_until_signalled(
    main: Coroutine[Any, Any, None], stop: Callable[[], Awaitable[None]]
) -> bool:
    """Run `main` until it returns, or until SIGINT or SIGTERM: then `await stop()`, which
    must make `main` return. True when a signal stopped it."""
    loop = asyncio.get_running_loop()
    asked = asyncio.Event()
    installed = []
    for signum in STOP_SIGNALS:
        with contextlib.suppress(NotImplementedError, RuntimeError):  # Windows: Ctrl+C raises
            loop.add_signal_handler(signum, asked.set)
            installed.append(signum)
    running = asyncio.ensure_future(main)
    waiting = asyncio.ensure_future(asked.wait())
    try:
        await asyncio.wait({running, waiting}, return_when=asyncio.FIRST_COMPLETED)
        if asked.is_set():
            log.info("stopping: finishing the interactions in flight")
            await stop()
        await running
        return asked.is_set()
    finally:
        waiting.cancel()
        for signum in installed:
            loop.remove_signal_handler(signum)
