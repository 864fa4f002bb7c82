//! Errors of the filter language: they quote the expression and point at the problem.

use std::fmt;

/// A filter that cannot be used: the expression, where in it the problem is, and what it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct FilterError {
    /// The expression as given.
    pub expr: String,
    /// Byte offset of the problem in `expr`.
    pub offset: usize,
    /// What is wrong, in words.
    pub message: String,
}

impl FilterError {
    /// An error at byte `offset` of `expr`.
    pub(crate) fn at(expr: &str, offset: usize, message: impl Into<String>) -> FilterError {
        FilterError {
            expr: expr.to_string(),
            offset: offset.min(expr.len()),
            message: message.into(),
        }
    }

    /// The 1-based column (in characters) of the problem.
    pub fn column(&self) -> usize {
        self.expr
            .get(..self.offset)
            .map_or(self.offset, |s| s.chars().count())
            + 1
    }
}

/// `MESSAGE (column N)`, then the expression on a line of its own and a caret under the column.
/// Control characters in the expression are shown as `?` so that the caret stays in place.
impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown: String = self
            .expr
            .chars()
            .map(|c| if c.is_control() { '?' } else { c })
            .collect();
        let before: String = shown.chars().take(self.column() - 1).collect();
        let pad = " ".repeat(unicode_width::UnicodeWidthStr::width(before.as_str()));
        write!(
            f,
            "bad filter: {} (column {})\n  {shown}\n  {pad}^",
            self.message,
            self.column()
        )
    }
}
