//! The reader's window onto the content renderer: documents, laid-out lines and sanitising.
//! Everything here is [`crate::content`]; this module only names what `app` and `ui` use.

pub use crate::content::{Document, LayoutOptions, Line, Link, LinkKind, Span, Style};
pub use crate::content::{field_lines, layout, parse, sanitize, sanitize_line, shown_links_first};
