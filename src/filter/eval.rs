//! Evaluating an expression over one item, described by a [`Subject`].

use super::ast::{Expr, Field};

/// What the evaluation needs to know about an item.
pub trait Subject {
    /// Whether the item is unread.
    fn unread(&self) -> bool;
    /// Whether the item is starred.
    fn starred(&self) -> bool;
    /// The item's time: its published date, else its arrival (Unix seconds).
    fn time(&self) -> i64;
    /// Calls `test` on each value of `field` (none when the item lacks it, one per tag for
    /// [`Field::Tag`]) until one passes; whether one did.
    fn any_value(&self, field: Field, test: &mut dyn FnMut(&str) -> bool) -> bool;
}

/// Whether `subject` passes `expr` at time `now` (Unix seconds). Conditions are tried left to
/// right and stop as soon as the answer is known, so a cheap condition first spares the costly
/// ones (the body's text) for the items that pass it.
pub fn matches(expr: &Expr, subject: &dyn Subject, now: i64) -> bool {
    match expr {
        Expr::And(a, b) => matches(a, subject, now) && matches(b, subject, now),
        Expr::Or(a, b) => matches(a, subject, now) || matches(b, subject, now),
        Expr::Not(a) => !matches(a, subject, now),
        Expr::Unread => subject.unread(),
        Expr::Starred => subject.starred(),
        Expr::Age { cmp, secs } => cmp.holds(now.saturating_sub(subject.time()), *secs),
        Expr::Field { field, matcher } => subject.any_value(*field, &mut |v| matcher.matches(v)),
    }
}
