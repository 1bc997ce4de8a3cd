"""Read-along schedules: a local time of day, an IANA timezone and the weekdays a part is due.

Pure: no clock and no I/O (the caller passes the instants). Instants in and out are aware
datetimes in UTC; the wall time is reckoned in the schedule's zone, so a part due at 20:00 is
due at 20:00 local time on both sides of a daylight-saving change.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

from bot.errors import UserError
from bot.library.wording import truncate

DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
EVERY_DAY = frozenset(range(7))
WEEKDAYS = frozenset(range(5))
WEEKENDS = frozenset({5, 6})
# A part posted later than this after it fell due is posted as late, and says so.
LATE_AFTER = timedelta(minutes=5)
MAX_CHOICES = 25  # Discord's limit on autocomplete choices

# What an empty timezone box offers: the zones most servers are in, one per region.
COMMON_ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Madrid",
    "Europe/Moscow",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Toronto",
    "America/Mexico_City",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
    "Africa/Lagos",
    "Africa/Cairo",
    "Africa/Johannesburg",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Manila",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
)
# The regions of the tz database's own names; other names (`US/Eastern`, `Etc/GMT+5`, `GB`)
# are older aliases, offered after them.
_REGIONS = frozenset(
    "Africa America Antarctica Arctic Asia Atlantic Australia Europe Indian Pacific".split()
)
_NOT_ZONES = frozenset({"Factory", "localtime", "posixrules"})

_TIME = re.compile(
    r"(?P<hour>\d{1,2}?)(?:(?:\s*[:.h]\s*)?(?P<minute>\d{2}))?\s*h?\s*"
    r"(?:(?P<half>[ap])\.?\s*(?:m\.?)?)?",
    re.IGNORECASE,
)
_DAY_SEPARATORS = re.compile(r"\s*(?:,|;|/|&|\band\b|\s)\s*")
_DAY_RANGE = re.compile(r"(?P<first>[a-z]+)\s*[-–—]\s*(?P<last>[a-z]+)")


class ScheduleError(UserError):
    """A time, set of days or timezone that cannot be read; the message says what can be."""


@dataclass(frozen=True, slots=True)
class Schedule:
    """Due at wall time `at` in `timezone` (an IANA name) on `days` (Monday 0 to Sunday 6)."""

    at: time
    timezone: str
    days: frozenset[int] = field(default=EVERY_DAY)

    def __post_init__(self) -> None:
        if self.at.tzinfo is not None:
            raise ValueError("a schedule's time is a wall time, without a zone")
        if not self.days or not self.days <= EVERY_DAY:
            raise ValueError(f"days must be some of 0-6, not {sorted(self.days)}")
        if self.timezone not in _zone_names():
            raise ScheduleError(_unknown_zone(self.timezone))

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def describe(self) -> str:
        """`20:00 every day, Europe/Berlin time` or `08:30 on Mon, Wed, Fri, UTC time`."""
        days = days_label(self.days)
        when = days if self.days == EVERY_DAY else f"on {days}"
        return f"{time_label(self.at)} {when}, {self.timezone} time"


def next_due(schedule: Schedule, after: datetime) -> datetime:
    """The first moment strictly after `after` at which a part is due (aware UTC in and out).

    A part is due on each scheduled local date, once: at the first moment the local clock
    shows the schedule's time, or a later one when the clock jumps over it. So a time that
    occurs twice on a fall-back day is due at its first occurrence, and a time that does not
    exist on a spring-forward day (02:30 when the clocks jump from 02:00 to 03:00) is due at
    the first moment after the gap (03:00).
    """
    after = _as_utc(after)
    return min(due for due in _dues_around(schedule, after) if due > after)


def previous_due(schedule: Schedule, at: datetime) -> datetime:
    """The last moment at or before `at` at which a part was due (aware UTC in and out)."""
    at = _as_utc(at)
    return max(due for due in _dues_around(schedule, at) if due <= at)


def due_since(schedule: Schedule, last_posted: datetime | None, now: datetime) -> datetime | None:
    """The moment the part to post now fell due, or None when none fell due after
    `last_posted` (the due moment of the last part posted, or when it was posted).

    However many due moments passed while the bot was down, this is one, the latest: one
    part is posted, late (see `is_late`), never one per missed day. With no `last_posted` any
    due moment up to `now` counts, so a new read-along passes the moment it was started.
    """
    latest = previous_due(schedule, now)
    if last_posted is not None and latest <= _as_utc(last_posted):
        return None
    return latest


def is_late(due: datetime, now: datetime) -> bool:
    """Whether a part posted at `now` comes late enough that its post should say so."""
    return _as_utc(now) - _as_utc(due) > LATE_AFTER


def _dues_around(schedule: Schedule, instant: datetime) -> list[datetime]:
    """The due moments of the scheduled local dates from eight days before the local date of
    `instant` to eight days after: a week each way, and a day more for a shifted time."""
    today = instant.astimezone(schedule.zone).date()
    days = (today + timedelta(days=offset) for offset in range(-8, 9))
    return [_due_on(schedule, day) for day in days if day.weekday() in schedule.days]


def _due_on(schedule: Schedule, day: date) -> datetime:
    """The first moment the local clock shows `schedule.at` on `day` or later, in UTC."""
    zone, wall = schedule.zone, datetime.combine(day, schedule.at)
    first = wall.replace(tzinfo=zone).astimezone(UTC)  # fold 0: the first of a repeated time
    if first.astimezone(zone).replace(tzinfo=None) == wall:
        return first
    # In a gap, fold 0 reads the wall time with the offset from before the jump and fold 1
    # with the offset after it: the jump lies between. Find its second by halving.
    before = int(wall.replace(tzinfo=zone, fold=1).astimezone(UTC).timestamp())
    after = int(first.timestamp())
    while after - before > 1:
        middle = (before + after) // 2
        if datetime.fromtimestamp(middle, zone).replace(tzinfo=None) >= wall:
            after = middle
        else:
            before = middle
    return datetime.fromtimestamp(after, UTC)


def _as_utc(instant: datetime) -> datetime:
    if instant.utcoffset() is None:
        raise ValueError("instants must be aware datetimes")
    return instant.astimezone(UTC)


# --- reading what an admin types -----------------------------------------------------------


def parse_time(text: str) -> time:
    """A time of day: `20:00`, `8:30`, `20.15`, `2030`, `20h`, `8pm`, `8:30 PM`, `8 a.m.`,
    `noon` or `midnight`."""
    cleaned = text.strip().lower()
    named = {"noon": time(12), "midday": time(12), "midnight": time(0)}
    if cleaned in named:
        return named[cleaned]
    match = _TIME.fullmatch(cleaned)
    if match is not None:
        hour, minute = int(match["hour"]), int(match["minute"] or 0)
        half = match["half"]
        if half is not None and 1 <= hour <= 12:
            hour = hour % 12 + (12 if half == "p" else 0)
            half = None
        if half is None and hour < 24 and minute < 60:
            return time(hour, minute)
    raise ScheduleError(
        f"“{truncate(text.strip(), 40)}” is not a time of day: write it like `20:00` or `8pm`."
    )


def time_label(at: time) -> str:
    """`20:00`, `08:30`: 24-hour, as every server reads it."""
    return at.strftime("%H:%M")


def parse_days(text: str) -> frozenset[int]:
    """Days of the week: `every day` (also `daily` or nothing), `weekdays`, `weekends`, or a
    list such as `mon,wed,fri`, `Tuesday and Thursday` or `mon-fri` (ranges may wrap)."""
    cleaned = " ".join(text.strip().lower().split())
    if cleaned in {"", "every day", "everyday", "daily", "all", "each day", "any day"}:
        return EVERY_DAY
    days: set[int] = set()
    for token in filter(None, _DAY_SEPARATORS.split(_tight_ranges(cleaned))):
        days |= _days_of(token, text)
    return frozenset(days)


def days_label(days: frozenset[int]) -> str:
    """`every day`, `weekdays`, `weekends`, else `Mon, Wed, Fri`; `parse_days` reads it back."""
    named = {EVERY_DAY: "every day", WEEKDAYS: "weekdays", WEEKENDS: "weekends"}
    if days in named:
        return named[days]
    return ", ".join(DAY_NAMES[day][:3].title() for day in sorted(days))


def _tight_ranges(text: str) -> str:
    """`mon - fri` as one token, `mon-fri`, before the list is split at spaces."""
    return _DAY_RANGE.sub(lambda match: f"{match['first']}-{match['last']}", text)


def _days_of(token: str, typed: str) -> set[int]:
    if token in {"weekdays", "weekday", "workdays"}:
        return set(WEEKDAYS)
    if token in {"weekends", "weekend"}:
        return set(WEEKENDS)
    first, dash, last = token.partition("-")
    if dash:
        start, end = _day(first, typed), _day(last, typed)
        return {(start + step) % 7 for step in range((end - start) % 7 + 1)}
    return {_day(token, typed)}


def _day(word: str, typed: str) -> int:
    """The day a word names: any start of its name from two letters (`tu`, `thurs`), also in
    the plural (`mondays`), or `weds`."""
    for candidate in (word, word.removesuffix("s")):
        if candidate == "weds":
            return 2
        matches = [n for n, name in enumerate(DAY_NAMES) if name.startswith(candidate)]
        if len(candidate) >= 2 and len(matches) == 1:
            return matches[0]
    raise ScheduleError(
        f"“{truncate(typed.strip(), 40)}” is not a set of days: write `every day`, `weekdays`, "
        "`weekends` or days like `mon,wed,fri`."
    )


def parse_timezone(text: str) -> str:
    """The IANA name meant by `text`: the name in any case (`europe/berlin`), with spaces
    for underscores, or a city that names one zone alone (`Berlin`)."""
    wanted = _folded(text)
    names = _zone_names()
    exact = [name for name in names if _folded(name) == wanted]
    if not exact:
        exact = [name for name in names if _folded(name.rsplit("/", 1)[-1]) == wanted]
    if len(exact) == 1:
        return exact[0]
    raise ScheduleError(_unknown_zone(text))


def timezone_choices(typed: str) -> list[str]:
    """Up to 25 IANA names for an autocomplete box, best first: the name itself, then names
    whose city starts with what was typed, then a word of the name, then any part of it; the
    tz database's own names before older aliases. Nothing typed offers `COMMON_ZONES`."""
    wanted = _folded(typed)
    if not wanted:
        return list(COMMON_ZONES[:MAX_CHOICES])
    ranked = []
    for name in _zone_names():
        rank = _match_rank(_folded(name), wanted)
        if rank is not None:
            alias = name != "UTC" and name.split("/", 1)[0] not in _REGIONS
            ranked.append((rank, alias, len(name), name))
    return [name for *_, name in sorted(ranked)[:MAX_CHOICES]]


def _match_rank(name: str, wanted: str) -> int | None:
    if name == wanted:
        return 0
    parts = name.split("/")
    if parts[-1].startswith(wanted):
        return 1
    if any(word.startswith(wanted) for part in parts for word in part.split("_")):
        return 2
    if wanted in name:
        return 3
    return None


def _unknown_zone(text: str) -> str:
    near = difflib.get_close_matches(text.strip(), _zone_names(), n=1, cutoff=0.6)
    if not near:
        cities = {name.rsplit("/", 1)[-1].replace("_", " "): name for name in _zone_names()}
        close = difflib.get_close_matches(text.strip().title(), list(cities), n=1, cutoff=0.7)
        near = [cities[city] for city in close]
    hint = f"did you mean `{near[0]}`?" if near else "pick one from the list, like `Europe/Berlin`."
    return f"“{truncate(text.strip(), 40)}” is not a timezone: {hint}"


def _folded(text: str) -> str:
    """A zone name as compared: lower case, spaces and hyphens as underscores."""
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


@functools.cache
def _zone_names() -> frozenset[str]:
    """The IANA zones this machine knows (the `tzdata` package at least), read once."""
    return frozenset(
        name
        for name in available_timezones()
        if name not in _NOT_ZONES and not name.startswith(("posix/", "right/"))
    )
