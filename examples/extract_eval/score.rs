//! The measure of the article extraction benchmark (its `evaluate.py`), in Rust: the multiset of
//! word 4-grams of the gold text against that of the extracted text, per page; precision and
//! recall averaged over pages (a page with nothing extracted counts in recall only), F1 from the
//! two means; a bootstrap over pages for the interval.

use std::collections::HashMap;

/// One page's true positives, false positives and false negatives, as shares of their sum.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Counts {
    pub tp: f64,
    pub fp: f64,
    pub fn_: f64,
}

/// Words as the benchmark's `\w+` finds them: runs of letters, digits and `_`.
pub fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let word = c.is_alphanumeric() || c == '_';
        match (word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(&text[s..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

/// The multiset of word 4-grams (a text of fewer than four words is one shingle).
fn shingles(text: &str) -> HashMap<Vec<&str>, u32> {
    let t = tokens(text);
    let mut out = HashMap::new();
    if t.is_empty() {
        return out;
    }
    if t.len() < 4 {
        *out.entry(t).or_insert(0) += 1;
        return out;
    }
    for w in t.windows(4) {
        *out.entry(w.to_vec()).or_insert(0) += 1;
    }
    out
}

/// Scores one page.
pub fn page(gold: &str, pred: &str) -> Counts {
    let g = shingles(gold);
    let p = shingles(pred);
    let (mut tp, mut fp, mut fn_) = (0.0, 0.0, 0.0);
    for (k, &gc) in &g {
        let pc = p.get(k).copied().unwrap_or(0);
        tp += f64::from(gc.min(pc));
        fn_ += f64::from(gc.saturating_sub(pc));
    }
    for (k, &pc) in &p {
        let gc = g.get(k).copied().unwrap_or(0);
        fp += f64::from(pc.saturating_sub(gc));
    }
    let s = tp + fp + fn_;
    if s > 0.0 {
        Counts {
            tp: tp / s,
            fp: fp / s,
            fn_: fn_ / s,
        }
    } else {
        Counts { tp, fp, fn_ }
    }
}

fn precision(c: &Counts) -> f64 {
    if c.fp == 0.0 && c.fn_ == 0.0 {
        1.0
    } else if c.tp == 0.0 && c.fp == 0.0 {
        0.0
    } else {
        c.tp / (c.tp + c.fp)
    }
}

fn recall(c: &Counts) -> f64 {
    if c.fp == 0.0 && c.fn_ == 0.0 {
        1.0
    } else if c.tp == 0.0 && c.fn_ == 0.0 {
        0.0
    } else {
        c.tp / (c.tp + c.fn_)
    }
}

/// Precision, recall and F1 over pages, as the benchmark computes them.
pub fn metrics(pages: &[Counts]) -> (f64, f64, f64) {
    let mean = |v: Vec<f64>| {
        if v.is_empty() {
            0.0
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        }
    };
    let p = mean(
        pages
            .iter()
            .filter(|c| c.tp + c.fp > 0.0)
            .map(precision)
            .collect(),
    );
    let r = mean(
        pages
            .iter()
            .filter(|c| c.tp + c.fn_ > 0.0)
            .map(recall)
            .collect(),
    );
    let f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f1)
}

/// The 2.5th and 97.5th percentiles of F1 over `n` resamples of the pages (a fixed seed, so
/// runs compare).
pub fn bootstrap_f1(pages: &[Counts], n: usize) -> (f64, f64) {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        // splitmix64
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let mut f1s: Vec<f64> = (0..n)
        .map(|_| {
            let sample: Vec<Counts> = (0..pages.len())
                .map(|_| pages[(next() % pages.len() as u64) as usize])
                .collect();
            metrics(&sample).2
        })
        .collect();
    f1s.sort_by(f64::total_cmp);
    let at = |q: f64| f1s[((q * (n - 1) as f64).round() as usize).min(n - 1)];
    (at(0.025), at(0.975))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_texts_score_one_and_disjoint_zero() {
        let gold = "one two three four five six";
        assert_eq!(metrics(&[page(gold, gold)]).2, 1.0);
        assert_eq!(metrics(&[page(gold, "seven eight nine ten eleven")]).2, 0.0);
    }

    #[test]
    fn repeated_text_costs_precision_only() {
        let gold = "a b c d e";
        let c = page(gold, "a b c d e a b c d e");
        let (p, r, _) = metrics(&[c]);
        // Gold has 2 shingles; the doubled text has 7, of which 2 match.
        assert!((p - 2.0 / 7.0).abs() < 1e-12, "{p}");
        assert_eq!(r, 1.0);
    }

    #[test]
    fn tokens_are_word_runs() {
        assert_eq!(
            tokens("It's 3:00, café_bar!"),
            ["It", "s", "3", "00", "café_bar"]
        );
    }
}
