"""One frozen `Settings`, read from the environment and a `.env` file (python-dotenv).

Where the bot looks is one documented rule, the same for the bot, the preview and the CLIs:

- the `.env` file read is the one in the current folder, else the project's (the folder of
  this repository); real environment variables win over it;
- a relative path (`DATABASE_PATH`, `TEXTS_DIR`, a relative `sqlite:///` URL) is relative to
  the project folder, wherever the bot is started from.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values

PROJECT_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = PROJECT_DIR  # the name older code and tests use
DEFAULT_TEXTS_DIR = PROJECT_DIR / "texts"
DEFAULT_DATABASE_PATH = PROJECT_DIR / "data" / "storybot.db"
LOG_LEVELS = frozenset({"CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"})
DOTENV = ".env"

# A bot token is three base64url parts joined by dots; this catches pasting mistakes
# (quotes, "Bot " prefix, a client secret) without pretending to validate it.
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}$")
_SHARD_RANGE = re.compile(r"^(\d+)\s*-\s*(\d+)$")
MAX_SHARDS = 10_000

TOKEN_HELP = (
    "Get a bot token from the Discord Developer Portal (https://discord.com/developers/applications"
    " → your application → Bot → Reset Token) and put it in .env as DISCORD_TOKEN=..."
)


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line for the person running the bot."""


@dataclass(frozen=True, slots=True)
class Environment:
    """The variables the bot sees (the environment over the `.env` file), and that file."""

    values: Mapping[str, str]
    env_file: Path | None

    def get(self, name: str) -> str:
        return self.values.get(name, "").strip()

    def describe_env_file(self) -> str:
        """For the log at start: which `.env` file was read, or that none was."""
        if self.env_file is None:
            return f"no {DOTENV} file (looked in {Path.cwd()} and {PROJECT_DIR})"
        return f"settings from {self.env_file}"


def find_env_file(cwd: Path | None = None, project: Path = PROJECT_DIR) -> Path | None:
    """The `.env` of the current folder, else the project's; None when neither exists."""
    for folder in (cwd or Path.cwd(), project):
        candidate = folder / DOTENV
        if candidate.is_file():
            return candidate.resolve()
    return None


def read_environment(
    environ: Mapping[str, str] | None = None, *, env_file: Path | None = None
) -> Environment:
    """`environ` (default `os.environ`) over the `.env` file (`env_file`, else `find_env_file`).

    Real environment variables win over `.env`, as python-dotenv does by default.
    """
    found = env_file if env_file is not None else find_env_file()
    values: dict[str, str] = {}
    if found is not None and found.is_file():
        values.update({k: v for k, v in dotenv_values(found).items() if v is not None})
    else:
        found = None
    values.update(os.environ if environ is None else environ)
    return Environment(values, found)


def project_path(text: str) -> Path:
    """A path setting as an absolute path: `~` expanded, relative to the project folder."""
    path = Path(text).expanduser()
    return path if path.is_absolute() else PROJECT_DIR / path


def sqlite_url(path: Path) -> str:
    """The `DATABASE_URL` of an SQLite file."""
    return f"sqlite:///{path.resolve()}"


def database_url(environment: Environment) -> str:
    """`DATABASE_URL`, else the SQLite file `DATABASE_PATH`, else the default file."""
    url = environment.get("DATABASE_URL")
    if url:
        return url
    path = environment.get("DATABASE_PATH")
    return sqlite_url(project_path(path) if path else DEFAULT_DATABASE_PATH)


def texts_dir(environment: Environment) -> Path:
    """`TEXTS_DIR`, else the project's `texts/` folder."""
    path = environment.get("TEXTS_DIR")
    return project_path(path) if path else DEFAULT_TEXTS_DIR


@dataclass(frozen=True, slots=True)
class Settings:
    token: str = field(repr=False)
    database_url: str = field(default_factory=lambda: sqlite_url(DEFAULT_DATABASE_PATH))
    texts_dir: Path = DEFAULT_TEXTS_DIR
    dev_guild_id: int | None = None
    owner_ids: frozenset[int] = frozenset()
    log_level: str = "INFO"
    shard_count: int | None = None  # None: Discord's recommended count, every shard here
    shard_ids: tuple[int, ...] | None = None  # None: every shard of `shard_count`
    env_file: Path | None = None

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, *, env_file: Path | None = None
    ) -> Settings:
        """Settings from the environment over the `.env` file (see the module docstring)."""
        environment = read_environment(environ, env_file=env_file)
        return cls.from_environment(environment)

    @classmethod
    def from_mapping(cls, values: Mapping[str, str]) -> Settings:
        return cls.from_environment(Environment(values, None))

    @classmethod
    def from_environment(cls, environment: Environment) -> Settings:
        token = environment.get("DISCORD_TOKEN")
        if not token:
            raise SettingsError(
                f"DISCORD_TOKEN is not set. {TOKEN_HELP} To try the bot first without a token:"
                " python -m bot preview"
            )
        if not _TOKEN.fullmatch(token):
            raise SettingsError(f"DISCORD_TOKEN does not look like a bot token. {TOKEN_HELP}")
        level = (environment.get("LOG_LEVEL") or "INFO").upper()
        if level not in LOG_LEVELS:
            raise SettingsError(f"LOG_LEVEL must be one of {', '.join(sorted(LOG_LEVELS))}.")
        shard_count, shard_ids = shards(
            environment.get("SHARD_COUNT"), environment.get("SHARD_IDS")
        )
        return cls(
            token=token,
            database_url=database_url(environment),
            texts_dir=texts_dir(environment),
            dev_guild_id=_snowflake("DEV_GUILD_ID", environment.get("DEV_GUILD_ID")),
            owner_ids=frozenset(
                _snowflake("OWNER_IDS", part) or 0
                for part in environment.get("OWNER_IDS").split(",")
                if part.strip()
            ),
            log_level=level,
            shard_count=shard_count,
            shard_ids=shard_ids,
            env_file=environment.env_file,
        )

    @property
    def runs_every_shard(self) -> bool:
        """True when this process runs all the bot's shards (or the bot is not sharded)."""
        return (
            self.shard_ids is None
            or self.shard_count is None
            or (set(self.shard_ids) == set(range(self.shard_count)))
        )

    @property
    def syncs_commands(self) -> bool:
        """Exactly one process syncs the commands: the one holding shard 0."""
        return self.shard_ids is None or 0 in self.shard_ids


def shards(count_text: str, ids_text: str) -> tuple[int | None, tuple[int, ...] | None]:
    """`SHARD_COUNT` and `SHARD_IDS` (`0-3`, or `4,5,6,7`): the shards this process runs."""
    if not count_text:
        if ids_text:
            raise SettingsError("SHARD_IDS needs SHARD_COUNT, the bot's total number of shards.")
        return None, None
    if not count_text.isdigit() or not 1 <= int(count_text) <= MAX_SHARDS:
        raise SettingsError(f"SHARD_COUNT must be a number from 1 to {MAX_SHARDS}.")
    count = int(count_text)
    if not ids_text:
        return count, None
    ids: list[int] = []
    for text in ids_text.split(","):
        part = text.strip()
        span = _SHARD_RANGE.fullmatch(part)
        if span:
            first, last = int(span[1]), int(span[2])
            if first > last:
                raise SettingsError(f"SHARD_IDS: the range {part} runs backwards.")
            ids.extend(range(first, last + 1))
        elif part.isdigit():
            ids.append(int(part))
        else:
            raise SettingsError(f"SHARD_IDS must look like 0-3 or 4,5,6,7, not {part[:20]!r}.")
    outside = sorted({shard for shard in ids if shard >= count})
    if outside:
        raise SettingsError(
            f"SHARD_IDS has shard {outside[0]}, but SHARD_COUNT is {count} "
            f"(shards are numbered 0 to {count - 1})."
        )
    return count, tuple(sorted(set(ids)))


def _snowflake(name: str, text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or not 0 < int(text) < 2**64:
        raise SettingsError(f"{name} must hold Discord ids (numbers), not {text[:30]!r}.")
    return int(text)
