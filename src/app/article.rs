//! The open article: its header, its body laid out to the pane, and the scroll position.

use std::sync::Arc;

use crate::app::dates;
use crate::app::image_rows::{self, Placed};
use crate::app::links::{self, LinkEntry};
use crate::app::text::{self, Document, LayoutOptions, Line, Span, Style};
use crate::content::header::human_size;
use crate::content::picture::Picture;
use crate::model::ItemRow;

/// One line of the article header: a label (empty for the title) and a sanitised value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderField {
    /// What the value is ("Feed", "Author", ...); empty for the title line.
    pub label: &'static str,
    /// The value, safe to draw.
    pub value: String,
}

/// An article as the pane shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleView {
    /// The item.
    pub item: ItemRow,
    /// Its parsed body.
    pub doc: Document,
    /// Every link: the body's links and images (those shown blocks carry first), then the
    /// enclosures. The raw view lists them all.
    pub links: Vec<LinkEntry>,
    /// The link list (`L`) outside the raw view: [`ArticleView::links`] without the links only
    /// folded blocks carry (an enclosure among them stays).
    pub listed: Vec<LinkEntry>,
    /// Which blocks deduplication folds, one flag per block (empty: none).
    pub hidden: Vec<bool>,
    /// How many of the body's links shown blocks carry: they come first in `doc.links`, the
    /// links only folded blocks carry after them (see [`ArticleView::listed_links`]).
    pub shown_links: usize,
    /// Header fields, title first.
    pub header: Vec<HeaderField>,
    /// The header laid out to `width`: wrapped, in the body's reading column.
    pub header_lines: Vec<Line>,
    /// The body laid out to `width`.
    pub lines: Vec<Line>,
    /// The width the body was laid out for.
    pub width: usize,
    /// Show repeated blocks too.
    pub raw: bool,
    /// The body shown is the feed's own text although the item has an article from its page.
    pub feed_text: bool,
    /// The feed's own text, parsed the first time the raw view of an article needs it.
    pub feed_doc: Option<Document>,
    /// First line shown (header lines count, then a blank line, then the body).
    pub scroll: usize,
    /// The images decoded so far, by address.
    pub pictures: Vec<(String, Arc<Picture>)>,
    /// The most rows an image takes, or `None` when images are off (alt text only).
    pub image_rows: Option<u16>,
    /// The images placed in [`ArticleView::lines`] by the last layout.
    pub placed: Vec<Placed>,
}

fn header(item: &ItemRow, tz_offset: i32) -> Vec<HeaderField> {
    let clean = |s: &str| text::sanitize_line(s).into_owned();
    let mut out = vec![
        HeaderField {
            label: "",
            value: clean(&item.title),
        },
        HeaderField {
            label: "Feed",
            value: clean(&item.feed_title),
        },
    ];
    if !item.also_in.is_empty() {
        out.push(HeaderField {
            label: "Also in",
            value: clean(&item.also_in.join(", ")),
        });
    }
    if let Some(a) = &item.author {
        out.push(HeaderField {
            label: "Author",
            value: clean(a),
        });
    }
    out.push(HeaderField {
        label: "Date",
        value: dates::full(item.sort_time, tz_offset),
    });
    if let Some(l) = &item.link {
        out.push(HeaderField {
            label: "Link",
            value: clean(l),
        });
    }
    for e in &item.enclosures {
        let mime = e.mime.as_deref().unwrap_or("unknown type");
        let len = e
            .length
            .map(human_size)
            .unwrap_or_else(|| "size unknown".into());
        out.push(HeaderField {
            label: "Enclosure",
            value: clean(&format!("{mime}, {len}: {}", e.url)),
        });
    }
    out
}

/// The entries the list offers outside the raw view: the first `shown` body links, the
/// enclosures among the other `body - shown` ones, then the item's own enclosures.
fn listed(entries: &[LinkEntry], shown: usize, body: usize) -> Vec<LinkEntry> {
    let body = body.min(entries.len());
    let shown = shown.min(body);
    let folded_enclosures = entries[shown..body]
        .iter()
        .filter(|e| matches!(e.kind, links::EntryKind::Enclosure { .. }));
    entries[..shown]
        .iter()
        .chain(folded_enclosures)
        .chain(&entries[body..])
        .cloned()
        .collect()
}

impl ArticleView {
    /// Lays out a freshly loaded article for a text width: its body and the flags of the blocks
    /// deduplication folds.
    pub fn new(
        item: ItemRow,
        (mut doc, hidden): (Document, Vec<bool>),
        width: usize,
        opts: &LayoutOptions,
        tz: i32,
    ) -> Self {
        let header = header(&item, tz);
        let shown_links = text::shown_links_first(&mut doc, &hidden);
        let links = links::entries(&doc, &item.enclosures);
        let listed = listed(&links, shown_links, doc.links.len());
        let mut view = ArticleView {
            item,
            doc,
            links,
            listed,
            hidden,
            shown_links,
            header,
            header_lines: Vec::new(),
            lines: Vec::new(),
            width: 0,
            raw: opts.raw,
            feed_text: false,
            feed_doc: None,
            scroll: 0,
            pictures: Vec::new(),
            image_rows: None,
            placed: Vec::new(),
        };
        view.relayout(width, opts.max_width, opts.center);
        view
    }

    /// Lays the body out again, for a new width or after the raw toggle.
    pub fn relayout(&mut self, width: usize, max_width: Option<usize>, center: bool) {
        let opts = LayoutOptions {
            width,
            max_width,
            center,
            raw: self.raw,
        };
        self.lines = text::layout(&self.doc, &self.hidden, &opts);
        self.placed = match self.image_rows {
            Some(rows) => {
                let (pad, col) = opts.column();
                image_rows::place(
                    &mut self.lines,
                    &self.doc.links,
                    &self.pictures,
                    pad + col,
                    rows,
                )
            }
            None => Vec::new(),
        };
        if self.raw && self.shows_full_text() {
            self.append_feed_text(&opts);
        }
        let fields: Vec<(&str, &str)> = self
            .header
            .iter()
            .map(|f| (f.label, f.value.as_str()))
            .collect();
        self.header_lines = text::field_lines(&fields, &opts);
        self.width = width;
    }

    /// The raw view of an article shows both texts: after the article, a rule line and the
    /// feed's own text (as `tidings show --raw` does).
    fn append_feed_text(&mut self, opts: &LayoutOptions) {
        let item = &self.item;
        let doc = self.feed_doc.get_or_insert_with(|| {
            text::parse(&item.content, item.content_kind, item.base.as_deref())
        });
        let (pad, col) = opts.column();
        let label = " Feed text ";
        let side = col.saturating_sub(label.len()) / 2;
        let rule = format!(
            "{}{}{label}{}",
            " ".repeat(pad),
            "─".repeat(side),
            "─".repeat(col.saturating_sub(label.len() + side))
        );
        self.lines.push(Line::default());
        self.lines.push(Line {
            spans: vec![Span::new(rule, Style::DIM)],
        });
        self.lines.push(Line::default());
        self.lines.extend(text::layout(doc, &[], opts));
    }

    /// Whether the body shown is the article fetched from the item's page.
    pub fn shows_full_text(&self) -> bool {
        self.item.full_text.is_some() && !self.feed_text
    }

    /// The links the link list offers, reference `[n]` being entry `n - 1`: in the raw view
    /// every link, else those shown blocks carry and the enclosures (a link only folded blocks
    /// carry stays folded).
    pub fn listed_links(&self) -> &[LinkEntry] {
        if self.raw { &self.links } else { &self.listed }
    }

    /// How many blocks deduplication folds.
    pub fn folded(&self) -> usize {
        self.hidden.iter().filter(|&&h| h).count()
    }

    /// Lines the article takes: header, a blank line, the body.
    pub fn height(&self) -> usize {
        self.header_lines.len() + 1 + self.lines.len()
    }

    /// Scrolls by `delta` lines, keeping at least the last screen of text in view.
    pub fn scroll_by(&mut self, delta: i64, view_height: usize) {
        let max = self.height().saturating_sub(view_height.max(1));
        let target = if delta < 0 {
            self.scroll.saturating_sub(delta.unsigned_abs() as usize)
        } else {
            self.scroll.saturating_add(delta as usize)
        };
        self.scroll = target.min(max);
    }
}
