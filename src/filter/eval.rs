//! Evaluating an expression over one item, described by a [`Subject`].

use super::ast::{Expr, Field, Matcher};
use super::words::Phrase;

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
    /// Whether `phrase` occurs in a value of `field` (see [`Phrase::is_in`]). A subject that
    /// keeps a field's text already folded answers with [`Phrase::is_in_folded`] instead of
    /// folding it again.
    fn has_words(&self, field: Field, phrase: &Phrase) -> bool {
        self.any_value(field, &mut |v| phrase.is_in(v))
    }
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
        Expr::Field {
            field,
            matcher: Matcher::Words(phrase),
        } => subject.has_words(*field, phrase),
        Expr::Field { field, matcher } => subject.any_value(*field, &mut |v| matcher.matches(v)),
    }
}
