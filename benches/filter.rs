//! Filtering a cache of 100,000 items (`tidings show SOURCE --filter EXPR`, query feeds): the
//! time to select the matching items, in-process (`Store::filter_ids`) and for the whole
//! command (`tidings show all --filter EXPR --item 1`, which filters every item and prints one;
//! and with `--json`, which prints every match).
//!
//! Run with `cargo bench --bench filter`. The cache is built once through the library's `Store`
//! API and kept under `target/filter-bench/` (rebuilt when the schema or generator changes):
//! 500 feeds of 200 items in 20 tags, titles from a vocabulary of news words, bodies of about
//! 2.5 KB of HTML (LZ4-compressed as the store keeps them), dated over 60 days, a third read,
//! one in a hundred starred. Each figure is the median of 5 runs after one warm-up.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use tidings::filter::parse;
use tidings::model::{BodyKind, ItemQuery, ParsedItem, View};
use tidings::store::{FeedUpdate, SCHEMA_VERSION, Store};

const FEEDS: usize = 500;
const PER_FEED: usize = 200;
const GENERATOR: &str = "filter-bench v1";

/// The filters measured: (class, expression, target).
const CASES: &[(&str, &str, u64)] = &[
    ("flag", "unread", 300),
    ("flag+tag+age", "unread and tag:tag03 and age < 7d", 300),
    ("feed+starred", "starred or feed:\"Feed 17\"", 300),
    ("age", "not unread and age > 30d", 300),
    ("regex title", "title:~\"(?i)\\bmarket\\b\"", 500),
    (
        "regex title+flag",
        "unread and title:~\"^Council .* (bridge|river)\"",
        500,
    ),
    ("words title", "title:\"river market\"", 500),
    ("words text", "text:\"harbour festival\"", 2_000),
    (
        "words text+regex",
        "text:café and not title:~\"(?i)sponsored\"",
        2_000,
    ),
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[(self.next() % words.len() as u64) as usize]
    }
}

const WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "in",
    "is",
    "that",
    "for",
    "it",
    "as",
    "was",
    "with",
    "be",
    "by",
    "on",
    "not",
    "this",
    "are",
    "or",
    "from",
    "at",
    "which",
    "but",
    "have",
    "an",
    "had",
    "they",
    "were",
    "their",
    "one",
    "all",
    "we",
    "can",
    "has",
    "there",
    "been",
    "if",
    "more",
    "when",
    "will",
    "would",
    "who",
    "so",
    "no",
    "government",
    "harbour",
    "council",
    "weather",
    "results",
    "market",
    "library",
    "station",
    "bridge",
    "festival",
    "report",
    "science",
    "river",
    "school",
    "energy",
    "transport",
    "museum",
    "café",
    "résumé",
    "naïve",
    "minister",
    "budget",
    "election",
    "court",
    "police",
    "hospital",
    "football",
    "season",
    "players",
    "company",
    "shares",
    "prices",
    "workers",
    "union",
    "strike",
    "climate",
    "storm",
    "flood",
    "village",
    "city",
    "county",
];

fn sentence(rng: &mut Rng, n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(rng.pick(WORDS));
    }
    s
}

fn title(rng: &mut Rng) -> String {
    let mut t = sentence(rng, 7);
    if let Some(c) = t.get_mut(0..1) {
        c.make_ascii_uppercase();
    }
    t
}

fn body(rng: &mut Rng) -> String {
    let mut s = String::with_capacity(2_800);
    while s.len() < 2_500 {
        s.push_str("<p>");
        s.push_str(&sentence(rng, 20));
        s.push_str(" <a href=\"https://example.test/x\">");
        s.push_str(&sentence(rng, 3));
        s.push_str("</a> ");
        s.push_str(&sentence(rng, 15));
        s.push_str(".</p>\n");
    }
    s
}

/// The bench home (config and cache) and the "now" its items are dated from.
fn home() -> (PathBuf, i64) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/filter-bench");
    let home = root.join("home");
    let stamp = home.join("stamp.txt");
    let want = format!("{GENERATOR} schema {SCHEMA_VERSION}");
    if let Ok(s) = std::fs::read_to_string(&stamp)
        && let Some((kind, now)) = s.rsplit_once('\n')
        && kind == want
        && let Ok(now) = now.parse()
    {
        return (home, now);
    }
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(
        home.join("config.toml"),
        "[reader]\nrefresh_on_start = false\nrefresh_interval_minutes = 0\n",
    )
    .unwrap();
    let now = chrono::Utc::now().timestamp();
    let t = Instant::now();
    let mut store = Store::open(&home.join("cache.db")).unwrap();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for f in 0..FEEDS {
        let tags = vec![format!("tag{:02}", f % 20)];
        let id = store
            .add_feed(&format!("https://feeds.example.test/{f}.xml"), None, &tags)
            .unwrap();
        let items = (0..PER_FEED)
            .map(|j| {
                let key = format!("https://feeds.example.test/{f}/{j}");
                ParsedItem {
                    key: key.clone(),
                    guid: Some(key.clone()),
                    link: Some(key),
                    title: title(&mut rng),
                    author: Some(format!("Writer {}", j % 13)),
                    published: Some(now - (rng.next() % (60 * 86_400)) as i64),
                    content: body(&mut rng),
                    content_kind: BodyKind::Html,
                    base: None,
                    enclosures: Vec::new(),
                }
            })
            .collect();
        let update = FeedUpdate {
            fetched_at: now,
            title: Some(format!("Feed {f}")),
            items,
            ..FeedUpdate::default()
        };
        store.store_feed_update(id, &update).unwrap();
        if f % 3 == 0 {
            store
                .mark_all_read(&ItemQuery::new(View::Feed(id)))
                .unwrap();
        }
    }
    let ids = store
        .headlines(&ItemQuery::new(View::All), 0, FEEDS * PER_FEED)
        .unwrap();
    for h in ids.iter().step_by(100) {
        store.set_starred(h.id, true).unwrap();
    }
    store.checkpoint().unwrap();
    drop(store);
    std::fs::write(&stamp, format!("{want}\n{now}")).unwrap();
    let mb = std::fs::metadata(home.join("cache.db")).map_or(0, |m| m.len()) / 1_000_000;
    println!(
        "built a cache of {} items in {:.1} s ({mb} MB)",
        FEEDS * PER_FEED,
        t.elapsed().as_secs_f64()
    );
    (home, now)
}

/// The median of 5 timed runs of `f` after one warm-up, and what the last run returned.
fn median<T>(mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut out = f();
    let mut times: Vec<Duration> = (0..5)
        .map(|_| {
            let t = Instant::now();
            out = f();
            t.elapsed()
        })
        .collect();
    times.sort();
    (times[2], out)
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1_000.0)
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument picks cases by class.
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let (home, now) = home();
    let store = Store::open(&home.join("cache.db")).unwrap();
    let q = ItemQuery::new(View::All);
    let total = store.item_total().unwrap();
    println!(
        "{total} items; median of 5 runs; in-process Store::filter_ids, then the whole command \
         `tidings show all --filter EXPR --item 1` and with `--json` (every match printed)"
    );
    println!(
        "{:<18} {:>8} {:>10} {:>10} {:>10} {:>8}  expression",
        "class", "matches", "in-proc", "cmd item1", "cmd json", "target"
    );
    let bin = env!("CARGO_BIN_EXE_tidings");
    for (class, src, target) in CASES {
        if !only.is_empty() && !only.iter().any(|o| class.contains(o.as_str())) {
            continue;
        }
        let expr = parse(src).unwrap();
        let (inproc, ids) = median(|| store.filter_ids(&q, &expr, now).unwrap());
        let run = |extra: &[&str]| {
            median(|| {
                let o = Command::new(bin)
                    .arg("--home")
                    .arg(&home)
                    .args(["show", "all", "--filter", src, "--width", "80"])
                    .args(extra)
                    .env_remove("TIDINGS_HOME")
                    .output()
                    .unwrap();
                assert!(
                    o.status.success() || ids.is_empty(),
                    "{}",
                    String::from_utf8_lossy(&o.stderr)
                );
            })
            .0
        };
        let item1 = run(&["--item", "1"]);
        let json = if ids.len() <= 5_000 {
            ms(run(&["--json"]))
        } else {
            "-".to_string()
        };
        println!(
            "{:<18} {:>8} {:>10} {:>10} {:>10} {:>8}  {src}",
            class,
            ids.len(),
            ms(inproc),
            ms(item1),
            json,
            format!("{target} ms"),
        );
    }
}
