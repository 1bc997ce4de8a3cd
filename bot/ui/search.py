"""/search as a reader sees it: a few hits a page, each its place and a snippet with an Open
button, Previous and Next, and the offer to search the whole story. Always private: results
are one reader's own, within what they have read.

Every button keeps its state in its custom_id, so it works after a restart:

    sb:s:<scope>:<page>:<story>:<query>          a page of results (Previous, Next, the offer)
    sb:h:<number>:<story>:<place>                a hit's page, privately (`perform`'s peek)
    sb:sg:<step>:<scope>:<story>:<owner>:<query> the gate's prompts before a search

`<query>` is the query as `format_query` writes it (read back to the same terms), or `#` and
the id it is kept under (`SearchService.keep_query`) when it would not fit in 100 characters.
A results button searches anew with the presser's place as it is then, so the scope moves
as they read on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal, TypeAlias

import discord

from bot.library.model import Story
from bot.library.places import place_label, place_line
from bot.library.render import discord_length, escape
from bot.library.search import (
    MAX_TERMS,
    MAX_WORD_LENGTH,
    Dropped,
    DropReason,
    format_query,
    parse_query,
)
from bot.library.search.query import MAX_PHRASE_WORDS, MIN_PREFIX_LENGTH
from bot.library.wording import plural, truncate
from bot.services.access import asks_nothing
from bot.services.search import HITS_PER_PAGE, Scope, SearchResults
from bot.ui.buttons import (
    MOVED_NOTE,
    OWNER_RE,
    PEEK_NOTE,
    PLACE_RE,
    STORY_RE,
    page_of,
    perform,
    token_of,
    within_limit,
)
from bot.ui.colours import COLOUR
from bot.ui.discord_limits import (
    CONTENT_LIMIT,
    FIELD_NAME_LIMIT,
    FOOTER_LIMIT,
    MAX_CUSTOM_ID,
    TITLE_LIMIT,
)
from bot.ui.dynamic import StoryButton, components
from bot.ui.gate import GateButton, Step, admit
from bot.ui.respond import in_time, reply
from bot.ui.text import fit_escaped

if TYPE_CHECKING:
    from bot.client import StoryBot

Interaction: TypeAlias = "discord.Interaction[StoryBot]"

SPOILER_WARNING = "this may show you what happens later"
HOW_TO = (
    "Type a word to search for. All the words must appear, in any order; "
    '`"a phrase"` finds words side by side, `prince*` finds words that start so, and '
    "`-word` leaves out paragraphs with it. Case and accents don't matter."
)
EXPIRED = "This search is too old to page through now: search again with `/search`."
KEPT = "#"
"""Starts a query carried by the id it is kept under (a written query never does)."""
QUERY_SHOWN = 200
OPERATORS = ("AND", "OR", "NOT", "NEAR")
"""Other searches' operators, as typed there: here they are words like any other."""

_SCOPE = r"(?P<scope>read|all)"
_QUERY = r"(?P<query>.+)"
# The longest custom_ids a query rides in, but for the query (pages of at most 7 digits).
_RESULTS_PREFIX = "sb:s:read:9999999:{story}:"
_GATE_PREFIX = "sb:sg:warn:read:{story}:{owner}:"


# --- what the reply says ---------------------------------------------------------------------


def dropped_note(dropped: Sequence[Dropped]) -> str | None:
    """What the query's bounds left out, as the reply says it; None when nothing was."""
    parts = []
    for item in dropped:
        example = f"“{escape(truncate(item.example, 40))}”"
        if item.reason is DropReason.TOO_MANY_TERMS:
            parts.append(f"{plural(item.count, 'term')} past the first {MAX_TERMS} ({example}…)")
        elif item.reason is DropReason.WORD_TOO_LONG:
            longer = f"longer than {MAX_WORD_LENGTH} letters"
            parts.append(f"{plural(item.count, 'word')} {longer} ({example})")
        elif item.reason is DropReason.PREFIX_TOO_SHORT:
            shorter = f"with a `*` after fewer than {MIN_PREFIX_LENGTH} letters"
            parts.append(f"{plural(item.count, 'term')} {shorter} ({example})")
        else:
            cut = f"cut to its first {MAX_PHRASE_WORDS} words"
            parts.append(f"{plural(item.count, 'phrase')} {cut} ({example})")
    return f"ℹ️ Not searched: {'; '.join(parts)}." if parts else None


def operators_note(typed: str) -> str | None:
    """A word typed as another search's operator (`OR`) is searched as a word: say so."""
    typed_words = set(typed.split())
    operators = [word for word in OPERATORS if word in typed_words]
    if not operators:
        return None
    named = ", ".join(f"`{word}`" for word in operators)
    return f"ℹ️ {named}: searched as words here; every word must appear (`-word` leaves one out)."


def query_notes(typed: str, dropped: Sequence[Dropped]) -> list[str]:
    """What the reply says of the query as typed: what its bounds left out, operators."""
    return [note for note in (dropped_note(dropped), operators_note(typed)) if note]


def scope_text(found: SearchResults) -> str:
    """`in what you have read (to chapter 2, scene 1, page 3)`, or `in the whole story`."""
    if found.read_to is None:
        return "in the whole story"
    return f"in what you have read (to {place_label(found.story, found.read_to)})"


def notes(found: SearchResults, about_query: Sequence[str]) -> str | None:
    """The lines above the results: what was said of the query, the warning on the first
    page of a whole story's hits, the hits ahead of the reader."""
    lines: list[str | None] = [*about_query]
    if found.read_to is None and found.page == 0:
        if not found.started:
            lines.append(f"⚠️ You haven't started this story, so I searched all of it: "
                         f"{SPOILER_WARNING}.")  # fmt: skip
        else:
            lines.append(f"⚠️ I searched the whole story: {SPOILER_WARNING}.")
    if found.ahead:
        lines.append(
            f"🔒 {plural(found.ahead, 'more hit')} lie{'s' if found.ahead == 1 else ''} ahead "
            f"of your place. Searching the whole story would show "
            f"{'it' if found.ahead == 1 else 'them'}, but {SPOILER_WARNING}."
        )
    shown = [line for line in lines if line]
    return truncate("\n".join(shown), CONTENT_LIMIT) if shown else None


def results_embed(found: SearchResults) -> discord.Embed:
    """The hits of one page: each its place (chapter · scene · page) and its snippet."""
    query = fit_escaped(format_query(found.query), QUERY_SHOWN)
    story = found.story
    if found.total:
        first = found.page * HITS_PER_PAGE + 1
        last = first + len(found.hits) - 1
        summary = f"**{query}**: {plural(found.total, 'hit')} {scope_text(found)}"
        if found.pages > 1:
            summary += f", {first}–{last} here"
    else:
        summary = f"No match for **{query}** {scope_text(found)}."
    embed = discord.Embed(
        title=fit_escaped(f"Search in {story.title}", TITLE_LIMIT),
        description=summary,
        colour=COLOUR,
    )
    for hit in found.hits:
        name = fit_escaped(f"Hit {hit.number} · {place_line(story, hit.page)}", FIELD_NAME_LIMIT)
        embed.add_field(name=name, value=hit.snippet or "…", inline=False)
    if found.pages > 1:
        embed.set_footer(text=truncate(f"Page {found.page + 1}/{found.pages}", FOOTER_LIMIT))
    return embed


# --- carrying the query ------------------------------------------------------------------------


async def carried(interaction: Interaction, text: str, prefix: str) -> str:
    """`text` (a query written by `format_query`) as a custom_id after `prefix` carries it:
    itself when it fits, else `#` and the id it is kept under."""
    if discord_length(prefix) + discord_length(text) <= MAX_CUSTOM_ID:
        return text
    search = interaction.client.services.search
    return KEPT + await search.keep_query(text, at=interaction.created_at)


async def query_of(interaction: Interaction, token: str) -> str | None:
    """The query a button carries; None when it was kept and is forgotten."""
    if not token.startswith(KEPT):
        return token
    search = interaction.client.services.search
    return await search.kept_query(token[len(KEPT) :], at=interaction.created_at)


# --- showing results -------------------------------------------------------------------------


async def show_search(
    interaction: Interaction,
    story: Story,
    text: str,
    scope: Scope,
    page: int = 0,
    *,
    edit: bool = False,
) -> None:
    """Search `story` for the query `text` (as typed, or as a button carries it back) and
    show page `page` of its hits, once the gate lets the story be shown here; in place of the
    clicked message when `edit`."""
    query = parse_query(text)
    about_query = query_notes(text, query.dropped)
    if query.is_empty:
        await reply(interaction, content="\n".join([*about_query, HOW_TO]), edit=edit)
        return
    written = format_query(query)
    owner = interaction.user.id
    # The gate's prompts carry the query too: only for a story that may have them.
    gate_token = "" if asks_nothing(story) else await carried(
        interaction, written, _GATE_PREFIX.format(story=story.id, owner=owner))  # fmt: skip

    def confirm(step: Step) -> GateButton:
        return SearchGateButton(step, scope.value, story.id, owner, gate_token)

    if not await admit(interaction, story, confirm, edit=edit):
        return
    work = interaction.client.services.search.search(owner, story, query, scope=scope, page=page)
    found = await in_time(interaction, work, edit=edit)
    token = await carried(interaction, written, _RESULTS_PREFIX.format(story=story.id))
    await reply(
        interaction,
        content=notes(found, about_query),
        embed=results_embed(found),
        view=results_buttons(found, scope, token),
        edit=edit,
    )


def results_buttons(found: SearchResults, scope: Scope, token: str) -> discord.ui.View:
    """Open for each hit; Previous and Next (in `scope`, the one asked for) when there are
    several pages; the offer to search the whole story when hits lie ahead."""
    story = found.story
    items: list[StoryButton] = [
        OpenHitButton(hit.number, story.id, token_of(story, hit.page)) for hit in found.hits
    ]
    if found.pages > 1:
        items += [
            ResultsButton(scope.value, max(found.page - 1, 0), story.id, token, kind="prev",
                          disabled=found.page == 0),
            ResultsButton(scope.value, found.page + 1, story.id, token, kind="next",
                          disabled=found.page + 1 >= found.pages),
        ]  # fmt: skip
    if found.ahead:
        items.append(ResultsButton(Scope.ALL.value, 0, story.id, token, kind="all"))
    return components(*items)


# --- the buttons -----------------------------------------------------------------------------

Kind = Literal["prev", "next", "all"]
LABELS: dict[Kind, str] = {"prev": "Previous", "next": "Next", "all": "Search the whole story"}
EMOJI: dict[Kind, str] = {"prev": "◀️", "next": "▶️", "all": "🔓"}


class ResultsButton(
    StoryButton, template=rf"sb:s:{_SCOPE}:(?P<page>[0-9]{{1,5}}):{STORY_RE}:{_QUERY}"
):
    """Previous, Next, or "Search the whole story": a page of results for whoever presses
    it (the results are private: the reader they were for), searched anew."""

    def __init__(
        self,
        scope: str,
        page: int,
        story_id: str,
        query: str,
        *,
        kind: Kind = "next",
        disabled: bool = False,
    ) -> None:
        self.scope = Scope(scope)
        self.page = page
        self.story_id = story_id
        self.query = query
        style = discord.ButtonStyle.primary if kind == "next" else discord.ButtonStyle.secondary
        super().__init__(
            "sb:s", scope, page, story_id, query,
            label=LABELS[kind], emoji=EMOJI[kind], style=style, disabled=disabled,
        )  # fmt: skip

    async def _run(self, interaction: Interaction) -> None:
        bot = interaction.client
        if not await within_limit(interaction, bot.cooldowns.pages, "turning pages"):
            return
        story = bot.services.reading.story(self.story_id)
        text = await query_of(interaction, self.query)
        if text is None:
            await reply(interaction, content=EXPIRED, followup=True)
            return
        await show_search(interaction, story, text, self.scope, self.page, edit=True)


class OpenHitButton(StoryButton, template=rf"sb:h:(?P<number>[0-9]{{1,6}}):{STORY_RE}:{PLACE_RE}"):
    """A hit's page, shown privately without moving the presser's place, with "Continue
    reading from here"; through the gate, as every page."""

    def __init__(self, number: str | int, story_id: str, place: str) -> None:
        self.number = int(number)
        self.story_id = story_id
        self.place = place
        super().__init__(
            "sb:h", self.number, story_id, place, label=f"Open {self.number}", emoji="📖"
        )

    async def _run(self, interaction: Interaction) -> None:
        bot = interaction.client
        if not await within_limit(interaction, bot.cooldowns.scenes, "opening pages"):
            return
        story = bot.services.reading.story(self.story_id)
        page, exact = page_of(story, self.place)
        where = place_label(story, page)
        changed = "" if exact else MOVED_NOTE
        title = fit_escaped(story.title, 200)
        note = f"Hit {self.number} is on {where} of **{title}**{changed}. {PEEK_NOTE}"
        await perform(interaction, story, "peek", page, note=note)


class SearchGateButton(
    GateButton,
    template=rf"sb:sg:(?P<step>age|warn|stop):{_SCOPE}:{STORY_RE}:{OWNER_RE}:{_QUERY}",
):
    """A gate prompt's answer before a search: on yes, the search goes on."""

    def __init__(self, step: Step, scope: str, story_id: str, owner_id: int, query: str) -> None:
        self.scope = Scope(scope)
        self.query = query
        super().__init__(step, story_id, owner_id, "sb:sg", step, scope, story_id, owner_id, query)

    async def resume(self, interaction: Interaction, story: Story) -> None:
        text = await query_of(interaction, self.query)
        if text is None:
            await reply(interaction, content=EXPIRED, edit=True)
            return
        await show_search(interaction, story, text, self.scope, edit=True)


SEARCH_BUTTONS = (ResultsButton, OpenHitButton, SearchGateButton)
"""Registered by the search cog."""
