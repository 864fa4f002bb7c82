//! The article header: title, source line and link, sanitised and wrapped like the body.

use super::layout::centre;
use super::line::{LayoutOptions, Line};
use super::sanitize::sanitize_line;
use super::style::{Span, Style};
use super::wrap::wrap_spans;

/// Lays out an article's header: the title (wrapped, heading style), a dim line with the feed,
/// the author and the date (already formatted by the caller), and the item's link. Every field
/// is sanitised; the same reading column and centring as the body apply.
pub fn header_lines(
    title: &str,
    feed: &str,
    author: Option<&str>,
    date: Option<&str>,
    link: Option<&str>,
    opts: &LayoutOptions,
) -> Vec<Line> {
    let (pad, col) = opts.column();
    let mut lines = Vec::new();
    let mut add = |text: &str, style: Style| {
        let clean = sanitize_line(text);
        let clean = clean.trim();
        if !clean.is_empty() {
            let wrapped = wrap_spans(&[Span::new(clean, style)], col);
            lines.extend(wrapped.into_iter().map(|spans| Line { spans }));
        }
    };
    add(
        title,
        Style {
            bold: true,
            heading: true,
            ..Style::PLAIN
        },
    );
    let source: Vec<String> = [Some(feed), author, date]
        .into_iter()
        .flatten()
        .map(|s| sanitize_line(s).trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    add(&source.join(" · "), Style::DIM);
    if let Some(link) = link {
        add(
            link,
            Style {
                link: true,
                ..Style::PLAIN
            },
        );
    }
    centre(lines, pad)
}

/// Lays out labelled header fields ("Feed", "Author", "Link", ...) in the reading column, with
/// the same centring as the body. A field with an empty label is the title: wrapped in the heading
/// style. Any other value wraps under itself, after its label; links wrap in the link style.
/// Every value is sanitised.
pub fn field_lines(fields: &[(&str, &str)], opts: &LayoutOptions) -> Vec<Line> {
    let (pad, col) = opts.column();
    let mut lines = Vec::new();
    for &(label, value) in fields {
        let clean = sanitize_line(value);
        let clean = clean.trim();
        if clean.is_empty() {
            continue;
        }
        if label.is_empty() {
            let title = Style {
                bold: true,
                heading: true,
                ..Style::PLAIN
            };
            let wrapped = wrap_spans(&[Span::new(clean, title)], col);
            lines.extend(wrapped.into_iter().map(|spans| Line { spans }));
            continue;
        }
        let label = format!("{}: ", sanitize_line(label));
        let label_w = super::wrap::str_width(&label);
        let label = Span::new(
            label,
            Style {
                bold: true,
                ..Style::PLAIN
            },
        );
        let style = Style {
            link: label.text == "Link: ",
            ..Style::PLAIN
        };
        let value = [Span::new(clean, style)];
        if label_w + 8 > col {
            // Too narrow to share a line: the label, then the value under it.
            lines.push(Line { spans: vec![label] });
            let wrapped = wrap_spans(&value, col);
            lines.extend(wrapped.into_iter().map(|spans| Line { spans }));
            continue;
        }
        // The value wraps under itself, after a hanging indent as wide as the label.
        for (i, spans) in wrap_spans(&value, col - label_w).into_iter().enumerate() {
            let lead = if i == 0 {
                label.clone()
            } else {
                Span::plain(" ".repeat(label_w))
            };
            let mut line = vec![lead];
            line.extend(spans);
            lines.push(Line { spans: line });
        }
    }
    centre(lines, pad)
}

/// Bytes as a short human size in SI units ("512 B", "12.3 MB"), for enclosures in the article
/// pane and in `tidings show` alike.
pub fn human_size(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "kB", "MB", "GB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1000.0 && u + 1 < UNITS.len() {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

#[cfg(test)]
mod size_tests {
    use super::human_size;

    #[test]
    fn sizes_read_well() {
        assert_eq!(human_size(512), "512 B");
        assert_eq!(human_size(2_048), "2.0 kB");
        assert_eq!(human_size(12_345_678), "12.3 MB");
    }
}
