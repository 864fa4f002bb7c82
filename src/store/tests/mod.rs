//! Unit tests of the store, on real SQLite files in temporary directories.

mod concurrent;
mod digests;
mod feeds;
mod filter;
mod integrity;
mod open;
mod plans;
mod retention;
mod rules;
mod search;
mod search_rank;
mod search_text;
mod stories;
mod sync;
mod tag_stories;
mod update;
mod urls;
mod wal_vfs;
