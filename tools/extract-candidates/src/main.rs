//! Scores the Rust article extractors of crates.io on the article extraction benchmark, with the
//! same measure and timing as tidings' `extract_eval` example (whose scoring and decoding it
//! includes), one candidate per run:
//!
//! ```text
//! cargo run --release -- CANDIDATE [--data DIR]
//! ```
//!
//! CANDIDATE is one of `rs-trafilatura`, `trafilatura`, `dom_smoothie`, `readability`.

#[path = "../../../examples/extract_eval/score.rs"]
#[allow(dead_code)]
mod score;
#[path = "../../../src/content/extract/charset.rs"]
mod charset;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(candidate) = args.next() else {
        eprintln!("usage: extract-candidates CANDIDATE [--data DIR]");
        return ExitCode::from(2);
    };
    let mut data = PathBuf::from("../../../shared/datasets/article-extraction-benchmark");
    if args.next().as_deref() == Some("--data") {
        data = args.next().map(PathBuf::from).unwrap_or(data);
    }
    let Ok(text) = std::fs::read_to_string(data.join("ground-truth.json")) else {
        eprintln!("the benchmark's data are missing at {}", data.display());
        return ExitCode::from(2);
    };
    let v: serde_json::Value = serde_json::from_str(&text).expect("ground-truth.json parses");
    let mut gold: Vec<(String, String, String)> = v
        .as_object()
        .expect("an object")
        .iter()
        .map(|(id, e)| {
            (
                id.clone(),
                e["articleBody"].as_str().unwrap_or_default().to_string(),
                e["url"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    gold.sort();
    let mut pages = Vec::new();
    let mut times = Vec::new();
    for (id, body, url) in &gold {
        let raw = read_gz(&data.join("html").join(format!("{id}.html.gz")));
        let html = charset::decode_page(&raw, None);
        let start = Instant::now();
        let out = run(&candidate, &html, url);
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        pages.push(score::page(body, &out));
    }
    let (p, r, f1) = score::metrics(&pages);
    let (lo, hi) = score::bootstrap_f1(&pages, 1000);
    times.sort_by(f64::total_cmp);
    println!(
        "{candidate}: pages {}  precision {p:.3}  recall {r:.3}  F1 {f1:.3} (95% bootstrap {lo:.3}-{hi:.3})  median {:.2} ms  max {:.2} ms",
        pages.len(),
        times[times.len() / 2],
        times[times.len() - 1]
    );
    ExitCode::SUCCESS
}

fn run(candidate: &str, html: &str, url: &str) -> String {
    match candidate {
        "rs-trafilatura" => rs_trafilatura::extract(html)
            .map(|r| r.content_text)
            .unwrap_or_default(),
        "trafilatura" => trafilatura::extract(html, &trafilatura::Options::default())
            .map(|r| r.content_text)
            .unwrap_or_default(),
        "dom_smoothie" => dom_smoothie::Readability::new(html, Some(url), None)
            .and_then(|mut r| r.parse())
            .map(|a| a.text_content.to_string())
            .unwrap_or_default(),
        "readability" => {
            let u = url::Url::parse(url).expect("a URL");
            readability::extractor::extract(&mut html.as_bytes(), &u)
                .map(|p| p.text)
                .unwrap_or_default()
        }
        other => panic!("unknown candidate {other}"),
    }
}

fn read_gz(path: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).expect("the page exists"))
        .read_to_end(&mut out)
        .expect("gzip");
    out
}
