"""Errors a reader or admin can cause. Each carries the short message the user sees."""

from __future__ import annotations

from bot.library.render import escape
from bot.library.wording import truncate


class UserError(Exception):
    """An expected failure whose message is meant for the user (shown privately, not a bug)."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


class UnknownStory(UserError):
    def __init__(self, story_id: str) -> None:
        named = escape(truncate(story_id, 100))  # as typed: up to 6,000 characters of anything
        super().__init__(f"There is no story called “{named}”. Try `/stories` to see them all.")
        self.story_id = story_id


class StoryRequired(UserError):
    def __init__(self) -> None:
        super().__init__(
            "There are several stories here: pick one with the `story` option"
            " (`/stories` lists them)."
        )
