-- Search. The index is derived from the texts: at start and on /admin reload each story whose
-- text changed is indexed anew and a story no longer served is dropped (`SearchService.sync`),
-- so `db copy` leaves it out and the target builds its own.

-- The texts indexed: `digest` names the version of the text (and of the indexing) the index
-- holds; `id` numbers the story's rows of search_paragraphs.
CREATE TABLE search_texts (
    id       INTEGER PRIMARY KEY,
    story_id TEXT    NOT NULL UNIQUE,
    digest   TEXT    NOT NULL
);

-- A row per paragraph, `words` its `index_text` (folded words one space apart, which this
-- tokenizer, FTS5_TOKENIZE, only splits at the spaces). rowid = text id << 43 | scene << 22 |
-- paragraph: a story is one rowid range, in reading order, so what a reader has read is a
-- range FTS5 seeks in. Prefixes of 2 and 3 letters are indexed (`ro*`, `ros*`).
CREATE VIRTUAL TABLE search_paragraphs USING fts5(
    words,
    tokenize = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'",
    prefix = '2 3'
);

-- Queries too long for a button's custom_id, which carries their id instead (a digest of
-- the query). Forgotten 30 days after the last search that kept them; who typed them is not
-- kept.
CREATE TABLE search_queries (
    id      TEXT PRIMARY KEY,
    query   TEXT NOT NULL,
    used_at TEXT NOT NULL
);

CREATE INDEX search_queries_by_use ON search_queries (used_at);
