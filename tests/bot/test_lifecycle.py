"""An orderly stop: SIGTERM or Ctrl+C, interactions in flight finish, new ones are told why."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest
import simcord

from bot.client import StoryBot
from bot.lifecycle import InFlight, run_until_signalled
from bot.ui.errors import RESTARTING
from tests.bot.harness import Reader, message_of, place_of, text_of


async def test_a_drain_waits_for_the_work_in_flight_and_no_longer() -> None:
    in_flight = InFlight()
    release = asyncio.Event()
    finished: list[str] = []

    async def handle(name: str, wait: asyncio.Event | None) -> None:
        assert in_flight.enter()
        if wait is not None:
            await wait.wait()
        await asyncio.sleep(0.01)
        finished.append(name)

    quick = asyncio.create_task(handle("quick", None))
    stuck = asyncio.create_task(handle("stuck", release))
    await asyncio.sleep(0)  # both have started
    assert len(in_flight) == 2
    assert await in_flight.drain(timeout=0.5) == 1  # the stuck one outlived the wait
    assert finished == ["quick"]
    assert not in_flight.enter()  # stopping: nothing new is taken
    release.set()
    await asyncio.gather(quick, stuck)
    assert len(in_flight) == 0


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
async def test_a_signal_stops_the_bot_through_its_orderly_stop(signum: signal.Signals) -> None:
    stopped = asyncio.Event()
    steps: list[str] = []

    async def serve() -> None:
        await stopped.wait()
        steps.append("served")

    async def stop() -> None:
        steps.append("stopping")
        stopped.set()

    asyncio.get_running_loop().call_later(0.05, os.kill, os.getpid(), signum)
    assert await run_until_signalled(serve(), stop) is True
    assert steps == ["stopping", "served"]
    # The handlers are gone again: the default behaviour is back for the rest of the run.
    assert signal.getsignal(signum) in (signal.SIG_DFL, signal.default_int_handler)


async def test_without_a_signal_it_just_runs() -> None:
    async def serve() -> None:
        await asyncio.sleep(0)

    async def stop() -> None:  # never called
        raise AssertionError

    assert await run_until_signalled(serve(), stop) is False


async def test_while_stopping_a_reader_is_told_to_try_again(
    env: simcord.Env, alice: Reader, simcord_bot: StoryBot
) -> None:
    assert place_of(await alice.read()) == "Scene 1/5 · Page 1/1"
    page = message_of(await alice.read())
    await simcord_bot.in_flight.drain(timeout=1)
    refused = await alice.read()
    assert text_of(refused) == RESTARTING
    assert message_of(refused).ephemeral
    pressed = await alice.click(page, "Next")
    assert text_of(pressed) == RESTARTING
