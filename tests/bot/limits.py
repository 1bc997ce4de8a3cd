"""Discord's limits that SimCord does not check, applied to every request the bot made.

SimCord already refuses (as Discord would, with 50035): content over 2,000; embed title 256,
description 4,096, field name 256 / value 1,024, footer 2,048, author 256, 25 fields, 10 embeds,
6,000 per message; more than 5 action rows or 5 buttons per row; labels over 80; custom_ids
over 100 or repeated in a message; empty messages; answering an interaction twice.

It does not check: command definitions (names, descriptions, option counts), autocomplete
answers (25 choices, 1-100 character names, values ≤100), or that story output is sent with
`allowed_mentions` that ping nobody. `check_requests` does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from simcord import HttpLogEntry

NAME = re.compile(r"^[-_a-z0-9]{1,32}$")
AUTOCOMPLETE_RESULT = 8
MESSAGE_CALLBACKS = {4, 7}  # CHANNEL_MESSAGE_WITH_SOURCE, UPDATE_MESSAGE


def command_problems(command: Mapping[str, Any], path: str = "") -> list[str]:
    """Problems of one command definition (as sent to Discord), with its options."""
    problems = []
    name = command.get("name", "")
    where = f"{path}/{name}"
    if command.get("type", 1) == 1 and not NAME.fullmatch(name):
        problems.append(f"{where}: invalid name")
    description = command.get("description", "")
    if command.get("type", 1) == 1 and not 1 <= len(description) <= 100:
        problems.append(f"{where}: description must be 1-100 characters, is {len(description)}")
    options = command.get("options") or []
    if len(options) > 25:
        problems.append(f"{where}: {len(options)} options (at most 25)")
    names = [option.get("name") for option in options]
    if len(names) != len(set(names)):
        problems.append(f"{where}: option names repeat")
    required_done = False
    for option in options:
        if option.get("type") in (1, 2):
            problems += command_problems(option, where)
            continue
        if not option.get("required") and option.get("type") not in (1, 2):
            required_done = True
        elif required_done:
            problems.append(f"{where}: required option {option.get('name')} after optional ones")
        problems += command_problems({**option, "type": 1, "options": []}, where)
        if option.get("autocomplete") and option.get("choices"):
            problems.append(f"{where}/{option.get('name')}: both choices and autocomplete")
    return problems


def _mentions_problems(where: str, body: Mapping[str, Any]) -> list[str]:
    mentions = body.get("allowed_mentions")
    if mentions is None:
        return [f"{where}: no allowed_mentions (story text could ping)"]
    if mentions.get("parse") or mentions.get("users"):
        return [f"{where}: allowed_mentions may ping: {mentions}"]
    roles = mentions.get("roles")
    if roles and not _pings_only_its_role(str(body.get("content") or ""), roles):
        return [f"{where}: allowed_mentions may ping roles beyond a read-along's own: {mentions}"]
    return []


def _pings_only_its_role(content: str, roles: list[Any]) -> bool:
    """A read-along's post may ping its role: the content is that role's mention alone."""
    return len(roles) == 1 and content.strip() == f"<@&{roles[0]}>"


def request_problems(entry: HttpLogEntry) -> list[str]:
    body = entry.json
    where = f"{entry.method} {entry.path}"
    if not isinstance(body, Mapping | list):
        return []
    if entry.path.endswith("/commands") and isinstance(body, list):
        names = [command.get("name") for command in body]
        dupes = {name for name in names if names.count(name) > 1}
        problems = [f"{where}: command names repeat: {sorted(dupes)}"] if dupes else []
        for command in body:
            problems += command_problems(command)
        return problems
    assert isinstance(body, Mapping)
    if entry.path.endswith("/callback"):
        kind, data = body.get("type"), body.get("data") or {}
        if kind == AUTOCOMPLETE_RESULT:
            choices = data.get("choices", [])
            problems = [f"{where}: {len(choices)} choices"] if len(choices) > 25 else []
            for choice in choices:
                if not 1 <= len(choice["name"]) <= 100 or len(str(choice["value"])) > 100:
                    problems.append(f"{where}: bad choice {choice}")
            return problems
        if kind in MESSAGE_CALLBACKS and ("content" in data or "embeds" in data):
            return _mentions_problems(where, data)
        return []
    is_message = "/messages" in entry.path or "/webhooks/" in entry.path
    if is_message and entry.method in {"POST", "PATCH"} and ("content" in body or "embeds" in body):
        return _mentions_problems(where, body)
    return []


def check_requests(entries: Iterable[HttpLogEntry]) -> None:
    """Fail with every problem found in the bot's requests, all at once."""
    problems = [problem for entry in entries for problem in request_problems(entry)]
    assert not problems, "requests Discord would refuse or regret:\n" + "\n".join(problems)
