//! Keypress to frame while scrolling a 100,000-item headline list: `update(Down)` plus a full
//! `render` into a 200x50 test backend, answering window loads at once as the cache worker would.
//! Criterion measures the mean of the whole step (the answers included); a plain loop afterwards
//! prints p50, p99 and the maximum of keypress frames, and separately of the frames drawn when a
//! window arrives (the store query itself runs on the worker thread and is not measured here).
//!
//! Then `reader/refresh.rs` measures keypress to frame with the real cache worker while a
//! 500-feed refresh stores, digests and indexes in the same process (see its doc comment).

#[path = "reader/refresh.rs"]
mod reader_refresh;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tidings::app::{Command, Msg, State, Totals, update};
use tidings::config::ReaderSettings;
use tidings::config::keymap::{Action, Keymap};
use tidings::config::theme::Theme;
use tidings::model::{FeedRow, Headline, ItemQuery, View};

const TOTAL: u64 = 100_000;
const NOW: i64 = 1_796_040_000;

fn headline(i: u64) -> Headline {
    Headline {
        also_in: Vec::new(),
        id: 10_000_000 - i as i64,
        feed_id: (i % 50) as i64,
        feed_title: format!("Feed number {}", i % 50),
        title: format!("A headline of moderate length, number {i}, about something"),
        link: Some(format!("https://example.org/{i}")),
        sort_time: NOW - i as i64 * 600,
        read: i.is_multiple_of(3),
        starred: i.is_multiple_of(11),
    }
}

fn feeds() -> Vec<FeedRow> {
    (0..50)
        .map(|id| FeedRow {
            id,
            url: format!("https://example.org/{id}.xml"),
            title: format!("Feed number {id}"),
            site_link: None,
            tags: vec![format!("tag{}", id % 5)],
            items: 2000,
            unread: 700,
            last_success: Some(NOW),
            last_checked: Some(NOW),
            last_error: None,
            etag: None,
            last_modified: None,
            retry_not_before: None,
        })
        .collect()
}

struct Bench {
    state: State,
    term: Terminal<TestBackend>,
    /// Every headline of the view, made once: the store's side of the work is not measured.
    all: Vec<Headline>,
    /// Frames drawn for arriving windows, and how long each took (update plus render).
    load_frames: Vec<Duration>,
}

impl Bench {
    fn new() -> Bench {
        let mut state = State::new(
            ReaderSettings::default(),
            Keymap::default_keys(),
            Theme::default(),
            NOW,
        );
        let mut cmds = tidings::app::start(&mut state);
        update(&mut state, Msg::Resize(200, 50));
        update(
            &mut state,
            Msg::FeedsLoaded(
                feeds(),
                Totals {
                    all: TOTAL,
                    unread: 66_000,
                    starred: 9_000,
                    ..Totals::default()
                },
            ),
        );
        let mut b = Bench {
            state,
            term: Terminal::new(TestBackend::new(200, 50)).expect("test backend"),
            all: (0..TOTAL).map(headline).collect(),
            load_frames: Vec::new(),
        };
        cmds.retain(|c| matches!(c, Command::LoadHeadlines { .. }));
        b.answer(cmds);
        b
    }

    fn frame(&mut self) {
        let state = &self.state;
        self.term
            .draw(|f| tidings::ui::render(state, f))
            .expect("draw");
        black_box(self.term.backend().buffer());
    }

    /// Answers window loads as the cache worker would; each answer is a message and a frame
    /// of its own, timed into `load_frames`.
    fn answer(&mut self, cmds: Vec<Command>) {
        for c in cmds {
            if let Command::LoadHeadlines {
                query,
                offset,
                limit,
            } = c
            {
                let end = (offset + limit as u64).min(TOTAL);
                let rows = self.all[offset as usize..end as usize].to_vec();
                let t = Instant::now();
                let more = update(
                    &mut self.state,
                    Msg::HeadlinesLoaded {
                        query,
                        offset,
                        rows,
                        total: TOTAL,
                    },
                );
                self.frame();
                self.load_frames.push(t.elapsed());
                self.answer(more);
            }
        }
    }

    /// One keypress and its frame; returns how long they took.
    fn step(&mut self, action: Action) -> Duration {
        if self.state.list.selected + 1 >= TOTAL {
            let cmds = update(&mut self.state, Msg::Action(Action::Top));
            self.answer(cmds);
        }
        let t = Instant::now();
        let cmds = update(&mut self.state, Msg::Action(action));
        self.frame();
        let took = t.elapsed();
        self.answer(cmds);
        took
    }
}

fn summary(label: &str, mut times: Vec<Duration>) {
    times.sort_unstable();
    if times.is_empty() {
        return;
    }
    let p = |q: f64| times[((times.len() as f64 - 1.0) * q) as usize];
    println!(
        "{label}: {} frames, p50 {:?}, p99 {:?}, max {:?}",
        times.len(),
        p(0.5),
        p(0.99),
        times[times.len() - 1]
    );
}

fn percentiles(action: Action, label: &str) {
    let mut b = Bench::new();
    b.load_frames.clear();
    let times: Vec<Duration> = (0..20_000).map(|_| b.step(action)).collect();
    summary(&format!("{label} keypress"), times);
    summary(&format!("{label} window arrival"), b.load_frames);
}

fn reader(c: &mut Criterion) {
    assert_eq!(
        Bench::new().state.list.query,
        ItemQuery::new(View::All),
        "the bench scrolls the All view"
    );
    let mut b = Bench::new();
    c.bench_function("down_update_and_render_200x50_100k", |bench| {
        bench.iter(|| b.step(Action::Down))
    });
    let mut b = Bench::new();
    c.bench_function("page_down_update_and_render_200x50_100k", |bench| {
        bench.iter(|| b.step(Action::PageDown))
    });
    percentiles(Action::Down, "down");
    percentiles(Action::PageDown, "page_down");
    reader_refresh::during_refresh();
}

criterion_group!(benches, reader);
criterion_main!(benches);
