"""The reading flow: `perform` what a reader asked (open, go to a page, turn, peek, notes),
through the gate, and the buttons under the pages it shows.

Every button is a `DynamicItem` whose state lives in its custom_id, so it keeps working after a
restart: `sb:p:<action>:<story id>:<owner id>:<place>` for a page's buttons (the place of the
page they were shown on: Next means the page after that one), `sb:q:<action>:<story
id>:<place>` for a place anyone may open (a quote's scene), `sb:g:…` for the gate's prompts,
`sb:r:…` for "Restart?". A place is an anchor's token (`bot.library.anchors.anchor_token`),
so a button finds its page even after the text changed; buttons sent before anchors carry
`<scene>:<page>` and are understood too. Story ids are at most 40 characters, so every
custom_id stays under Discord's 100.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING, ClassVar, Literal, TypeAlias

import discord

from bot.library.anchors import TOKEN_PATTERN, TokenPlace, anchor_of, anchor_token, locate_token
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
MOVED_NOTE = " (the story changed since: this is the nearest page)"
"""After a place a button carries, when its text changed and the page is the nearest one."""

STORY_RE = r"(?P<story_id>[a-z0-9-]{1,40})"
OWNER_RE = r"(?P<owner_id>[0-9]{1,20})"
PLACE_RE = rf"(?P<place>{TOKEN_PATTERN})"
_PAGE = r"(?P<scene>[0-9]{1,6}):(?P<page>[0-9]{1,6})"  # buttons sent before anchors


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
    user_id, at = interaction.user.id, interaction.created_at
    place = token_of(story, page)

    def confirm(step: Step) -> GateButton:
        return ReaderGateButton(step, mode, story.id, user_id, place)

    if not await admit(interaction, story, confirm, edit=edit):
        return
    reading = interaction.client.services.reading
    if mode == "notes":
        await reply(interaction, embed=notes_embed(story, page.scene), edit=edit)
        return
    if mode == "peek":
        buttons = components(ContinueButton(story.id, place))
        view = reading.peek(story, page)
        await reply(
            interaction, content=note or PEEK_NOTE, embed=page_embed(view), view=buttons, edit=edit
        )
        return
    work: Awaitable[PageView | EndView]
    if mode == "open":
        work = reading.open(user_id, story, at=at)
    elif mode == "go":
        work = reading.go(user_id, story, page, at=at)
    else:
        work = reading.turn(user_id, story, page, 1 if mode == "next" else -1, at=at)
    result: PageView | EndView = await in_time(interaction, work, edit=edit, ephemeral=not public)
    if isinstance(result, EndView):
        await show_end(interaction, result, public=public, edit=edit)
    else:
        await show_page(interaction, result, public=public, edit=edit, note=note)
    # After the answer, the read-alongs look: at the end, wherever (a finished reader is
    # recorded), or at a page in a server that may end one of its read-alongs' parts.
    if isinstance(result, EndView) or (
        interaction.guild_id is not None
        and interaction.client.services.readalongs.may_concern(interaction.guild_id, story.id)
    ):
        interaction.client.dispatch("page_read", interaction, result)


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


def token_of(story: Story, page: Page) -> str:
    """The place a button carries for `page`."""
    return anchor_token(anchor_of(story, page))


def page_of(story: Story, place: str) -> tuple[Page, bool]:
    """The page a button's place points at, and whether it was found as it was (else the
    nearest page before it: the text changed). `place` is an anchor's token, or
    `<scene>:<page>` from a button sent before anchors."""
    scene, colon, number = place.partition(":")
    if colon:
        return story.nearest_page(int(scene), int(number))
    return locate_token(story, TokenPlace.parse(place))


# --- a page's buttons ---------------------------------------------------------------------


_ACTIONS = r"(?P<action>prev|next|mark|mine|again|notes)"


class PageButton(StoryButton, template=rf"sb:p:{_ACTIONS}:{STORY_RE}:{OWNER_RE}:{PLACE_RE}"):
    """Previous / Next / Bookmark / Read it yourself / Start again / Notes, for one page."""

    def __init__(
        self, action: Action, story_id: str, owner_id: int, place: str, *, disabled: bool = False
    ) -> None:
        self.action: Action = action
        self.story_id = story_id
        self.owner_id = owner_id
        self.place = place
        style = discord.ButtonStyle.primary if action == "next" else discord.ButtonStyle.secondary
        super().__init__(
            "sb:p", action, story_id, owner_id, place,
            label=LABELS[action], emoji=EMOJI[action], style=style, disabled=disabled,
        )  # fmt: skip

    async def _run(self, interaction: Interaction) -> None:
        bot = interaction.client
        if not await within_limit(interaction, bot.cooldowns.pages, "turning pages"):
            return
        story = bot.services.reading.story(self.story_id)
        page, _ = page_of(story, self.place)
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
            work = bot.services.bookmarks.add_page(
                self.owner_id, story, page, at=interaction.created_at
            )
            await in_time(interaction, work)
            await reply(interaction, content=f"🔖 Bookmarked {place_label(story, page)}.")
            return
        if self.action == "again":
            await perform(interaction, story, "go", story.first_page, edit=True, public=public)
            return
        await perform(interaction, story, self.action, page, edit=True, public=public)


class LegacyPageButton(PageButton, template=rf"sb:p:{_ACTIONS}:{STORY_RE}:{OWNER_RE}:{_PAGE}"):
    """A page's button sent before anchors (its place a page number): still understood."""

    def __init__(self, action: Action, story_id: str, owner_id: int, scene: int, page: int) -> None:
        super().__init__(action, story_id, owner_id, f"{scene}:{page}")


def page_buttons(view: PageView, owner_id: int, *, public: bool) -> discord.ui.View:
    """Under a page: Previous, Next, Bookmark (+ Read it yourself when public, + Notes when
    the chapter has notes)."""
    story_id, place = view.story.id, token_of(view.story, view.page)
    items = [
        PageButton("prev", story_id, owner_id, place, disabled=view.is_first),
        PageButton("next", story_id, owner_id, place),
        PageButton("mark", story_id, owner_id, place),
    ]
    if public:
        items.append(PageButton("mine", story_id, owner_id, place))
    chapter = view.chapter
    if chapter.notes or chapter.end_notes:
        items.append(PageButton("notes", story_id, owner_id, place))
    return components(*items)


def end_buttons(end: EndView, owner_id: int, *, public: bool) -> discord.ui.View:
    place = token_of(end.story, end.story.first_page)
    items = [PageButton("again", end.story.id, owner_id, place)]
    if public:
        items.append(PageButton("mine", end.story.id, owner_id, place))
    return components(*items)


# --- places anyone may open (a quote's scene) -----------------------------------------------


class PlaceButton(StoryButton):
    """A button carrying a place in a story (`sb:q:<ACTION>:<story>:<place>`): anyone
    may press it, within their limit, and is shown it through the gate as `MODE` says."""

    ACTION: ClassVar[str]
    MODE: ClassVar[Mode]
    LABEL: ClassVar[str]
    EMOJI: ClassVar[str]
    STYLE: ClassVar[discord.ButtonStyle]

    def __init__(self, story_id: str, place: str) -> None:
        self.story_id, self.place = story_id, place
        super().__init__(
            f"sb:q:{self.ACTION}", story_id, place,
            label=self.LABEL, emoji=self.EMOJI, style=self.STYLE,
        )  # fmt: skip

    async def _run(self, interaction: Interaction) -> None:
        bot = interaction.client
        if not await within_limit(interaction, bot.cooldowns.scenes, "opening scenes"):
            return
        story = bot.services.reading.story(self.story_id)
        page, exact = page_of(story, self.place)
        await perform(interaction, story, self.MODE, page, edit=self.MODE == "go",
                      note=self.note(story, page, exact=exact))  # fmt: skip

    def note(self, story: Story, page: Page, *, exact: bool) -> str:
        raise NotImplementedError


class ReadSceneButton(PlaceButton, template=rf"sb:q:read:{STORY_RE}:{PLACE_RE}"):
    """Under a quote: shows the quote's page privately to whoever presses it."""

    ACTION, MODE, LABEL, EMOJI = "read", "peek", "Read this scene", "📖"
    STYLE = discord.ButtonStyle.secondary

    def note(self, story: Story, page: Page, *, exact: bool) -> str:
        where = place_label(story, page)
        changed = "" if exact else MOVED_NOTE
        title = escape(truncate(story.title, 200))
        return f"{where[0].upper()}{where[1:]} of **{title}**{changed}. {PEEK_NOTE}"


class ContinueButton(PlaceButton, template=rf"sb:q:go:{STORY_RE}:{PLACE_RE}"):
    """Under a page opened from a quote: makes it the presser's reading place."""

    ACTION, MODE, LABEL, EMOJI = "go", "go", "Continue reading from here", "▶️"
    STYLE = discord.ButtonStyle.primary

    def note(self, story: Story, page: Page, *, exact: bool) -> str:
        title = escape(truncate(story.title, 200))
        return f"📍 Your place in **{title}** is now {place_label(story, page)}."


class LegacyReadSceneButton(ReadSceneButton, template=rf"sb:q:read:{STORY_RE}:{_PAGE}"):
    """ "Read this scene" sent before anchors: still understood."""

    def __init__(self, story_id: str, scene: int, page: int) -> None:
        super().__init__(story_id, f"{scene}:{page}")


class LegacyContinueButton(ContinueButton, template=rf"sb:q:go:{STORY_RE}:{_PAGE}"):
    """ "Continue reading from here" sent before anchors: still understood."""

    def __init__(self, story_id: str, scene: int, page: int) -> None:
        super().__init__(story_id, f"{scene}:{page}")


# --- the gate's prompts, and "Restart?" ----------------------------------------------------


_GATE = r"sb:g:(?P<step>age|warn|stop):(?P<mode>open|go|next|prev|peek|notes)"


class ReaderGateButton(GateButton, template=rf"{_GATE}:{STORY_RE}:{OWNER_RE}:{PLACE_RE}"):
    """A gate prompt's answer that goes on with what the reader was doing (`mode`, `place`)."""

    def __init__(self, step: Step, mode: Mode, story_id: str, owner_id: int, place: str) -> None:
        self.mode: Mode = mode
        self.place = place
        super().__init__(step, story_id, owner_id, "sb:g", step, mode, story_id, owner_id, place)

    async def resume(self, interaction: Interaction, story: Story) -> None:
        page, _ = page_of(story, self.place)
        await perform(interaction, story, self.mode, page, edit=True)


class LegacyGateButton(ReaderGateButton, template=rf"{_GATE}:{STORY_RE}:{OWNER_RE}:{_PAGE}"):
    """A gate prompt's answer sent before anchors: still understood."""

    def __init__(  # noqa: PLR0917 (the template's groups)
        self, step: Step, mode: Mode, story_id: str, owner_id: int, scene: int, page: int
    ) -> None:
        super().__init__(step, mode, story_id, owner_id, f"{scene}:{page}")


class RestartButton(StoryButton, template=rf"sb:r:(?P<answer>yes|no):{STORY_RE}:{OWNER_RE}"):
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


READING_BUTTONS = (
    PageButton,
    ReaderGateButton,
    RestartButton,
    LegacyPageButton,
    LegacyGateButton,
)
"""Registered by the reading cog."""
QUOTE_BUTTONS = (ReadSceneButton, ContinueButton, LegacyReadSceneButton, LegacyContinueButton)
"""Registered by the quotes cog."""
