"""Settings from the environment and `.env`; a missing token is one clear line and exit 2."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.logging_setup import NO_VOICE, DropNoise, RedactSecrets
from bot.settings import (
    DEFAULT_TEXTS_DIR,
    PROJECT_DIR,
    Settings,
    SettingsError,
    find_env_file,
    shards,
)
from tests.bot.harness import FAKE_TOKEN

REPO = Path(__file__).resolve().parents[2]


def run_bot(cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`python -m bot` in `cwd`, its database there too unless `env` or cwd's .env says."""
    if "DATABASE_PATH" not in env and not (cwd / ".env").exists():
        env = {**env, "DATABASE_PATH": str(cwd / "data" / "storybot.db")}  # not the project's
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=cwd,
        env={"PYTHONPATH": str(REPO), "PATH": os.environ.get("PATH", ""), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_missing_token_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = run_bot(tmp_path, {})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "DISCORD_TOKEN" in lines[0]
    assert "Developer Portal" in lines[0]
    assert "Reset Token" in lines[0]
    assert ".env" in lines[0]
    assert "python -m bot preview" in lines[0]  # a way to try it before making an application
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_malformed_token_is_refused_without_echoing_it(tmp_path: Path) -> None:
    secret = "Bot not-a-real-token-but-secret-anyway"
    result = run_bot(tmp_path, {"DISCORD_TOKEN": secret})
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert secret not in result.stderr
    assert "secret-anyway" not in result.stderr


def test_empty_library_is_one_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / ".env").write_text(
        f"DISCORD_TOKEN={FAKE_TOKEN}\nTEXTS_DIR={tmp_path / 'empty'}\n"
        f"DATABASE_PATH={tmp_path / 'storybot.db'}\n"
    )
    result = run_bot(tmp_path, {})
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "No usable story" in result.stderr
    assert FAKE_TOKEN not in result.stderr


def test_settings_read_every_variable(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("DISCORD_TOKEN=from-dotenv\nLOG_LEVEL=debug\nDATABASE_PATH=x/y.db\n")
    settings = Settings.from_env(
        {"DISCORD_TOKEN": FAKE_TOKEN, "DEV_GUILD_ID": "123", "OWNER_IDS": "1, 2,3"},
        env_file=dotenv,
    )
    assert settings.token == FAKE_TOKEN  # the environment wins over .env
    assert settings.log_level == "DEBUG"
    assert settings.database_url == f"sqlite:///{PROJECT_DIR / 'x' / 'y.db'}"
    assert settings.texts_dir == DEFAULT_TEXTS_DIR
    assert DEFAULT_TEXTS_DIR.is_dir()
    assert settings.dev_guild_id == 123
    assert settings.owner_ids == frozenset({1, 2, 3})
    assert FAKE_TOKEN not in repr(settings)


@pytest.mark.parametrize(
    "values",
    [{"DEV_GUILD_ID": "abc"}, {"OWNER_IDS": "1,x"}, {"LOG_LEVEL": "LOUD"}],
)
def test_malformed_settings_are_refused(values: dict[str, str]) -> None:
    with pytest.raises(SettingsError):
        Settings.from_mapping({"DISCORD_TOKEN": FAKE_TOKEN, **values})


def test_the_token_never_reaches_a_log_line() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "token=%s", (FAKE_TOKEN,), None)
    RedactSecrets([FAKE_TOKEN]).filter(record)
    assert FAKE_TOKEN not in record.getMessage()
    assert "[redacted]" in record.getMessage()


def test_a_well_formed_token_is_never_logged_whatever_discord_says(tmp_path: Path) -> None:
    # Offline: the network error; online: Discord refuses the made-up token. One line either way.
    result = run_bot(tmp_path, {"DISCORD_TOKEN": FAKE_TOKEN, "LOG_LEVEL": "DEBUG"})
    assert result.returncode in {1, 2}, result.stderr
    assert "Traceback" not in result.stderr
    assert FAKE_TOKEN not in result.stderr
    assert FAKE_TOKEN.split(".")[-1] not in result.stderr
    said = [line for line in result.stderr.splitlines() if line.startswith("storybot: ")]
    assert len(said) == 1, result.stderr


def test_a_database_from_a_newer_bot_is_one_line_and_exit_2(tmp_path: Path) -> None:
    database = tmp_path / "newer.db"
    conn = sqlite3.connect(database)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    env = {"DISCORD_TOKEN": FAKE_TOKEN, "DATABASE_PATH": str(database)}
    result = run_bot(tmp_path, env)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    said = [line for line in result.stderr.splitlines() if line.startswith("storybot: ")]
    assert len(said) == 1, result.stderr
    assert str(database) in said[0]
    assert "newer version of the bot" in said[0]


def test_the_env_file_is_the_current_folders_else_the_projects(tmp_path: Path) -> None:
    here, project, elsewhere = tmp_path / "here", tmp_path / "project", tmp_path / "elsewhere"
    for folder in (here, project, elsewhere):
        folder.mkdir()
    (here / ".env").write_text("LOG_LEVEL=debug\n")
    (project / ".env").write_text("LOG_LEVEL=warning\n")
    assert find_env_file(here, project) == (here / ".env").resolve()
    assert find_env_file(elsewhere, project) == (project / ".env").resolve()
    (project / ".env").unlink()
    assert find_env_file(elsewhere, project) is None


def test_relative_paths_are_the_project_folders_wherever_the_bot_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings.from_mapping(
        {"DISCORD_TOKEN": FAKE_TOKEN, "DATABASE_PATH": "data/mine.db", "TEXTS_DIR": "books"}
    )
    assert settings.database_url == f"sqlite:///{PROJECT_DIR / 'data' / 'mine.db'}"
    assert settings.texts_dir == PROJECT_DIR / "books"
    absolute = Settings.from_mapping({"DISCORD_TOKEN": FAKE_TOKEN, "DATABASE_PATH": "/srv/x.db"})
    assert absolute.database_url == "sqlite:////srv/x.db"
    url = Settings.from_mapping({"DISCORD_TOKEN": FAKE_TOKEN, "DATABASE_URL": "postgresql://h/db"})
    assert url.database_url == "postgresql://h/db"


def test_the_log_says_which_env_file_and_which_database(tmp_path: Path) -> None:
    database = tmp_path / "here.db"
    (tmp_path / ".env").write_text(
        f"DISCORD_TOKEN={FAKE_TOKEN}\nDATABASE_PATH={database}\nLOG_LEVEL=INFO\n"
    )
    result = run_bot(tmp_path, {})  # offline: it stops at Discord, after saying where it looks
    assert f"settings from {(tmp_path / '.env').resolve()}" in result.stderr
    assert f"SQLite database {database}" in result.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_bot(elsewhere, {"DISCORD_TOKEN": FAKE_TOKEN, "DATABASE_PATH": str(database)})
    assert "no .env file" in result.stderr or "settings from" in result.stderr


@pytest.mark.parametrize(
    ("count", "ids", "expected"),
    [
        ("", "", (None, None)),
        ("4", "", (4, None)),
        ("8", "0-3", (8, (0, 1, 2, 3))),
        ("8", "4,5, 6,7", (8, (4, 5, 6, 7))),
        ("8", "6-7,0", (8, (0, 6, 7))),
    ],
)
def test_shard_settings(count: str, ids: str, expected: tuple[object, object]) -> None:
    assert shards(count, ids) == expected


@pytest.mark.parametrize(
    ("count", "ids"),
    [("", "0-3"), ("0", ""), ("x", ""), ("4", "3-1"), ("4", "4"), ("4", "a,b"), ("4", "0-9")],
)
def test_malformed_shard_settings_are_refused(count: str, ids: str) -> None:
    with pytest.raises(SettingsError):
        shards(count, ids)


def test_noise_is_dropped_and_real_warnings_kept() -> None:
    noise = DropNoise(NO_VOICE)
    voice = logging.LogRecord(
        "discord.client", logging.WARNING, __file__, 1,
        "PyNaCl is not installed, voice will NOT be supported", None, None,
    )  # fmt: skip
    real = logging.LogRecord(
        "discord.http", logging.WARNING, __file__, 1, "rate limited", None, None
    )
    assert not noise.filter(voice)
    assert noise.filter(real)
