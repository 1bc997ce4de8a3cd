-- As SQLite's 0002_anchors.sql: places become anchors (scene, paragraph, char_offset,
-- snippet); rows saved before keep their page until the bot moves them; a CHECK keeps every
-- row one or the other. Also erasures, texts, and storybot_may_write.

ALTER TABLE positions
    ALTER COLUMN page DROP NOT NULL,
    ADD COLUMN paragraph   integer CHECK (paragraph >= 0),
    ADD COLUMN char_offset integer CHECK (char_offset >= 0),
    ADD COLUMN snippet     text,
    ADD CONSTRAINT positions_place_shape CHECK (
        (page IS NOT NULL AND paragraph IS NULL AND char_offset IS NULL AND snippet IS NULL)
        OR (page IS NULL AND paragraph IS NOT NULL AND char_offset IS NOT NULL
            AND snippet IS NOT NULL)
    );

ALTER TABLE bookmarks
    ALTER COLUMN page DROP NOT NULL,
    ADD COLUMN paragraph   integer CHECK (paragraph >= 0),
    ADD COLUMN char_offset integer CHECK (char_offset >= 0),
    ADD COLUMN snippet     text,
    ADD CONSTRAINT bookmarks_place_shape CHECK (
        (page IS NOT NULL AND paragraph IS NULL AND char_offset IS NULL AND snippet IS NULL)
        OR (page IS NULL AND paragraph IS NOT NULL AND char_offset IS NOT NULL
            AND snippet IS NOT NULL)
    );

CREATE INDEX bookmarks_by_story ON bookmarks (story_id);

CREATE TABLE erasures (
    user_id   bigint      PRIMARY KEY,
    erased_at timestamptz NOT NULL
);

CREATE TABLE texts (
    story_id text PRIMARY KEY,
    digest   text NOT NULL
);

-- May a write asked for at `asked_at` on behalf of `writer` go ahead? Not when the user's
-- data was erased since. The shared advisory lock (the user's id, held to the end of the
-- writing transaction) meets delete_user's exclusive one, so a write and an erasure of the
-- same user never overlap. VOLATILE matters: under READ COMMITTED the query below then sees
-- an erasure committed while this waited for the lock, which the calling statement's own
-- snapshot, taken before the wait, would not.
CREATE FUNCTION storybot_may_write(writer bigint, asked_at timestamptz) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(writer);
    RETURN NOT EXISTS (
        SELECT 1 FROM erasures WHERE user_id = writer AND erased_at >= asked_at
    );
END
$$;
