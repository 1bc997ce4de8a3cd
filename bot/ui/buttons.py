"""Page buttons as `DynamicItem`s: their state lives in the custom_id, so they survive restarts.

custom_id: `sb:p:<action>:<story id>:<owner id>:<scene>:<page>` (0-based place of the page
the button was shown on), at most about 90 characters since story ids are at most 40.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Literal

import discord

from bot.library.model import Story
from bot.services.access import (
    ADULT_FLAG,
    Access,
    NotHere,
    asks_nothing,
    warned_flag,
    warnings_to_show,
)
from bot.services.bookmarks import nearest_place
from bot.services.reading import EndView, PageView, place_label
from bot.tree import retry_text, send_private
from bot.ui.cards import notes_embed
from bot.ui.dynamic import StoryButton
from bot.ui.gate import (
    CANCEL_LABEL,
    CONFIRM_LABEL,
    CONTINUE_LABEL,
    Mode,
    Step,
    access_here,
    age_text,
    warnings_text,
)
from bot.ui.pages import end_embed, notice_content, page_embed
from bot.ui.respond import NO_MENTIONS, in_time, show

if TYPE_CHECKING:
    from bot.client import StoryBot

log = logging.getLogger(__name__)

Action = Literal["prev", "next", "mark", "mine", "again", "notes"]
FOREIGN_HINT = "These buttons belong to someone else's page — use /read to open your own copy."
PUBLIC_FOREIGN_HINT = (
    "These buttons belong to someone else's page — press **Read it yourself** "
    "(or use /read) to open your own copy."
)
LABELS: dict[str, str] = {
    "prev": "Previous",
    "next": "Next",
    "mark": "Bookmark",
    "mine": "Read it yourself",
    "again": "Start again",
    "notes": "Notes",
}
EMOJI: dict[str, str] = {
    "prev": "◀️", "next": "▶️", "mark": "🔖", "mine": "📖", "again": "🔁", "notes": "📝",
}  # fmt: skip

_STORY = r"[a-z0-9-]{1,40}"


def slow_down(retry_after: float) -> str:
    return f"You're turning pages a little fast. Try again {retry_text(retry_after)}."


def is_public(interaction: discord.Interaction[StoryBot]) -> bool:
    message = interaction.message
    return message is not None and not message.flags.ephemeral


class PageButton(
    StoryButton,
    template=rf"sb:p:(?P<action>prev|next|mark|mine|again|notes):(?P<story>{_STORY}):"
    r"(?P<owner>[0-9]{1,20}):(?P<scene>[0-9]{1,6}):(?P<page>[0-9]{1,6})",
):
    """Previous / Next / Bookmark / Read it yourself / Start again / Notes, for one page."""

    def __init__(
        self, action: Action, story_id: str, owner_id: int, scene: int, page: int, *,
        disabled: bool = False,
    ) -> None:  # fmt: skip
        self.action: Action = action
        self.story_id = story_id
        self.owner_id = owner_id
        self.scene = scene
        self.page = page
        style = discord.ButtonStyle.primary if action == "next" else discord.ButtonStyle.secondary
        super().__init__(
            "sb:p", action, story_id, owner_id, scene, page,
            label=LABELS[action], emoji=EMOJI[action], style=style, disabled=disabled,
        )  # fmt: skip

    async def _run(self, interaction: discord.Interaction[StoryBot]) -> None:
        bot = interaction.client
        user_id = interaction.user.id
        retry_after = bot.limits.buttons.hit(user_id)
        if retry_after is not None:
            await send_private(interaction, slow_down(retry_after))
            return
        story = bot.library.get(self.story_id)
        if self.action == "notes":  # anyone may read a chapter's notes, privately
            if await admit(interaction, story, "peek", self.scene, self.page):
                await show(interaction, embed=notes_embed(story, self.scene), view=None)
            return
        if self.action == "mine":
            if await admit(interaction, story):
                view = await in_time(interaction, bot.reading.open(user_id, self.story_id))
                await show_page(interaction, view, public=False)
            return
        public = is_public(interaction)
        if user_id != self.owner_id:
            await send_private(interaction, PUBLIC_FOREIGN_HINT if public else FOREIGN_HINT)
            return
        reading = bot.reading
        if self.action == "mark":
            await in_time(
                interaction, reading.bookmark(user_id, self.story_id, self.scene, self.page)
            )
            await send_private(
                interaction, f"🔖 Bookmarked {place_label(story, self.scene, self.page)}."
            )
            return
        if not await admit(interaction, story, "go", self.scene, self.page):
            return
        if self.action == "again":
            result: PageView | EndView = await in_time(
                interaction, reading.restart(user_id, self.story_id), edit=True
            )
        else:
            delta = 1 if self.action == "next" else -1
            shown = (self.scene, self.page)
            result = await in_time(
                interaction, reading.move(user_id, self.story_id, delta, shown), edit=True
            )
        if isinstance(result, EndView):
            await show_end(interaction, result, owner_id=user_id, public=public, edit=True)
        else:
            await show_page(interaction, result, public=public, edit=True)


def components(*items: discord.ui.Item[Any]) -> discord.ui.View:
    """A view of dynamic items only, ready to send and never stored by discord.py.

    Dynamic items dispatch by their template, so the view need not outlive the send: it is
    stopped first, which keeps discord.py from holding every page's view in memory (with a
    15-minute timer each for ephemeral messages).
    """
    view = discord.ui.View(timeout=None)
    for item in items:
        view.add_item(item)
    view.stop()
    return view


def page_buttons(view: PageView, owner_id: int, *, public: bool) -> discord.ui.View:
    """Under a page: Previous, Next, Bookmark (+ Read it yourself when public, + Notes when
    the chapter has notes)."""
    story_id, scene, page = view.story.id, view.scene, view.page
    items = [
        PageButton("prev", story_id, owner_id, scene, page, disabled=view.is_first),
        PageButton("next", story_id, owner_id, scene, page),
        PageButton("mark", story_id, owner_id, scene, page),
    ]
    if public:
        items.append(PageButton("mine", story_id, owner_id, scene, page))
    chapter = view.chapter
    if chapter.notes or chapter.end_notes:
        items.append(PageButton("notes", story_id, owner_id, scene, page))
    return components(*items)


def end_buttons(end: EndView, owner_id: int, *, public: bool) -> discord.ui.View:
    items = [PageButton("again", end.story.id, owner_id, 0, 0)]
    if public:
        items.append(PageButton("mine", end.story.id, owner_id, 0, 0))
    return components(*items)


async def show_page(
    interaction: discord.Interaction[StoryBot],
    view: PageView,
    *,
    public: bool,
    edit: bool = False,
) -> None:
    """Show a page (a new message, or the clicked message edited in place)."""
    await show(
        interaction,
        content=notice_content(view),
        embed=page_embed(view),
        view=page_buttons(view, interaction.user.id, public=public),
        edit=edit,
        ephemeral=not public,
    )


async def show_end(
    interaction: discord.Interaction[StoryBot],
    end: EndView,
    *,
    owner_id: int,
    public: bool,
    edit: bool,
) -> None:
    await show(
        interaction,
        embed=end_embed(end),
        view=end_buttons(end, owner_id, public=public),
        edit=edit,
        ephemeral=not public,
    )


class RestartButton(
    StoryButton,
    template=rf"sb:r:(?P<answer>yes|no):(?P<story>{_STORY}):(?P<owner>[0-9]{{1,20}})",
):
    """The answer to "Restart this story?": only the reader who asked may press it."""

    def __init__(self, answer: Literal["yes", "no"], story_id: str, owner_id: int) -> None:
        self.answer = answer
        self.story_id = story_id
        self.owner_id = owner_id
        yes = answer == "yes"
        super().__init__(
            "sb:r", answer, story_id, owner_id,
            label="Yes, restart" if yes else "Cancel",
            style=discord.ButtonStyle.danger if yes else discord.ButtonStyle.secondary,
        )  # fmt: skip

    async def _run(self, interaction: discord.Interaction[StoryBot]) -> None:
        if interaction.user.id != self.owner_id:
            await send_private(interaction, "Only the reader who asked can answer this.")
            return
        if self.answer == "no":
            await interaction.response.edit_message(
                content="Cancelled: your place is kept.", embed=None, view=None,
                allowed_mentions=NO_MENTIONS,
            )  # fmt: skip
            return
        story = interaction.client.library.get(self.story_id)
        if not await admit(interaction, story, "go", 0, 0, edit=True):
            return
        view = await in_time(
            interaction,
            interaction.client.reading.restart(self.owner_id, self.story_id),
            edit=True,
        )
        await show(
            interaction,
            content="Back to the beginning.",
            embed=page_embed(view),
            view=page_buttons(view, self.owner_id, public=False),
            edit=True,
        )


def restart_buttons(story_id: str, owner_id: int) -> discord.ui.View:
    return components(
        RestartButton("yes", story_id, owner_id), RestartButton("no", story_id, owner_id)
    )


# --- the gate (ratings and warnings) before any page ----------------------------------------
# It lives here, beside the page buttons, because answering its prompt shows a page.


class GateButton(
    StoryButton,
    template=rf"sb:g:(?P<step>age|warn|stop):(?P<mode>open|go|peek):(?P<story>{_STORY}):"
    r"(?P<owner>[0-9]{1,20}):(?P<scene>[0-9]{1,6}):(?P<page>[0-9]{1,6})",
):
    """An answer to a gate prompt; on yes, records it and carries on with what was asked."""

    def __init__(  # noqa: PLR0917 (the template's groups, in order)
        self, step: Step, mode: Mode, story_id: str, owner_id: int, scene: int, page: int
    ) -> None:
        self.step: Step = step
        self.mode: Mode = mode
        self.story_id, self.owner_id = story_id, owner_id
        self.scene, self.page = scene, page
        label = {"age": CONFIRM_LABEL, "warn": CONTINUE_LABEL, "stop": CANCEL_LABEL}[step]
        style = discord.ButtonStyle.secondary if step == "stop" else discord.ButtonStyle.primary
        super().__init__(
            "sb:g", step, mode, story_id, owner_id, scene, page, label=label, style=style
        )

    async def _run(self, interaction: discord.Interaction[StoryBot]) -> None:
        if interaction.user.id != self.owner_id:
            await send_private(interaction, "Only the reader who asked can answer this.")
            return
        if self.step == "stop":
            await interaction.response.edit_message(
                content="Cancelled.", embed=None, view=None, allowed_mentions=NO_MENTIONS
            )
            return
        bot = interaction.client
        story = bot.library.get(self.story_id)
        if self.step == "age":
            await bot.store.set_flag(self.owner_id, ADULT_FLAG, "1")
        else:
            await bot.store.set_flag(self.owner_id, warned_flag(story), "1")
        if await admit(interaction, story, self.mode, self.scene, self.page, edit=True):
            await carry_on(interaction, story, self.mode, self.scene, self.page)


def gate_buttons(
    step: Step, mode: Mode, story: Story, owner_id: int, place: tuple[int, int]
) -> discord.ui.View:
    return components(
        GateButton(step, mode, story.id, owner_id, *place),
        GateButton("stop", mode, story.id, owner_id, *place),
    )


async def _prompt(
    interaction: discord.Interaction[StoryBot], text: str, buttons: discord.ui.View, *, edit: bool
) -> None:
    if interaction.response.is_done():
        await interaction.followup.send(
            text, view=buttons, ephemeral=True, allowed_mentions=NO_MENTIONS
        )
    elif edit:
        await interaction.response.edit_message(
            content=text, embed=None, view=buttons, allowed_mentions=NO_MENTIONS
        )
    else:
        await interaction.response.send_message(
            text, view=buttons, ephemeral=True, allowed_mentions=NO_MENTIONS
        )


async def admit(
    interaction: discord.Interaction[StoryBot],
    story: Story,
    mode: Mode = "open",
    scene: int = 0,
    page: int = 0,
    *,
    edit: bool = False,
) -> bool:
    """True when `story` may be shown now; else the reader was answered privately.

    Raises `NotHere` (a private message, through the error handler) where it is never served.
    `mode`, `scene` and `page` say what to do once the reader answers a prompt.
    """
    if asks_nothing(story):
        return True
    access = await access_here(interaction, story)
    if access is Access.REFUSE:
        raise NotHere(story)
    user_id = interaction.user.id
    if access is Access.CONFIRM_AGE:
        buttons = gate_buttons("age", mode, story, user_id, (scene, page))
        await _prompt(interaction, age_text(story), buttons, edit=edit)
        return False
    if warnings_to_show(story):
        seen = await interaction.client.store.get_flag(user_id, warned_flag(story))
        if seen is None:
            buttons = gate_buttons("warn", mode, story, user_id, (scene, page))
            await _prompt(interaction, warnings_text(story), buttons, edit=edit)
            return False
    return True


async def carry_on(
    interaction: discord.Interaction[StoryBot], story: Story, mode: Mode, scene: int, page: int
) -> None:
    """Do what the reader asked before the prompt, editing the prompt into the page."""
    bot = interaction.client
    user_id = interaction.user.id
    if mode == "open":
        view = await bot.reading.open(user_id, story.id)
        await show_page(interaction, view, public=False, edit=True)
        return
    (scene, page), _ = nearest_place(story, scene, page)
    if mode == "go":
        view = await bot.reading.goto(user_id, story.id, scene + 1, page + 1)
        await show(
            interaction,
            embed=page_embed(view),
            view=page_buttons(view, user_id, public=False),
            edit=True,
        )
        return
    await show(
        interaction,
        content="Only you see this; your reading place has not moved.",
        embed=page_embed(bot.reading.view(story, scene, page)),
        view=discord.ui.View(timeout=None),  # no buttons: the prompt's are removed
        edit=True,
    )


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    PageButton,
    RestartButton,
    GateButton,
)
