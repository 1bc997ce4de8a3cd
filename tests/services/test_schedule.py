"""Read-along schedules: due at the local time on every scheduled day, across DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import combinations, pairwise
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from bot.services.schedule import (
    COMMON_ZONES,
    EVERY_DAY,
    LATE_AFTER,
    MAX_CHOICES,
    WEEKDAYS,
    WEEKENDS,
    Schedule,
    ScheduleError,
    days_label,
    due_since,
    is_late,
    next_due,
    parse_days,
    parse_time,
    parse_timezone,
    previous_due,
    time_label,
    timezone_choices,
)

ZONE_NAMES = sorted(
    name for name in available_timezones() if name not in {"Factory", "localtime", "posixrules"}
)
SECOND = timedelta(seconds=1)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def wall_of(instant: datetime, zone: ZoneInfo) -> datetime:
    """What the local clock shows at `instant`, as a naive datetime."""
    return instant.astimezone(zone).replace(tzinfo=None)


def chain(schedule: Schedule, start: datetime, until: datetime) -> list[datetime]:
    """Every due moment after `start` up to `until`, by calling `next_due` again and again."""
    dues = [next_due(schedule, start)]
    while dues[-1] < until:
        dues.append(next_due(schedule, dues[-1]))
    return dues[:-1]


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


# --- every day of 2026 and 2027 across the DST changes -------------------------------------

# Each zone's changes in 2026 and 2027, and when a part at a given time is due on those days
# (UTC): a time in the gap is due when the gap ends; a time that occurs twice, the first time.
DST_CASES = [
    (
        "Europe/Berlin",  # 02:00 -> 03:00 in March, 03:00 -> 02:00 in October
        "02:30",
        {
            date(2026, 3, 29): "2026-03-29 01:00",  # 03:00 CEST: the gap's end
            date(2026, 10, 25): "2026-10-25 00:30",  # the first 02:30, still CEST
            date(2027, 3, 28): "2027-03-28 01:00",
            date(2027, 10, 31): "2027-10-31 00:30",
        },
    ),
    (
        "Europe/Berlin",
        "20:00",
        {
            date(2026, 3, 28): "2026-03-28 19:00",
            date(2026, 3, 29): "2026-03-29 18:00",
            date(2026, 10, 24): "2026-10-24 18:00",
            date(2026, 10, 25): "2026-10-25 19:00",
        },
    ),
    (
        "America/New_York",  # 02:00 -> 03:00 in March, 02:00 -> 01:00 in November
        "02:30",
        {
            date(2026, 3, 8): "2026-03-08 07:00",
            date(2026, 11, 1): "2026-11-01 07:30",  # 02:30 EST: occurs once
            date(2027, 3, 14): "2027-03-14 07:00",
        },
    ),
    (
        "America/New_York",
        "01:30",
        {
            date(2026, 11, 1): "2026-11-01 05:30",  # the first 01:30, still EDT
            date(2026, 11, 2): "2026-11-02 06:30",
            date(2027, 11, 7): "2027-11-07 05:30",
        },
    ),
    (
        "Australia/Sydney",  # 03:00 -> 02:00 in April, 02:00 -> 03:00 in October
        "02:30",
        {
            date(2026, 4, 5): "2026-04-04 15:30",  # the first 02:30, still AEDT
            date(2026, 10, 4): "2026-10-03 16:00",  # 03:00 AEDT: the gap's end
            date(2027, 4, 4): "2027-04-03 15:30",
            date(2027, 10, 3): "2027-10-02 16:00",
        },
    ),
    (
        "Australia/Sydney",
        "20:00",
        {date(2026, 4, 4): "2026-04-04 09:00", date(2026, 4, 5): "2026-04-05 10:00"},
    ),
    (
        "Australia/Lord_Howe",  # half an hour: 02:00 -> 01:30 in April, 02:00 -> 02:30 in October
        "01:45",
        {
            date(2026, 4, 5): "2026-04-04 14:45",  # the first 01:45, at +11:00
            date(2026, 4, 6): "2026-04-05 15:15",  # at +10:30
            date(2027, 4, 4): "2027-04-03 14:45",
        },
    ),
    (
        "Australia/Lord_Howe",
        "02:15",
        {
            date(2026, 10, 4): "2026-10-03 15:30",  # 02:30 at +11:00: the gap's end
            date(2027, 10, 3): "2027-10-02 15:30",
        },
    ),
]


@pytest.mark.parametrize(("zone", "at", "special"), DST_CASES)
def test_due_once_a_day_every_day_of_2026_and_2027_at_the_local_time(
    zone: str, at: str, special: dict[date, str]
) -> None:
    schedule = Schedule(parse_time(at), zone)
    local = schedule.zone
    start = datetime(2026, 1, 1, tzinfo=local) - SECOND
    dues = chain(schedule, start.astimezone(UTC), datetime(2028, 1, 1, tzinfo=local))
    assert all(earlier < later for earlier, later in pairwise(dues))
    assert [wall_of(due, local).date() for due in dues] == days_between(
        date(2026, 1, 1), date(2027, 12, 31)
    )
    for due in dues:
        day = wall_of(due, local).date()
        if day in special:
            assert due == utc(special.pop(day)), day
        else:
            assert wall_of(due, local) == datetime.combine(day, schedule.at), day
    assert not special, "every special day was seen"


def test_a_part_due_on_chosen_weekdays_is_due_on_those_days_only() -> None:
    schedule = Schedule(time(20), "Europe/Berlin", parse_days("mon,wed,fri"))
    dues = chain(schedule, utc("2026-01-01 00:00"), utc("2027-01-01 00:00"))
    days = [wall_of(due, schedule.zone).date() for due in dues]
    year = days_between(date(2026, 1, 1), date(2026, 12, 31))
    assert days == [day for day in year if day.weekday() in {0, 2, 4}]
    assert all(wall_of(due, schedule.zone).time() == time(20) for due in dues)


def test_a_due_time_itself_is_not_after_itself() -> None:
    schedule = Schedule(time(20), "Europe/Berlin")
    due = utc("2026-07-01 18:00")
    assert next_due(schedule, due - SECOND) == due
    assert next_due(schedule, due) == utc("2026-07-02 18:00")
    assert previous_due(schedule, due) == due
    assert previous_due(schedule, due - SECOND) == utc("2026-06-30 18:00")


def test_instants_must_carry_their_zone() -> None:
    schedule = Schedule(time(20), "UTC")
    with pytest.raises(ValueError, match="aware"):
        next_due(schedule, datetime(2026, 1, 1))  # naive: no zone


def test_an_instant_in_another_zone_is_the_same_instant() -> None:
    schedule = Schedule(time(20), "Europe/Berlin")
    in_tokyo = datetime(2026, 7, 2, 2, 0, tzinfo=ZoneInfo("Asia/Tokyo"))  # 17:00 UTC on the 1st
    assert next_due(schedule, in_tokyo) == utc("2026-07-01 18:00")
    assert next_due(schedule, in_tokyo).tzinfo == UTC


# --- any schedule, any instant --------------------------------------------------------------

schedules = st.builds(
    Schedule,
    st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45, 59])),
    st.sampled_from(ZONE_NAMES),
    st.frozensets(st.integers(0, 6), min_size=1),
)
instants = st.datetimes(datetime(2015, 1, 1), datetime(2040, 1, 1), timezones=st.just(UTC))


def assert_due_as_documented(schedule: Schedule, due: datetime) -> date:
    """`due` is at the schedule's wall time (the first of two), or a missing time's gap's
    end; returns the local date it is due for."""
    zone = schedule.zone
    shown = wall_of(due, zone)
    if shown.time() == schedule.at:
        wall = datetime.combine(shown.date(), schedule.at)
        twice = {wall.replace(tzinfo=zone, fold=fold).astimezone(UTC) for fold in (0, 1)}
        if len(twice) == 2 and all(wall_of(moment, zone) == wall for moment in twice):
            event("a time shown twice")
            assert due == min(twice), "a time shown twice is due the first time"
        return shown.date()
    event("a time the clock jumped over")
    before = wall_of(due - SECOND, zone)  # the clock jumped over the time at `due`
    jumped = {
        wall
        for wall in (datetime.combine(d, schedule.at) for d in (before.date(), shown.date()))
        if before < wall < shown
    }
    assert len(jumped) == 1, (before, schedule.at, shown)
    return jumped.pop().date()


@settings(max_examples=300, deadline=None)
@given(schedules, instants)
def test_consecutive_dues_rise_one_per_scheduled_day_at_the_wall_time(
    schedule: Schedule, start: datetime
) -> None:
    previous = start
    previous_day: date | None = None
    for _ in range(10):
        due = next_due(schedule, previous)
        assert due > previous
        assert due.tzinfo == UTC
        assert previous_due(schedule, due - timedelta(microseconds=1)) <= previous
        day = assert_due_as_documented(schedule, due)
        assert day.weekday() in schedule.days
        if previous_day is not None:  # the next scheduled day, none skipped
            gap = (day - previous_day).days
            assert gap >= 1
            skipped = [previous_day + timedelta(days=n) for n in range(1, gap)]
            assert not [d for d in skipped if d.weekday() in schedule.days]
        previous, previous_day = due, day


def next_change(zone: ZoneInfo, after: datetime) -> datetime | None:
    """The first moment after `after` (within about two years) at which `zone`'s offset
    changes, to the second."""
    low = after
    for _ in range(800):
        high = low + timedelta(days=1)
        if high.astimezone(zone).utcoffset() != low.astimezone(zone).utcoffset():
            while high - low > SECOND:
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == low.astimezone(zone).utcoffset():
                    low = middle
                else:
                    high = middle
            return high.replace(microsecond=0)
        low = high
    return None


# Zones whose clocks change, in every way they do: by an hour either side of the equator, by
# half an hour (Lord Howe), 45 minutes off the hour (Chatham), two hours (Troll), at midnight
# (Havana, Asuncion, Gaza), backwards in winter (Dublin), for Ramadan (Casablanca), and
# zones that stopped changing within the instants drawn (Tehran, Amman, Mexico City).
CHANGING_ZONES = [
    "Europe/Berlin",
    "America/New_York",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Antarctica/Troll",
    "America/Havana",
    "America/Asuncion",
    "Asia/Gaza",
    "Europe/Dublin",
    "Africa/Casablanca",
    "America/Santiago",
    "Pacific/Auckland",
    "America/St_Johns",
    "Asia/Tehran",
    "Asia/Amman",
    "America/Mexico_City",
]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(CHANGING_ZONES),
    instants,
    st.integers(-90, 90),
    st.frozensets(st.integers(0, 6), min_size=1),
)
def test_around_any_zones_change_of_offset_each_day_is_due_once_as_documented(
    zone_name: str, start: datetime, minutes: int, days: frozenset[int]
) -> None:
    zone = ZoneInfo(zone_name)
    change = next_change(zone, start)
    if change is None:
        return  # a zone that no longer changes: the test above covers it
    # A wall time near the change: before it, in its gap or its repeated hour, or after it.
    wall = wall_of(change - SECOND, zone) + timedelta(seconds=1, minutes=minutes)
    days |= {wall.weekday()}
    schedule = Schedule(wall.time().replace(second=0), zone_name, days)
    due = change - timedelta(days=3)
    previous_day: date | None = None
    for _ in range(8):
        later = next_due(schedule, due)
        assert later > due
        day = assert_due_as_documented(schedule, later)
        assert day.weekday() in days
        if previous_day is not None:
            gap = (day - previous_day).days
            skipped = [previous_day + timedelta(days=n) for n in range(1, gap)]
            assert gap >= 1
            assert not [d for d in skipped if d.weekday() in days]
        due, previous_day = later, day


@settings(max_examples=200, deadline=None)
@given(schedules, instants, st.timedeltas(timedelta(0), timedelta(days=40)))
def test_after_downtime_one_part_is_due_the_latest_that_fell_due(
    schedule: Schedule, last_posted: datetime, downtime: timedelta
) -> None:
    now = last_posted + downtime
    due = due_since(schedule, last_posted, now)
    if next_due(schedule, last_posted) > now:
        assert due is None
    else:
        assert due is not None
        assert last_posted < due <= now
        assert due == previous_due(schedule, now)
        assert due_since(schedule, due, now) is None  # posted: not due again


# --- catching up --------------------------------------------------------------------------


@pytest.fixture
def nightly() -> Schedule:
    return Schedule(time(20), "Europe/Berlin")


def test_a_part_missed_over_three_days_is_due_once(nightly: Schedule) -> None:
    monday = utc("2026-03-23 19:00")  # 20:00 CET
    thursday_night = utc("2026-03-26 21:30")
    due = due_since(nightly, monday, thursday_night)
    assert due == utc("2026-03-26 19:00")
    assert due_since(nightly, due, thursday_night) is None
    assert due_since(nightly, due, utc("2026-03-27 19:00")) == utc("2026-03-27 19:00")


def test_a_part_missed_across_a_dst_change_is_due_at_the_last_local_time(
    nightly: Schedule,
) -> None:
    saturday = utc("2026-03-28 19:00")  # CET
    monday_morning = utc("2026-03-30 06:00")
    assert due_since(nightly, saturday, monday_morning) == utc("2026-03-29 18:00")  # CEST


@pytest.mark.parametrize(
    ("last_posted", "now", "due"),
    [
        (None, "2026-06-01 17:00", "2026-05-31 18:00"),  # nothing posted: the last due time
        ("2026-05-31 18:00", "2026-06-01 17:59", None),  # not yet
        ("2026-05-31 18:00", "2026-06-01 18:00", "2026-06-01 18:00"),  # due right now
        ("2026-06-01 18:03", "2026-06-01 19:00", None),  # posted a little late: done
        ("2026-06-01 12:00", "2026-06-01 18:00", "2026-06-01 18:00"),  # started at noon
    ],
)
def test_what_is_due_since_the_last_post(
    nightly: Schedule, last_posted: str | None, now: str, due: str | None
) -> None:
    since = utc(last_posted) if last_posted else None
    assert due_since(nightly, since, utc(now)) == (utc(due) if due else None)


@pytest.mark.parametrize(
    ("late_by", "late"),
    [
        (timedelta(0), False),
        (LATE_AFTER, False),
        (LATE_AFTER + SECOND, True),
        (timedelta(days=2), True),
    ],
)
def test_a_part_is_late_once_well_past_its_time(late_by: timedelta, late: bool) -> None:
    due = utc("2026-06-01 18:00")
    assert is_late(due, due + late_by) is late


# --- schedules ---------------------------------------------------------------------------


def test_a_schedule_names_a_known_zone() -> None:
    with pytest.raises(ScheduleError, match="not a timezone"):
        Schedule(time(20), "Europe/Atlantis")


def test_a_schedule_has_some_days() -> None:
    with pytest.raises(ValueError, match="days"):
        Schedule(time(20), "UTC", frozenset())
    with pytest.raises(ValueError, match="days"):
        Schedule(time(20), "UTC", frozenset({7}))


@pytest.mark.parametrize(
    ("schedule", "text"),
    [
        (Schedule(time(20), "Europe/Berlin"), "20:00 every day, Europe/Berlin time"),
        (Schedule(time(8, 30), "UTC", WEEKDAYS), "08:30 on weekdays, UTC time"),
        (
            Schedule(time(21, 5), "America/New_York", frozenset({0, 2, 4})),
            "21:05 on Mon, Wed, Fri, America/New_York time",
        ),
    ],
)
def test_a_schedule_says_when_it_is(schedule: Schedule, text: str) -> None:
    assert schedule.describe() == text


# --- what an admin types ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "at"),
    [
        ("20:00", time(20)),
        (" 8:05 ", time(8, 5)),
        ("08:30", time(8, 30)),
        ("20.15", time(20, 15)),
        ("2030", time(20, 30)),
        ("20h", time(20)),
        ("20h30", time(20, 30)),
        ("8pm", time(20)),
        ("8 PM", time(20)),
        ("8:30 PM", time(20, 30)),
        ("8:30pm", time(20, 30)),
        ("8 a.m.", time(8)),
        ("12am", time(0)),
        ("12pm", time(12)),
        ("12:30 am", time(0, 30)),
        ("0:00", time(0)),
        ("23:59", time(23, 59)),
        ("noon", time(12)),
        ("Midnight", time(0)),
    ],
)
def test_a_time_is_read_as_people_write_it(text: str, at: time) -> None:
    assert parse_time(text) == at


@pytest.mark.parametrize(
    "text", ["", "24:00", "20:60", "13pm", "0am", "20:00 pm", "8m", "eight", "20:0", "12345"]
)
def test_a_time_that_is_not_one_says_how_to_write_it(text: str) -> None:
    with pytest.raises(ScheduleError, match=r"not a time of day: write it like `20:00`"):
        parse_time(text)


@given(st.builds(time, st.integers(0, 23), st.integers(0, 59)))
def test_a_time_label_is_read_back(at: time) -> None:
    assert parse_time(time_label(at)) == at


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("every day", EVERY_DAY),
        ("", EVERY_DAY),
        ("Daily", EVERY_DAY),
        ("weekdays", WEEKDAYS),
        ("weekends", WEEKENDS),
        ("mon,wed,fri", frozenset({0, 2, 4})),
        ("Mon, Wed, Fri", frozenset({0, 2, 4})),
        ("tuesday and thursday", frozenset({1, 3})),
        ("tu th", frozenset({1, 3})),
        ("Sundays", frozenset({6})),
        ("weds", frozenset({2})),
        ("thurs", frozenset({3})),
        ("mon-fri", WEEKDAYS),
        ("fri – mon", frozenset({4, 5, 6, 0})),
        ("weekends, wed", frozenset({2, 5, 6})),
    ],
)
def test_days_are_read_as_people_write_them(text: str, days: frozenset[int]) -> None:
    assert parse_days(text) == days


@pytest.mark.parametrize("text", ["funday", "t", "s", "mon,xyz", "mon-", "every other day"])
def test_days_that_are_not_days_say_how_to_write_them(text: str) -> None:
    with pytest.raises(ScheduleError, match=r"not a set of days: write `every day`"):
        parse_days(text)


ALL_DAY_SETS = [frozenset(days) for size in range(1, 8) for days in combinations(range(7), size)]


@pytest.mark.parametrize("days", ALL_DAY_SETS, ids=days_label)
def test_every_set_of_days_has_a_label_that_is_read_back(days: frozenset[int]) -> None:
    assert parse_days(days_label(days)) == days


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        (" europe/berlin ", "Europe/Berlin"),
        ("Berlin", "Europe/Berlin"),
        ("america/new york", "America/New_York"),
        ("New York", "America/New_York"),
        ("utc", "UTC"),
        ("Lord Howe", "Australia/Lord_Howe"),
        ("port-au-prince", "America/Port-au-Prince"),
    ],
)
def test_a_timezone_is_found_in_any_case_or_by_its_city(text: str, zone: str) -> None:
    assert parse_timezone(text) == zone


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("Berlim", "did you mean `Europe/Berlin`?"),
        ("Europe/Pariss", "did you mean `Europe/Paris`?"),
        ("Nowhere", "pick one from the list, like `Europe/Berlin`."),
        ("../../etc/passwd", "pick one from the list"),
        ("", "pick one from the list"),
    ],
)
def test_an_unknown_timezone_is_one_line_with_a_hint(text: str, hint: str) -> None:
    with pytest.raises(ScheduleError) as raised:
        parse_timezone(text)
    message = raised.value.user_message
    assert "is not a timezone" in message
    assert hint in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("berlin", "Europe/Berlin"),
        ("BERL", "Europe/Berlin"),
        ("Europe/Berlin", "Europe/Berlin"),
        ("new york", "America/New_York"),
        ("york", "America/New_York"),
        ("lord", "Australia/Lord_Howe"),
        ("utc", "UTC"),
        ("sydney", "Australia/Sydney"),
    ],
)
def test_timezone_choices_put_the_best_match_first(typed: str, first: str) -> None:
    assert timezone_choices(typed)[0] == first


def test_timezone_choices_offer_region_names_before_old_aliases() -> None:
    choices = timezone_choices("eastern")
    assert choices == sorted(choices, key=lambda name: name.startswith(("US/", "Canada/")))
    assert "US/Eastern" in choices


def test_nothing_typed_offers_the_common_zones() -> None:
    choices = timezone_choices("  ")
    assert choices == list(COMMON_ZONES)
    assert len(choices) <= MAX_CHOICES
    assert set(choices) <= set(ZONE_NAMES)


@settings(deadline=None)
@given(st.one_of(st.text(max_size=12), st.sampled_from(ZONE_NAMES).map(lambda z: z[1:5])))
def test_timezone_choices_are_at_most_25_real_zones_that_hold_what_was_typed(
    typed: str,
) -> None:
    choices = timezone_choices(typed)
    assert len(choices) <= MAX_CHOICES
    assert len(set(choices)) == len(choices)
    assert set(choices) <= set(ZONE_NAMES)
    wanted = "_".join(typed.lower().replace("-", " ").split())
    for name in choices:
        assert wanted in name.lower().replace("-", "_") or not wanted


def test_every_zone_is_its_own_first_choice_and_found_by_its_city() -> None:
    for name in ZONE_NAMES:
        assert timezone_choices(name)[0] == name
        city = name.rsplit("/", 1)[-1].replace("_", " ")
        assert name in timezone_choices(city) or len(timezone_choices(city)) == MAX_CHOICES
