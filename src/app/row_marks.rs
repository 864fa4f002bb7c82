//! The marks rules leave on the rows the reader has loaded (hidden, highlighted), kept in the
//! state and drawn by the headline list; `hidden.rs` changes them.

use std::collections::HashSet;

use crate::app::msg::Command;
use crate::model::{ItemId, View};

/// What the reader knows of the rules' marks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowMarks {
    /// Whether the current view lists hidden items.
    pub show_hidden: bool,
    /// The loaded rows that rules hid.
    pub hidden: HashSet<ItemId>,
    /// The loaded rows that rules highlighted.
    pub highlighted: HashSet<ItemId>,
}

impl RowMarks {
    /// Whether a rule hid item `id` (known once its row is loaded).
    pub fn is_hidden(&self, id: ItemId) -> bool {
        self.hidden.contains(&id)
    }

    /// Whether a rule highlighted item `id` (known once its row is loaded).
    pub fn is_highlighted(&self, id: ItemId) -> bool {
        self.highlighted.contains(&id)
    }

    /// Before view `next` replaces view `current`: hidden items are left out of it again.
    /// Returns the command that tells the cache so (none when they were left out already, or
    /// the view stays).
    pub fn leave_view(&mut self, current: &View, next: &View) -> Vec<Command> {
        if !self.show_hidden || next == current {
            return Vec::new();
        }
        self.show_hidden = false;
        vec![Command::SetShowHidden(false)]
    }
}
