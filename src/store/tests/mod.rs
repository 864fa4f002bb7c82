//! Unit tests of the store, on real SQLite files in temporary directories.

mod concurrent;
mod feeds;
mod filter;
mod integrity;
mod open;
mod plans;
mod retention;
mod search;
mod search_rank;
mod stories;
mod sync;
mod tag_stories;
mod update;
mod urls;
