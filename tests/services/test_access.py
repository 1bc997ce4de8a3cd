"""The one rule for ratings and warnings (`may_serve`), over every case."""

from __future__ import annotations

import pytest

from bot.library.model import Chapter, Story, StoryMetadata
from bot.services.access import (
    Access,
    asks_nothing,
    is_adult,
    may_serve,
    warning_note,
    warnings_to_show,
)


def story(rating: str | None = None, warnings: tuple[str, ...] = ()) -> Story:
    metadata = StoryMetadata(title="T", rating=rating, warnings=warnings)
    return Story("t", metadata, (Chapter(0, None, 0, 0),), (), 0)


S, C, R = Access.SERVE, Access.CONFIRM_AGE, Access.REFUSE


@pytest.mark.parametrize(
    ("rating", "nsfw", "dm", "confirmed", "expected"),
    [
        # Not for adults only: served everywhere, whatever else holds.
        (None, False, False, False, S),
        ("General Audiences", False, False, False, S),
        ("Teen And Up Audiences", False, True, False, S),
        ("Not Rated", False, False, False, S),
        # Mature and Explicit (any case, spaces): age-restricted channels...
        ("Mature", True, False, False, S),
        ("Explicit", True, False, False, S),
        ("  EXPLICIT ", True, False, False, S),
        # ...DMs once confirmed, a prompt before...
        ("Mature", False, True, True, S),
        ("mature", False, True, False, C),
        ("Explicit", False, True, False, C),
        # ...and nowhere else, confirmed or not.
        ("Mature", False, False, False, R),
        ("Mature", False, False, True, R),
        ("explicit", False, False, True, R),
    ],
)
def test_may_serve(
    rating: str | None, nsfw: bool, dm: bool, confirmed: bool, expected: Access
) -> None:
    got = may_serve(story(rating), channel_is_nsfw=nsfw, in_dm=dm, adult_confirmed=confirmed)
    assert got is expected


@pytest.mark.parametrize(
    ("rating", "adult"),
    [("Mature", True), ("explicit", True), ("Teen", False), ("", False), (None, False)],
)
def test_is_adult(rating: str | None, adult: bool) -> None:
    assert is_adult(story(rating)) is adult


@pytest.mark.parametrize(
    ("warnings", "shown", "noted"),
    [
        ((), (), False),
        (("No Archive Warnings Apply",), (), False),
        (("Creator Chose Not To Use Archive Warnings",), (), True),
        (("Major Character Death", "no archive warnings apply"), ("Major Character Death",), False),
        (
            ("Graphic Depictions Of Violence", "Creator Chose Not To Use Archive Warnings"),
            ("Graphic Depictions Of Violence",),
            True,
        ),
    ],
)
def test_warnings(warnings: tuple[str, ...], shown: tuple[str, ...], noted: bool) -> None:
    told = story("Teen", warnings)
    assert warnings_to_show(told) == shown
    assert (warning_note(told) is not None) is noted


@pytest.mark.parametrize(
    ("rating", "warnings", "expected"),
    [
        (None, (), True),
        ("Teen And Up Audiences", ("No Archive Warnings Apply",), True),
        ("General Audiences", ("Creator Chose Not To Use Archive Warnings",), True),
        ("Mature", (), False),
        (" explicit", ("No Archive Warnings Apply",), False),
        ("General Audiences", ("Major Character Death",), False),
    ],
)
def test_only_an_unrated_unwarned_story_asks_nothing(
    rating: str | None, warnings: tuple[str, ...], expected: bool
) -> None:
    told = story(rating, warnings)
    assert asks_nothing(told) is expected
    if expected:  # then the rule agrees: served everywhere, to anyone
        for nsfw in (False, True):
            for dm in (False, True):
                access = may_serve(told, channel_is_nsfw=nsfw, in_dm=dm, adult_confirmed=False)
                assert access is Access.SERVE
