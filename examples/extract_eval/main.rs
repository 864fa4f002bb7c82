//! Scores an article extractor on the article extraction benchmark (181 news and blog pages
//! with their gold article text), with the benchmark's own measure, and times it.
//!
//! ```text
//! cargo run --release --example extract_eval -- [--candidate tidings|body|jsonld] [--data DIR]
//!     [--worst N] [--page ID]
//! cargo run --release --example extract_eval -- --hostile
//! cargo run --release --example extract_eval -- --one-parse [--data DIR]
//! ```
//!
//! `--one-parse` checks that the blocks the extraction builds in its own walk of the page
//! (`Article::doc`) are those the renderer gets by parsing the article's clean HTML again
//! (`parse_html(&article.html, base)`), page by page, and prints how many agree.
//!
//! The data are read at run time from `../shared/datasets/article-extraction-benchmark` (or
//! `--data`): `html/<id>.html.gz` and `ground-truth.json`. Without them the example says so and
//! exits with status 2. It prints precision, recall, F1 with a bootstrap 95% interval, and the
//! median and largest time per page (one thread; the figure depends on the machine).

mod score;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use tidings::content::extract::{decode_page, extract};
use tidings::content::html::parse_html;

/// The extractors this example can score.
const CANDIDATES: &[&str] = &["tidings", "body", "jsonld"];

fn main() -> ExitCode {
    let mut candidate = "tidings".to_string();
    let mut data = PathBuf::from("../shared/datasets/article-extraction-benchmark");
    let mut worst = 0usize;
    let mut only: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--candidate" => candidate = args.next().unwrap_or_default(),
            "--data" => data = args.next().map(PathBuf::from).unwrap_or(data),
            "--worst" => worst = args.next().and_then(|n| n.parse().ok()).unwrap_or(10),
            "--page" => only = args.next(),
            "--hostile" => return hostile(),
            "--one-parse" => candidate = "one-parse".to_string(),
            _ => {
                eprintln!(
                    "usage: extract_eval [--candidate NAME] [--data DIR] [--worst N] [--page ID] | --hostile | --one-parse"
                );
                return ExitCode::from(2);
            }
        }
    }
    if candidate != "one-parse" && !CANDIDATES.contains(&candidate.as_str()) {
        eprintln!(
            "unknown candidate {candidate:?}; known: {}",
            CANDIDATES.join(", ")
        );
        return ExitCode::from(2);
    }
    let gold = match load_gold(&data) {
        Ok(g) => g,
        Err(e) => {
            eprintln!(
                "the benchmark's data are missing at {}: {e}\n(expected html/<id>.html.gz and ground-truth.json)",
                data.display()
            );
            return ExitCode::from(2);
        }
    };
    if candidate == "one-parse" {
        return one_parse(&data, &gold);
    }
    let mut pages = Vec::new();
    let mut times = Vec::new();
    let mut rows = Vec::new();
    for (id, (body, url)) in &gold {
        if only.as_ref().is_some_and(|o| o != id) {
            continue;
        }
        let raw = match read_gz(&data.join("html").join(format!("{id}.html.gz"))) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("page {id}: {e}");
                return ExitCode::from(2);
            }
        };
        let html = decode_page(&raw, None);
        let base = url::Url::parse(url).ok();
        let start = Instant::now();
        let text = run(&candidate, &html, base.as_ref());
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        let c = score::page(body, &text);
        let (p, r, f1) = score::metrics(&[c]);
        rows.push((f1, p, r, id.clone(), url.clone()));
        pages.push(c);
        if only.is_some() {
            println!("{text}\n----");
        }
    }
    if pages.is_empty() {
        eprintln!("no page matched");
        return ExitCode::from(2);
    }
    let (p, r, f1) = score::metrics(&pages);
    let (lo, hi) = score::bootstrap_f1(&pages, 1000);
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    let max = times[times.len() - 1];
    println!(
        "{candidate}: pages {}  precision {p:.3}  recall {r:.3}  F1 {f1:.3} (95% bootstrap {lo:.3}-{hi:.3})  median {median:.2} ms  max {max:.2} ms",
        pages.len()
    );
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (f1, p, r, id, url) in rows.iter().take(worst) {
        println!("  {f1:.3} p {p:.3} r {r:.3}  {id}  {url}");
    }
    ExitCode::SUCCESS
}

/// Times the extractor on a 20 MB page built to waste it (10 MB of nested `<div>`, 10 MB of
/// unclosed formatting elements) and on a 20 MB page of 100,000 ordinary paragraphs.
fn hostile() -> ExitCode {
    let article =
        "<article><p>The one real paragraph, with enough words, commas, and sense.</p></article>";
    let mut nested = String::from("<html><body>");
    nested.push_str(article);
    while nested.len() < 10 << 20 {
        nested.push_str("<div class=x>");
    }
    while nested.len() < 20 << 20 {
        nested.push_str("<b><i><u>");
    }
    let mut long = String::from("<html><body><article>");
    while long.len() < 20 << 20 {
        long.push_str("<p>A paragraph of an extremely long article, written with commas, clauses, and a link to <a href=\"/x\">another page</a> for good measure.</p>\n");
    }
    for (name, page) in [("nested 20 MB", &nested), ("paragraphs 20 MB", &long)] {
        let start = Instant::now();
        let words = extract(page, None, None).map(|a| a.words).unwrap_or(0);
        println!(
            "{name}: {:.0} ms, {words} words",
            start.elapsed().as_secs_f64() * 1000.0
        );
    }
    ExitCode::SUCCESS
}

/// Compares, on every page, the blocks the extraction's walk built with those of its clean HTML
/// parsed again, and times both ways of getting them.
fn one_parse(data: &Path, gold: &[GoldPage]) -> ExitCode {
    let (mut equal, mut different, mut none) = (0, Vec::new(), 0);
    let (mut walk_ms, mut reparse_ms) = (Vec::new(), Vec::new());
    for (id, (_, url)) in gold {
        let raw = match read_gz(&data.join("html").join(format!("{id}.html.gz"))) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("page {id}: {e}");
                return ExitCode::from(2);
            }
        };
        let html = decode_page(&raw, None);
        let base = url::Url::parse(url).ok();
        let start = Instant::now();
        let Ok(article) = extract(&html, base.as_ref(), None) else {
            none += 1;
            continue;
        };
        walk_ms.push(start.elapsed().as_secs_f64() * 1000.0);
        let start = Instant::now();
        let parsed = parse_html(&article.html, base.as_ref().map(url::Url::as_str));
        reparse_ms.push(start.elapsed().as_secs_f64() * 1000.0);
        if parsed == article.doc {
            equal += 1;
        } else {
            let at = parsed
                .blocks
                .iter()
                .zip(&article.doc.blocks)
                .position(|(a, b)| a != b)
                .unwrap_or(parsed.blocks.len().min(article.doc.blocks.len()));
            let show = |d: &tidings::content::Document| {
                d.blocks
                    .get(at)
                    .map(|b| format!("{:?} {:?}", b.kind, b.text()))
                    .unwrap_or_else(|| "(no block)".into())
            };
            different.push(format!(
                "  {id}: block {at}: walk {} / parsed again {} (links {} / {})",
                show(&article.doc),
                show(&parsed),
                article.doc.links.len(),
                parsed.links.len()
            ));
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(0.0)
    };
    println!(
        "one parse: {} pages, {equal} give equal blocks, {} differ, {none} give no article; \
         median extraction {:.2} ms (blocks included), median parse of the clean HTML it saves {:.2} ms",
        gold.len(),
        different.len(),
        median(&mut walk_ms),
        median(&mut reparse_ms)
    );
    for line in &different {
        println!("{line}");
    }
    ExitCode::SUCCESS
}

/// The text one candidate extracts from a page.
fn run(candidate: &str, html: &str, base: Option<&url::Url>) -> String {
    match candidate {
        "tidings" => extract(html, base, None)
            .map(|a| a.text)
            .unwrap_or_else(|e| {
                eprintln!("extract: {e}");
                String::new()
            }),
        "body" => {
            let doc = scraper::Html::parse_document(html);
            let sel = scraper::Selector::parse("body").expect("a valid selector");
            doc.select(&sel)
                .flat_map(|b| b.text())
                .collect::<Vec<_>>()
                .join(" ")
        }
        _ => jsonld_body(html),
    }
}

/// The `articleBody` of a page's JSON-LD, when it has one (an upper bound for pages that do).
fn jsonld_body(html: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("script[type='application/ld+json']").expect("valid");
    for s in doc.select(&sel) {
        let text: String = s.text().collect();
        if text.contains("\"articleBody\"")
            && let Ok(v) = serde_json::from_str::<serde_json::Value>(&text)
            && let Some(b) = find_key(&v, "articleBody")
        {
            return b;
        }
    }
    String::new()
}

fn find_key(v: &serde_json::Value, key: &str) -> Option<String> {
    match v {
        serde_json::Value::Object(o) => o
            .get(key)
            .and_then(|b| b.as_str().map(str::to_string))
            .or_else(|| o.values().find_map(|x| find_key(x, key))),
        serde_json::Value::Array(a) => a.iter().find_map(|x| find_key(x, key)),
        _ => None,
    }
}

/// A page's id, with its gold text and its address.
type GoldPage = (String, (String, String));

/// The gold text and address of every page, sorted by id.
fn load_gold(dir: &Path) -> Result<Vec<GoldPage>, String> {
    let text = std::fs::read_to_string(dir.join("ground-truth.json")).map_err(|e| e.to_string())?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let obj = v.as_object().ok_or("ground-truth.json is not an object")?;
    let mut out: Vec<_> = obj
        .iter()
        .map(|(id, e)| {
            let body = e["articleBody"].as_str().unwrap_or_default().to_string();
            let url = e["url"].as_str().unwrap_or_default().to_string();
            (id.clone(), (body, url))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

fn read_gz(path: &Path) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(file)
        .read_to_end(&mut out)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(out)
}
