//! A query feed as the reader keeps it: plain data the state, the messages and the feed pane share
//! (the behaviour lives in [`crate::app::queries`]).

use crate::config::queries::Origin;
use crate::model::View;

/// A query as the feed pane lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryRow {
    /// Its name.
    pub name: String,
    /// The filter as written.
    pub filter: String,
    /// Where it is kept (the config's are read-only in the reader).
    pub origin: Origin,
    /// Items matching and unread among them, once the worker has counted them.
    pub counts: Option<(u64, u64)>,
}

/// The query feed of `row`: its filter over every item.
pub fn view_of(filter: &str) -> View {
    View::Filter {
        base: Box::new(View::All),
        filter: filter.to_string(),
    }
}
