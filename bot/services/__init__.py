"""The reading logic, over a `Storage` and the current library. Knows nothing of Discord.

`build_services` builds every service once; `__main__` (and the preview, the tests and the
benchmarks) hand the result to the bot, as discord.py's `advanced_startup.py` hands its
resources over.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from bot.library.library import Library
from bot.library.loader import load_library
from bot.services.access import AccessService
from bot.services.admin import AdminService, Loader
from bot.services.bookmarks import BookmarkService
from bot.services.holder import LibraryHolder
from bot.services.places import PlacesService
from bot.services.quotes import QuoteService
from bot.services.readalong import ReadAlongService
from bot.services.reading import ReadingService
from bot.services.search import SearchService
from bot.services.userdata import UserDataService
from bot.storage.interface import Storage


@dataclass(frozen=True, slots=True)
class Services:
    """Every service of the bot, built once over one store and one library holder."""

    library: LibraryHolder
    reading: ReadingService
    access: AccessService
    quotes: QuoteService
    bookmarks: BookmarkService
    places: PlacesService
    admin: AdminService
    userdata: UserDataService
    readalongs: ReadAlongService
    search: SearchService

    async def close(self) -> None:
        """Stop the services' background work (the quotes being found, the search index)."""
        await self.quotes.close()
        await self.search.close()


def build_services(
    store: Storage,
    library: Library,
    *,
    rng: random.Random | None = None,
    loader: Loader = load_library,
) -> Services:
    """The services over `store`, serving `library` until a reload swaps it.

    `rng` picks quotes (a seeded one makes tests repeatable); `loader` reads the texts folder
    on `/admin reload`.
    """
    holder = LibraryHolder(library)
    reading = ReadingService(store, holder)
    quotes = QuoteService(store, holder, rng or random.Random())
    places = PlacesService(store)
    search = SearchService(store, holder)
    return Services(
        library=holder,
        reading=reading,
        access=AccessService(store),
        quotes=quotes,
        bookmarks=BookmarkService(store, reading),
        places=places,
        admin=AdminService(holder, quotes, places, loader, search=search),
        userdata=UserDataService(store),
        readalongs=ReadAlongService(store, holder),
        search=search,
    )
