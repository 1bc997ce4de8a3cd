"""All of the bot's SQL: what readers do (places, bookmarks, quotes seen, confirmations) and
bot-wide values, behind one small interface (`interface.Storage`) with two backends: SQLite
(`sqlite.py`, the embedded default) and PostgreSQL (`postgres.py`, for shards in several
processes). `url.open_storage(DATABASE_URL)` opens the one the settings name.
"""
