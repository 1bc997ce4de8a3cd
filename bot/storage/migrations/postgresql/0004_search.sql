-- As SQLite's 0004_search.sql: the search index (derived from the texts, rebuilt when they
-- change) and the queries too long for a button. A paragraph's `words` is the tsvector of
-- `tsvector_text(paragraph)`, so that the server's parser plays no part. A search reads one
-- story's rows through the primary key and tests each (a few milliseconds for War and Peace):
-- a GIN index would cost more to keep than it saves within a story.

CREATE TABLE search_texts (
    story_id text PRIMARY KEY,
    digest   text NOT NULL
);

CREATE TABLE search_paragraphs (
    story_id   text     NOT NULL REFERENCES search_texts (story_id) ON DELETE CASCADE,
    scene      integer  NOT NULL,
    paragraph  integer  NOT NULL,
    words      tsvector NOT NULL,
    -- Only where PostgreSQL would lose positions (256 of a word, none past 16,383): the
    -- paragraph's index text, searched as a string instead (see postgres_search.py)
    index_text text,
    PRIMARY KEY (story_id, scene, paragraph)
);

CREATE TABLE search_queries (
    id      text        PRIMARY KEY,
    query   text        NOT NULL,
    used_at timestamptz NOT NULL
);

CREATE INDEX search_queries_by_use ON search_queries (used_at);
