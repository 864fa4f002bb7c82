//! Blocks from a walk that writes HTML: the renderer's [`Document`] built from the elements and
//! text another walk emits, without writing and parsing them again.
//!
//! Article extraction ([`super::extract`]) walks the page's tree once and writes the article as
//! clean HTML; feeding the same edges here gives the blocks that [`super::html::parse_html`]
//! would give for that HTML. The HTML parser joins adjacent text into one node and turns every
//! carriage return into a line feed, so the sink does the same before the walker sees the text.

use super::block::Document;
use super::edges::Tag;
use super::html::Walker;

/// Builds a [`Document`] from elements and text, as [`super::html::parse_html`] would from the
/// HTML they spell.
pub struct DocumentSink {
    walker: Walker,
    /// Text written since the last element edge: one text node once parsed.
    pending: String,
}

/// An element as written: its name and the attributes kept.
struct Written<'a> {
    name: &'a str,
    attrs: &'a [(&'a str, &'a str)],
}

impl Tag for Written<'_> {
    fn name(&self) -> &str {
        self.name
    }

    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }

    #[cfg(test)]
    fn attr_list(&self) -> Vec<(String, String)> {
        super::edges::sorted_attrs(self.attrs.iter().copied())
    }
}

impl DocumentSink {
    /// A sink whose relative links resolve against `base` (as `parse_html`'s `base`).
    pub fn new(base: Option<&str>) -> DocumentSink {
        DocumentSink {
            walker: Walker::new(base),
            pending: String::new(),
        }
    }

    /// An element starts, with the attributes written for it (`name` lower case).
    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.flush_text();
        self.walker.open(&Written { name, attrs });
    }

    /// Text, as written (unescaped).
    pub fn text(&mut self, text: &str) {
        self.pending.push_str(text);
    }

    /// An element ends.
    pub fn close(&mut self, name: &str) {
        self.flush_text();
        self.walker.close(name);
    }

    /// The blocks and links of everything written.
    pub fn finish(mut self) -> Document {
        self.flush_text();
        self.walker.finish()
    }

    /// Hands the text gathered since the last element to the walker, as one text node with the
    /// parser's line endings.
    fn flush_text(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        if self.pending.contains('\r') {
            self.pending = self.pending.replace("\r\n", "\n").replace('\r', "\n");
        }
        self.walker.text(&self.pending);
        self.pending.clear();
    }
}
