//! tidings: a terminal news reader that fetches feeds into a local SQLite cache and shows each
//! block of text once.
//!
//! The layers, lowest first. A module may use the ones above it in this list, never the ones below:
//!
//! - [`model`]: plain data shared by everyone.
//! - [`filter`]: the filter language: text to an expression, evaluated over any item; pure.
//! - [`feed`]: bytes of a feed to [`model::ParsedFeed`]; pure.
//! - [`fetch`]: HTTP and the other sources (files, built-in demo feeds); knows nothing of the terminal.
//! - [`content`]: item bodies to blocks, deduplication, and wrapped, sanitised lines; pure.
//! - [`store`]: the SQLite cache (it keeps deduplication statistics and stories in the content
//!   layer's terms); knows nothing of the terminal.
//! - [`subscriptions`]: OPML and newsboat `urls` import and export; pure.
//! - [`config`] and [`paths`]: settings and where data lives.
//! - [`digests`]: the deduplication digest pass a refresh runs after storing (its own workers).
//! - [`refresh`]: runs fetch, parse and store together (the only place that spawns workers for them).
//! - [`app`] and [`ui`]: the reader's state, its pure update function, its event loop, and drawing.
//! - [`cli`] and [`commands`]: the command line.
//!
//! `fetch`, `feed`, `store`, `content` and `model` never import ratatui or crossterm.

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
pub mod refresh;
pub mod store;
pub mod subscriptions;
pub mod ui;
