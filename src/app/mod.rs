//! The reader: its state, the messages that change it, and the pure [`update()`] function that
//! turns a message into state changes and [`Command`]s (effects as data). The event loop that
//! carries the commands out and draws lives above this module, in [`crate::session`]; drawing
//! lives in [`crate::ui`] and only reads the state. Nothing here imports either.
//!
//! The flow is one way: terminal event -> `crate::session::keys` -> [`Msg`] -> [`update()`] ->
//! commands -> results come back as more [`Msg`]s.

pub mod actions;
pub mod arrange;
pub mod article;
pub mod dates;
pub mod downloads;
pub mod edit;
pub mod export;
pub mod external;
pub mod feed_edit;
pub mod feeds;
pub mod full_text;
pub mod geometry;
pub mod hidden;
pub mod image_rows;
pub mod image_spots;
pub mod images;
pub mod labels;
pub mod links;
pub mod list;
pub mod marking;
pub mod moving;
pub mod msg;
pub mod names;
pub mod notify;
pub mod open;
pub mod prefs;
pub mod protocol;
pub mod queries;
pub mod query_row;
pub mod refreshing;
pub mod row_marks;
pub mod screen;
pub mod search;
pub mod state;
pub mod table_titles;
pub mod text;
pub mod update;
pub mod view_counts;
pub mod views;

#[cfg(test)]
pub(crate) mod tests;
#[cfg(test)]
mod tests_arrange;
#[cfg(test)]
mod tests_downloads;
#[cfg(test)]
mod tests_edit;
#[cfg(test)]
mod tests_external;
#[cfg(test)]
mod tests_hidden;
#[cfg(test)]
pub(crate) mod tests_links;
#[cfg(test)]
mod tests_marking;
#[cfg(test)]
mod tests_moving;
#[cfg(test)]
mod tests_queries;
#[cfg(test)]
pub(crate) mod tests_shipped;

pub use msg::{Command, MouseKind, Msg, RefreshCause, Totals};
pub use state::{Focus, Overlay, State};
pub use update::{start, update};
