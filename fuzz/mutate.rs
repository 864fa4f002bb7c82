//! A mutation fuzzer that runs on the stable toolchain: `cargo run --example fuzz -- TARGET...`.
//!
//! Each target of `targets.rs` gets seeds (the project's fixtures, `fuzz/corpus/<target>/` and,
//! when present, the shared feed and page corpora), then stacked random mutations of them (bit
//! flips, byte and token insertions, deletions, duplications, splices of two seeds) until its time
//! budget is spent: `FUZZ_SECONDS` (default 30) per target. It is not coverage-guided; it is blind
//! but cheap, and it needs no compiler plugin.
//!
//! An input that panics is written to `fuzz/artifacts/<target>/crash-<hash>`; one that takes over
//! `FUZZ_SLOW_MS` (default 1,000 ms) to `slow-<hash>` (when it is the slowest per KiB so far); one still running after `FUZZ_HANG_SECONDS`
//! (default 60) to `hang-<hash>`, and the process then exits. The run prints the executions each
//! target did and exits non-zero when an input panicked or hung (slow inputs are reported only). `cargo run --example fuzz -- --replay
//! TARGET FILE...` runs saved inputs once each.

#[path = "targets.rs"]
mod targets;

// Only its directory walk: the seeds do without the shared data sets when they are missing.
#[path = "../tests/support/shared.rs"]
#[allow(dead_code)]
mod shared;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Seeds larger than this are cut, so that one huge file does not eat the budget.
const MAX_SEED: usize = 256 * 1024;

/// Pieces of markup and text that blind byte flips rarely make on their own.
const TOKENS: &[&str] = &[
    "<",
    ">",
    "</",
    "/>",
    "<div>",
    "</div>",
    "<b>",
    "<i>",
    "<p>",
    "<table><tr><td>",
    "<pre>",
    "<ul><li>",
    "<a href=\"javascript:x\">",
    "<img src=\"/i.png\">",
    "<![CDATA[",
    "]]>",
    "<!--",
    "-->",
    "&amp;",
    "&#x1b;",
    "&#0;",
    "&#xD800;",
    "&nbsp;",
    "&lt;",
    "&",
    ";",
    "\"",
    "'",
    "=",
    "\u{1b}[31m",
    "\u{1b}]52;c;",
    "\u{7}",
    "\u{9b}",
    "\u{202e}",
    "\u{2066}",
    "\u{200b}",
    "\u{feff}",
    "\u{301}",
    "\u{fe0f}",
    "\u{1f600}",
    "\u{4e2d}",
    "\r\n",
    "\n",
    "\t",
    "\0",
    "<?xml version=\"1.0\" encoding=\"utf-16\"?>",
    "<rss version=\"2.0\"><channel>",
    "<item><title>",
    "</title>",
    "<description>",
    "<guid>",
    "<link>",
    "<pubDate>",
    "</item>",
    "<feed xmlns=\"http://www.w3.org/2005/Atom\">",
    "<entry>",
    "xml:base=\"../\"",
    "<content type=\"html\">",
    "{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[",
    "<opml version=\"2.0\"><body>",
    "<outline text=\"t\" xmlUrl=\"",
    "\">",
    "</outline>",
    "exec:",
    "filter:",
    "|",
    "query:",
    "\"tag\"",
    "https://",
    "file:///",
    "http://a:b@h/",
    "[fetch]",
    "[theme]",
    "[keys]",
    "[reader]",
    "max_body_mib = ",
    "18446744073709551616",
    "-1",
    "1e309",
    "= {",
    "}",
    "[[",
    "]]",
    "\"\"\"",
];

/// A small, fast pseudo-random generator (xorshift64*), seeded from the clock.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

thread_local! {
    /// The message of the last panic on this thread, kept by the quiet panic hook.
    static LAST_PANIC: RefCell<String> = const { RefCell::new(String::new()) };
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        LAST_PANIC.with(|p| *p.borrow_mut() = format!("{at}: {msg}"));
    }));
    tidings::feed::install_quiet_panic_filter();
    if args.first().map(String::as_str) == Some("--replay") {
        std::process::exit(replay(&args[1..]));
    }
    let names: Vec<String> = if args.is_empty() || args.iter().any(|a| a == "all") {
        targets::TARGETS.iter().map(|s| s.to_string()).collect()
    } else {
        args
    };
    let budget = Duration::from_secs(env_u64("FUZZ_SECONDS", 30));
    let mut found = 0;
    for name in &names {
        if !targets::TARGETS.contains(&name.as_str()) {
            eprintln!(
                "no fuzz target {name:?}; targets: {}",
                targets::TARGETS.join(", ")
            );
            std::process::exit(2);
        }
        found += fuzz(name, budget);
    }
    if found > 0 {
        std::process::exit(1);
    }
}

/// Reads a number from the environment, else `default`.
fn env_u64(key: &str, default: u64) -> u64 {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Runs saved inputs through a target once each; the exit status is the number that panicked.
fn replay(args: &[String]) -> i32 {
    let Some((name, files)) = args.split_first() else {
        eprintln!("usage: fuzz --replay TARGET FILE...");
        return 2;
    };
    let mut failed = 0;
    for f in files {
        let data = std::fs::read(f).unwrap_or_else(|e| panic!("{f}: {e}"));
        let start = Instant::now();
        match panic::catch_unwind(AssertUnwindSafe(|| targets::run(name, &data))) {
            Ok(_) => println!("{f}: ok in {:?}", start.elapsed()),
            Err(_) => {
                failed += 1;
                println!("{f}: PANIC {}", LAST_PANIC.with(|p| p.borrow().clone()));
            }
        }
    }
    failed
}

/// Fuzzes one target for `budget`; returns how many distinct problems it found.
fn fuzz(name: &str, budget: Duration) -> usize {
    let seeds = seeds(name);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let artifacts = root.join("fuzz/artifacts").join(name);
    let slow_ms = env_u64("FUZZ_SLOW_MS", 1000);
    let hang = Duration::from_secs(env_u64("FUZZ_HANG_SECONDS", 60));
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(1)
        | 1;
    let mut rng = Rng(seed);
    println!(
        "fuzz {name}: {} seeds, {}s, rng seed {seed}",
        seeds.len(),
        budget.as_secs()
    );
    let current: Arc<Mutex<Vec<u8>>> = Arc::default();
    let started_ms = Arc::new(AtomicU64::new(0));
    let epoch = Instant::now();
    watchdog(
        name,
        &artifacts,
        hang,
        current.clone(),
        started_ms.clone(),
        epoch,
    );
    let mut problems: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut slow = 0usize;
    let mut worst_per_kib = 0.0f64;
    let mut execs = 0u64;
    let end = Instant::now() + budget;
    // The seeds themselves first, then mutations.
    let mut queue: Vec<Vec<u8>> = seeds.clone();
    while Instant::now() < end {
        let input = match queue.pop() {
            Some(s) => s,
            None => mutate(&seeds, &mut rng),
        };
        *current.lock().unwrap() = input.clone();
        let t = Instant::now();
        started_ms.store(epoch.elapsed().as_millis() as u64 + 1, Ordering::SeqCst);
        let result = panic::catch_unwind(AssertUnwindSafe(|| targets::run(name, &input)));
        started_ms.store(0, Ordering::SeqCst);
        execs += 1;
        if result.is_err() {
            let msg = LAST_PANIC.with(|p| p.borrow().clone());
            // One artifact per panic site (the text before the first ": ").
            let key: String = msg.split(": ").next().unwrap_or("").to_string();
            if let std::collections::btree_map::Entry::Vacant(slot) = problems.entry(key) {
                let path = save(&artifacts, "crash", &input);
                println!("fuzz {name}: PANIC {msg}\n  input: {}", path.display());
                slot.insert(path);
            }
        } else if t.elapsed() > Duration::from_millis(slow_ms) {
            slow += 1;
            // Saved only when it is the worst so far in time per KiB by half again, so that
            // large seeds on a busy machine do not bury an input that is slow for its size.
            let per_kib =
                t.elapsed().as_secs_f64() * 1000.0 / (input.len() as f64 / 1024.0).max(1.0);
            if per_kib > worst_per_kib * 1.5 {
                worst_per_kib = per_kib;
                let path = save(&artifacts, "slow", &input);
                println!(
                    "fuzz {name}: SLOW {:?} for {} bytes ({per_kib:.1} ms/KiB)\n  input: {}",
                    t.elapsed(),
                    input.len(),
                    path.display()
                );
            }
        }
    }
    println!(
        "fuzz {name}: {execs} executions in {:.0}s ({:.0}/s), {} distinct panics, {slow} slow inputs",
        budget.as_secs_f64(),
        execs as f64 / budget.as_secs_f64().max(1.0),
        problems.len()
    );
    problems.len()
}

/// Watches the input in progress and, if one runs past `hang`, saves it and ends the process.
fn watchdog(
    name: &str,
    artifacts: &Path,
    hang: Duration,
    current: Arc<Mutex<Vec<u8>>>,
    started_ms: Arc<AtomicU64>,
    epoch: Instant,
) {
    let name = name.to_string();
    let artifacts = artifacts.to_path_buf();
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_millis(500));
            let s = started_ms.load(Ordering::SeqCst);
            if s != 0 && epoch.elapsed().as_millis() as u64 > s + hang.as_millis() as u64 {
                let input = current.lock().unwrap().clone();
                let path = save(&artifacts, "hang", &input);
                println!(
                    "fuzz {name}: HANG over {}s\n  input: {}",
                    hang.as_secs(),
                    path.display()
                );
                std::process::exit(3);
            }
        }
    });
}

/// Writes `input` under `dir` as `<kind>-<hash>` and returns the path.
fn save(dir: &Path, kind: &str, input: &[u8]) -> PathBuf {
    let mut h = DefaultHasher::new();
    input.hash(&mut h);
    let path = dir.join(format!("{kind}-{:016x}", h.finish()));
    let _ = std::fs::create_dir_all(dir);
    let _ = std::fs::write(&path, input);
    path
}

/// Makes one input: a seed (or two spliced) with one to eight stacked mutations.
fn mutate(seeds: &[Vec<u8>], rng: &mut Rng) -> Vec<u8> {
    let mut data = seeds[rng.below(seeds.len())].clone();
    let rounds = 1 + rng.below(8);
    for _ in 0..rounds {
        let len = data.len();
        match rng.below(10) {
            0 if len > 0 => {
                let i = rng.below(len);
                data[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                data[i] = rng.next() as u8;
            }
            2 | 3 => {
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                let at = rng.below(len + 1);
                let times = if rng.below(8) == 0 {
                    1 + rng.below(2000)
                } else {
                    1
                };
                let piece: Vec<u8> = t.repeat(times);
                data.splice(at..at, piece);
            }
            4 if len > 0 => {
                let a = rng.below(len);
                let b = (a + 1 + rng.below(64.min(len - a))).min(len);
                data.drain(a..b);
            }
            5 if len > 0 => {
                let a = rng.below(len);
                let b = (a + 1 + rng.below(256.min(len - a))).min(len);
                let chunk = data[a..b].to_vec();
                let at = rng.below(len + 1);
                let times = if rng.below(4) == 0 {
                    1 + rng.below(100)
                } else {
                    1
                };
                data.splice(at..at, chunk.repeat(times));
            }
            6 => {
                let other = &seeds[rng.below(seeds.len())];
                if !other.is_empty() {
                    let a = rng.below(other.len());
                    let b = (a + 1 + rng.below(4096.min(other.len() - a))).min(other.len());
                    let at = rng.below(len + 1);
                    data.splice(at..at, other[a..b].iter().copied());
                }
            }
            7 if len > 0 => {
                data.truncate(rng.below(len));
            }
            8 if len > 0 => {
                let i = rng.below(len);
                data[i] = [0, 0x1b, 0x7f, 0x80, 0xc3, 0xe2, 0xff, b'<', b'&', b'"'][rng.below(10)];
            }
            _ => {
                let at = rng.below(len + 1);
                data.insert(at, rng.next() as u8);
            }
        }
    }
    if data.len() > 4 * MAX_SEED {
        data.truncate(4 * MAX_SEED);
    }
    data
}

/// The seeds for a target: files under the fixture and corpus directories that suit it.
fn seeds(name: &str) -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = std::env::var_os("TIDINGS_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared"));
    let mut dirs = vec![root.join("fuzz/corpus").join(name)];
    match name {
        "feed" => {
            dirs.push(root.join("tests/fixtures/feeds"));
            dirs.push(shared.join("datasets/feedparser-tests"));
        }
        "render" | "sanitize" | "quick_html" => {
            dirs.push(root.join("tests/fixtures/content"));
            dirs.push(shared.join("datasets/feedparser-tests/wellformed/sanitize"));
            dirs.push(shared.join("reference"));
        }
        "opml" | "urls" => {
            dirs.push(root.join("tests/fixtures/cli"));
            dirs.push(root.join("config"));
        }
        _ => {
            dirs.push(root.join("config"));
            dirs.push(root.join("tests/fixtures/cli"));
        }
    }
    let mut files: Vec<PathBuf> = dirs.iter().flat_map(|d| shared::files_under(d)).collect();
    files.sort();
    let mut out: Vec<Vec<u8>> = Vec::new();
    for f in files {
        let Ok(mut bytes) = std::fs::read(&f) else {
            continue;
        };
        if f.extension().is_some_and(|e| e == "gz") {
            continue;
        }
        bytes.truncate(MAX_SEED);
        if name == "render" || name == "feed" {
            // The first byte picks the width (render) or the content type (feed).
            let mut with = vec![if name == "render" { 79 } else { 0 }];
            with.extend_from_slice(&bytes);
            bytes = with;
        }
        out.push(bytes);
    }
    // Pages of the extraction benchmark are gzipped; a few of them feed the renderer.
    if name == "render" {
        out.extend(gz_pages(
            &shared.join("datasets/article-extraction-benchmark/html"),
            40,
        ));
    }
    // Bodies cut from the benchmark's pages as their markup was written: most of them the quick
    // HTML path takes.
    if name == "quick_html" {
        for page in gz_pages(
            &shared.join("datasets/article-extraction-benchmark/html"),
            usize::MAX,
        ) {
            out.extend(paragraph_runs(&page[1..]));
        }
    }
    if out.is_empty() {
        out.push(Vec::new());
    }
    out
}

/// Paragraphs of a page as they are in its source, each alone and with the four after it (from a
/// `<p` to the first and to the fifth `</p>` after it); at most 40 per page.
fn paragraph_runs(page: &[u8]) -> Vec<Vec<u8>> {
    let lower = page.to_ascii_lowercase();
    let find = |from: usize, what: &[u8]| {
        lower[from..]
            .windows(what.len())
            .position(|w| w == what)
            .map(|i| from + i)
    };
    let mut out = Vec::new();
    let mut from = 0;
    while out.len() < 40 {
        let (plain, with_attrs) = (find(from, b"<p>"), find(from, b"<p "));
        let Some(at) = plain.into_iter().chain(with_attrs).min() else {
            break;
        };
        let Some(first) = find(at, b"</p>").map(|i| i + 4) else {
            break;
        };
        out.push(page[at..first].to_vec());
        let mut end = first;
        for _ in 0..4 {
            match find(end, b"</p>") {
                Some(i) => end = i + 4,
                None => break,
            }
        }
        if end > first {
            out.push(page[at..end].to_vec());
        }
        from = first;
    }
    out
}

/// Up to `max` gunzipped HTML pages from `dir`, each with a width byte in front.
fn gz_pages(dir: &Path, max: usize) -> Vec<Vec<u8>> {
    use std::io::Read;
    shared::files_under(dir)
        .iter()
        .take(max)
        .filter_map(|f| {
            let file = std::fs::File::open(f).ok()?;
            let mut out = vec![99u8];
            flate2::read::GzDecoder::new(file)
                .take(MAX_SEED as u64)
                .read_to_end(&mut out)
                .ok()?;
            Some(out)
        })
        .collect()
}
