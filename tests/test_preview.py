"""`python -m bot preview`: the real bot in SimCord's Preview page, driven over HTTP as a browser.

The tests that start the preview are skipped (not failed) when the `preview` extra is missing.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot import preview
from bot.preview import (
    INSTALL_HINT,
    PLACEHOLDER_TOKEN,
    PreviewSession,
    missing_modules,
    open_preview,
    preview_settings,
)
from bot.settings import REPO_ROOT, sqlite_url
from bot.storage.errors import StoreClosed
from bot.storage.url import open_storage
from tests.bot.harness import saved_place, seed_story

STORY = "lay-your-heart-bare"

needs_preview = pytest.mark.skipif(
    bool(missing_modules()),
    reason=f"the preview extra is not installed ({INSTALL_HINT})",
)


def test_without_the_extra_one_line_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(preview, "missing_modules", lambda: ["aiohttp", "PIL"])
    assert preview.main([]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert INSTALL_HINT in err
    assert 'pip install -e ".[preview]"' in err


def test_settings_need_no_token(tmp_path: Path) -> None:
    settings = preview_settings(tmp_path / "p.db", environ={"LOG_LEVEL": "debug"})
    assert settings.token == PLACEHOLDER_TOKEN
    assert settings.database_url == f"sqlite:///{tmp_path / 'p.db'}"
    assert settings.log_level == "DEBUG"
    # A real token in the environment is replaced, never used.
    real = "MTAxMDEwMTAxMDEwMTAxMDEw.GabcDe.abcdefghijklmnopqrstuvwxyz0123"
    assert preview_settings(environ={"DISCORD_TOKEN": real}).token == PLACEHOLDER_TOKEN


@dataclass
class Browser:
    """What the Preview page does over HTTP: open a page context, read state, send actions."""

    http: Any  # aiohttp.ClientSession
    origin: str
    headers: dict[str, str]
    page: dict[str, Any]
    sequence: int = 0

    @classmethod
    async def open(cls, http: Any, url: str) -> Browser:
        origin, capability = url.split("/#", 1)
        headers = {"X-Simcord-Capability": capability}
        async with http.post(f"{origin}/api/pages", json={}, headers=headers) as response:
            assert response.status == 200
            page = await response.json()
        headers["X-Simcord-Context"] = page["context"]["id"]
        return cls(http, origin, headers, page)

    async def state(self) -> dict[str, Any]:
        async with self.http.get(f"{self.origin}/api/state", headers=self.headers) as response:
            assert response.status == 200
            self.page = await response.json()
        return self.page

    async def act(self, kind: str, **fields: Any) -> dict[str, Any]:
        self.sequence += 1
        body = {
            "protocol_version": 3,
            "sequence": self.sequence,
            "request_id": uuid.uuid4().hex,
            "generation": self.page["context"]["generation"],
            "bot_generation": self.page["botGeneration"],
            "published_revision": self.page["publishedRevision"],
            "kind": kind,
            **fields,
        }
        async with self.http.post(
            f"{self.origin}/api/action", json=body, headers=self.headers
        ) as response:
            assert response.status == 200
            result: dict[str, Any] = await response.json()
        assert not result["rejected"], result
        assert result["settlement"] == "settled", result
        await self.state()
        return result

    async def slash(self, name: str, **options: Any) -> dict[str, Any]:
        async with self.http.get(f"{self.origin}/api/commands", headers=self.headers) as response:
            catalog = await response.json()
        [entry] = [entry for entry in catalog["entries"] if entry["path"] == [name]]
        return await self.act(
            "run_command",
            command_id=entry["commandId"],
            path=entry["path"],
            schema_fingerprint=entry["schemaFingerprint"],
            options=options,
        )

    async def click(self, message: dict[str, Any], label: str) -> dict[str, Any]:
        [key] = [
            button["control_key"]
            for row in message["components"]
            for button in row["components"]
            if button.get("label") == label
        ]
        return await self.act("click", target_id=message["id"], control_key=key)

    def latest(self) -> dict[str, Any]:
        message: dict[str, Any] = self.page["messages"][self.page["timeline"][-1]]
        return message


def place(message: dict[str, Any]) -> str:
    [embed] = message["embeds"]
    name: str = embed["author"]["name"]
    return name


def labels(message: dict[str, Any]) -> list[str]:
    return [button["label"] for row in message["components"] for button in row["components"]]


@pytest.fixture
async def http() -> AsyncIterator[Any]:
    import aiohttp

    async with aiohttp.ClientSession() as session:
        yield session


@needs_preview
async def test_a_visitor_reads_through_the_page_and_it_is_saved(http: Any, tmp_path: Path) -> None:
    import aiohttp

    database = tmp_path / "data" / "storybot.db"
    settings = preview_settings(database, environ={})
    async with open_preview(settings) as session:
        assert isinstance(session, PreviewSession)
        assert session.url.startswith("http://127.0.0.1:")
        origin = session.url.split("/#")[0]
        async with http.get(f"{origin}/") as response:
            assert response.status == 200
            assert response.content_type == "text/html"

        browser = await Browser.open(http, session.url)
        assert browser.page["channel"]["name"] == "reading"
        assert browser.page["commands"]["count"] >= 5  # every command was registered

        await browser.slash("read")
        page = browser.latest()
        assert place(page) == "Scene 1/5 · Page 1/1"
        assert page["embeds"][0]["title"] == "Lay Your Heart Bare"
        assert "%" in page["embeds"][0]["footer"]["text"]
        assert labels(page) == ["Previous", "Next", "Bookmark"]
        assert page["author"]["name"] == "storybot"

        await browser.click(page, "Next")
        assert place(browser.latest()) == "Scene 2/5 · Page 1/1"

        # The in-process read surface shows the same reply.
        snapshot = await session.preview.snapshot()
        [shown] = [m for m in snapshot["messages"].values() if m["id"] == page["id"]]
        assert place(shown) == "Scene 2/5 · Page 1/1"
        visitor_id = session.visitor.id
        store = session.bot.store

    # Closed cleanly: the page is gone, the store is closed...
    with pytest.raises(aiohttp.ClientConnectionError):
        async with http.get(f"{origin}/"):
            pass
    with pytest.raises(StoreClosed):
        await store.get_position(visitor_id, STORY)
    # ... and the place was written to the bot's own database.
    reopened = await open_storage(sqlite_url(database), base=tmp_path)
    try:
        stored = await saved_place(reopened, visitor_id, seed_story())
    finally:
        await reopened.close()
    assert stored == (1, 0)


@needs_preview
async def test_the_next_preview_resumes_where_the_visitor_stopped(tmp_path: Path) -> None:
    settings = preview_settings(tmp_path / "storybot.db", environ={})
    async with open_preview(settings) as session:
        first = await session.visitor.slash(session.channel, "read")
        assert first.response is not None
        await session.env.advance_time(2.5)
        await session.visitor.click(first.response, label="Next")
        visitor_id = session.visitor.id
    async with open_preview(settings) as session:
        assert session.visitor.id == visitor_id
        again = await session.visitor.slash(session.channel, "read")
        assert again.response is not None
        assert again.response.embeds[0].author.name == "Scene 2/5 · Page 1/1"
        snapshot = await session.preview.snapshot()
        assert [m["embeds"][0]["author"]["name"] for m in snapshot["messages"].values()] == [
            "Scene 2/5 · Page 1/1"
        ]


@needs_preview
async def test_the_clock_follows_real_time_so_limits_wear_off(tmp_path: Path) -> None:
    settings = preview_settings(tmp_path / "storybot.db", environ={})
    async with open_preview(settings, clock_tick=0.05) as session:
        before = session.env.now()
        await asyncio.sleep(0.3)
        assert (session.env.now() - before).total_seconds() >= 0.2


@needs_preview
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
async def test_command_line_serves_until_ctrl_c_or_sigterm(
    http: Any, tmp_path: Path, stop: signal.Signals
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.preview",
        "--database",
        str(tmp_path / "cli.db"),
        cwd=tmp_path,  # no .env there
        env={**env, "PYTHONPATH": str(REPO_ROOT)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), timeout=60)).decode()
        assert line.startswith("storybot preview: open http://127.0.0.1:"), line
        url = line.split("open ", 1)[1].strip()
        async with http.get(url.split("/#")[0] + "/") as response:
            assert response.status == 200
        process.send_signal(stop)
        out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, err.decode()
    assert b"Press Ctrl+C to stop." in out
    assert b"Traceback" not in err, err.decode()
    assert b"SQLite storage closed at" in err
    assert (tmp_path / "cli.db").is_file()
    assert not (tmp_path / "cli.db-wal").exists()  # closed in order: the log merged in
    for noise in (b"voice will NOT be supported", b"Guilds intent"):  # not the visitor's concern
        assert noise not in err, err.decode()
