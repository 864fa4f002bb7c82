//! Start-up of the reader on a large cache: from exec to the first frame, and to the first frame
//! showing headlines, with 100,000 and 1,000,000 cached items; peak memory; CPU used while idle.
//!
//! `cargo bench --bench startup` runs both sizes. `STARTUP_BENCH_ITEMS=100000` (comma-separated
//! sizes) picks others, `STARTUP_BENCH_RUNS` the number of warm starts per size (default 15).
//! Caches are built once under `target/startup-bench/` and reused while the schema is unchanged.
//!
//! "Warm" starts find the cache file in the page cache (the usual case: the reader was used
//! recently). "Cold" starts first ask the kernel to drop the cache file and the binary from the
//! page cache (`dd iflag=nocache count=0`, which needs no privilege), so they read from disk.

mod cache;
mod run;

use std::path::{Path, PathBuf};
use std::time::Duration;

use run::Start;

/// CPU use is read over this long a wait with nothing happening.
const IDLE: Duration = Duration::from_secs(5);
/// Cold starts per size.
const COLD_RUNS: usize = 3;

fn env_list(name: &str) -> Option<Vec<usize>> {
    let v = std::env::var(name).ok()?;
    let list: Vec<usize> = v
        .split(',')
        .filter_map(|s| s.trim().replace('_', "").parse().ok())
        .collect();
    (!list.is_empty()).then_some(list)
}

/// Asks the kernel to drop `path` from the page cache.
fn evict(path: &Path) {
    let _ = std::process::Command::new("dd")
        .arg(format!("if={}", path.display()))
        .args(["iflag=nocache", "count=0", "status=none"])
        .status();
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Median, 90th percentile and maximum, in ms.
fn spread(mut v: Vec<Duration>) -> String {
    v.sort();
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    format!(
        "{:6.1} {:6.1} {:6.1}",
        ms(at(0.5)),
        ms(at(0.9)),
        ms(*v.last().expect("runs"))
    )
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "MISSED" }
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/startup-bench");
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_tidings"));
    let sizes = env_list("STARTUP_BENCH_ITEMS").unwrap_or_else(|| vec![100_000, 1_000_000]);
    let runs = env_list("STARTUP_BENCH_RUNS")
        .and_then(|v| v.first().copied())
        .unwrap_or(15)
        .max(1);
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "tidings start-up: {} in a {}x{} pty",
        bin.display(),
        run::COLS,
        run::ROWS
    );
    println!(
        "machine: {cores} cores; load average {}",
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );

    let mut lines = Vec::new();
    for &n in &sizes {
        let home = cache::home(&root, n);
        let marker = cache::newest_marker();
        let db = home.join("cache.db");
        // One start to load the file into the page cache, not counted.
        run::start(&bin, &home, &marker, None);
        let warm: Vec<Start> = (0..runs)
            .map(|i| run::start(&bin, &home, &marker, (i + 1 == runs).then_some(IDLE)))
            .collect();
        let cold: Vec<Start> = (0..COLD_RUNS)
            .map(|_| {
                evict(&db);
                evict(&bin);
                run::start(&bin, &home, &marker, None)
            })
            .collect();
        lines.push((n, warm, cold));
    }

    println!();
    println!("times in ms from spawn (median p90 max); memory in MB (max over runs)");
    println!(
        "{:>9} {:>4} | {:^20} | {:^20} | {:^20} | {:^20} | {:>6} {:>6}",
        "items",
        "runs",
        "first byte",
        "first frame",
        "frame w/ headlines",
        "cold: w/ headlines",
        "VmHWM",
        "VmRSS"
    );
    for (n, warm, cold) in &lines {
        let col = |f: fn(&Start) -> Duration, v: &[Start]| spread(v.iter().map(f).collect());
        let hwm = warm
            .iter()
            .chain(cold)
            .map(|s| s.hwm_kib)
            .max()
            .unwrap_or(0);
        let rss = warm
            .iter()
            .chain(cold)
            .map(|s| s.rss_kib)
            .max()
            .unwrap_or(0);
        println!(
            "{n:>9} {:>4} | {} | {} | {} | {} | {:6.1} {:6.1}",
            warm.len(),
            col(|s| s.first_byte, warm),
            col(|s| s.first_frame, warm),
            col(|s| s.headlines, warm),
            col(|s| s.headlines, cold),
            hwm as f64 * 1.024 / 1000.0,
            rss as f64 * 1.024 / 1000.0
        );
    }
    println!();
    for (n, warm, _) in &lines {
        if let Some(i) = warm.iter().find_map(|s| s.idle) {
            println!(
                "{n:>9} items, idle {:.0} s after the first frame: utime+stime {:.0} ms, \
                 on-CPU (schedstat) {:.2} ms, {} context switches, {} bytes drawn",
                i.span.as_secs_f64(),
                i.cpu_ms,
                i.sched_ms,
                i.wakeups,
                i.bytes
            );
        }
    }
    println!();
    for (n, warm, cold) in &lines {
        let limit = if *n > 100_000 { 150.0 } else { 100.0 };
        let mut h: Vec<f64> = warm.iter().map(|s| ms(s.headlines)).collect();
        h.sort_by(f64::total_cmp);
        let med = h[h.len() / 2];
        let hwm_mb = warm
            .iter()
            .chain(cold)
            .map(|s| s.hwm_kib)
            .max()
            .unwrap_or(0) as f64
            * 1.024
            / 1000.0;
        let mem = if *n <= 100_000 {
            format!(
                ", peak memory {hwm_mb:.1} MB <= 50 MB: {}",
                verdict(hwm_mb <= 50.0)
            )
        } else {
            String::new()
        };
        println!(
            "{n:>9} items: first frame with headlines, warm median {med:.1} ms <= {limit:.0} ms: {}{mem}",
            verdict(med <= limit)
        );
    }
}
