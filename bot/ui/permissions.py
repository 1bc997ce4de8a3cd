"""Permission names as a server's settings show them (`Manage Server`, not `manage_guild`)."""

from __future__ import annotations

from collections.abc import Iterable

# Where Discord's settings name a permission otherwise than its title-cased flag.
LABELS = {
    "manage_guild": "Manage Server",
    "send_messages_in_threads": "Send Messages in Threads",
    "send_tts_messages": "Send Text-to-Speech Messages",
    "use_application_commands": "Use Application Commands",
    "view_guild_insights": "View Server Insights",
    "external_emojis": "Use External Emojis",
}


def permission_label(name: str) -> str:
    """`manage_threads` → `Manage Threads`; `manage_guild` → `Manage Server`."""
    return LABELS.get(name) or name.replace("_", " ").title()


def permission_list(names: Iterable[str]) -> str:
    """`Embed Links, Create Private Threads`."""
    return ", ".join(permission_label(name) for name in names)
