-- As SQLite's 0003_readalongs.sql: read-alongs, and the parts each has claimed and posted.

CREATE TABLE readalongs (
    id             bigserial   PRIMARY KEY,
    guild_id       bigint      NOT NULL,
    channel_id     bigint      NOT NULL UNIQUE,
    story_id       text        NOT NULL,
    part_rule      text        NOT NULL,
    local_time     text        NOT NULL CHECK (length(local_time) = 5),
    timezone       text        NOT NULL,
    weekdays       text        NOT NULL CHECK (length(weekdays) BETWEEN 1 AND 7),
    role_id        bigint,
    created_by     bigint,
    created_at     timestamptz NOT NULL,
    next_part      integer     NOT NULL CHECK (next_part >= 1),
    next_due_at    timestamptz,
    last_posted_at timestamptz,
    paused_reason  text
);

CREATE INDEX readalongs_by_guild ON readalongs (guild_id);
CREATE INDEX readalongs_by_due ON readalongs (next_due_at);

CREATE TABLE readalong_posts (
    readalong_id bigint      NOT NULL REFERENCES readalongs (id) ON DELETE CASCADE,
    part         integer     NOT NULL CHECK (part >= 1),
    due_at       timestamptz NOT NULL,
    claimed_at   timestamptz NOT NULL,
    message_id   bigint,
    thread_id    bigint,
    PRIMARY KEY (readalong_id, part)
);
