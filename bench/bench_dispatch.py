"""Interaction throughput of the reading path against null commands, through SimCord.

    python -m bench.bench_dispatch            # 15 runs of 50 readers
    python -m bench.bench_dispatch --quick    # a smoke run (1 run of 5 readers)

One StoryBot (its store on a fresh SQLite file, the bundled texts) runs inside SimCord with
two extra commands on the same tree. Each run takes fresh readers and, for each side, emits
every reader's command together, waits for all answers, then emits every reader's "Next"
click together:

- story: `/read` (opens the story, saves the first page) then Next (moves the saved place,
  committed before the answer, and edits the page in place);
- null: `/null` sends a page-shaped reply (a 4,000-character embed and three buttons) and
  its Next edits the message with the same, with no work behind either. Its buttons are
  `DynamicItem`s with a page's kind of custom_id, as a page's are (the issue asks for them),
  so discord.py dispatches both sides' clicks the same way: rebuilding the view from the
  message and parsing the custom_id;
- persistent null: the same, with buttons of a persistent view (fixed custom_ids, looked up
  in a dict): a cheaper dispatch than any page's, reported for comparison.

Throughput is interactions answered per second: interactions over the wall time from each
burst's emission to its last answer; median of the runs, the sides' order alternating. Latency
is, per interaction, from its INTERACTION_CREATE to the driver seeing its answer (p50/p99 over
all runs; the driver looks every 0.5 ms). Two things of the double itself are kept out of the
timed window, for every side alike:

- SimCord's `settle()`, its quiescence check, scans every waiting task on each turn of the
  loop, so it charges a bot for each task waiting on its database; the driver only watches
  for answers during a burst and settles after it;
- the double keeps every message of every run; `gc.freeze()` before each burst keeps the
  garbage collector from walking that history, so a collection costs what the burst made.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import re
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

import discord
import simcord
from discord import app_commands

from bot.client import StoryBot
from bot.library.loader import load_library
from bot.services import build_services
from bot.settings import DEFAULT_TEXTS_DIR, Settings, sqlite_url
from bot.storage.url import open_storage
from bot.ui.cooldowns import Cooldowns, per_reader

log = logging.getLogger(__name__)

TOKEN = "MTAxMDEwMTAxMDEwMTAxMDEw.GabcDe.abcdefghijklmnopqrstuvwxyz0123"
NULL_TEXT = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 80)[:4000]
NULL_STORY = "null-story"
NO_MENTIONS = discord.AllowedMentions.none()
# The same labels and emoji as a real page's buttons: the same payload shape.
BUTTONS = {"prev": ("Previous", "◀️"), "next": ("Next", "▶️"), "mark": ("Bookmark", "🔖")}
# How often the driver looks for answers: fine enough for latencies, coarse enough not to
# steal the CPU the bot (and its database thread) needs.
POLL_SECONDS = 0.0005
SETTLE_SECONDS = 60.0  # a burst not answered by then is a failure, not a slow run


def null_embed() -> discord.Embed:
    embed = discord.Embed(title="Null", description=NULL_TEXT)
    embed.set_author(name="Scene 1/1 · Page 1/1")
    embed.set_footer(text="▰▰▰▱▱▱▱▱▱▱ 34% · about 8 min left")
    return embed


class NullButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"null:(?P<action>prev|next|mark):(?P<story>[a-z0-9-]{1,40}):"
    r"(?P<owner>[0-9]{1,20}):(?P<scene>[0-9]{1,6}):(?P<page>[0-9]{1,6})",
):
    """A null page's button: a page's kind of custom_id, answered with the same null page."""

    def __init__(self, action: str, owner_id: int, scene: int = 0, page: int = 0) -> None:
        label, emoji = BUTTONS[action]
        custom_id = f"null:{action}:{NULL_STORY}:{owner_id}:{scene}:{page}"
        super().__init__(discord.ui.Button(label=label, emoji=emoji, custom_id=custom_id))

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> Self:
        return cls(match["action"], int(match["owner"]), int(match["scene"]), int(match["page"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.edit_message(
            embed=null_embed(), view=null_buttons(interaction.user.id), allowed_mentions=NO_MENTIONS
        )


def null_buttons(owner_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for action in BUTTONS:
        view.add_item(NullButton(action, owner_id))
    view.stop()  # sent as components only: the dynamic items answer, as a page's do
    return view


class PersistentNullButtons(discord.ui.View):
    """Persistent view answering the persistent null page's buttons with the same page."""

    def __init__(self) -> None:
        super().__init__(timeout=None)
        for action, (label, emoji) in BUTTONS.items():
            button: discord.ui.Button[PersistentNullButtons] = discord.ui.Button(
                label=label, emoji=emoji, custom_id=f"persistent-null:{action}"
            )
            button.callback = self.answer  # type: ignore[method-assign]
            self.add_item(button)

    async def answer(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.edit_message(
            embed=null_embed(), view=persistent_null_buttons(), allowed_mentions=NO_MENTIONS
        )


def persistent_null_buttons() -> discord.ui.View:
    view = PersistentNullButtons()
    view.stop()  # sent as components only; the registered PersistentNullButtons answers
    return view


@app_commands.command(name="null", description="Benchmark: a page-shaped reply, no work.")
async def null_command(interaction: discord.Interaction[Any]) -> None:
    await interaction.response.send_message(
        embed=null_embed(),
        view=null_buttons(interaction.user.id),
        ephemeral=True,
        allowed_mentions=NO_MENTIONS,
    )


@app_commands.command(
    name="null-persistent", description="Benchmark: the same, with persistent-view buttons."
)
async def persistent_null_command(interaction: discord.Interaction[Any]) -> None:
    await interaction.response.send_message(
        embed=null_embed(),
        view=persistent_null_buttons(),
        ephemeral=True,
        allowed_mentions=NO_MENTIONS,
    )


class BenchBot(StoryBot):
    async def setup_hook(self) -> None:
        self.tree.add_command(null_command)
        self.tree.add_command(persistent_null_command)
        self.add_dynamic_items(NullButton)
        self.add_view(PersistentNullButtons())
        await super().setup_hook()


# Side name -> the command its readers use.
SIDES = {"story": "read", "null": "null", "persistent null": "null-persistent"}


@dataclass(frozen=True, slots=True)
class Side:
    per_second: float
    p50_ms: float
    p99_ms: float


@dataclass(frozen=True, slots=True)
class Result:
    story: Side
    null: Side
    persistent_null: Side
    runs: int
    readers: int

    @property
    def ratio(self) -> float:
        """The story's throughput against the null's (the like-for-like comparison)."""
        return self.story.per_second / self.null.per_second

    @property
    def ratio_to_persistent(self) -> float:
        return self.story.per_second / self.persistent_null.per_second


async def _wait_answered(records: list[Any], started: float, latencies: list[float]) -> float:
    """Watch for each interaction's answer (noting when it came); seconds until the last."""
    pending = list(records)
    deadline = started + SETTLE_SECONDS
    last = started
    while pending:
        await asyncio.sleep(POLL_SECONDS)
        now = time.perf_counter()
        still = []
        for record in pending:
            if record.responded:
                latencies.append(now - started)
                last = now
            else:
                still.append(record)
        pending = still
        if pending and now > deadline:
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
    gc.collect()
    gc.freeze()  # the double's history (every earlier message) is not the burst's garbage
    started = time.perf_counter()
    for payload in events:
        backend.emit("INTERACTION_CREATE", payload)
    busy = await _wait_answered(records, started, latencies)
    await env.settle(timeout=SETTLE_SECONDS)  # the double's own bookkeeping, untimed
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


async def bench(runs: int, readers: int, database_url: str | None = None) -> Result:
    library, _ = load_library(DEFAULT_TEXTS_DIR)
    names = list(SIDES)
    with tempfile.TemporaryDirectory() as folder:
        url = database_url or sqlite_url(Path(folder) / "bench.db")
        settings = Settings(token=TOKEN, database_url=url, shard_count=1)
        store = await open_storage(url, base=Path(folder))
        try:
            unlimited = Cooldowns(commands=per_reader(1000, 1.0), pages=per_reader(1000, 1.0))
            services = build_services(store, library)
            bot = BenchBot(settings=settings, store=store, services=services, cooldowns=unlimited)
            async with simcord.run(bot) as env:
                channel = env.create_guild("bench").create_text_channel("read")
                rates: dict[str, list[float]] = {name: [] for name in names}
                latencies: dict[str, list[float]] = {name: [] for name in names}
                for name in names:  # warm up every path
                    await _one_side(env, channel, SIDES[name], readers, [])
                for run in range(runs):
                    shift = run % len(names)  # each side goes first, second, third in turn
                    for name in names[shift:] + names[:shift]:
                        rate = await _one_side(env, channel, SIDES[name], readers, latencies[name])
                        rates[name].append(rate)
                story, null, persistent = (_side(rates[n], latencies[n]) for n in names)
                env.errors  # noqa: B018 - nothing expected; acknowledged so shutdown is quiet
        finally:
            await store.close()
    gc.unfreeze()
    return Result(story, null, persistent, runs, readers)


def main(argv: list[str] | None = None) -> Result:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_dispatch", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one run of 5 readers")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument(
        "--database", metavar="URL", help="a DATABASE_URL (default: a fresh SQLite file)"
    )
    args = parser.parse_args(argv)
    runs, readers = (1, 5) if args.quick else (args.runs, args.readers)
    logging.basicConfig(level=logging.WARNING)
    result = asyncio.run(bench(runs, readers, args.database))
    named = (
        ("/read + Next", result.story),
        ("null", result.null),
        ("persistent null", result.persistent_null),
    )
    for name, side in named:
        print(
            f"{name:>15}: {side.per_second:8.0f} interactions/s"
            f"  p50 {side.p50_ms:6.1f} ms  p99 {side.p99_ms:6.1f} ms"
        )
    print(
        f"ratio {result.ratio:.2f} of null, {result.ratio_to_persistent:.2f} of persistent null"
        f" ({readers} concurrent readers, median of {runs} runs; target ≥ 0.90 of null)"
    )
    return result


if __name__ == "__main__":
    main()
