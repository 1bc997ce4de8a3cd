"""Pictures for the README: the preview photographed with headless Chromium.

    python scripts/screenshots.py [--out docs/images] [--chromium /usr/bin/chromium]

Starts the preview (`bot.preview.open_preview`: the real bot in SimCord) on a free port with a
temporary database, acts as the visitor through SimCord's API — `/read` then Next, `/quote`,
`/progress`, a read-along's first part (started by a host, read and joined by the visitor) —
and after each one focuses the page on the bot's reply, takes a screenshot of the page with
Debian's `chromium` and crops it to the message. Writes read.png, quote.png, progress.png,
readalong.png (the part's post) and discussion.png (its thread, opened to the visitor). A
command the bot lacks is skipped, with a warning and exit status 1. Needs the preview extra
(`pip install -e ".[preview]"`) and `apt-get install chromium`.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import shutil
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import discord

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # run as a file: make `bot` importable
    sys.path.insert(0, str(REPO_ROOT))

from bot.logging_setup import setup_logging  # noqa: E402
from bot.preview import INSTALL_HINT, PreviewSession, missing_modules, open_preview  # noqa: E402
from bot.preview import preview_settings as make_settings  # noqa: E402

log = logging.getLogger(__name__)

DEFAULT_OUT = REPO_ROOT / "docs" / "images"
WIDTH = 900  # the page's window: wide enough for an embed at full width, no wider
START_HEIGHT = 900  # doubled while the message runs past the bottom of the window
MAX_HEIGHT = 4000
MARGIN = 16  # kept around the message when cropping
COMPOSER_HEIGHT = 72  # a channel page's message box, at the bottom, left out of its picture
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    "--virtual-time-budget=5000",  # let the page fetch its state and fonts before the shot
)
CHROMIUM_TIMEOUT = 60.0
SHOT_ATTEMPTS = 6

Rgb = tuple[int, int, int]
Shot = Callable[[PreviewSession], Awaitable[Any]]


class ScreenshotError(Exception):
    """A picture could not be taken; the message is one line."""


async def chromium_png(chromium: str, url: str, size: tuple[int, int], path: Path) -> None:
    """Photograph `url` in a fresh headless Chromium profile (it reaches only 127.0.0.1)."""
    with tempfile.TemporaryDirectory(prefix="storybot-chromium-") as profile:
        process = await asyncio.create_subprocess_exec(
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={size[0]},{size[1]}",
            f"--screenshot={path}",
            url,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            _, err = await asyncio.wait_for(process.communicate(), CHROMIUM_TIMEOUT)
        except TimeoutError:
            process.kill()
            await process.wait()
            raise ScreenshotError(f"chromium took over {CHROMIUM_TIMEOUT:.0f} s") from None
    if process.returncode != 0:
        tail = err.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
        raise ScreenshotError(f"chromium failed ({process.returncode}): {tail[0]}")


def message_box(png: Path, below: int = 0) -> tuple[tuple[int, int, int, int], bool]:
    """Where the message is in a screenshot of the page, and whether it reaches the bottom
    (`below`: how many pixels at the bottom to leave out, such as a channel's message box).

    The page is a top bar and a sidebar around the message pane; the pane's background is
    read at its bottom-right corner, the pane starts where that colour does (below the
    bar, right of the sidebar), and the message is everything in the pane that differs.
    """
    from PIL import Image, ImageChops  # noqa: PLC0415 - the preview extra

    try:
        with Image.open(png) as opened:
            image = opened.convert("RGB")
    except FileNotFoundError:
        raise ScreenshotError("chromium wrote no screenshot") from None
    width, height = image.size
    background: Rgb = image.getpixel((width - 2, height - 2))  # type: ignore[assignment]
    top = next(y for y in range(height) if image.getpixel((width - 2, y)) == background)
    left = next(x for x in range(width) if image.getpixel((x, height - 2)) == background)
    height -= below
    pane = image.crop((left, top, width, height))
    box = ImageChops.difference(pane, Image.new("RGB", pane.size, background)).getbbox()
    if box is None:
        raise ScreenshotError(f"{png.name}: the page shows no message")
    x0, y0, x1, y1 = box
    crop = (
        max(left, left + x0 - MARGIN),
        max(top, top + y0 - MARGIN),
        min(width, left + x1 + MARGIN),
        min(height, top + y1 + MARGIN),
    )
    return crop, top + y1 >= height - 2


async def photograph(url: str, chromium: str, destination: Path, below: int = 0) -> None:
    """Screenshot the message the page at `url` is focused on, cropped, into `destination`
    (`below`: as for `message_box`). A shot is kept once the next one finds the message in
    the same place: one taken while the page was still drawing is not."""
    height, last = START_HEIGHT, None
    with tempfile.TemporaryDirectory(prefix="storybot-shot-") as scratch:
        raw = Path(scratch) / "page.png"
        for _ in range(SHOT_ATTEMPTS):
            await chromium_png(chromium, url, (WIDTH, height), raw)
            crop, cut_off = await asyncio.to_thread(message_box, raw, below)
            if cut_off and height < MAX_HEIGHT:
                height, last = min(MAX_HEIGHT, height * 2), None
                continue
            if crop == last:
                break
            last = crop
        else:
            raise ScreenshotError(f"{destination.name}: the page kept changing")
        size = await asyncio.to_thread(save_crop, raw, crop, destination)
    log.info("wrote %s (%d bytes)", destination, size)


def save_crop(raw: Path, crop: tuple[int, int, int, int], destination: Path) -> int:
    """Write the `crop` of `raw` to `destination` as an optimised PNG; return its size."""
    from PIL import Image  # noqa: PLC0415 - the preview extra

    with Image.open(raw) as image:
        image.crop(crop).save(destination, optimize=True)
    return destination.stat().st_size


async def shot_read(session: PreviewSession) -> Any:
    """`/read`, then Next: a whole page with its progress footer and buttons."""
    first = await session.visitor.slash(session.channel, "read")
    if first.response is None:
        raise ScreenshotError("/read did not answer")
    await session.env.advance_time(2.5)  # a reader's pause before turning the page
    await session.visitor.click(first.response, label="Next")
    return first


async def shot_quote(session: PreviewSession) -> Any:
    return await session.visitor.slash(session.channel, "quote")


async def shot_progress(session: PreviewSession) -> Any:
    return await session.visitor.slash(session.channel, "progress")


async def shot_readalong(session: PreviewSession) -> Any:
    """A read-along's part as the channel sees it: a host with Manage Server starts one and
    posts the first part now; the visitor reads the part and joins its discussion."""
    guild = session.visitor.guild
    hosts = guild.create_role("Book club hosts", permissions=discord.Permissions(manage_guild=True))
    host = guild.add_member(session.env.create_user("maple", global_name="Maple"), roles=[hosts])
    started = await host.slash(
        session.channel,
        "readalong start",
        story=STORY,
        channel=session.channel,
        time="20:00",
        timezone="Europe/London",
        part="scene",
    )
    if "will be read along" not in (started.response.content if started.response else ""):
        raise ScreenshotError("/readalong start did not start one")
    await host.slash(session.channel, "readalong post-now")
    await session.env.settle()
    posts = [m for m in session.channel.history() if m.embeds and m.components]
    post = posts[-1] if posts else None
    if post is None:
        raise ScreenshotError("/readalong post-now posted no part")
    opened = await session.visitor.click(post, label="Read")
    page = opened.response
    while page is not None and any(label == "Next" for label in button_labels(page)):
        await session.env.advance_time(2.5)  # a reader's pace: within the page-turn limit
        turned = await session.visitor.click(page, label="Next")
        page = turned.response
        if any(label == "Join the discussion" for label in button_labels(page)):
            break  # the end of the part: the discussion is open to this reader
    await session.visitor.click(post, label="Join the discussion")
    return post


def button_labels(message: Any) -> list[str]:
    return [
        getattr(child, "label", None) or ""
        for row in getattr(message, "components", [])
        for child in getattr(row, "children", [])
    ]


async def shot_discussion(session: PreviewSession, chromium: str, destination: Path) -> None:
    """The part's discussion thread as the visitor who read the part sees it: its name, the
    bot's opening and a reader's first message. Taken last: it closes the channel's page."""
    [thread] = session.channel.threads
    await session.visitor.send(thread, "That last line! I did not see it coming.")
    await session.preview.close()  # one page per Env: the channel's makes way for the thread's
    async with session.env.preview(
        thread, viewers=[session.visitor], layout="channel", width=WIDTH, height=START_HEIGHT
    ) as preview:
        await photograph(preview.url, chromium, destination, below=COMPOSER_HEIGHT)


STORY = "lay-your-heart-bare"
SHOTS: dict[str, tuple[str, Shot]] = {
    "read.png": ("read", shot_read),
    "quote.png": ("quote", shot_quote),
    "progress.png": ("progress", shot_progress),
    "readalong.png": ("readalong", shot_readalong),
}


async def take(out: Path, chromium: str) -> int:
    skipped: list[str] = []
    with tempfile.TemporaryDirectory(prefix="storybot-screens-") as data:
        settings = make_settings(Path(data) / "storybot.db", environ={})
        async with open_preview(settings, width=WIDTH, height=START_HEIGHT, layout="message") as s:
            commands = {command.name for command in s.bot.tree.get_commands()}
            for filename, (command, action) in SHOTS.items():
                if command not in commands:
                    log.warning("skipped %s: the bot has no /%s command", filename, command)
                    skipped.append(filename)
                    continue
                result = await action(s)
                await s.preview.show(result)
                await photograph(s.url, chromium, out / filename)
            if "readalong.png" not in skipped:
                await shot_discussion(s, chromium, out / "discussion.png")
    return 1 if skipped else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the PNGs")
    parser.add_argument("--chromium", default=None, help="the browser (default: chromium)")
    args = parser.parse_args(argv)
    setup_logging("INFO")
    if missing := missing_modules():
        print(f"screenshots: missing {', '.join(missing)}; {INSTALL_HINT}", file=sys.stderr)
        return 2
    chromium = args.chromium or shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("screenshots: no chromium; apt-get install -y chromium", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    try:
        return asyncio.run(take(args.out, chromium))
    except ScreenshotError as error:
        print(f"screenshots: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
