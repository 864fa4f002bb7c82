//! Measures the deduplicator on labelled cases built at run time from the real article texts of
//! `../shared/datasets/article-extraction-benchmark/ground-truth.json` (their text is never stored
//! in the repository), and checks `../shared/reference/duplicated-article.txt`.
//!
//! Run with `cargo run --release --example dedup_eval` (add `-- --verbose` to list every miss).
//! Prints word-weighted removal precision and recall, unique-content loss, the do-no-harm figures
//! over the untouched gold texts, and the reference-article check; exits 1 when a target is missed.

mod cases;
mod reference;
mod score;
mod stories;

use std::path::PathBuf;
use std::process::ExitCode;

use tidings::content::dedup::{DedupOptions, FeedStats, Piece, fold};

use cases::{Case, Rng, feed, injected, whole_repeat, words};
use reference::reference_check;
use score::{Score, ShownIndex};

/// Where the shared data lives: `$TIDINGS_SHARED`, else `../shared` beside the repository, else
/// two levels up (a git worktree under `wt/`).
fn shared_dir() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("TIDINGS_SHARED") {
        return Some(PathBuf::from(dir));
    }
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    [manifest.join("../shared"), manifest.join("../../shared")]
        .into_iter()
        .find(|p| p.is_dir())
}

// ---------------------------------------------------------------------------------------------

fn load_gold(path: &std::path::Path) -> Result<Vec<Vec<String>>, String> {
    let raw = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let json: serde_json::Value =
        serde_json::from_str(&raw).map_err(|e| format!("{}: {e}", path.display()))?;
    let map = json.as_object().ok_or("ground truth is not an object")?;
    let mut out = Vec::new();
    for (_, v) in map {
        let body = v["articleBody"].as_str().unwrap_or("");
        let paras: Vec<String> = body
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        if !paras.is_empty() {
            out.push(paras);
        }
    }
    Ok(out)
}

fn main() -> ExitCode {
    let verbose = std::env::args().any(|a| a == "--verbose");
    let Some(shared) = shared_dir() else {
        println!(
            "SKIPPED: ../shared missing (set TIDINGS_SHARED to its path); nothing was measured"
        );
        return ExitCode::SUCCESS;
    };
    let gt = shared.join("datasets/article-extraction-benchmark/ground-truth.json");
    let reference = shared.join("reference/duplicated-article.txt");
    if !gt.is_file() || !reference.is_file() {
        println!(
            "SKIPPED: ../shared/datasets/article-extraction-benchmark/ground-truth.json or ../shared/reference/duplicated-article.txt missing; nothing was measured"
        );
        return ExitCode::SUCCESS;
    }
    let golds = match load_gold(&gt) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("cannot read the gold texts: {e}");
            return ExitCode::FAILURE;
        }
    };
    let opts = DedupOptions::default();
    let mut fold_time = std::time::Duration::ZERO;
    let mut folds = 0usize;
    let mut total = Score::default();
    let mut a = Score::default();
    let mut b = Score::default();
    let mut c = Score::default();
    for (n, gold) in golds.iter().enumerate() {
        let mut rng = Rng::new(n as u64 + 1);
        for (case, score) in [
            (injected(gold, &mut rng), &mut a),
            (whole_repeat(gold, &mut rng), &mut b),
        ] {
            let pieces = case.pieces();
            let t = std::time::Instant::now();
            let result = fold(&pieces, None, &opts);
            fold_time += t.elapsed();
            folds += 1;
            score.add(&case, &result);
            total.add(&case, &result);
        }
    }
    // Feeds of ten items; the background paragraph comes from an article outside the feed.
    let long_paras: Vec<&String> = golds.iter().flatten().filter(|p| words(p) >= 40).collect();
    for (f, chunk) in golds.chunks(10).enumerate() {
        if chunk.len() < 5 {
            continue;
        }
        let mut rng = Rng::new(1000 + f as u64);
        let background = long_paras[(f * 37 + 11) % long_paras.len()];
        let site = ["Daily Ledger", "Harbour Times", "Valley Post", "Metro Wire"][f % 4];
        let refs: Vec<&[String]> = chunk.iter().map(Vec::as_slice).collect();
        let items = feed(&refs, background, site, &mut rng);
        let lists: Vec<Vec<Piece>> = items.iter().map(Case::pieces).collect();
        let stats = FeedStats::from_items(&lists);
        for (case, pieces) in items.iter().zip(&lists) {
            let t = std::time::Instant::now();
            let result = fold(pieces, Some(&stats), &opts);
            fold_time += t.elapsed();
            folds += 1;
            c.add(case, &result);
            total.add(case, &result);
        }
    }
    let elapsed = fold_time;
    println!(
        "dedup_eval: {} gold articles, {folds} generated articles deduplicated in {:.1} ms",
        golds.len(),
        elapsed.as_secs_f64() * 1e3
    );
    a.print("A injected exact/near repeats");
    b.print("B whole article repeated, re-split");
    c.print("C feed boilerplate (stats)");
    total.print("all");
    println!(
        "(precision counts blocks labelled to stay; strict precision also counts the repeats the gold texts already had, which fold when long, as wrong)"
    );
    println!(
        "blocks right / blocks, by rule (for the gold's own repeats: blocks folded / blocks):"
    );
    for (tag, (ok, n)) in &total.by_tag {
        println!("  {tag:<28} {ok:>6} / {n:<6}");
    }
    if verbose {
        for m in &total.misses {
            println!("  miss: {m}");
        }
    }
    // Do no harm: the gold texts alone.
    let (mut hidden_words, mut unique_hidden, mut touched) = (0usize, 0usize, Vec::new());
    let mut all_words = 0usize;
    for (n, gold) in golds.iter().enumerate() {
        let pieces: Vec<Piece> = gold.iter().map(|t| Piece::paragraph(t)).collect();
        let result = fold(&pieces, None, &opts);
        let hidden: Vec<bool> = result.iter().map(Option::is_some).collect();
        let shown = ShownIndex::new(gold, &hidden);
        let mut h = 0;
        for (t, &x) in gold.iter().zip(&hidden) {
            all_words += words(t);
            if x {
                h += words(t);
                unique_hidden += shown.uncovered(t);
            }
        }
        if h > 0 {
            touched.push((n, h));
        }
        hidden_words += h;
    }
    println!(
        "do-no-harm: over the {} gold texts alone, {hidden_words} of {all_words} words folded (exact repeats of text still shown) in {} articles {:?}; unique words hidden: {unique_hidden}",
        golds.len(),
        touched.len(),
        touched
    );
    let ref_text = std::fs::read_to_string(&reference).unwrap_or_default();
    let bodies: Vec<Vec<String>> = golds
        .iter()
        .skip(20)
        .filter(|g| g.len() >= 4)
        .take(4)
        .cloned()
        .collect();
    let failures = reference_check(&ref_text, &bodies);
    if failures.is_empty() {
        println!(
            "reference article: PASS (every article paragraph shown once; promo and share lines folded in its feed)"
        );
    } else {
        println!("reference article: FAIL");
        for f in &failures {
            println!("  {f}");
        }
    }
    let stories = match stories::evaluate(&golds) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("stories across feeds: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "D same story across feeds          pair precision {}  recall {}  ({} items in 5 feeds of a real cache; pairs right {}, merged wrongly {}, missed {})",
        score::show(stories.precision()),
        score::show(stories.recall()),
        stories.items,
        stories.true_pos,
        stories.false_pos,
        stories.false_neg
    );
    if verbose {
        for m in &stories.misses {
            println!("  {m}");
        }
    }
    let ok = total.recall() >= 0.97
        && total.precision() >= 0.99
        && total.unique_lost == 0
        && unique_hidden == 0
        && failures.is_empty()
        && stories.precision() >= 0.99
        && stories.recall() >= 0.97;
    println!(
        "targets (recall >= 0.97, precision >= 0.99, unique loss 0, do-no-harm unique 0, reference, stories precision >= 0.99 and recall >= 0.97): {}",
        if ok { "MET" } else { "MISSED" }
    );
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
