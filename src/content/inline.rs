//! Inline content being gathered for one block: styled text with HTML whitespace collapsing.

use super::style::{Span, Style, push_span};

/// Styled text gathered for the block being built. Runs of whitespace become one space, spaces
/// at the start and end of the block or around a line break disappear.
#[derive(Debug, Default)]
pub(crate) struct Inline {
    spans: Vec<Span>,
    pending_space: Option<Style>,
    at_line_start: bool,
    pushed: usize,
}

/// HTML's ASCII whitespace (after sanitising only spaces and newlines remain of it).
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\n' | '\t' | '\r' | '\u{c}')
}

/// Finds two spaces in a row (built once: a searcher's set-up cost as much as a short search).
static DOUBLE_SPACE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"  "));

/// Appends `text` (which starts with a word) to `out` with every run of whitespace between
/// two words made one space and a trailing run dropped: the words of `text` joined by single
/// spaces. The text between runs that need changing is copied whole (one plain space between
/// two words needs none), rather than word by word.
fn push_collapsed(out: &mut String, text: &str) {
    let b = text.as_bytes();
    let space = |c: u8| matches!(c, b' ' | b'\n' | b'\t' | b'\r' | 0x0c);
    // Most text has nothing to change: single spaces between words, no other whitespace and no
    // trailing space. Three vectorised searches tell, faster than the walk below.
    if !b.last().is_some_and(|&c| space(c))
        && memchr::memchr3(b'\n', b'\t', b'\r', b).is_none()
        && memchr::memchr(0x0c, b).is_none()
        && DOUBLE_SPACE.find(b).is_none()
    {
        out.push_str(text);
        return;
    }
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        if !space(b[i]) {
            i += 1;
            continue;
        }
        let mut end = i + 1;
        while end < b.len() && space(b[end]) {
            end += 1;
        }
        if b[i] == b' ' && end == i + 1 && end < b.len() {
            i = end;
            continue;
        }
        out.push_str(&text[start..i]);
        if end < b.len() {
            out.push(' ');
        }
        start = end;
        i = end;
    }
    out.push_str(&text[start..]);
}

impl Inline {
    /// An empty buffer.
    pub(crate) fn new() -> Self {
        Inline {
            at_line_start: true,
            ..Inline::default()
        }
    }

    /// Appends sanitised text in `style`, collapsing whitespace.
    pub(crate) fn push_text(&mut self, text: &str, style: Style) {
        let rest = text.trim_start_matches(is_space);
        if rest.len() < text.len() {
            self.space(style);
        }
        if rest.is_empty() {
            return;
        }
        if let Some(space_style) = self.pending_space.take()
            && !self.at_line_start
        {
            push_span(&mut self.spans, " ", common(space_style, style));
        }
        if self.spans.last().is_none_or(|s| s.style != style) {
            self.spans
                .push(Span::new(String::with_capacity(rest.len()), style));
        }
        let Some(target) = self.spans.last_mut().map(|s| &mut s.text) else {
            return;
        };
        let before = target.len();
        // Every run of whitespace between two words becomes one space; `rest` starts with a
        // word, so only a trailing run is left, as a pending space.
        push_collapsed(target, rest);
        self.pushed += target.len() - before;
        self.at_line_start = false;
        if rest.ends_with(is_space) {
            self.pending_space = Some(style);
        }
    }

    /// Records a collapsible space (a block boundary inside a table cell, say).
    pub(crate) fn space(&mut self, style: Style) {
        if !self.at_line_start {
            self.pending_space = Some(match self.pending_space {
                Some(s) => common(s, style),
                None => style,
            });
        }
    }

    /// A hard line break (`<br>`): the pending space is dropped, at most one empty line results.
    pub(crate) fn line_break(&mut self) {
        self.pending_space = None;
        let ends_blank = self.spans.last().is_some_and(|s| s.text.ends_with("\n\n"));
        if !self.spans.is_empty() && !ends_blank {
            push_span(&mut self.spans, "\n", Style::PLAIN);
        }
        self.at_line_start = true;
    }

    /// How many bytes of visible text were ever pushed (a link uses it to know it got text).
    pub(crate) fn pushed(&self) -> usize {
        self.pushed
    }

    /// Whether nothing visible is waiting.
    pub(crate) fn is_empty(&self) -> bool {
        self.spans.iter().all(|s| s.text.trim().is_empty())
    }

    /// Takes the gathered spans, trimmed of trailing line breaks, and starts afresh.
    pub(crate) fn take(&mut self) -> Vec<Span> {
        let mut spans = std::mem::take(&mut self.spans);
        while let Some(last) = spans.last_mut() {
            let trimmed = last.text.trim_end_matches(['\n', ' ']).len();
            last.text.truncate(trimmed);
            if last.text.is_empty() {
                spans.pop();
            } else {
                break;
            }
        }
        self.pending_space = None;
        self.at_line_start = true;
        spans
    }
}

/// The style a space between two differently styled runs gets: the flags both share.
fn common(a: Style, b: Style) -> Style {
    Style {
        bold: a.bold && b.bold,
        italic: a.italic && b.italic,
        code: a.code && b.code,
        dim: a.dim && b.dim,
        link: a.link && b.link,
        heading: a.heading && b.heading,
        quote: a.quote && b.quote,
        folded: a.folded && b.folded,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::block::spans_text;

    #[test]
    fn collapsing_joins_the_words_by_single_spaces() {
        for text in [
            "one",
            "one two",
            "one  two",
            "one \n\t two\r\nthree\x0cfour",
            "trailing ",
            "trailing \n ",
            "café\u{a0}crème  naïve\u{2003}x",
            "a b c d e f",
            "a\nb",
        ] {
            let mut out = String::from("kept|");
            push_collapsed(&mut out, text);
            let words: Vec<&str> = text.split(is_space).filter(|w| !w.is_empty()).collect();
            assert_eq!(out, format!("kept|{}", words.join(" ")), "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn collapsing_any_text_joins_its_words_by_single_spaces(
            text in "[a-zé]{1,4}([ \n\t\r\x0c\u{a0}]{1,3}[a-zé]{1,4}){0,8}[ \n]{0,2}",
        ) {
            let mut out = String::from("kept|");
            push_collapsed(&mut out, &text);
            let words: Vec<&str> = text.split(is_space).filter(|w| !w.is_empty()).collect();
            proptest::prop_assert_eq!(out, format!("kept|{}", words.join(" ")));
        }
    }

    #[test]
    fn collapses_whitespace_and_trims() {
        let mut b = Inline::new();
        b.push_text("  hello \n\t world  ", Style::PLAIN);
        b.push_text(" again ", Style::PLAIN);
        assert_eq!(spans_text(&b.take()), "hello world again");
        assert!(b.is_empty());
    }

    #[test]
    fn spaces_between_styles_take_shared_flags() {
        let link = Style {
            link: true,
            ..Style::PLAIN
        };
        let mut b = Inline::new();
        b.push_text("see ", Style::PLAIN);
        b.push_text("this", link);
        let spans = b.take();
        assert_eq!(spans, vec![Span::plain("see "), Span::new("this", link)]);
    }

    #[test]
    fn line_breaks_are_kept_inside_and_trimmed_at_the_end() {
        let mut b = Inline::new();
        b.line_break();
        b.push_text("one ", Style::PLAIN);
        b.line_break();
        b.line_break();
        b.line_break();
        b.push_text(" two", Style::PLAIN);
        b.line_break();
        assert_eq!(spans_text(&b.take()), "one\n\ntwo");
    }
}
