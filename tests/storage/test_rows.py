"""Places to columns and back, the same for both backends (property tests)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.library.anchors import SNIPPET_LENGTH, Anchor, PagePlace, Place
from bot.storage.rows import check_aware, place_columns, place_from_columns

indexes = st.integers(min_value=0, max_value=2**31 - 1)
anchors = st.builds(Anchor, indexes, indexes, indexes, st.text(max_size=SNIPPET_LENGTH))
page_places = st.builds(PagePlace, indexes, indexes)


@given(place=st.one_of(anchors, page_places))
def test_a_place_survives_its_columns(place: Place) -> None:
    columns = place_columns(place)
    assert len(columns) == 5
    assert place_from_columns(columns) == place


@given(place=st.one_of(anchors, page_places))
def test_a_place_is_a_page_or_an_anchor_never_both(place: Place) -> None:
    _, page, paragraph, offset, snippet = place_columns(place)
    if isinstance(place, PagePlace):
        assert (paragraph, offset, snippet) == (None, None, None)
        assert page is not None
    else:
        assert page is None
        assert None not in (paragraph, offset, snippet)


@pytest.mark.parametrize(
    "moment",
    [datetime.now(UTC), datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=-5)))],
)
def test_moments_with_a_time_zone_are_taken(moment: datetime) -> None:
    assert check_aware(moment) is moment


def test_a_moment_without_a_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        check_aware(datetime(2026, 1, 1))
