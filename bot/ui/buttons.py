"""The reading flow: `perform` what a reader asked (open, go to a page, turn, peek, notes),
through the gate, and the buttons under the pages it shows.

Every button is a `DynamicItem` whose state lives in its custom_id, so it keeps working after a
restart: `sb:p:<action>:<story id>:<owner id>:<scene>:<page>` for a page's buttons (the place
of the page they were shown on: Next means the page after that one), `sb:q:<action>:<story
id>:<scene>:<page>` for a place anyone may open (a quote's scene), `sb:g:…` for the gate's
prompts, `sb:r:…` for "Restart?". Story ids are at most 40 characters, so every custom_id
stays under Discord's 100.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import TYPE_CHECKING, ClassVar, Literal, TypeAlias

import discord

from bot.library.model import Page, Story
from bot.library.places import place_label
from bot.library.render import escape
from bot.library.wording import truncate
from bot.services.reading import EndView, PageView
from bot.ui.cards import notes_embed
from bot.ui.cooldowns import Limits, retry_after
from bot.ui.discord_limits import CONTENT_LIMIT
from bot.ui.dynamic import StoryButton, components
from bot.ui.errors import slow_down
from bot.ui.gate import NOT_YOURS, GateButton, Step, admit
from bot.ui.pages import end_embed, page_embed
from bot.ui.respond import in_time, reply

if TYPE_CHECKING:
    from bot.client import StoryBot

log = logging.getLogger(__name__)

Interaction: TypeAlias = "discord.Interaction[StoryBot]"

Mode = Literal["open", "go", "next", "prev", "peek", "notes"]
"""What a reader asked for: their saved place; a page (it becomes their place); the page
after or before one; a page seen without moving their place; a chapter's notes."""

Action = Literal["prev", "next", "mark", "mine", "again", "notes"]
LABELS: dict[Action, str] = {
    "prev": "Previous",
    "next": "Next",
    "mark": "Bookmark",
    "mine": "Read it yourself",
    "again": "Start again",
    "notes": "Notes",
}
EMOJI: dict[Action, str] = {
    "prev": "◀️", "next": "▶️", "mark": "🔖", "mine": "📖", "again": "🔁", "notes": "📝",
}  # fmt: skip
FOREIGN_HINT = "These buttons belong to someone else's page — use /read to open your own copy."
PUBLIC_FOREIGN_HINT = (
    "These buttons belong to someone else's page — press **Read it yourself** "
    "(or use /read) to open your own copy."
)
PEEK_NOTE = "Only you see this; your reading place has not moved."

_STORY = r"(?P<story_id>[a-z0-9-]{1,40})"
_OWNER = r"(?P<owner_id>[0-9]{1,20})"
_PAGE = r"(?P<scene>[0-9]{1,6}):(?P<page>[0-9]{1,6})"


# --- performing what was asked ------------------------------------------------------------


async def perform(
    interaction: Interaction,
    story: Story,
    mode: Mode,
    page: Page,
    *,
    edit: bool = False,
    public: bool = False,
    note: str | None = None,
) -> None:
    """Do what the reader asked (`mode`, from `page`), once the gate lets `story` be shown here,
    and show the result: a new message, or the clicked message edited in place (`edit`).

    `note` is a line shown above the page. A prompt of the gate carries `mode` and `page` in
    its buttons, so answering it goes on from here.
    """
    user_id = interaction.user.id

    def confirm(step: Step) -> GateButton:
        return ReaderGateButton(step, mode, story.id, user_id, page.scene, page.number)

    if not await admit(interaction, story, confirm, edit=edit):
        return
    reading = interaction.client.services.reading
    if mode == "notes":
        await reply(interaction, embed=notes_embed(story, page.scene))
        return
    if mode == "peek":
        buttons = components(ContinueButton(story.id, page.scene, page.number))
        view = reading.peek(story, page)
        await reply(
            interaction, content=note or PEEK_NOTE, embed=page_embed(view), view=buttons, edit=edit
        )
        return
    work: Awaitable[PageView | EndView]
    if mode == "open":
        work = reading.open(user_id, story)
    elif mode == "go":
        work = reading.go(user_id, story, page)
    else:
        work = reading.turn(user_id, story, page, 1 if mode == "next" else -1)
    result: PageView | EndView = await in_time(interaction, work, edit=edit, ephemeral=not public)
    if isinstance(result, EndView):
        await show_end(interaction, result, public=public, edit=edit)
    else:
        await show_page(interaction, result, public=public, edit=edit, note=note)


async def show_page(
    interaction: Interaction,
    view: PageView,
    *,
    public: bool,
    edit: bool = False,
    note: str | None = None,
) -> None:
    """Show a page with its buttons; a waiting notice (the story changed) and `note` above it."""
    lines = [line for line in (f"ℹ️ {view.notice}" if view.notice else None, note) if line]
    await reply(
        interaction,
        content=truncate("\n".join(lines), CONTENT_LIMIT) if lines else None,
        embed=page_embed(view),
        view=page_buttons(view, interaction.user.id, public=public),
        edit=edit,
        ephemeral=not public,
    )


async def show_end(interaction: Interaction, end: EndView, *, public: bool, edit: bool) -> None:
    await reply(
        interaction,
        embed=end_embed(end),
        view=end_buttons(end, interaction.user.id, public=public),
        edit=edit,
        ephemeral=not public,
    )


def is_public(interaction: Interaction) -> bool:
    message = interaction.message
    return message is not None and not message.flags.ephemeral


async def within_limit(interaction: Interaction, limits: Limits, doing: str) -> bool:
    """Count a press against the reader's limit; False (and told so) when it is used up."""
    wait = retry_after(limits, interaction)
    if wait is None:
        return True
    await reply(interaction, content=slow_down(wait, doing), followup=True)
    return False


def page_of(story: Story, scene: int, page: int) -> Page:
    """The page a button points at: as carried, or the nearest before it if the text changed."""
    return story.nearest_page(scene, page)[0]


# --- a page's buttons ---------------------------------------------------------------------


class PageButton(
    StoryButton,
    template=rf"sb:p:(?P<action>prev|next|mark|mine|again|notes):{_STORY}:{_OWNER}:{_PAGE}",
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

    async def _run(self, interaction: Interaction) -> None:
        bot = interaction.client
        if not await within_limit(interaction, bot.cooldowns.pages, "turning pages"):
            return
        story = bot.services.reading.story(self.story_id)
        page = page_of(story, self.scene, self.page)
        if self.action == "notes":  # anyone may read a chapter's notes, privately
            await perform(interaction, story, "notes", page)
            return
        if self.action == "mine":
            await perform(interaction, story, "open", page)
            return
        public = is_public(interaction)
        if interaction.user.id != self.owner_id:
            hint = PUBLIC_FOREIGN_HINT if public else FOREIGN_HINT
            await reply(interaction, content=hint, followup=True)
            return
        if self.action == "mark":
            work = bot.services.bookmarks.add_page(self.owner_id, story, page)
            await in_time(interaction, work)
            await reply(interaction, content=f"🔖 Bookmarked {place_label(story, page)}.")
            return
        if self.action == "again":
            await perform(interaction, story, "go", story.first_page, edit=True, public=public)
            return
        await perform(interaction, story, self.action, page, edit=True, public=public)


def page_buttons(view: PageView, owner_id: int, *, public: bool) -> discord.ui.View:
    """Under a page: Previous, Next, Bookmark (+ Read it yourself when public, + Notes when
    the chapter has notes)."""
    story_id, scene, page = view.story.id, view.page.scene, view.page.number
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


# --- places anyone may open (a quote's scene) -----------------------------------------------


class PlaceButton(StoryButton):
    """A button carrying a place in a story (`sb:q:<ACTION>:<story>:<scene>:<page>`): anyone
    may press it, within their limit, and is shown it through the gate as `MODE` says."""

    ACTION: ClassVar[str]
    MODE: ClassVar[Mode]
    LABEL: ClassVar[str]
    EMOJI: ClassVar[str]
    STYLE: ClassVar[discord.ButtonStyle]

    def __init__(self, story_id: str, scene: int, page: int) -> None:
        self.story_id, self.scene, self.page = story_id, scene, page
        super().__init__(
            f"sb:q:{self.ACTION}", story_id, scene, page,
            label=self.LABEL, emoji=self.EMOJI, style=self.STYLE,
        )  # fmt: skip

    async def _run(self, interaction: Interaction) -> None:
        bot = interaction.client
        if not await within_limit(interaction, bot.cooldowns.scenes, "opening scenes"):
            return
        story = bot.services.reading.story(self.story_id)
        page, exact = story.nearest_page(self.scene, self.page)
        await perform(interaction, story, self.MODE, page, edit=self.MODE == "go",
                      note=self.note(story, page, exact=exact))  # fmt: skip

    def note(self, story: Story, page: Page, *, exact: bool) -> str:
        raise NotImplementedError


class ReadSceneButton(PlaceButton, template=rf"sb:q:read:{_STORY}:{_PAGE}"):
    """Under a quote: shows the quote's page privately to whoever presses it."""

    ACTION, MODE, LABEL, EMOJI = "read", "peek", "Read this scene", "📖"
    STYLE = discord.ButtonStyle.secondary

    def note(self, story: Story, page: Page, *, exact: bool) -> str:
        where = place_label(story, page)
        changed = "" if exact else " (the story changed since: this is the nearest page)"
        title = escape(truncate(story.title, 200))
        return f"{where[0].upper()}{where[1:]} of **{title}**{changed}. {PEEK_NOTE}"


class ContinueButton(PlaceButton, template=rf"sb:q:go:{_STORY}:{_PAGE}"):
    """Under a page opened from a quote: makes it the presser's reading place."""

    ACTION, MODE, LABEL, EMOJI = "go", "go", "Continue reading from here", "▶️"
    STYLE = discord.ButtonStyle.primary

    def note(self, story: Story, page: Page, *, exact: bool) -> str:
        title = escape(truncate(story.title, 200))
        return f"📍 Your place in **{title}** is now {place_label(story, page)}."


# --- the gate's prompts, and "Restart?" ----------------------------------------------------


class ReaderGateButton(
    GateButton,
    template=r"sb:g:(?P<step>age|warn|stop):(?P<mode>open|go|next|prev|peek|notes):"
    rf"{_STORY}:{_OWNER}:{_PAGE}",
):
    """A gate prompt's answer that goes on with what the reader was doing (`mode`, `page`)."""

    def __init__(  # noqa: PLR0917 (the template's groups)
        self, step: Step, mode: Mode, story_id: str, owner_id: int, scene: int, page: int
    ) -> None:
        self.mode: Mode = mode
        self.scene, self.page = scene, page
        super().__init__(
            step, story_id, owner_id, "sb:g", step, mode, story_id, owner_id, scene, page
        )

    async def resume(self, interaction: Interaction, story: Story) -> None:
        page = page_of(story, self.scene, self.page)
        await perform(interaction, story, self.mode, page, edit=True)


class RestartButton(StoryButton, template=rf"sb:r:(?P<answer>yes|no):{_STORY}:{_OWNER}"):
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

    async def _run(self, interaction: Interaction) -> None:
        if interaction.user.id != self.owner_id:
            await reply(interaction, content=NOT_YOURS, followup=True)
            return
        if self.answer == "no":
            await reply(interaction, content="Cancelled: your place is kept.", edit=True)
            return
        story = interaction.client.services.reading.story(self.story_id)
        await perform(
            interaction, story, "go", story.first_page, edit=True, note="Back to the beginning."
        )


def restart_buttons(story_id: str, owner_id: int) -> discord.ui.View:
    return components(
        RestartButton("yes", story_id, owner_id), RestartButton("no", story_id, owner_id)
    )


READING_BUTTONS = (PageButton, ReaderGateButton, RestartButton)
"""Registered by the reading cog."""
QUOTE_BUTTONS = (ReadSceneButton, ContinueButton)
"""Registered by the quotes cog."""
