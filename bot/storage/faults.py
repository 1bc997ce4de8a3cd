"""Faults while running: one ERROR line per episode, not a traceback per interaction."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


class FaultEpisodes:
    """Logs when a database starts failing (ERROR, with the cause) and when it works again
    (INFO). Faults in between go to DEBUG: the readers are told each time, the log once.

    The episode lasts until what failed works again: a full disk or a read-only database
    fails writes while reads go on working, so a read that works ends no failing of writes.
    """

    def __init__(self, database: str) -> None:
        self._database = database  # as shown in the log: a path, or host:port/dbname
        self._failing: set[str] = set()  # what fails now: "reading", "writing"

    def failed(self, cause: BaseException, *, doing: str) -> None:
        if self._failing:
            self._failing.add(doing)
            log.debug("storage at %s still failing while %s: %s", self._database, doing, cause)
            return
        self._failing.add(doing)
        log.error(
            "storage at %s failed while %s: %s: %s (readers are told to try again; the next "
            "line about it says when it works again)",
            self._database,
            doing,
            type(cause).__name__,
            cause,
        )

    def worked(self, *, doing: str) -> None:
        if doing in self._failing:
            self._failing.discard(doing)
            if not self._failing:
                log.info("storage at %s works again", self._database)
