"""Logging for the bot process: one stream handler, and secrets never written."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable

FORMAT = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"


class RedactSecrets(logging.Filter):
    """Replace every secret (the bot token) in a record's final text with `[redacted]`."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = tuple(secret for secret in secrets if secret)

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        message = record.getMessage()
        text = message
        for secret in self._secrets:
            text = text.replace(secret, "[redacted]")
        if text != message:
            record.msg, record.args = text, None
        return True


class DropNoise(logging.Filter):
    """Drop the warnings that do not concern whoever reads this log (`noise`: the start of
    their message); every other record passes."""

    def __init__(self, noise: Iterable[str]) -> None:
        super().__init__()
        self._noise = tuple(noise)

    def filter(self, record: logging.LogRecord) -> bool:
        return not (self._noise and record.getMessage().startswith(self._noise))


# discord.py warns that voice needs PyNaCl and davey: this bot never uses voice.
NO_VOICE = ("PyNaCl is not installed", "davey is not installed")


def setup_logging(
    level: str = "INFO", *, secrets: Iterable[str] = (), noise: Iterable[str] = NO_VOICE
) -> logging.Handler:
    """Send logs to stderr at `level` (discord.py's own chatter at INFO at most), with every
    secret redacted and the warnings in `noise` left out."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactSecrets(secrets))
    handler.addFilter(DropNoise(noise))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("discord").setLevel(max(logging.getLevelName(level), logging.INFO))
    logging.getLogger("aiosqlite").setLevel(logging.WARNING)
    return handler
