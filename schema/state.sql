-- Sieve's own state (<state-dir>/state.sqlite), never the Zotero database.
-- Versioned migrations: each "-- migration N" section runs once, in order, inside a transaction,
-- and sets PRAGMA user_version = N. Never edit a released section: append a new one.

-- migration 1
-- Judgments already made, so an unchanged item is not judged again by the same model + criteria.
CREATE TABLE judgments (
    library_id       INTEGER NOT NULL,
    item_key         TEXT    NOT NULL,
    content_hash     TEXT    NOT NULL, -- hash of the metadata the judgment was made from
    model_version    TEXT    NOT NULL,
    criteria_version TEXT    NOT NULL,
    judgment_json    TEXT    NOT NULL, -- as returned by /v1/classify
    created_at       INTEGER NOT NULL, -- unix seconds
    PRIMARY KEY (library_id, item_key, content_hash, model_version, criteria_version)
) WITHOUT ROWID;

-- Child notes Sieve has seen intact on an item: identifies them even after Zotero's editor
-- rewrites their markup, and says what Sieve last wrote (hash of the note HTML).
CREATE TABLE notes_written (
    library_id INTEGER NOT NULL,
    item_key   TEXT    NOT NULL,
    note_key   TEXT    NOT NULL,
    html_hash  TEXT    NOT NULL,
    seen_at    INTEGER NOT NULL,
    PRIMARY KEY (library_id, item_key, note_key)
) WITHOUT ROWID;

-- The user's corrections, for evaluation and training.
CREATE TABLE feedback (
    id               INTEGER PRIMARY KEY,
    library_id       INTEGER,          -- null for items identified by id only
    item_key         TEXT,
    item_id          TEXT,
    verdict          TEXT    NOT NULL CHECK (verdict IN ('relevant', 'application', 'irrelevant')),
    topics_json      TEXT    NOT NULL, -- JSON array of topic names
    comment          TEXT    NOT NULL DEFAULT '',
    title            TEXT    NOT NULL DEFAULT '',
    abstract         TEXT    NOT NULL DEFAULT '',
    criteria_version TEXT,
    created_at       INTEGER NOT NULL
);
CREATE INDEX feedback_item ON feedback (library_id, item_key);

-- migration 2
-- Bulk jobs (POST /v1/jobs). Items are judged in (library_id, item_key) order; `cursor_*` is the
-- last item whose results are stored, so a job interrupted by a crash resumes after it.
CREATE TABLE jobs (
    id               INTEGER PRIMARY KEY,
    scope_json       TEXT    NOT NULL, -- the request body, as given
    tag_type         INTEGER NOT NULL DEFAULT 1,
    state            TEXT    NOT NULL CHECK (state IN ('running', 'done', 'cancelled', 'failed')),
    error            TEXT,
    model_version    TEXT    NOT NULL,
    criteria_version TEXT    NOT NULL,
    total            INTEGER NOT NULL,
    done             INTEGER NOT NULL DEFAULT 0,
    counts_json      TEXT    NOT NULL DEFAULT '{}', -- per verdict and topic, changes, user_edited, ...
    cursor_library   INTEGER,          -- null: nothing stored yet
    cursor_key       TEXT,
    plan_entries     INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    finished_at      INTEGER
);

-- The plan entries of a job, in the order they were stored (seq 1, 2, ...).
CREATE TABLE job_plan (
    job_id     INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    entry_json TEXT    NOT NULL, -- {"seq","libraryID","key","verdict","topics","plan"}
    PRIMARY KEY (job_id, seq)
); -- a rowid table: entries are hundreds of bytes, too large for WITHOUT ROWID to pay off

-- migration 3
-- The optional LLM judge (docs/llm-judge.md). Self-contained: new tables only.
-- LLM judgments by paper content, criteria version and LLM model: no paper is sent twice. The
-- JSON holds verdict, topics, score, confidence, reason and evidence (field, offsets, quote,
-- criteria line number); the note is rebuilt from it.
CREATE TABLE llm_judgments (
    content_hash     TEXT    NOT NULL, -- hash of the metadata the LLM saw
    criteria_version TEXT    NOT NULL,
    llm_model        TEXT    NOT NULL,
    judgment_json    TEXT    NOT NULL,
    created_at       INTEGER NOT NULL, -- unix seconds
    PRIMARY KEY (content_hash, criteria_version, llm_model)
) WITHOUT ROWID;

-- Tokens the LLM server reported (or Sieve estimated) per UTC day: the --llm-daily-tokens budget.
CREATE TABLE llm_usage (
    day               TEXT    NOT NULL PRIMARY KEY, -- YYYY-MM-DD, UTC
    prompt_tokens     INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    requests          INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- migration 4
-- The judgment cache as a rowid table: its rows (the judgment JSON, about a kilobyte) are too
-- large for a WITHOUT ROWID table, which made bulk jobs slow to store. It is a cache: the old
-- rows are dropped, and items are judged again once.
DROP TABLE judgments;
CREATE TABLE judgments (
    library_id       INTEGER NOT NULL,
    item_key         TEXT    NOT NULL,
    content_hash     TEXT    NOT NULL, -- hash of the metadata the judgment was made from
    model_version    TEXT    NOT NULL,
    criteria_version TEXT    NOT NULL,
    judgment_json    TEXT    NOT NULL, -- as returned by /v1/classify
    created_at       INTEGER NOT NULL, -- unix seconds
    PRIMARY KEY (library_id, item_key, content_hash, model_version, criteria_version)
);

-- migration 5
-- The personal layer (docs/classifier.md, "Personal layer"). A correction can be withdrawn: its
-- row stays (nothing of the user's is lost) and is no longer learned from. The layer learned
-- from the active corrections is kept between runs; `fingerprint` names the corrections and
-- criteria it was learned from, so a layer left behind by a crash is learned again, and a
-- damaged one (its text is hash-checked) is rebuilt from the corrections, never served.
ALTER TABLE feedback ADD COLUMN withdrawn_at INTEGER; -- unix seconds; null: active
CREATE TABLE personal_layer (
    id          INTEGER PRIMARY KEY CHECK (id = 1), -- one row at most
    fingerprint TEXT    NOT NULL,
    corrections INTEGER NOT NULL, -- the active corrections it was learned from
    layer_text  TEXT    NOT NULL, -- classifier/personal.hpp's text form
    agreement   REAL,             -- cross-validated agreement with the corrections; null: < 2
    trained_at  INTEGER NOT NULL  -- unix seconds
);
