-- Read-alongs: a channel reads a story together, a part on each scheduled day. One read-along
-- per channel. `next_part` is the number of the part to post next and `next_due_at` when
-- (NULL once the story is done); claiming a part is a compare-and-set on both, so a part is
-- posted once however many processes look. `paused_reason` set: paused, and why.
-- `weekdays` holds the days as digits, Monday 0 to Sunday 6 ('0123456': every day).

CREATE TABLE readalongs (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id       INTEGER NOT NULL,
    channel_id     INTEGER NOT NULL UNIQUE,
    story_id       TEXT    NOT NULL,
    part_rule      TEXT    NOT NULL,
    local_time     TEXT    NOT NULL CHECK (length(local_time) = 5),
    timezone       TEXT    NOT NULL,
    weekdays       TEXT    NOT NULL CHECK (length(weekdays) BETWEEN 1 AND 7),
    role_id        INTEGER,
    created_by     INTEGER,
    created_at     TEXT    NOT NULL,
    next_part      INTEGER NOT NULL CHECK (next_part >= 1),
    next_due_at    TEXT,
    last_posted_at TEXT,
    paused_reason  TEXT
);

CREATE INDEX readalongs_by_guild ON readalongs (guild_id);
CREATE INDEX readalongs_by_due ON readalongs (next_due_at);

-- Each part claimed: when it was due and claimed, and (once Discord took it) its post and
-- discussion thread. A claim without a message is a post that may not have happened.
CREATE TABLE readalong_posts (
    readalong_id INTEGER NOT NULL REFERENCES readalongs (id) ON DELETE CASCADE,
    part         INTEGER NOT NULL CHECK (part >= 1),
    due_at       TEXT    NOT NULL,
    claimed_at   TEXT    NOT NULL,
    message_id   INTEGER,
    thread_id    INTEGER,
    PRIMARY KEY (readalong_id, part)
);
