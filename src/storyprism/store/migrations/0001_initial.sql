-- storyprism store, schema 1. Every table an ingest run writes, with the raw input kept so that any stage
-- can be re-run (storyprism reanalyze). Spans are character offsets into articles.text.

CREATE TABLE documents (
    id        INTEGER PRIMARY KEY,
    hash      TEXT NOT NULL UNIQUE,          -- sha256 of the content: the same input twice is stored once
    source    TEXT NOT NULL,                 -- where it was first read (file, file#n, -)
    format    TEXT NOT NULL,                 -- text | html
    encoding  TEXT,
    url       TEXT,
    content   TEXT NOT NULL,                 -- the decoded input, as read
    meta      TEXT NOT NULL DEFAULT '{}',    -- JSON: id, title, outlet, published, fetched given by the input
    added     TEXT NOT NULL
);

CREATE TABLE stories (
    id                  TEXT PRIMARY KEY,
    title               TEXT,
    start               TEXT,
    end_                TEXT,
    articles            INTEGER NOT NULL DEFAULT 0,
    outlets             TEXT NOT NULL DEFAULT '[]',   -- JSON list
    independent_origins INTEGER NOT NULL DEFAULT 0,   -- distinct origins over the story's shared claims
    comparison          TEXT,                         -- JSON of the compare stage's Comparison
    dirty               INTEGER NOT NULL DEFAULT 1,   -- members changed since the comparison was computed
    updated             TEXT
);
CREATE INDEX stories_by_end ON stories (end_ DESC, id DESC);

CREATE TABLE articles (
    id            TEXT PRIMARY KEY,
    document      INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    source        TEXT NOT NULL,
    outlet        TEXT,
    title         TEXT,
    published     TEXT,
    language      TEXT,
    genre         TEXT,
    text          TEXT NOT NULL,
    analysis      TEXT NOT NULL,               -- JSON of AnalyzedArticle.to_dict(): what the compare stage reads
    analyzed_with TEXT NOT NULL,               -- storyprism version and spaCy model
    story         TEXT REFERENCES stories (id) ON DELETE SET NULL,
    duplicate_of  TEXT,
    reused        REAL NOT NULL DEFAULT 0,
    nearest       TEXT,
    score         REAL NOT NULL DEFAULT 0,
    seq           INTEGER NOT NULL,            -- arrival order in the clustering
    added         TEXT NOT NULL
);
CREATE INDEX articles_by_document ON articles (document);
CREATE INDEX articles_by_story ON articles (story, published);
CREATE INDEX articles_by_outlet ON articles (outlet, published);
CREATE UNIQUE INDEX articles_by_seq ON articles (seq);

CREATE TABLE sentences (
    article TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx     INTEGER NOT NULL,
    start   INTEGER NOT NULL,
    end_    INTEGER NOT NULL,
    kind    TEXT NOT NULL,
    text    TEXT NOT NULL,
    PRIMARY KEY (article, idx)
);

CREATE TABLE entities (
    id        INTEGER PRIMARY KEY,
    article   TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    canonical TEXT NOT NULL,
    type      TEXT NOT NULL,
    key       TEXT NOT NULL
);
CREATE INDEX entities_by_article ON entities (article);

CREATE TABLE mentions (
    entity   INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    text     TEXT NOT NULL,
    start    INTEGER NOT NULL,
    end_     INTEGER NOT NULL,
    sentence INTEGER NOT NULL,
    kind     TEXT NOT NULL
);
CREATE INDEX mentions_by_entity ON mentions (entity);

CREATE TABLE attributions (
    id            INTEGER PRIMARY KEY,
    article       TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    parent        INTEGER REFERENCES attributions (id) ON DELETE CASCADE,  -- the attribution relaying this one
    sentence      INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    source        TEXT,
    source_start  INTEGER,
    source_end    INTEGER,
    cue           TEXT NOT NULL,
    cue_start     INTEGER NOT NULL,
    cue_end       INTEGER NOT NULL,
    content       TEXT,
    content_start INTEGER,
    content_end   INTEGER
);
CREATE INDEX attributions_by_article ON attributions (article);

CREATE TABLE framing (
    article  TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    category TEXT NOT NULL,
    term     TEXT NOT NULL,
    sentence INTEGER NOT NULL,
    start    INTEGER NOT NULL,
    end_     INTEGER NOT NULL
);
CREATE INDEX framing_by_article ON framing (article);

CREATE TABLE claims (
    id                  INTEGER PRIMARY KEY,
    story               TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    claim               TEXT NOT NULL,     -- the claim group's id within its story (c1, c2, ...)
    text                TEXT NOT NULL,
    outlets             TEXT NOT NULL,     -- JSON list
    independent_origins INTEGER NOT NULL,
    origins             TEXT NOT NULL      -- JSON list of origins with their reasons
);
CREATE INDEX claims_by_story ON claims (story);

CREATE TABLE claim_support (
    claim    INTEGER NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    article  TEXT NOT NULL,
    sentence INTEGER NOT NULL,
    text     TEXT NOT NULL
);
CREATE INDEX claim_support_by_claim ON claim_support (claim);

CREATE TABLE ingest_ledger (
    id       INTEGER PRIMARY KEY,
    run      TEXT NOT NULL,
    at       TEXT NOT NULL,
    source   TEXT NOT NULL,
    document INTEGER REFERENCES documents (id) ON DELETE SET NULL,
    article  TEXT,
    status   TEXT NOT NULL,   -- stored | already_stored | skipped
    reason   TEXT
);
CREATE INDEX ingest_ledger_by_run ON ingest_ledger (run);

CREATE TABLE cluster_state (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    state TEXT NOT NULL,      -- JSON of ClusterState
    seq   INTEGER NOT NULL,   -- the articles up to this arrival number are in the state
    saved TEXT NOT NULL
);

-- Full-text search over articles (title, outlet, text), kept in step by triggers.
CREATE VIRTUAL TABLE articles_fts USING fts5 (title, outlet, text, content = 'articles', content_rowid = 'rowid');
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, outlet, text) VALUES (new.rowid, new.title, new.outlet, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, outlet, text) VALUES ('delete', old.rowid, old.title, old.outlet, old.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, outlet, text ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, outlet, text) VALUES ('delete', old.rowid, old.title, old.outlet, old.text);
    INSERT INTO articles_fts (rowid, title, outlet, text) VALUES (new.rowid, new.title, new.outlet, new.text);
END;
