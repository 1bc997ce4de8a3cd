"""`LateWatch`: late work is called back once, in order, on a single timer; done work never."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.ui.late_watch import LateWatch

AFTER = 0.02  # seconds: short, since these tests wait for real


def live_timers(watch: LateWatch) -> int:
    timer = watch._timer
    return 0 if timer is None or timer.cancelled() else 1


async def test_work_done_in_time_is_never_called_back() -> None:
    watch = LateWatch(AFTER)
    called: list[int] = []
    tokens = [watch.watch(lambda: called.append(0)) for _ in range(50)]
    assert live_timers(watch) == 1  # one timer for all fifty
    for token in tokens:
        watch.forget(token)
    assert live_timers(watch) == 0  # nothing watched: no timer left behind
    await asyncio.sleep(AFTER * 3)
    assert called == []
    assert len(watch) == 0


async def test_late_work_is_called_back_once_each_in_order() -> None:
    watch = LateWatch(AFTER)
    called: list[str] = []
    first = watch.watch(lambda: called.append("first"))
    await asyncio.sleep(AFTER / 2)
    second = watch.watch(lambda: called.append("second"))
    done = watch.watch(lambda: called.append("done in time"))
    watch.forget(done)
    await asyncio.sleep(AFTER * 0.75)  # past the first deadline only
    assert called == ["first"]
    assert live_timers(watch) == 1  # set again, for the second deadline
    await asyncio.sleep(AFTER * 2)
    assert called == ["first", "second"]
    assert live_timers(watch) == 0
    watch.forget(first)  # forgetting after the call back is harmless
    watch.forget(second)
    assert len(watch) == 0


async def test_a_failing_callback_does_not_stop_the_others(
    caplog: pytest.LogCaptureFixture,
) -> None:
    watch = LateWatch(AFTER)
    called: list[str] = []

    def broken() -> None:
        raise RuntimeError("boom")

    watch.watch(broken)
    watch.watch(lambda: called.append("still called"))
    with caplog.at_level(logging.ERROR, logger="bot.ui.late_watch"):
        await asyncio.sleep(AFTER * 3)
    assert called == ["still called"]
    assert any("late-work callback failed" in r.getMessage() for r in caplog.records)


async def test_watching_again_after_an_idle_spell_sets_a_new_timer() -> None:
    watch = LateWatch(AFTER)
    called: list[int] = []
    watch.forget(watch.watch(lambda: called.append(1)))
    watch.watch(lambda: called.append(2))
    assert live_timers(watch) == 1
    await asyncio.sleep(AFTER * 3)
    assert called == [2]


def test_the_delay_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        LateWatch(0)
