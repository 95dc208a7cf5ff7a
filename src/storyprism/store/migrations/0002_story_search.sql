-- Schema 2: stories are found by the entities and outlets they involve without scanning every article.

CREATE TABLE story_entities (
    story     TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    canonical TEXT NOT NULL,
    mentions  INTEGER NOT NULL,
    PRIMARY KEY (story, canonical)
);
CREATE INDEX story_entities_by_name ON story_entities (canonical);

CREATE TABLE story_outlets (
    story  TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    outlet TEXT NOT NULL,
    PRIMARY KEY (story, outlet)
);
CREATE INDEX story_outlets_by_outlet ON story_outlets (outlet);

-- Backfilled like Store._touch_story fills them on ingest (unresolved names are not entities to filter by).
INSERT OR IGNORE INTO story_outlets (story, outlet)
    SELECT DISTINCT story, outlet FROM articles WHERE story IS NOT NULL AND outlet IS NOT NULL;
INSERT OR IGNORE INTO story_entities (story, canonical, mentions)
    SELECT a.story, e.canonical, COUNT(*) FROM entities e JOIN articles a ON a.id = e.article
    WHERE a.story IS NOT NULL AND e.type != 'UNRESOLVED' GROUP BY a.story, e.canonical;
