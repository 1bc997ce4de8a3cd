"""Faults while running: one ERROR line per episode, not a traceback per interaction."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


class FaultEpisodes:
    """Logs when a database starts failing (ERROR, with the cause) and when it works again
    (INFO). Faults in between go to DEBUG: the readers are told each time, the log once."""

    def __init__(self, database: str) -> None:
        self._database = database  # as shown in the log: a path, or host:port/dbname
        self._failing = False

    def failed(self, cause: BaseException, *, doing: str) -> None:
        if self._failing:
            log.debug("storage at %s still failing while %s: %s", self._database, doing, cause)
            return
        self._failing = True
        log.error(
            "storage at %s failed while %s: %s: %s (readers are told to try again; the next "
            "line about it says when it works again)",
            self._database,
            doing,
            type(cause).__name__,
            cause,
        )

    def worked(self) -> None:
        if self._failing:
            self._failing = False
            log.info("storage at %s works again", self._database)
