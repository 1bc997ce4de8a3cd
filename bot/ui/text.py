"""Small text helpers that keep output inside Discord's limits, measured after escaping."""

from __future__ import annotations

from bot.library.render import discord_length, escape
from bot.library.wording import ELLIPSIS


def progress_bar(percent: float, width: int = 10) -> str:
    """A text bar such as `▰▰▰▱▱▱▱▱▱▱` for `percent` (0-100)."""
    filled = min(width, max(0, round(percent / 100 * width)))
    return "▰" * filled + "▱" * (width - filled)


def fit_escaped(text: str, limit: int) -> str:
    """`text` escaped for Discord, cut (before escaping) so the result fits `limit`."""
    escaped = escape(text)
    while discord_length(escaped) > limit:
        text = text[: max(len(text) - max(discord_length(escaped) - limit, 1), 0)].rstrip()
        escaped = escape(text) + ELLIPSIS
    return escaped


def fit_list(
    items: tuple[str, ...] | list[str], limit: int, *, spoiler: bool = False, sep: str = ", "
) -> str:
    """Escaped items joined by `sep`, as many as fit `limit`, then `… and N more`.

    Each item is cut to a share of the room first, so one huge tag cannot hide the rest.
    """
    wrap = (lambda text: f"||{text}||") if spoiler else (lambda text: text)
    shown: list[str] = []
    used = 0
    for position, item in enumerate(items):
        left = len(items) - position - 1
        more = f"{sep}… and {left:,} more" if left else ""
        piece = wrap(fit_escaped(" ".join(item.split()), max(limit // 4, 16)))
        cost = discord_length(piece) + (len(sep) if shown else 0)
        if used + cost + discord_length(more) > limit:
            tail = f"… and {len(items) - position:,} more"
            return sep.join(shown) + (sep if shown else "") + tail
        shown.append(piece)
        used += cost
    return sep.join(shown)
