"""Interaction throughput of the reading path against a null command, through SimCord.

    python -m bench.bench_dispatch            # 5 runs of 50 readers
    python -m bench.bench_dispatch --quick    # a smoke run (1 run of 5 readers)

One StoryBot (its store on a fresh SQLite file, the bundled texts) runs inside SimCord with
an extra `/null` command registered on the same tree. Each run takes fresh readers and, for
each side, emits every reader's command together, waits for all replies, then emits every
reader's "Next" click together:

- story side: `/read` (opens the story, saves the first page) then Next (moves the saved
  place atomically and edits the page in place);
- null side: `/null` sends a page-shaped reply (a 4,000-character embed and three buttons)
  and its Next edits the message with the same, with no work behind either.

Throughput is interactions answered per second: interactions over the wall time from each
burst's emission to its last answer (SimCord's settling after that is left out); median of
the runs. Latency is, per interaction, from its INTERACTION_CREATE to the bot's answer
reaching the simulated Discord, under that load (p50/p99 over all runs). Both sides pay the
same SimCord and discord.py costs, so the ratio shows what the reading logic and the
database add.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord
import simcord
from discord import app_commands

from bot.client import StoryBot
from bot.library.loader import load_library
from bot.settings import DEFAULT_TEXTS_DIR, Settings
from bot.storage.store import ReadingStore
from bot.ui.limits import RateLimiter, ReaderLimits

log = logging.getLogger(__name__)

TOKEN = "MTAxMDEwMTAxMDEwMTAxMDEw.GabcDe.abcdefghijklmnopqrstuvwxyz0123"
NULL_TEXT = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 80)[:4000]
NO_MENTIONS = discord.AllowedMentions.none()
# How often the driver looks for answers: fine enough for latencies, coarse enough not to
# steal the CPU the bot (and its database thread) needs.
POLL_SECONDS = 0.0005


def null_reply() -> tuple[discord.Embed, discord.ui.View]:
    embed = discord.Embed(title="Null", description=NULL_TEXT)
    embed.set_author(name="Scene 1/1 · Page 1/1")
    embed.set_footer(text="▰▰▰▱▱▱▱▱▱▱ 34% · about 8 min left")
    view = NullButtons()
    view.stop()  # sent as components only; the persistent NullButtons answers (as StoryBot does)
    return embed, view


class NullButtons(discord.ui.View):
    """Persistent view answering the null page's buttons with the same page."""

    def __init__(self) -> None:
        super().__init__(timeout=None)
        # The same labels and emoji as a real page's buttons: the same payload shape.
        for label, emoji in (("Previous", "◀️"), ("Next", "▶️"), ("Bookmark", "🔖")):
            button: discord.ui.Button[NullButtons] = discord.ui.Button(
                label=label, emoji=emoji, custom_id=f"null:{label.lower()}"
            )
            button.callback = self.answer  # type: ignore[method-assign]
            self.add_item(button)

    async def answer(self, interaction: discord.Interaction[Any]) -> None:
        embed, view = null_reply()
        await interaction.response.edit_message(
            embed=embed, view=view, allowed_mentions=NO_MENTIONS
        )


@app_commands.command(name="null", description="Benchmark: a page-shaped reply, no work.")
async def null_command(interaction: discord.Interaction[Any]) -> None:
    embed, view = null_reply()
    await interaction.response.send_message(
        embed=embed, view=view, ephemeral=True, allowed_mentions=NO_MENTIONS
    )


class BenchBot(StoryBot):
    async def setup_hook(self) -> None:
        self.tree.add_command(null_command)
        self.add_view(NullButtons())
        await super().setup_hook()


@dataclass(frozen=True, slots=True)
class Side:
    per_second: float
    p50_ms: float
    p99_ms: float


@dataclass(frozen=True, slots=True)
class Result:
    story: Side
    null: Side
    runs: int
    readers: int

    @property
    def ratio(self) -> float:
        return self.story.per_second / self.null.per_second


async def _wait_answered(
    env: simcord.Env, records: list[Any], started: float, latencies: list[float]
) -> float:
    """Settle the bot's work while noting when each interaction gets its answer."""
    settling = asyncio.ensure_future(env.settle())
    pending = list(records)
    while pending and not settling.done():
        await asyncio.sleep(POLL_SECONDS)
        now = time.perf_counter()
        still = []
        for record in pending:
            if record.responded:
                latencies.append(now - started)
            else:
                still.append(record)
        pending = still
    last = time.perf_counter()
    await settling
    if pending:
        raise RuntimeError(f"{len(pending)} interactions were never answered")
    return last - started


async def _burst(
    env: simcord.Env, channel: simcord.ChannelHandle, payloads: list[dict[str, Any]],
    latencies: list[float],
) -> tuple[list[Any], float]:  # fmt: skip
    """Emit all `payloads` at once; their records and the seconds until the last answer."""
    from simcord.interactions import base_payload

    backend = env.backend
    records, events = [], []
    for spec in payloads:
        record, payload = base_payload(
            backend, type=spec["type"], channel_id=channel.id, guild_id=env.guild.id,
            user_id=spec["user"], data=spec["data"],
        )  # fmt: skip
        if "message" in spec:
            payload["message"] = spec["message"]
            record.source_message_id = spec["message_id"]
        records.append(record)
        events.append(payload)
    started = time.perf_counter()
    for payload in events:
        backend.emit("INTERACTION_CREATE", payload)
    busy = await _wait_answered(env, records, started, latencies)
    return records, busy


async def _one_side(
    env: simcord.Env, channel: simcord.ChannelHandle, command: str, readers: int,
    latencies: list[float],
) -> float:  # fmt: skip
    """Command then Next for `readers` new readers at once; interactions per second."""
    from simcord.backend import serializers
    from simcord.enums import ComponentType, InteractionType

    backend = env.backend
    users = [env.guild.add_member(env.create_user(f"r{i}")) for i in range(readers)]
    found = backend.find_command(command, env.guild.id)
    assert found is not None
    data = {"id": found["id"], "name": command, "type": 1, "options": []}
    records, busy_commands = await _burst(
        env, channel,
        [{"type": InteractionType.APPLICATION_COMMAND, "user": u.id, "data": data} for u in users],
        latencies,
    )  # fmt: skip
    clicks = []
    for user, record in zip(users, records, strict=True):
        message = backend.get_message(channel.id, record.message_id)
        [custom_id] = [
            child["custom_id"]
            for row in message.components
            for child in row["components"]
            if child.get("label") == "Next"
        ]
        clicks.append({
            "type": InteractionType.MESSAGE_COMPONENT, "user": user.id,
            "data": {"custom_id": custom_id, "component_type": ComponentType.BUTTON},
            "message": dict(serializers.message_payload(backend, message)),
            "message_id": message.id,
        })  # fmt: skip
    _, busy_clicks = await _burst(env, channel, clicks, latencies)
    return 2 * readers / (busy_commands + busy_clicks)


def _side(rates: list[float], latencies: list[float]) -> Side:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return Side(statistics.median(rates), statistics.median(ordered) * 1000, p99 * 1000)


async def bench(runs: int, readers: int) -> Result:
    library, _ = load_library(DEFAULT_TEXTS_DIR)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        settings = Settings(token=TOKEN, database_path=path)
        async with await ReadingStore.open(path) as store:
            limits = ReaderLimits(RateLimiter(1000, 1.0), RateLimiter(1000, 1.0))
            bot = BenchBot(settings=settings, store=store, library=library, limits=limits)
            async with simcord.run(bot) as env:
                channel = env.create_guild("bench").create_text_channel("read")
                rates: dict[str, list[float]] = {"read": [], "null": []}
                latencies: dict[str, list[float]] = {"read": [], "null": []}
                await _one_side(env, channel, "read", readers, [])  # warm up both paths
                await _one_side(env, channel, "null", readers, [])
                for _ in range(runs):
                    for command in ("null", "read"):
                        rate = await _one_side(env, channel, command, readers, latencies[command])
                        rates[command].append(rate)
                result = Result(
                    _side(rates["read"], latencies["read"]),
                    _side(rates["null"], latencies["null"]),
                    runs,
                    readers,
                )
                env.errors  # noqa: B018 - nothing expected; acknowledged so shutdown is quiet
    return result


def main(argv: list[str] | None = None) -> Result:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_dispatch", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one run of 5 readers")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--readers", type=int, default=50)
    args = parser.parse_args(argv)
    runs, readers = (1, 5) if args.quick else (args.runs, args.readers)
    logging.basicConfig(level=logging.WARNING)
    result = asyncio.run(bench(runs, readers))
    for name, side in (("/read + Next", result.story), ("null", result.null)):
        print(
            f"{name:>13}: {side.per_second:8.0f} interactions/s"
            f"  p50 {side.p50_ms:6.1f} ms  p99 {side.p99_ms:6.1f} ms"
        )
    print(
        f"ratio {result.ratio:.2f} of null ({readers} concurrent readers, median of {runs} runs;"
        " target ≥ 0.90)"
    )
    return result


if __name__ == "__main__":
    main()
