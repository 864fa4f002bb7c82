//! The cache's schema and its migrations, keyed on `PRAGMA user_version`.
//!
//! Each migration runs in one transaction together with the bump of `user_version`, so a crash
//! leaves the file at the old version or the new one. Opening an empty file runs them all.
//!
//! Layout choices, each for a hot path:
//! - `items` holds only small metadata; bodies live in `item_bodies`, so headline lists and
//!   index lookups never page through megabytes of HTML, and flipping `read` rewrites a small row.
//! - Bodies are the raw content as received, LZ4-compressed when long (see `body.rs`).
//! - `items.hash` is a digest of everything the feed said about an item, so a refetch of an
//!   unchanged feed costs one index lookup per item and writes nothing.
//! - Every headline list is served by an index whose last column is `sort_time` (the rowid `id`
//!   follows implicitly), so "newest N" walks N index entries and never sorts.
//! - New items are unread and not starred; the starred index is partial (`WHERE starred = 1`)
//!   so storing them does not touch it. A first refresh inserts at random places in the other
//!   global time indexes, so every commit rewrites many of their leaf pages; hence
//!   `Store::store_feed_updates`, which stores the feeds that are ready together in one commit.
//! - Per-feed counters (`item_count`, `unread_count`, `starred_count`) are kept by triggers, so
//!   every write path (upsert, mark read, retention, removal) keeps them right.
//! - Retention deletes the row and leaves `(feed_id, key)` in `tombstones`, so an expired item the
//!   feed still lists is not stored again as unread.
//! - `item_fts` is a contentless FTS5 table (`content=''`, `contentless_delete=1`): the source of
//!   truth is the raw body, so the stripped text is not kept twice; `detail=none` keeps only which
//!   rows hold a term. Measured on 5,000 documents of ~4 KB: `detail=full` made an index 8x the
//!   size of `detail=none` (5.4 MB against 0.65 MB; `detail=column` 1.1 MB) at about the same
//!   insert speed (tokenizing dominates), and a news reader needs neither phrase nor NEAR queries.
//!   The price of `none` is no multi-token phrases, so the query builder (see `search.rs`) splits
//!   the user's words into single tokens, each quoted and ANDed.
//!   New and changed items wait in `fts_pending` until `Store::index_pending` indexes them.

use rusqlite::{Connection, Transaction};

/// The newest schema version this build knows: one per migration.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Migration `n` (1-based) brings the schema from version `n - 1` to `n`.
const MIGRATIONS: &[&str] = &[
    V1, V2, V3, V4, V5, V6, V7, V8, V9, V10, V11, V12, V13, V14, V15, V16, V17, V18,
];

const V1: &str = r#"
CREATE TABLE feeds (
    id               INTEGER PRIMARY KEY,
    url              TEXT NOT NULL UNIQUE,
    user_title       TEXT,
    feed_title       TEXT,
    site_link        TEXT,
    item_count       INTEGER NOT NULL DEFAULT 0,
    unread_count     INTEGER NOT NULL DEFAULT 0,
    starred_count    INTEGER NOT NULL DEFAULT 0,
    last_success     INTEGER,
    last_checked     INTEGER,
    last_error       TEXT,
    etag             TEXT,
    last_modified    TEXT,
    retry_not_before INTEGER
);

CREATE TABLE feed_tags (
    tag     TEXT NOT NULL,
    feed_id INTEGER NOT NULL,
    PRIMARY KEY (tag, feed_id)
) WITHOUT ROWID;
CREATE INDEX feed_tags_feed ON feed_tags(feed_id);

CREATE TABLE items (
    id         INTEGER PRIMARY KEY,
    feed_id    INTEGER NOT NULL,
    key        TEXT NOT NULL,
    hash       INTEGER NOT NULL,
    sort_time  INTEGER NOT NULL,
    first_seen INTEGER NOT NULL,
    published  INTEGER,
    read       INTEGER NOT NULL DEFAULT 0,
    starred    INTEGER NOT NULL DEFAULT 0,
    indexed    INTEGER NOT NULL DEFAULT 0,
    title      TEXT NOT NULL,
    link       TEXT,
    guid       TEXT,
    author     TEXT
);
CREATE UNIQUE INDEX items_feed_key ON items(feed_id, key);
CREATE INDEX items_time ON items(sort_time);
CREATE INDEX items_read_time ON items(read, sort_time);
CREATE INDEX items_starred_time ON items(sort_time) WHERE starred = 1;
CREATE INDEX items_feed_time ON items(feed_id, sort_time);
CREATE INDEX items_feed_read_time ON items(feed_id, read, sort_time);

CREATE TABLE item_bodies (
    item_id      INTEGER PRIMARY KEY,
    content_kind TEXT NOT NULL,
    base         TEXT,
    enclosures   TEXT,
    codec        INTEGER NOT NULL DEFAULT 0,
    content      BLOB NOT NULL
);

CREATE TABLE tombstones (
    feed_id INTEGER NOT NULL,
    key     TEXT NOT NULL,
    PRIMARY KEY (feed_id, key)
) WITHOUT ROWID;

CREATE TABLE fts_pending (item_id INTEGER PRIMARY KEY);

CREATE VIRTUAL TABLE item_fts USING fts5(
    title, body,
    content = '', contentless_delete = 1, detail = none,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER items_counts_insert AFTER INSERT ON items BEGIN
    UPDATE feeds SET item_count = item_count + 1,
                     unread_count = unread_count + (new.read = 0),
                     starred_count = starred_count + (new.starred <> 0)
    WHERE id = new.feed_id;
END;
CREATE TRIGGER items_counts_delete AFTER DELETE ON items BEGIN
    UPDATE feeds SET item_count = item_count - 1,
                     unread_count = unread_count - (old.read = 0),
                     starred_count = starred_count - (old.starred <> 0)
    WHERE id = old.feed_id;
    DELETE FROM item_bodies WHERE item_id = old.id;
    DELETE FROM fts_pending WHERE item_id = old.id;
END;
CREATE TRIGGER items_counts_flags AFTER UPDATE OF read, starred ON items
WHEN (old.read = 0) <> (new.read = 0) OR (old.starred <> 0) <> (new.starred <> 0) BEGIN
    UPDATE feeds SET unread_count = unread_count + (new.read = 0) - (old.read = 0),
                     starred_count = starred_count + (new.starred <> 0) - (old.starred <> 0)
    WHERE id = new.feed_id;
END;
"#;

/// Deduplication statistics (see `dedup_stats.rs`): one fingerprint blob per item, and one
/// aggregate blob per feed over its newest items.
const V2: &str = r#"
CREATE TABLE item_fingerprints (
    item_id  INTEGER PRIMARY KEY,
    feed_id  INTEGER NOT NULL,
    in_stats INTEGER NOT NULL DEFAULT 0,
    hashes   BLOB NOT NULL
);
CREATE INDEX item_fingerprints_feed ON item_fingerprints(feed_id, in_stats);

CREATE TABLE feed_stats (
    feed_id INTEGER PRIMARY KEY,
    items   INTEGER NOT NULL,
    counts  BLOB NOT NULL
);

CREATE TRIGGER feeds_dedup_stats_delete AFTER DELETE ON feeds BEGIN
    DELETE FROM item_fingerprints WHERE feed_id = old.id;
    DELETE FROM feed_stats WHERE feed_id = old.id;
END;
"#;

/// Stories across feeds (see `stories.rs`): `items.story` is the id of the item, in another feed,
/// that leads the story this item repeats (`NULL` for an item that leads its own). The views that
/// show one item per story walk `items_lead_*`, partial indexes of the leaders in list order, so
/// they stay index-only like the others; `items_story` finds a leader's copies. `story_keys`
/// holds each item's link and guid keys and MinHash band hashes (the candidates for a new item),
/// `story_sigs` what confirms a body match. Items stored without their digests wait in
/// `digest_pending` (see `digests.rs`), as items wait in `fts_pending` for the search index. Deleting a leader makes its copies lead themselves
/// again: a story may then show twice, but nothing is ever hidden behind a missing item.
const V3: &str = r#"
ALTER TABLE items ADD COLUMN story INTEGER;
CREATE INDEX items_story ON items(story, read) WHERE story IS NOT NULL;
CREATE INDEX items_lead_time ON items(sort_time) WHERE story IS NULL;
CREATE INDEX items_lead_read_time ON items(read, sort_time) WHERE story IS NULL;

CREATE TABLE story_keys (
    key     INTEGER NOT NULL,
    item_id INTEGER NOT NULL,
    PRIMARY KEY (key, item_id)
) WITHOUT ROWID;

CREATE TABLE story_sigs (
    item_id     INTEGER PRIMARY KEY,
    title_words BLOB NOT NULL,
    signature   BLOB NOT NULL
);

CREATE TABLE digest_pending (
    item_id INTEGER PRIMARY KEY,
    is_new  INTEGER NOT NULL
);

CREATE TRIGGER items_story_delete AFTER DELETE ON items BEGIN
    UPDATE items SET story = NULL WHERE story = old.id;
    DELETE FROM story_sigs WHERE item_id = old.id;
    DELETE FROM digest_pending WHERE item_id = old.id;
END;
"#;

/// What is kept about an item goes with it, and its id is never given again.
///
/// - `items_owned_delete` deletes an item's story keys, its search row and (once the feed's
///   statistics no longer count it, see `dedup_stats.rs`) its fingerprint with the item, whatever
///   deletes it; `story_keys_item` finds the keys (since V17, the list in `story_key_lists`).
///   Versions 1 to 3 left story keys behind, and since SQLite gives a new row the highest id plus
///   one, a new item could take a deleted item's id and with it the keys of an old story (and
///   then hide behind that story's leader).
/// - `store_meta` holds small named numbers: `item_id_high`, the highest item id ever given (a
///   delete raises it; the insert takes the larger of it and the highest present id, plus one),
///   so ids are never reused without rebuilding `items` with AUTOINCREMENT; and `digest_version`,
///   the format of the stored digests (see `digests.rs`), 1 for what earlier versions stored.
/// - `tombstones.seen` is when the feed last listed the key (see `retention.rs`).
/// - Orphans that earlier versions left are deleted, after the high mark has noted their ids.
const V4: &str = r#"
CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO store_meta (key, value) VALUES ('digest_version', 1);
INSERT INTO store_meta (key, value) SELECT 'item_id_high', max(
    COALESCE((SELECT max(id) FROM items), 0),
    COALESCE((SELECT max(item_id) FROM story_keys), 0),
    COALESCE((SELECT max(item_id) FROM story_sigs), 0),
    COALESCE((SELECT max(item_id) FROM item_fingerprints), 0),
    COALESCE((SELECT max(item_id) FROM item_bodies), 0),
    COALESCE((SELECT max(rowid) FROM item_fts), 0));

CREATE INDEX story_keys_item ON story_keys(item_id);

DELETE FROM story_keys WHERE item_id NOT IN (SELECT id FROM items);
DELETE FROM story_sigs WHERE item_id NOT IN (SELECT id FROM items);
DELETE FROM item_fingerprints WHERE item_id NOT IN (SELECT id FROM items);
DELETE FROM item_bodies WHERE item_id NOT IN (SELECT id FROM items);
DELETE FROM fts_pending WHERE item_id NOT IN (SELECT id FROM items);
DELETE FROM digest_pending WHERE item_id NOT IN (SELECT id FROM items);
DELETE FROM item_fts WHERE rowid IN
    (SELECT rowid FROM item_fts EXCEPT SELECT id FROM items WHERE indexed <> 0);
UPDATE items SET story = NULL WHERE story IS NOT NULL AND story NOT IN (SELECT id FROM items);

ALTER TABLE tombstones ADD COLUMN seen INTEGER NOT NULL DEFAULT 0;
UPDATE tombstones SET seen = unixepoch();

CREATE TRIGGER items_owned_delete AFTER DELETE ON items BEGIN
    UPDATE store_meta SET value = old.id WHERE key = 'item_id_high' AND value < old.id;
    DELETE FROM story_keys WHERE item_id = old.id;
    DELETE FROM item_fingerprints WHERE item_id = old.id AND in_stats = 0;
    DELETE FROM item_fts WHERE old.indexed <> 0 AND rowid = old.id;
END;
"#;

/// One subscription per feed: `feeds.url_key` holds the address's identity (see
/// `url_keys.rs`, which fills it, merges the feeds that share one and makes it unique).
const V5: &str = r#"
ALTER TABLE feeds ADD COLUMN url_key TEXT;
"#;

/// The reader's choices per view (sort order, hidden read items, a folded tag, the feed list's
/// order), as named settings: `view` is a key such as `all`, `feed:12` or `tag:news` (see
/// `view_settings.rs`), `setting` a name, `value` its text.
const V6: &str = r#"
CREATE TABLE view_settings (
    view    TEXT NOT NULL,
    setting TEXT NOT NULL,
    value   TEXT NOT NULL,
    PRIMARY KEY (view, setting)
) WITHOUT ROWID;
"#;

/// Full text for summary-only feeds (see `articles.rs`):
/// - `feed_full_text` holds a feed's mode (`auto`, `always`, `never`) when the user set one;
/// - `item_articles` the article extracted from an item's page, compressed like bodies (see
///   `body.rs`), with the page's address, when it was fetched and its words;
/// - `item_pages` the items whose pages are wanted, and how that went: `state` 0 waiting (until
///   `next_try`), 1 stored, 2 teaser kept (`note` says why), 3 given up after failures.
///
/// Every statement may run twice (`IF NOT EXISTS`), so a test that rebuilds an older cache by
/// lowering `user_version` can run it again.
const V7: &str = r#"
CREATE TABLE IF NOT EXISTS feed_full_text (
    feed_id INTEGER PRIMARY KEY,
    mode    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS item_articles (
    item_id    INTEGER PRIMARY KEY,
    url        TEXT NOT NULL,
    fetched_at INTEGER NOT NULL,
    words      INTEGER NOT NULL,
    codec      INTEGER NOT NULL DEFAULT 0,
    content    BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS item_pages (
    item_id  INTEGER PRIMARY KEY,
    feed_id  INTEGER NOT NULL,
    state    INTEGER NOT NULL DEFAULT 0,
    failures INTEGER NOT NULL DEFAULT 0,
    next_try INTEGER NOT NULL DEFAULT 0,
    note     TEXT
);
CREATE INDEX IF NOT EXISTS item_pages_due ON item_pages(feed_id, state, next_try);

CREATE TRIGGER IF NOT EXISTS items_article_delete AFTER DELETE ON items BEGIN
    DELETE FROM item_articles WHERE item_id = old.id;
    DELETE FROM item_pages WHERE item_id = old.id;
END;
CREATE TRIGGER IF NOT EXISTS feeds_full_text_delete AFTER DELETE ON feeds BEGIN
    DELETE FROM feed_full_text WHERE feed_id = old.id;
END;
"#;

/// Queries saved from the reader's filter prompt (see `queries.rs`): a name and the filter as
/// the user wrote it.
const V8: &str = r#"
CREATE TABLE IF NOT EXISTS saved_queries (
    name    TEXT PRIMARY KEY,
    filter  TEXT NOT NULL,
    created INTEGER NOT NULL
) WITHOUT ROWID;
"#;

/// A feed's CSS selector for its article pages (see `feed_selectors.rs`), set by
/// `tidings add --full-text-selector`; it goes with the feed.
const V9: &str = r#"
CREATE TABLE IF NOT EXISTS feed_selectors (
    feed_id  INTEGER PRIMARY KEY,
    selector TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS feeds_selector_delete AFTER DELETE ON feeds BEGIN
    DELETE FROM feed_selectors WHERE feed_id = old.id;
END;
"#;

/// How often a feed asks to be fetched (see `refresh_hints.rs`): the seconds its own hints give
/// (`<ttl>`, `sy:updatePeriod` and `sy:updateFrequency`, `Cache-Control: max-age`), capped at a
/// day; no row when it gives none. It goes with the feed. Every statement may run twice, as
/// V7's.
const V10: &str = r#"
CREATE TABLE IF NOT EXISTS feed_refresh_hints (
    feed_id INTEGER PRIMARY KEY,
    secs    INTEGER NOT NULL
);
CREATE TRIGGER IF NOT EXISTS feeds_refresh_hint_delete AFTER DELETE ON feeds BEGIN
    DELETE FROM feed_refresh_hints WHERE feed_id = old.id;
END;
"#;

/// Rules on arrival (see `rules.rs`):
/// - `item_hidden` holds the items a `hide` rule hid: they stay cached but no list shows them,
///   and the feed counters leave them out (the triggers below move them out of the counters and
///   back in, and the counter triggers of version 1 skip them);
/// - `item_highlight` the items a `highlight` rule marked, `item_tags` the tags rules set;
/// - `rules_undo` the state before the last `tidings rules apply` of every item it changed
///   (`tags` is a JSON list), so that the application can be undone exactly.
///
/// A deleted item takes its marks with it; its `item_hidden` row goes in the same trigger that
/// keeps the counters, so the counters never count it out twice.
const V11: &str = r#"
CREATE TABLE IF NOT EXISTS item_hidden (item_id INTEGER PRIMARY KEY);
CREATE TABLE IF NOT EXISTS item_highlight (item_id INTEGER PRIMARY KEY);
CREATE TABLE IF NOT EXISTS item_tags (
    item_id INTEGER NOT NULL,
    tag     TEXT NOT NULL,
    PRIMARY KEY (item_id, tag)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS item_tags_tag ON item_tags(tag);
CREATE TABLE IF NOT EXISTS rules_undo (
    item_id   INTEGER PRIMARY KEY,
    read      INTEGER NOT NULL,
    starred   INTEGER NOT NULL,
    hidden    INTEGER NOT NULL,
    highlight INTEGER NOT NULL,
    tags      TEXT NOT NULL
);

DROP TRIGGER IF EXISTS items_counts_delete;
CREATE TRIGGER items_counts_delete AFTER DELETE ON items BEGIN
    UPDATE feeds SET item_count = item_count - 1,
                     unread_count = unread_count - (old.read = 0),
                     starred_count = starred_count - (old.starred <> 0)
    WHERE id = old.feed_id AND NOT EXISTS (SELECT 1 FROM item_hidden WHERE item_id = old.id);
    DELETE FROM item_hidden WHERE item_id = old.id;
    DELETE FROM item_bodies WHERE item_id = old.id;
    DELETE FROM fts_pending WHERE item_id = old.id;
END;
DROP TRIGGER IF EXISTS items_counts_flags;
CREATE TRIGGER items_counts_flags AFTER UPDATE OF read, starred ON items
WHEN ((old.read = 0) <> (new.read = 0) OR (old.starred <> 0) <> (new.starred <> 0))
     AND NOT EXISTS (SELECT 1 FROM item_hidden WHERE item_id = new.id) BEGIN
    UPDATE feeds SET unread_count = unread_count + (new.read = 0) - (old.read = 0),
                     starred_count = starred_count + (new.starred <> 0) - (old.starred <> 0)
    WHERE id = new.feed_id;
END;
CREATE TRIGGER IF NOT EXISTS item_hidden_insert AFTER INSERT ON item_hidden BEGIN
    UPDATE feeds SET item_count = item_count - 1,
                     unread_count = unread_count - (SELECT read = 0 FROM items WHERE id = new.item_id),
                     starred_count = starred_count - (SELECT starred <> 0 FROM items WHERE id = new.item_id)
    WHERE id = (SELECT feed_id FROM items WHERE id = new.item_id);
END;
CREATE TRIGGER IF NOT EXISTS item_hidden_delete AFTER DELETE ON item_hidden BEGIN
    UPDATE feeds SET item_count = item_count + 1,
                     unread_count = unread_count + (SELECT read = 0 FROM items WHERE id = old.item_id),
                     starred_count = starred_count + (SELECT starred <> 0 FROM items WHERE id = old.item_id)
    WHERE id = (SELECT feed_id FROM items WHERE id = old.item_id);
END;
CREATE TRIGGER IF NOT EXISTS items_rules_delete AFTER DELETE ON items BEGIN
    DELETE FROM item_highlight WHERE item_id = old.id;
    DELETE FROM item_tags WHERE item_id = old.id;
    DELETE FROM rules_undo WHERE item_id = old.id;
END;
"#;

/// The plain text each item is indexed by (see `search_text.rs`), kept beside the index so that
/// filters and phrase searches read words without decompressing and stripping HTML bodies: LZ4
/// like bodies (`codec` as in `body.rs`). A row exists only while the item's index entry is
/// current: queueing the item for the index again drops it, and so does deleting the item.
const V12: &str = r#"
CREATE TABLE IF NOT EXISTS item_text (
    item_id INTEGER PRIMARY KEY,
    codec   INTEGER NOT NULL,
    content BLOB NOT NULL
);
CREATE TRIGGER IF NOT EXISTS item_text_requeued AFTER INSERT ON fts_pending BEGIN
    DELETE FROM item_text WHERE item_id = new.item_id;
END;
CREATE TRIGGER IF NOT EXISTS item_text_delete AFTER DELETE ON items BEGIN
    DELETE FROM item_text WHERE item_id = old.id;
END;
"#;

/// Sync with a server the user runs (see `sync.rs`). Everything is per
/// account, a key naming the server kind, its address and the user:
/// - `sync_feeds` and `sync_items` tie local feeds and items to the server's ids;
/// - `sync_queue` holds the local changes (`read`, `unread`, `starred`, `unstarred`) of synced
///   items not yet sent, in the order they were made; triggers on `items` fill it, so every write
///   path (the reader, `show`, a story's copies, mark all read) queues alike, except while a
///   sync applies the server's state (a row in `sync_applying`, only ever inside its own
///   transaction);
/// - `sync_cursors` the named positions of the account's sync (advanced with the page they
///   follow, in one transaction).
///
/// Every statement may run twice (`IF NOT EXISTS`), so the migration may be renumbered.
const V13: &str = r#"
CREATE TABLE IF NOT EXISTS sync_feeds (
    feed_id   INTEGER PRIMARY KEY,
    account   TEXT NOT NULL,
    remote_id TEXT NOT NULL,
    UNIQUE (account, remote_id)
);
CREATE TABLE IF NOT EXISTS sync_items (
    item_id   INTEGER PRIMARY KEY,
    account   TEXT NOT NULL,
    remote_id TEXT NOT NULL,
    UNIQUE (account, remote_id)
);
CREATE TABLE IF NOT EXISTS sync_queue (
    id        INTEGER PRIMARY KEY,
    account   TEXT NOT NULL,
    remote_id TEXT NOT NULL,
    change    TEXT NOT NULL,
    queued    INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sync_queue_account ON sync_queue(account, remote_id);
CREATE TABLE IF NOT EXISTS sync_cursors (
    account TEXT NOT NULL,
    name    TEXT NOT NULL,
    value   TEXT NOT NULL,
    PRIMARY KEY (account, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sync_applying (flag INTEGER PRIMARY KEY);

CREATE TRIGGER IF NOT EXISTS sync_queue_read AFTER UPDATE OF read ON items
WHEN old.read <> new.read AND NOT EXISTS (SELECT 1 FROM sync_applying)
BEGIN
    INSERT INTO sync_queue (account, remote_id, change, queued)
    SELECT account, remote_id, CASE WHEN new.read <> 0 THEN 'read' ELSE 'unread' END, unixepoch()
    FROM sync_items WHERE item_id = new.id;
END;
CREATE TRIGGER IF NOT EXISTS sync_queue_starred AFTER UPDATE OF starred ON items
WHEN old.starred <> new.starred AND NOT EXISTS (SELECT 1 FROM sync_applying)
BEGIN
    INSERT INTO sync_queue (account, remote_id, change, queued)
    SELECT account, remote_id, CASE WHEN new.starred <> 0 THEN 'starred' ELSE 'unstarred' END,
           unixepoch()
    FROM sync_items WHERE item_id = new.id;
END;
CREATE TRIGGER IF NOT EXISTS sync_items_delete AFTER DELETE ON items BEGIN
    DELETE FROM sync_items WHERE item_id = old.id;
END;
CREATE TRIGGER IF NOT EXISTS sync_feeds_delete AFTER DELETE ON feeds BEGIN
    DELETE FROM sync_feeds WHERE feed_id = old.id;
END;
"#;

/// The podcast download queue (see `downloads.rs`): one row per enclosure address, with what
/// the download needs once the item is gone (the feed's address and title, the item's title), its
/// state (`queued`, `done`, `failed` with its error), and for a resume the `.part` file and the
/// validator (`ETag` or `Last-Modified`) sent back as `If-Range`.
///
/// Every statement may run twice (`IF NOT EXISTS`), so the migration may be renumbered.
const V14: &str = r#"
CREATE TABLE IF NOT EXISTS downloads (
    id         INTEGER PRIMARY KEY,
    url        TEXT NOT NULL UNIQUE,
    item_id    INTEGER,
    feed_url   TEXT NOT NULL,
    feed_title TEXT NOT NULL,
    title      TEXT NOT NULL,
    mime       TEXT,
    queued     INTEGER NOT NULL,
    state      TEXT NOT NULL DEFAULT 'queued',
    part       TEXT,
    validator  TEXT,
    path       TEXT,
    error      TEXT,
    bytes      INTEGER
);
CREATE INDEX IF NOT EXISTS downloads_state ON downloads(state, id);
"#;

/// Renames and tag edits of a server's feeds, waiting to be sent (see `sync_edits.rs`): one row
/// per feed, saying whether its title, its tags or both changed since the last sync sent them
/// (the values sent are the feed's own at the time of sending). Triggers on `feeds.user_title`
/// and `feed_tags` fill it for feeds in `sync_feeds`, whatever wrote them (the reader, `tidings
/// set`), except while a sync writes the server's subscriptions (`sync_applying`). `version`
/// grows with every edit, so a sync drops only the edit it sent, not one made while it ran.
///
/// Every statement may run twice (`IF NOT EXISTS`), so the migration may be renumbered.
const V15: &str = r#"
CREATE TABLE IF NOT EXISTS sync_feed_edits (
    feed_id INTEGER PRIMARY KEY,
    account TEXT NOT NULL,
    title   INTEGER NOT NULL DEFAULT 0,
    tags    INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    queued  INTEGER NOT NULL
);
CREATE TRIGGER IF NOT EXISTS sync_feed_edit_title AFTER UPDATE OF user_title ON feeds
WHEN old.user_title IS NOT new.user_title AND NOT EXISTS (SELECT 1 FROM sync_applying)
BEGIN
    INSERT INTO sync_feed_edits (feed_id, account, title, queued)
    SELECT feed_id, account, 1, unixepoch() FROM sync_feeds WHERE feed_id = new.id
    ON CONFLICT (feed_id) DO UPDATE SET title = 1, version = version + 1, queued = excluded.queued;
END;
CREATE TRIGGER IF NOT EXISTS sync_feed_edit_tag_added AFTER INSERT ON feed_tags
WHEN NOT EXISTS (SELECT 1 FROM sync_applying)
BEGIN
    INSERT INTO sync_feed_edits (feed_id, account, tags, queued)
    SELECT feed_id, account, 1, unixepoch() FROM sync_feeds WHERE feed_id = new.feed_id
    ON CONFLICT (feed_id) DO UPDATE SET tags = 1, version = version + 1, queued = excluded.queued;
END;
CREATE TRIGGER IF NOT EXISTS sync_feed_edit_tag_removed AFTER DELETE ON feed_tags
WHEN NOT EXISTS (SELECT 1 FROM sync_applying)
BEGIN
    INSERT INTO sync_feed_edits (feed_id, account, tags, queued)
    SELECT feed_id, account, 1, unixepoch() FROM sync_feeds WHERE feed_id = old.feed_id
    ON CONFLICT (feed_id) DO UPDATE SET tags = 1, version = version + 1, queued = excluded.queued;
END;
CREATE TRIGGER IF NOT EXISTS sync_feed_edits_delete AFTER DELETE ON feeds BEGIN
    DELETE FROM sync_feed_edits WHERE feed_id = old.id;
END;
"#;

/// The tags the config's `[[feed]]` tables add to feeds, kept beside the feeds' own in
/// `feed_tags` (`from_config = 1`) so that tag views, counts, filters and rules see them like any
/// tag; they are written again whenever the config says otherwise (see `config_tags.rs`). A
/// feed's own tags (`from_config = 0`) are what it lists as its tags, what the user edits and
/// what a server gets: the triggers that queue tag edits for a server leave the others out.
///
/// The column itself is added by [`add_column`] before these statements run (SQLite has no
/// `ADD COLUMN IF NOT EXISTS`), so that they too may run twice.
const V16: &str = r#"
DROP TRIGGER IF EXISTS sync_feed_edit_tag_added;
CREATE TRIGGER sync_feed_edit_tag_added AFTER INSERT ON feed_tags
WHEN new.from_config = 0 AND NOT EXISTS (SELECT 1 FROM sync_applying)
BEGIN
    INSERT INTO sync_feed_edits (feed_id, account, tags, queued)
    SELECT feed_id, account, 1, unixepoch() FROM sync_feeds WHERE feed_id = new.feed_id
    ON CONFLICT (feed_id) DO UPDATE SET tags = 1, version = version + 1, queued = excluded.queued;
END;
DROP TRIGGER IF EXISTS sync_feed_edit_tag_removed;
CREATE TRIGGER sync_feed_edit_tag_removed AFTER DELETE ON feed_tags
WHEN old.from_config = 0 AND NOT EXISTS (SELECT 1 FROM sync_applying)
BEGIN
    INSERT INTO sync_feed_edits (feed_id, account, tags, queued)
    SELECT feed_id, account, 1, unixepoch() FROM sync_feeds WHERE feed_id = old.feed_id
    ON CONFLICT (feed_id) DO UPDATE SET tags = 1, version = version + 1, queued = excluded.queued;
END;
CREATE TRIGGER IF NOT EXISTS sync_feed_edit_tag_adopted AFTER UPDATE OF from_config ON feed_tags
WHEN old.from_config <> 0 AND new.from_config = 0 AND NOT EXISTS (SELECT 1 FROM sync_applying)
BEGIN
    INSERT INTO sync_feed_edits (feed_id, account, tags, queued)
    SELECT feed_id, account, 1, unixepoch() FROM sync_feeds WHERE feed_id = new.feed_id
    ON CONFLICT (feed_id) DO UPDATE SET tags = 1, version = version + 1, queued = excluded.queued;
END;
"#;

/// An item's story keys are listed beside it (`story_key_lists.keys`, a JSON array), and the
/// deletes find them there, through `story_keys`' primary key, instead of through a second
/// index on `story_keys(item_id)`. That index took an insert for each of the ten keys an item
/// stores: 1.5% of a first fetch's instructions (309 M of 20.5 G for 10,000 items,
/// `benches/instructions.sh`); with one list row per item instead, 1% fewer in all.
const V17: &str = r#"
CREATE TABLE IF NOT EXISTS story_key_lists (
    item_id INTEGER PRIMARY KEY,
    keys    TEXT NOT NULL
);
INSERT OR REPLACE INTO story_key_lists (item_id, keys)
    SELECT item_id, json_group_array(key) FROM story_keys GROUP BY item_id;
DROP INDEX IF EXISTS story_keys_item;
DROP TRIGGER IF EXISTS items_owned_delete;
CREATE TRIGGER items_owned_delete AFTER DELETE ON items BEGIN
    UPDATE store_meta SET value = old.id WHERE key = 'item_id_high' AND value < old.id;
    DELETE FROM story_keys WHERE item_id = old.id AND key IN
        (SELECT value FROM json_each((SELECT keys FROM story_key_lists WHERE item_id = old.id)));
    DELETE FROM story_key_lists WHERE item_id = old.id;
    DELETE FROM item_fingerprints WHERE item_id = old.id AND in_stats = 0;
    DELETE FROM item_fts WHERE old.indexed <> 0 AND rowid = old.id;
END;
"#;

/// `item_text` may hold a folded text coded as its words (codec 2, `super::word_coded`), which
/// an older build would read as plain text: nothing changes in the tables, but the version
/// moves so that an older build refuses the cache instead of misreading those rows.
const V18: &str = "";

/// Brings the schema up to [`SCHEMA_VERSION`], one transaction per step, and returns the
/// version found before. A version newer than this build knows is returned as `Err(found)`.
pub(crate) fn migrate(conn: &mut Connection) -> rusqlite::Result<std::result::Result<i64, i64>> {
    migrate_to(conn, SCHEMA_VERSION)
}

/// Brings the schema up to `target` (at most [`SCHEMA_VERSION`]); tests use it to build a cache
/// as an older version left it.
pub(crate) fn migrate_to(
    conn: &mut Connection,
    target: i64,
) -> rusqlite::Result<std::result::Result<i64, i64>> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Ok(Err(found));
    }
    let steps = MIGRATIONS
        .iter()
        .take(target.clamp(0, SCHEMA_VERSION) as usize);
    for (i, sql) in steps.enumerate().skip(found.max(0) as usize) {
        let tx = Transaction::new(conn, rusqlite::TransactionBehavior::Immediate)?;
        // Another process may have migrated while we waited for the write lock.
        let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if now > i as i64 {
            continue;
        }
        if *sql == V16 {
            add_column(&tx, "feed_tags", "from_config INTEGER NOT NULL DEFAULT 0")?;
        }
        tx.execute_batch(sql)?;
        if *sql == V5 {
            super::url_keys::merge_duplicate_feeds(&tx)?;
        }
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(Ok(found))
}

/// Adds the column `definition` (its name, then its type and constraints) to `table` unless the
/// table has it already.
fn add_column(tx: &Transaction<'_>, table: &str, definition: &str) -> rusqlite::Result<()> {
    let name = definition.split_whitespace().next().unwrap_or_default();
    let has: bool = tx.query_row(
        &format!("SELECT EXISTS (SELECT 1 FROM pragma_table_info('{table}') WHERE name = ?1)"),
        [name],
        |r| r.get(0),
    )?;
    if !has {
        tx.execute_batch(&format!("ALTER TABLE {table} ADD COLUMN {definition}"))?;
    }
    Ok(())
}
