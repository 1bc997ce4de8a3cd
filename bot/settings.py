"""One frozen `Settings`, read from the environment and a `.env` file (python-dotenv)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values, find_dotenv

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TEXTS_DIR = REPO_ROOT / "texts"
DEFAULT_DATABASE_PATH = Path("data") / "storybot.db"
LOG_LEVELS = frozenset({"CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"})

# A bot token is three base64url parts joined by dots; this catches pasting mistakes
# (quotes, "Bot " prefix, a client secret) without pretending to validate it.
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}$")

TOKEN_HELP = (
    "Get a bot token from the Discord Developer Portal (https://discord.com/developers/applications"
    " → your application → Bot → Reset Token) and put it in .env as DISCORD_TOKEN=..."
)


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line for the person running the bot."""


@dataclass(frozen=True, slots=True)
class Settings:
    token: str = field(repr=False)
    database_path: Path = DEFAULT_DATABASE_PATH
    texts_dir: Path = DEFAULT_TEXTS_DIR
    dev_guild_id: int | None = None
    owner_ids: frozenset[int] = frozenset()
    log_level: str = "INFO"

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, *, dotenv: Path | None = None
    ) -> Settings:
        """Settings from `environ` (default `os.environ`) over the `.env` file found from the cwd.

        Real environment variables win over `.env`, as python-dotenv does by default.
        """
        if dotenv is None:
            found = find_dotenv(usecwd=True)
            dotenv = Path(found) if found else None
        values: dict[str, str] = {}
        if dotenv is not None and dotenv.is_file():
            values.update({k: v for k, v in dotenv_values(dotenv).items() if v is not None})
        values.update(os.environ if environ is None else environ)
        return cls.from_mapping(values)

    @classmethod
    def from_mapping(cls, values: Mapping[str, str]) -> Settings:
        token = values.get("DISCORD_TOKEN", "").strip()
        if not token:
            raise SettingsError(
                f"DISCORD_TOKEN is not set. {TOKEN_HELP} To try the bot first without a token:"
                " python -m bot preview"
            )
        if not _TOKEN.fullmatch(token):
            raise SettingsError(f"DISCORD_TOKEN does not look like a bot token. {TOKEN_HELP}")
        database = values.get("DATABASE_PATH", "").strip()
        texts = values.get("TEXTS_DIR", "").strip()
        level = (values.get("LOG_LEVEL", "").strip() or "INFO").upper()
        if level not in LOG_LEVELS:
            raise SettingsError(f"LOG_LEVEL must be one of {', '.join(sorted(LOG_LEVELS))}.")
        return cls(
            token=token,
            database_path=Path(database).expanduser() if database else DEFAULT_DATABASE_PATH,
            texts_dir=Path(texts).expanduser() if texts else DEFAULT_TEXTS_DIR,
            dev_guild_id=_snowflake("DEV_GUILD_ID", values.get("DEV_GUILD_ID", "")),
            owner_ids=frozenset(
                _snowflake("OWNER_IDS", part) or 0
                for part in values.get("OWNER_IDS", "").split(",")
                if part.strip()
            ),
            log_level=level,
        )


def texts_dir_from_env(environ: Mapping[str, str] | None = None) -> Path:
    """`TEXTS_DIR` alone (environment, then `.env`), for tools that need no token."""
    values = dict(os.environ if environ is None else environ)
    if "TEXTS_DIR" not in values:
        found = find_dotenv(usecwd=True)
        if found:
            values.update({k: v for k, v in dotenv_values(found).items() if v is not None})
    texts = values.get("TEXTS_DIR", "").strip()
    return Path(texts).expanduser() if texts else DEFAULT_TEXTS_DIR


def _snowflake(name: str, text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or not 0 < int(text) < 2**64:
        raise SettingsError(f"{name} must hold Discord ids (numbers), not {text[:30]!r}.")
    return int(text)
