//! Semantic styles for rendered text; the interface maps each flag to a theme colour.

/// Semantic style flags of a piece of text. The content layer knows nothing of terminals:
/// the interface decides what bold, a link or a folded block look like.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Style {
    /// Strong emphasis (`<b>`, `<strong>`, table headers).
    pub bold: bool,
    /// Emphasis (`<i>`, `<em>`, captions).
    pub italic: bool,
    /// Code, inline or in a pre block.
    pub code: bool,
    /// Secondary text: link references, markers, notices, rules.
    pub dim: bool,
    /// The visible text of a link.
    pub link: bool,
    /// A heading or an article title.
    pub heading: bool,
    /// A block quote bar.
    pub quote: bool,
    /// Part of a block that deduplication folded (shown only in raw mode).
    pub folded: bool,
}

impl Style {
    /// The plain style: no flag set.
    pub const PLAIN: Style = Style {
        bold: false,
        italic: false,
        code: false,
        dim: false,
        link: false,
        heading: false,
        quote: false,
        folded: false,
    };

    /// The dim style, for markers and notices.
    pub const DIM: Style = Style {
        dim: true,
        ..Style::PLAIN
    };
}

/// A run of text in one style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The text, already sanitised.
    pub text: String,
    /// How it is meant to look.
    pub style: Style,
}

impl Span {
    /// Builds a span from text and a style.
    pub fn new(text: impl Into<String>, style: Style) -> Self {
        Span {
            text: text.into(),
            style,
        }
    }

    /// Builds an unstyled span.
    pub fn plain(text: impl Into<String>) -> Self {
        Span::new(text, Style::PLAIN)
    }
}

/// Appends `text` in `style` to `spans`, merging with the last span when the style is the same.
pub(crate) fn push_span(spans: &mut Vec<Span>, text: &str, style: Style) {
    if text.is_empty() {
        return;
    }
    match spans.last_mut() {
        Some(last) if last.style == style => last.text.push_str(text),
        _ => spans.push(Span::new(text, style)),
    }
}
