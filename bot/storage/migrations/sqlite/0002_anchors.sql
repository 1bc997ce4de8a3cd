-- Places become anchors in the text: (scene, paragraph, char_offset, snippet). Rows saved
-- before keep their page (a page place: page set, anchor columns NULL) until the bot, with
-- the texts at hand, moves them to anchors; a CHECK keeps every row one or the other.
-- Also: erasures (a user's data deletion, remembered for a while so that a write asked for
-- before it writes nothing) and texts (the digest of each story's text last reconciled).
-- SQLite cannot add a CHECK to a table, so positions and bookmarks are rebuilt.

CREATE TABLE positions_v2 (
    user_id     INTEGER NOT NULL,
    story_id    TEXT    NOT NULL,
    scene       INTEGER NOT NULL CHECK (scene >= 0),
    page        INTEGER CHECK (page >= 0),
    paragraph   INTEGER CHECK (paragraph >= 0),
    char_offset INTEGER CHECK (char_offset >= 0),
    snippet     TEXT,
    updated_at  TEXT    NOT NULL,
    notice      TEXT,
    PRIMARY KEY (user_id, story_id),
    CHECK (
        (page IS NOT NULL AND paragraph IS NULL AND char_offset IS NULL AND snippet IS NULL)
        OR (page IS NULL AND paragraph IS NOT NULL AND char_offset IS NOT NULL
            AND snippet IS NOT NULL)
    )
);

INSERT INTO positions_v2 (user_id, story_id, scene, page, updated_at, notice)
    SELECT user_id, story_id, scene, page, updated_at, notice FROM positions;
DROP TABLE positions;
ALTER TABLE positions_v2 RENAME TO positions;
CREATE INDEX positions_by_story ON positions (story_id);

CREATE TABLE bookmarks_v2 (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL,
    story_id    TEXT    NOT NULL,
    scene       INTEGER NOT NULL CHECK (scene >= 0),
    page        INTEGER CHECK (page >= 0),
    paragraph   INTEGER CHECK (paragraph >= 0),
    char_offset INTEGER CHECK (char_offset >= 0),
    snippet     TEXT,
    note        TEXT    CHECK (note IS NULL OR length(note) <= 100),
    created_at  TEXT    NOT NULL,
    CHECK (
        (page IS NOT NULL AND paragraph IS NULL AND char_offset IS NULL AND snippet IS NULL)
        OR (page IS NULL AND paragraph IS NOT NULL AND char_offset IS NOT NULL
            AND snippet IS NOT NULL)
    )
);

INSERT INTO bookmarks_v2 (id, user_id, story_id, scene, page, note, created_at)
    SELECT id, user_id, story_id, scene, page, note, created_at FROM bookmarks;
-- Ids are never reused (an old button names a bookmark by id): keep the counter as it was.
DELETE FROM sqlite_sequence WHERE name = 'bookmarks_v2';
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'bookmarks_v2', seq FROM sqlite_sequence WHERE name = 'bookmarks';
DROP TABLE bookmarks;
ALTER TABLE bookmarks_v2 RENAME TO bookmarks;
CREATE INDEX bookmarks_by_reader ON bookmarks (user_id, story_id);
CREATE INDEX bookmarks_by_story ON bookmarks (story_id);

CREATE TABLE erasures (
    user_id   INTEGER PRIMARY KEY,
    erased_at TEXT    NOT NULL
);

CREATE TABLE texts (
    story_id TEXT PRIMARY KEY,
    digest   TEXT NOT NULL
);
