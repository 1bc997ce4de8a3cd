-- Reading positions, bookmarks, quotes already shown, bot-wide values and per-user flags.
-- Times are ISO 8601 UTC text with microseconds, so they also sort as text.
-- Migration files must not hold BEGIN/COMMIT: the runner applies all pending ones in one
-- transaction and sets PRAGMA user_version itself.

CREATE TABLE positions (
    user_id    INTEGER NOT NULL,
    story_id   TEXT    NOT NULL,
    scene      INTEGER NOT NULL CHECK (scene >= 0),
    page       INTEGER NOT NULL CHECK (page >= 0),
    updated_at TEXT    NOT NULL,
    notice     TEXT,
    PRIMARY KEY (user_id, story_id)
);

-- Finding every reader of a story, e.g. to move them when the story gets shorter.
CREATE INDEX positions_by_story ON positions (story_id);

CREATE TABLE bookmarks (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL,
    story_id   TEXT    NOT NULL,
    scene      INTEGER NOT NULL CHECK (scene >= 0),
    page       INTEGER NOT NULL CHECK (page >= 0),
    note       TEXT    CHECK (note IS NULL OR length(note) <= 100),
    created_at TEXT    NOT NULL
);

CREATE INDEX bookmarks_by_reader ON bookmarks (user_id, story_id);

CREATE TABLE seen_quotes (
    user_id  INTEGER NOT NULL,
    story_id TEXT    NOT NULL,
    quote_id TEXT    NOT NULL,
    PRIMARY KEY (user_id, story_id, quote_id)
) WITHOUT ROWID;

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE user_flags (
    user_id INTEGER NOT NULL,
    flag    TEXT    NOT NULL,
    value   TEXT    NOT NULL,
    PRIMARY KEY (user_id, flag)
);
