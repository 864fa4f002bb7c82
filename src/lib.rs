//! tidings: a terminal news reader that fetches feeds into a local SQLite cache and shows each
//! block of text once.
//!
//! The layers, lowest first. A module may use the ones above it in this list, never the ones below;
//! modules named on one line may use each other. `tests/layers/` reads this list and fails on an
//! import that runs up it:
//!
//! - [`model`]: plain data shared by everyone.
//! - [`filter`]: the filter language: text to an expression, evaluated over any item; pure.
//! - [`feed`]: bytes of a feed to [`model::ParsedFeed`]; pure.
//! - [`demo`]: the built-in demo feeds, for offline first runs; plain data.
//! - [`fetch`]: HTTP and the other sources (files, built-in demo feeds); knows nothing of the terminal.
//! - [`content`]: item bodies to blocks, deduplication, and wrapped, sanitised lines; pure.
//! - [`store`]: the SQLite cache (it keeps deduplication statistics and stories in the content
//!   layer's terms); knows nothing of the terminal.
//! - [`subscriptions`]: OPML and newsboat `urls` import and export; pure.
//! - [`config`] and [`paths`]: settings and where data lives.
//! - [`digests`]: the deduplication digest pass a refresh runs after storing (its own workers).
//! - [`refresh`]: runs fetch, parse and store together (the only place that spawns workers for them).
//! - [`podcasts`]: downloads the enclosures queued in the cache into the podcasts folder (its own
//!   workers); knows nothing of the terminal.
//! - [`sync`]: syncing with a server the user runs (Miniflux, Google Reader API): its feeds, items and state into
//!   the cache, the cache's queued local changes to it; knows nothing of the terminal.
//! - [`app`]: the reader's state and its pure update function; it never draws.
//! - [`ui`]: drawing the reader's state; it only reads it.
//! - [`session`]: the reader's event loop, which wires [`app`] and [`ui`] to the terminal and
//!   the cache.
//! - [`cli`] and [`commands`]: the command line.
//!
//! `fetch`, `feed`, `store`, `content` and `model` never import ratatui or crossterm.
//! `app` and `ui` never import crossterm: terminal events reach the reader as messages from
//! [`session`], which alone owns the terminal.

pub mod app;
pub mod cli;
pub mod commands;
pub mod config;
pub mod content;
pub mod demo;
pub mod digests;
pub mod feed;
pub mod fetch;
pub mod filter;
pub mod model;
pub mod paths;
pub mod podcasts;
pub mod refresh;
pub mod session;
pub mod store;
pub mod subscriptions;
pub mod sync;
pub mod ui;
