//! Item bodies to blocks, then blocks to wrapped, styled, sanitised lines.
//!
//! Blocks first, lines second: [`parse`] turns a body (HTML or plain text) into a [`Document`]
//! once; deduplication folds its blocks; [`layout`] lays the blocks out for a width, again on
//! every resize, without parsing. Every string from a feed passes through [`sanitize`] before it
//! reaches a line. Nothing here knows about terminals: styles are semantic flags.

pub mod block;
pub mod bounded;
pub mod dedup;
mod edges;
mod elements;
pub mod extract;
pub mod fold;
pub mod fulltext;
pub mod header;
pub mod html;
mod inline;
pub mod layout;
pub mod line;
pub mod link_refs;
mod links;
pub mod picture;
mod quick;
pub mod sanitize;
pub mod sink;
pub mod strip;
pub mod style;
mod table;
pub mod text;
mod wrap;

pub use block::{Block, BlockKind, Document, ListMarker, Row, Table};
pub use header::{field_lines, header_lines};
pub use layout::layout;
pub use line::{LayoutOptions, Line, to_plain_text};
pub use link_refs::shown_links_first;
pub use links::{Link, LinkKind};
pub use sanitize::{escape_json, sanitize, sanitize_line};
pub use sink::DocumentSink;
pub use style::{Span, Style};

use crate::model::BodyKind;

/// Parses an item body into blocks and its numbered link list; relative URLs resolve against
/// `base`.
pub fn parse(raw: &str, kind: BodyKind, base: Option<&str>) -> Document {
    match kind {
        BodyKind::Html => html::parse_html(raw, base),
        BodyKind::Text => text::parse_text(raw),
    }
}

/// Parses and lays a body out at exactly `width` columns (no reading column, no centring) and
/// returns the plain text, as `tidings show` prints it.
pub fn render_text(raw: &str, kind: BodyKind, base: Option<&str>, width: usize) -> String {
    render_document(&parse(raw, kind, base), width)
}

/// Lays blocks already parsed (or built by an extraction's walk) out at exactly `width` columns
/// and returns the plain text, as [`render_text`] does for a raw body.
pub fn render_document(doc: &Document, width: usize) -> String {
    to_plain_text(&layout(doc, &[], &LayoutOptions::new(width)))
}
