//! The reader: its state, the messages that change it, the pure [`update`] function that turns a
//! message into state changes and [`Command`]s (effects as data), and the event loop that runs
//! those commands against the cache. Drawing lives in [`crate::ui`] and only reads the state.
//!
//! The flow is one way: terminal event -> [`keys::key_of`] -> [`Msg`] -> [`update`] -> commands ->
//! results come back as more [`Msg`]s.

pub mod actions;
pub mod article;
pub mod dates;
pub mod feeds;
pub mod geometry;
pub mod keys;
pub mod labels;
pub mod list;
pub mod marking;
pub mod moving;
pub mod msg;
pub mod names;
pub mod open;
pub mod queries;
pub mod renderer;
pub mod runtime;
pub mod state;
pub mod text;
pub mod update;
pub mod views;
pub mod worker;

#[cfg(test)]
pub(crate) mod tests;
#[cfg(test)]
mod tests_marking;
#[cfg(test)]
mod tests_moving;
#[cfg(test)]
mod tests_queries;

pub use msg::{Command, MouseKind, Msg, Totals};
pub use runtime::{Refresher, RunOptions, run};
pub use state::{Focus, Overlay, State};
pub use update::{start, update};
