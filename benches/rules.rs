//! What rules on arrival cost a refresh: a refresh's worth of new items (500 feeds x 50 items)
//! stored in batches of 16 feeds (as the refresh writer stores them), with no rules and with
//! four rules of the usual kinds (a regex on titles, words on titles, a feed condition, a tag set
//! by an earlier rule). Runs alternate, and the median of each is printed with the ratio.
//!
//! Run with `cargo bench --bench rules` (or `--profile dev` to skip a release build; SQLite and
//! the regex engine are optimised in both). Arguments: `[FEEDS] [ITEMS] [ROUNDS]`.

use std::time::{Duration, Instant};

use tidings::filter::parse;
use tidings::model::{BodyKind, ParsedItem};
use tidings::store::{BatchEntry, FeedUpdate, Rule, RuleAction, Store};

const WORDS: &[&str] = &[
    "council", "harbour", "boat", "rail", "school", "budget", "compiler", "release", "north",
    "festival", "bridge", "court", "energy", "water", "night", "season", "vote", "plan",
];

/// Six common words; one title in 25 is sponsored, one in 40 about the river market and one
/// in 50 about a storm, so that each rule matches a few per cent of the items, as real ones do.
fn title(feed: usize, i: usize) -> String {
    let mut words: Vec<&str> = (0..6)
        .map(|k| WORDS[(feed * 31 + i * 7 + k * 13) % WORDS.len()])
        .collect();
    if (feed + i).is_multiple_of(25) {
        words.insert(0, "Sponsored:");
    }
    if (feed * 3 + i) % 40 == 1 {
        words.push("river market");
    }
    if (feed + 2 * i) % 50 == 3 {
        words.push("storm");
    }
    words.join(" ")
}

fn updates(feeds: usize, items: usize, at: i64) -> Vec<FeedUpdate> {
    (0..feeds)
        .map(|f| FeedUpdate {
            fetched_at: at,
            items: (0..items)
                .map(|i| {
                    let t = title(f, i);
                    ParsedItem {
                        key: format!("{f}-{i}"),
                        guid: Some(format!("{f}-{i}")),
                        link: Some(format!("https://feed{f}.test/{i}")),
                        content: format!("<p>{t}. {t}. {t}.</p>").repeat(20),
                        title: t,
                        author: None,
                        published: Some(at - (i as i64) * 600),
                        content_kind: BodyKind::Html,
                        base: None,
                        enclosures: Vec::new(),
                    }
                })
                .collect(),
            ..FeedUpdate::default()
        })
        .collect()
}

/// The four rules; with `none`, the same kinds of conditions on words no title holds, so that
/// only the evaluation is paid for, not the changes.
fn rules(none: bool) -> Vec<Rule> {
    let four = if none {
        [
            (r#"title:~"(?i)unheard""#, "tag:ad"),
            ("tag:ad", "hide"),
            (r#"title:"river delta""#, "star"),
            ("feed:\"Feed 9999\" or title:tornado", "read"),
        ]
    } else {
        [
            (r#"title:~"(?i)sponsored""#, "tag:ad"),
            ("tag:ad", "hide"),
            (r#"title:"river market""#, "star"),
            ("feed:\"Feed 7\" or title:storm", "read"),
        ]
    };
    four.iter()
        .map(|(f, a)| Rule {
            filter: f.to_string(),
            expr: parse(f).unwrap(),
            action: RuleAction::parse(a).unwrap(),
        })
        .collect()
}

/// Stores every update into a fresh cache with `rules`; returns the time the stores took.
fn run(ups: &[FeedUpdate], rules: &[Rule]) -> Duration {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cache.db")).unwrap();
    let ids: Vec<i64> = (0..ups.len())
        .map(|f| {
            store
                .add_feed(
                    &format!("https://feed{f}.test/rss"),
                    Some(&format!("Feed {f}")),
                    &[],
                )
                .unwrap()
        })
        .collect();
    store.set_rules(rules.to_vec());
    let pairs: Vec<BatchEntry<'_>> = ids.iter().zip(ups).map(|(id, u)| (*id, u, None)).collect();
    let start = Instant::now();
    for batch in pairs.chunks(16) {
        store.store_feed_updates(batch).unwrap();
    }
    let took = start.elapsed();
    if !rules.is_empty() {
        let hidden = ups.iter().flat_map(|u| &u.items).count() as u64 - store.item_total().unwrap();
        HIDDEN.store(hidden, std::sync::atomic::Ordering::Relaxed);
    }
    took
}

/// How many items the rules hid in the last run.
static HIDDEN: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let feeds = args.first().copied().unwrap_or(500);
    let items = args.get(1).copied().unwrap_or(50);
    let rounds = args.get(2).copied().unwrap_or(3);
    let ups = updates(feeds, items, 1_700_000_000);
    let (rules, idle) = (rules(false), rules(true));
    let (mut without, mut with, mut unmatched) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        without.push(run(&ups, &[]));
        unmatched.push(run(&ups, &idle));
        with.push(run(&ups, &rules));
    }
    let (a, b, c) = (median(without), median(with), median(unmatched));
    println!(
        "the same 4 rules matching nothing: {:.2} s ({:+.1}%)",
        c.as_secs_f64(),
        (c.as_secs_f64() / a.as_secs_f64() - 1.0) * 100.0
    );
    println!(
        "store {} new items in batches of 16 feeds: no rules {:.2} s, 4 rules {:.2} s ({:+.1}%; {} items hidden), median of {rounds}, {} cores",
        feeds * items,
        a.as_secs_f64(),
        b.as_secs_f64(),
        (b.as_secs_f64() / a.as_secs_f64() - 1.0) * 100.0,
        HIDDEN.load(std::sync::atomic::Ordering::Relaxed),
        std::thread::available_parallelism().map_or(0, usize::from),
    );
}
