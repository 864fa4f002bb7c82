//! Wrapping styled text to a width in terminal columns, with textwrap's first-fit algorithm.
//!
//! Widths are display widths (`unicode-width`): CJK and most emoji take two columns, combining
//! marks none. Lines break at spaces only (no hyphenation); a word wider than the line is cut
//! between grapheme clusters. A grapheme wider than the whole line (a CJK character on a
//! one-column line) is shown as `?`, so no line is ever wider than asked.

use textwrap::core::Fragment;
use textwrap::wrap_algorithms::wrap_first_fit;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::style::{Span, Style};

/// Display width of a string in terminal columns.
pub(crate) fn str_width(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        UnicodeWidthStr::width(s)
    }
}

/// A styled slice of the input.
#[derive(Debug, Clone, Copy)]
struct Piece<'a> {
    text: &'a str,
    style: Style,
}

/// A word: a range of pieces, its width and the spaces after it.
#[derive(Debug, Clone, Copy)]
struct Word {
    start: usize,
    end: usize,
    width: usize,
    space: usize,
}

impl Fragment for Word {
    fn width(&self) -> f64 {
        self.width as f64
    }
    fn whitespace_width(&self) -> f64 {
        self.space as f64
    }
    fn penalty_width(&self) -> f64 {
        0.0
    }
}

/// Gathers words of one hard line, then wraps them.
struct Wrapper<'a> {
    width: usize,
    pieces: Vec<Piece<'a>>,
    words: Vec<Word>,
    current: Option<Word>,
    lines: Vec<Vec<Span>>,
}

/// Wraps inline content to `width` columns (at least 1); `'\n'` in the text forces a break.
pub(crate) fn wrap_spans(spans: &[Span], width: usize) -> Vec<Vec<Span>> {
    let mut w = Wrapper {
        width: width.max(1),
        pieces: Vec::new(),
        words: Vec::new(),
        current: None,
        lines: Vec::new(),
    };
    for span in spans {
        let mut rest = span.text.as_str();
        while let Some(i) = rest.bytes().position(|b| b == b' ' || b == b'\n') {
            w.text(&rest[..i], span.style);
            if rest.as_bytes()[i] == b' ' {
                w.space();
            } else {
                w.end_line();
            }
            rest = &rest[i + 1..];
        }
        w.text(rest, span.style);
    }
    w.end_line();
    w.lines
}

impl<'a> Wrapper<'a> {
    fn text(&mut self, text: &'a str, style: Style) {
        if text.is_empty() {
            return;
        }
        if self.current.is_some_and(|c| c.space > 0) {
            self.close_word();
        }
        let width = str_width(text);
        self.pieces.push(Piece { text, style });
        let end = self.pieces.len();
        let word = self.current.get_or_insert(Word {
            start: end - 1,
            end,
            width: 0,
            space: 0,
        });
        word.end = end;
        word.width += width;
    }

    fn space(&mut self) {
        if let Some(word) = self.current.as_mut() {
            word.space += 1;
        }
    }

    fn close_word(&mut self) {
        let Some(word) = self.current.take() else {
            return;
        };
        if word.width <= self.width {
            self.words.push(word);
            return;
        }
        // Too wide for any line: cut it between grapheme clusters.
        let mut chunk = Word {
            start: self.pieces.len(),
            end: self.pieces.len(),
            width: 0,
            space: 0,
        };
        for p in word.start..word.end {
            let Piece { text, style } = self.pieces[p];
            for g in text.graphemes(true) {
                let (g, gw) = match str_width(g) {
                    gw if gw > self.width => ("?", 1),
                    gw => (g, gw),
                };
                if chunk.width + gw > self.width {
                    self.words.push(chunk);
                    chunk = Word {
                        start: self.pieces.len(),
                        end: self.pieces.len(),
                        width: 0,
                        space: 0,
                    };
                }
                self.pieces.push(Piece { text: g, style });
                chunk.end = self.pieces.len();
                chunk.width += gw;
            }
        }
        chunk.space = word.space;
        self.words.push(chunk);
    }

    fn end_line(&mut self) {
        self.close_word();
        if self.words.is_empty() {
            self.lines.push(Vec::new());
            return;
        }
        for line in wrap_first_fit(&self.words, &[self.width as f64]) {
            let mut spans: Vec<Span> = Vec::with_capacity(2);
            let mut text = String::with_capacity(self.width + 8);
            let mut style = self.pieces[line[0].start].style;
            let mut put = |s: &str, st: Style, text: &mut String| {
                if st != style {
                    if !text.is_empty() {
                        spans.push(Span::new(std::mem::take(text), style));
                    }
                    style = st;
                }
                text.push_str(s);
            };
            for (i, word) in line.iter().enumerate() {
                if i > 0 {
                    let prev = line[i - 1];
                    let before = self.pieces[prev.end - 1].style;
                    let after = self.pieces[word.start].style;
                    let st = if before == after {
                        before
                    } else {
                        Style::PLAIN
                    };
                    put(spaces(prev.space), st, &mut text);
                }
                for piece in &self.pieces[word.start..word.end] {
                    put(piece.text, piece.style, &mut text);
                }
            }
            if !text.is_empty() {
                spans.push(Span::new(text, style));
            }
            self.lines.push(spans);
        }
        self.words.clear();
    }
}

/// A string of `n` spaces, at most 32.
fn spaces(n: usize) -> &'static str {
    const SPACES: &str = "                                ";
    &SPACES[..n.min(SPACES.len())]
}

/// Lays out preformatted text: never re-wrapped; a line wider than `width` continues on the
/// next line after a dim `↪ ` mark (no mark when the width is under 4 columns).
pub(crate) fn wrap_pre(spans: &[Span], width: usize) -> Vec<Vec<Span>> {
    let width = width.max(1);
    let mark = if width >= 4 { "↪ " } else { "" };
    let mut lines = Vec::new();
    for span in spans {
        for text in span.text.split('\n') {
            if str_width(text) <= width {
                lines.push(if text.is_empty() {
                    Vec::new()
                } else {
                    vec![Span::new(text, span.style)]
                });
                continue;
            }
            let mut line = String::new();
            let mut used = 0;
            let mut limit = width;
            for g in text.graphemes(true) {
                let gw = str_width(g);
                let (g, gw) = if gw > limit { ("?", 1) } else { (g, gw) };
                if used + gw > limit {
                    push_pre_line(
                        &mut lines,
                        &mut line,
                        span.style,
                        lines_mark(limit, width, mark),
                    );
                    used = 0;
                    limit = width - str_width(mark);
                }
                line.push_str(g);
                used += gw;
            }
            push_pre_line(
                &mut lines,
                &mut line,
                span.style,
                lines_mark(limit, width, mark),
            );
        }
    }
    lines
}

/// The mark in front of a pre line: none for the first piece (full width), else `mark`.
fn lines_mark(limit: usize, width: usize, mark: &str) -> &str {
    if limit == width { "" } else { mark }
}

fn push_pre_line(lines: &mut Vec<Vec<Span>>, line: &mut String, style: Style, mark: &str) {
    let mut spans = Vec::new();
    if !mark.is_empty() {
        spans.push(Span::new(mark, Style::DIM));
    }
    spans.push(Span::new(std::mem::take(line), style));
    lines.push(spans);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::block::spans_text;

    fn wrap(text: &str, width: usize) -> Vec<String> {
        wrap_spans(&[Span::plain(text)], width)
            .iter()
            .map(|l| spans_text(l))
            .collect()
    }

    #[test]
    fn first_fit_by_display_width() {
        assert_eq!(
            wrap("the quick brown fox", 10),
            vec!["the quick", "brown fox"]
        );
        assert_eq!(wrap("日本語 日本語", 7), vec!["日本語", "日本語"]);
        assert_eq!(wrap("cafe\u{301} ok", 7), vec!["cafe\u{301} ok"]);
    }

    #[test]
    fn long_words_are_cut_and_hard_breaks_kept() {
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("a\n\nb", 4), vec!["a", "", "b"]);
        assert_eq!(wrap("日本", 1), vec!["?", "?"]);
    }

    #[test]
    fn styles_survive_wrapping() {
        let bold = Style {
            bold: true,
            ..Style::PLAIN
        };
        let lines = wrap_spans(&[Span::plain("aa "), Span::new("bb cc", bold)], 5);
        assert_eq!(lines[0], vec![Span::plain("aa "), Span::new("bb", bold)]);
        assert_eq!(lines[1], vec![Span::new("cc", bold)]);
    }

    #[test]
    fn pre_lines_continue_after_a_mark() {
        let lines: Vec<String> = wrap_pre(&[Span::plain("abcdefgh\n\nxy")], 5)
            .iter()
            .map(|l| spans_text(l))
            .collect();
        assert_eq!(lines, vec!["abcde", "↪ fgh", "", "xy"]);
    }
}
