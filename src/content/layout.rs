//! Laying blocks out into styled lines for a width: prefixes (quote bars, list markers, the
//! folded-block gutter), blank lines between blocks, folded runs, the link list, centring.

use super::block::{Block, BlockKind, Document, ListMarker};
use super::line::{LayoutOptions, Line};
use super::style::{Span, Style};
use super::table::layout_table;
use super::wrap::{str_width, wrap_pre, wrap_spans};

/// Lays a document out into lines. `hidden` holds one flag per block (an empty slice hides
/// nothing): a run of hidden blocks becomes one dim notice line, or, with `opts.raw`, every
/// block is shown and the hidden ones are marked with a `▌` gutter and the folded style.
/// After the body come a blank line and the numbered link list (without the links only hidden
/// blocks carry, unless `opts.raw`).
pub fn layout(doc: &Document, hidden: &[bool], opts: &LayoutOptions) -> Vec<Line> {
    let (pad, col) = opts.column();
    let mut out = Out {
        lines: Vec::new(),
        col,
        last_marker: 2,
    };
    let is_hidden = |i: usize| hidden.get(i).copied().unwrap_or(false);
    let mut prev: Option<Prev> = None;
    let mut i = 0;
    while i < doc.blocks.len() {
        if is_hidden(i) && !opts.raw {
            let start = i;
            while i < doc.blocks.len() && is_hidden(i) {
                i += 1;
            }
            out.separate(prev, None);
            out.notice(i - start);
            prev = Some(Prev::Notice);
            continue;
        }
        let block = &doc.blocks[i];
        out.separate(prev, Some(block));
        out.block(block, opts.raw && is_hidden(i));
        prev = Some(Prev::Block(block));
        i += 1;
    }
    // Links only folded blocks carry are as hidden as those blocks.
    let folded_only = if opts.raw {
        Vec::new()
    } else {
        super::link_refs::folded_only_links(doc, hidden)
    };
    let listed = |n: usize| !folded_only.get(n).copied().unwrap_or(false);
    if (0..doc.links.len()).any(listed) {
        if !out.lines.is_empty() {
            out.lines.push(Line::default());
        }
        for (n, link) in doc.links.iter().enumerate().filter(|(n, _)| listed(*n)) {
            let marker = format!("[{}]: ", n + 1);
            let style = Style {
                link: true,
                ..Style::PLAIN
            };
            let lines = out.prefixed(
                &[Span::new(link.url.as_str(), style)],
                &marker,
                0,
                0,
                false,
                wrap_spans,
            );
            out.lines.extend(lines);
        }
    }
    centre(out.lines, pad)
}

/// Prepends `pad` spaces to every non-empty line.
pub(crate) fn centre(mut lines: Vec<Line>, pad: usize) -> Vec<Line> {
    if pad > 0 {
        let spaces = " ".repeat(pad);
        for line in lines.iter_mut().filter(|l| !l.spans.is_empty()) {
            line.spans.insert(0, Span::plain(spaces.as_str()));
        }
    }
    lines
}

/// What came before, for the blank line between blocks.
#[derive(Clone, Copy)]
enum Prev<'a> {
    Block(&'a Block),
    Notice,
}

struct Out {
    lines: Vec<Line>,
    col: usize,
    last_marker: usize,
}

impl Out {
    /// The line between two blocks: none between list items, a bar inside a quote, else blank.
    fn separate(&mut self, prev: Option<Prev>, next: Option<&Block>) {
        let Some(prev) = prev else { return };
        if let (Prev::Block(a), Some(b)) = (prev, next) {
            let is_item = matches!(a.kind, BlockKind::ListItem { .. });
            let same_list = matches!(b.kind, BlockKind::ListItem { marker, first, .. }
                if !first && marker != ListMarker::None);
            if is_item && same_list {
                return;
            }
            let depth = a.quote.min(b.quote) as usize;
            if depth > 0 {
                let bar = self.frame("", 0, depth, false).apply(vec![Vec::new()]);
                self.lines.extend(bar);
                return;
            }
        }
        self.lines.push(Line::default());
    }

    fn notice(&mut self, count: usize) {
        let text = if count == 1 {
            "⋯ 1 repeated paragraph hidden".to_string()
        } else {
            format!("⋯ {count} repeated paragraphs hidden")
        };
        let lines = wrap_spans(&[Span::new(text, Style::DIM)], self.col);
        self.lines
            .extend(lines.into_iter().map(|spans| Line { spans }));
    }

    fn block(&mut self, block: &Block, folded: bool) {
        let quote = match block.kind {
            BlockKind::Quote { depth } => depth.max(block.quote),
            _ => block.quote,
        } as usize;
        let lines = match &block.kind {
            BlockKind::ListItem { depth, marker, .. } => {
                let marker = match marker {
                    ListMarker::Bullet => {
                        let m = ["• ", "◦ ", "▪ "][(*depth as usize).min(2)].to_string();
                        self.last_marker = 2;
                        m
                    }
                    ListMarker::Number(n) => {
                        let m = format!("{n}. ");
                        self.last_marker = m.len();
                        m
                    }
                    ListMarker::None => " ".repeat(self.last_marker),
                };
                let indent = 2 * *depth as usize;
                self.prefixed(&block.spans, &marker, indent, quote, folded, wrap_spans)
            }
            BlockKind::Pre => {
                let indent = if self.col > 20 { 2 } else { 0 };
                self.prefixed(&block.spans, "", indent, quote, folded, wrap_pre)
            }
            BlockKind::Rule => self.prefixed(&[], "", 0, quote, folded, |_, w| {
                vec![vec![Span::new("─".repeat(w), Style::DIM)]]
            }),
            BlockKind::Table(table) => {
                let frame = self.frame("", 0, quote, folded);
                let mut all = Vec::new();
                for (n, group) in layout_table(table, frame.width).into_iter().enumerate() {
                    if n > 0 {
                        all.extend(frame.apply(vec![Vec::new()]));
                    }
                    all.extend(frame.apply(group));
                }
                all
            }
            BlockKind::Caption => {
                let spans: Vec<Span> = block
                    .spans
                    .iter()
                    .map(|s| {
                        Span::new(
                            s.text.as_str(),
                            Style {
                                italic: true,
                                ..s.style
                            },
                        )
                    })
                    .collect();
                self.prefixed(&spans, "", 0, quote, folded, wrap_spans)
            }
            _ => self.prefixed(&block.spans, "", 0, quote, folded, wrap_spans),
        };
        self.lines.extend(lines);
    }

    /// Lays `spans` out with `lay` at the width left after the prefixes (see [`Out::frame`]).
    fn prefixed(
        &self,
        spans: &[Span],
        marker: &str,
        indent: usize,
        quote: usize,
        folded: bool,
        lay: impl FnOnce(&[Span], usize) -> Vec<Vec<Span>>,
    ) -> Vec<Line> {
        let frame = self.frame(marker, indent, quote, folded);
        frame.apply(lay(spans, frame.width))
    }

    /// The prefixes of a block: folded gutter, quote bars, indent and marker on the first line,
    /// the same width of spaces after it. Prefixes give way on very narrow columns so that the
    /// text keeps at least half the width.
    fn frame<'m>(&self, marker: &'m str, indent: usize, quote: usize, folded: bool) -> Frame<'m> {
        let col = self.col;
        let mut room = col - (col / 2).max(1);
        let marker_w = str_width(marker);
        let marker = if marker_w <= room {
            room -= marker_w;
            marker
        } else {
            ""
        };
        let gutter = folded && room >= 2;
        if gutter {
            room -= 2;
        }
        let quote = quote.min(room / 2).min(col / 6);
        room -= 2 * quote;
        let indent = indent.min(room);
        let used = str_width(marker) + usize::from(gutter) * 2 + 2 * quote + indent;
        Frame {
            gutter,
            folded,
            quote,
            indent,
            marker,
            width: col - used,
        }
    }
}

/// The prefixes decided for one block, and the width left for its text.
struct Frame<'m> {
    gutter: bool,
    folded: bool,
    quote: usize,
    indent: usize,
    marker: &'m str,
    width: usize,
}

impl Frame<'_> {
    /// Puts the prefixes in front of laid-out content lines.
    fn apply(&self, lines: Vec<Vec<Span>>) -> Vec<Line> {
        let mut out = Vec::with_capacity(lines.len());
        for (n, content) in lines.into_iter().enumerate() {
            let mut line = Vec::with_capacity(content.len() + 3);
            if self.gutter {
                line.push(Span::new("▌ ", Style::DIM));
            }
            if self.quote > 0 {
                line.push(Span::new("│ ".repeat(self.quote), quote_style()));
            }
            let lead_width = self.indent + str_width(self.marker);
            if lead_width > 0 && (n == 0 && !self.marker.is_empty() || !content.is_empty()) {
                let mut lead = " ".repeat(if n == 0 { self.indent } else { lead_width });
                if n == 0 {
                    lead.push_str(self.marker);
                }
                line.push(Span::new(lead, Style::DIM));
            }
            line.extend(content);
            if self.folded {
                for span in &mut line {
                    span.style = folded_style(span.style);
                }
            }
            out.push(Line { spans: line });
        }
        out
    }
}

fn quote_style() -> Style {
    Style {
        quote: true,
        dim: true,
        ..Style::PLAIN
    }
}

fn folded_style(style: Style) -> Style {
    Style {
        folded: true,
        ..style
    }
}
