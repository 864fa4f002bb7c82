//! Keypress to frame while scrolling an article with images on screen: `update` of a scroll key
//! plus a full `render` into a 200x50 test backend (and, for the kitty, sixel and iTerm2
//! protocols, the escape sequences written after the frame, into a counting sink), over an
//! article of 40 paragraphs and 12 decoded 400x300 images (drawn 12 rows high), scrolled down to
//! its end and back up again and again. Prints p50, p99 and the maximum; the goal is a p99 under 16 ms.
//! Decoding is not measured: it runs on the image loader's threads, never the drawing one.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tidings::app::image_spots::spots;
use tidings::app::protocol::Protocol;
use tidings::app::{Focus, Msg, State, update};
use tidings::config::ReaderSettings;
use tidings::config::keymap::{Action, Keymap};
use tidings::config::theme::Theme;
use tidings::content::picture::Picture;
use tidings::model::{BodyKind, ItemRow};
use tidings::session::placements::Placer;

const NOW: i64 = 1_796_040_000;
const IMAGES: usize = 12;

fn article() -> ItemRow {
    let mut body = String::new();
    for i in 0..40 {
        body.push_str(&format!(
            "<p>Paragraph {i} of a long article about harbours, lamps and the sea, long enough \
             to wrap over a few lines of the reading column in a wide pane.</p>"
        ));
        if i % 3 == 0 && i / 3 < IMAGES {
            body.push_str(&format!(
                "<img src='https://img.test/{}.png' alt='Picture {}'>",
                i / 3,
                i / 3
            ));
        }
    }
    ItemRow {
        also_in: Vec::new(),
        full_text: None,
        id: 1,
        feed_id: 1,
        feed_title: "Harbour".into(),
        key: "k1".into(),
        guid: None,
        link: Some("https://example.org/a".into()),
        title: "A long article with pictures".into(),
        author: None,
        published: Some(NOW),
        first_seen: NOW,
        sort_time: NOW,
        content: body,
        content_kind: BodyKind::Html,
        base: None,
        enclosures: Vec::new(),
        read: false,
        starred: false,
    }
}

/// A 400 x 300 picture of smooth gradients.
fn picture(seed: u8) -> Arc<Picture> {
    let (w, h) = (400u32, 300u32);
    let mut rgba = Vec::with_capacity((w * h * 4) as usize);
    for y in 0..h {
        for x in 0..w {
            rgba.extend_from_slice(&[(x % 256) as u8, (y % 256) as u8, seed, 255]);
        }
    }
    Arc::new(Picture {
        width: w,
        height: h,
        rgba,
    })
}

fn state() -> State {
    let mut state = State::new(
        ReaderSettings::default(),
        Keymap::default_keys(),
        Theme::default(),
        NOW,
    );
    update(&mut state, Msg::Resize(200, 50));
    let it = article();
    let doc = tidings::content::parse(&it.content, it.content_kind, None);
    state.article_pending = Some(it.id);
    update(
        &mut state,
        Msg::ArticleLoaded(Box::new(it), doc, Vec::new()),
    );
    for i in 0..IMAGES {
        update(
            &mut state,
            Msg::ImageLoaded {
                item: 1,
                url: format!("https://img.test/{i}.png"),
                picture: picture(i as u8 * 20),
            },
        );
    }
    state.focus = Focus::Article;
    let a = state.article.as_ref().expect("the article is open");
    assert_eq!(a.placed.len(), IMAGES, "every image is placed");
    state
}

/// Counts the bytes written to the terminal, and the images sent whole (kitty `a=t`, sixel DCS,
/// iTerm2 OSC 1337).
#[derive(Default)]
struct Sink {
    bytes: usize,
    sent: usize,
}

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes += buf.len();
        self.sent += buf.windows(7).filter(|w| *w == b"\x1b_Ga=t,").count();
        self.sent += buf.windows(8).filter(|w| *w == b"\x1bP0;1;0q").count();
        self.sent += buf.windows(7).filter(|w| *w == b"\x1b]1337;").count();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Scrolls down to the end and back up again and again, one keypress a frame: `update`, a
/// full `render`, and for a graphics protocol the placer's writes after the frame.
fn run(protocol: Protocol) {
    let mut state = state();
    update(&mut state, Msg::Graphics(protocol));
    let mut placer = Placer::new(protocol, (8, 16));
    let mut sink = Sink::default();
    let mut term = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    let mut times = Vec::new();
    let mut images_seen = 0usize;
    let mut down = true;
    for _ in 0..20_000 {
        let a = state.article.as_ref().expect("open");
        let end = a.height().saturating_sub(48);
        if a.scroll >= end {
            down = false;
        } else if a.scroll == 0 {
            down = true;
        }
        let action = if down { Action::Down } else { Action::Up };
        let t = Instant::now();
        update(&mut state, Msg::Action(action));
        term.draw(|f| tidings::ui::render(&state, f)).expect("draw");
        let spots = spots(&state);
        placer.sync(&spots, (200, 50), &mut sink).expect("sink");
        times.push(t.elapsed());
        let buf = black_box(term.backend().buffer());
        if !spots.is_empty() || buf.content.iter().any(|c| c.symbol() == "▀") {
            images_seen += 1;
        }
    }
    assert!(
        images_seen > times.len() / 2,
        "images on screen most of the time"
    );
    times.sort_unstable();
    let p = |q: f64| times[((times.len() as f64 - 1.0) * q) as usize];
    let max: Duration = times[times.len() - 1];
    let extra = match protocol {
        Protocol::Halfblocks => String::new(),
        _ => format!(
            ", {} KiB written after frames, {} images sent whole",
            sink.bytes / 1024,
            sink.sent
        ),
    };
    println!(
        "scroll with {protocol:?} images (200x50, {IMAGES} images): {} frames ({images_seen} with \
         images on screen), p50 {:?}, p99 {:?}, max {:?}{extra}",
        times.len(),
        p(0.5),
        p(0.99),
        max
    );
}

fn main() {
    for protocol in [
        Protocol::Halfblocks,
        Protocol::Kitty,
        Protocol::Sixel,
        Protocol::Iterm2,
    ] {
        run(protocol);
    }
}
