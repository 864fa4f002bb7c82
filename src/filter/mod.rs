//! The filter language, one for the command line, the config and the reader; pure.
//!
//! ```text
//! unread and tag:tech and not title:~"(?i)sponsored"
//! feed:"Harbour Gazette" or author:"A. Writer"
//! (title:"river" or title:"market") and not feed:"North" and age < 2d
//! ```
//!
//! Fields are `title`, `text` (the plain text of the stored body), `author`, `feed` (its title),
//! `url` (the item's link) and `tag` (the feed's tags, and the tags `[[rule]]` tables set on the
//! item). `field:"words"` matches whole words,
//! adjacent and in order, ignoring case and diacritics (the quotes are optional for one word);
//! `field:~"regex"` is a regular expression (Rust `regex` syntax) found anywhere in the value;
//! `field="exact"` compares the whole value. The flags are `unread` and `starred`; `age < 2d`
//! compares the item's age (from its published date, else its arrival) with hours, days or weeks
//! (`<`, `<=`, `>`, `>=`). `and` binds tighter than `or`; `not` and parentheses as usual.
//!
//! [`parse`] turns text into an [`Expr`] or a [`FilterError`] that quotes the text and points at
//! the problem; [`matches`] evaluates an expression over any [`Subject`]. The store evaluates
//! what it can in SQL (see `store::filter`).

pub(crate) mod ascii8;
mod ast;
mod error;
mod eval;
mod lexer;
mod parser;
pub mod words;

pub use ast::{Cmp, Expr, Field, Matcher};
pub use error::FilterError;
pub use eval::{Subject, matches};
pub use parser::{MAX_DEPTH, parse};

#[cfg(test)]
mod tests;
