//! Scoring: word-weighted precision and recall, and the unique content a result hides.

use std::collections::{BTreeMap, HashSet};

use tidings::content::dedup::FoldReason;

use crate::cases::{Case, Label, words};

// ---------------------------------------------------------------------------------------------
// Scoring

/// The eval's own normalisation: lower case, letters and digits, single spaces.
pub fn norm_words(s: &str) -> Vec<String> {
    s.to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// The text a reader sees: word 3-grams, whole lines and words of the shown blocks.
pub struct ShownIndex {
    grams: HashSet<[String; 3]>,
    lines: HashSet<Vec<String>>,
}

impl ShownIndex {
    pub fn new(texts: &[String], hidden: &[bool]) -> ShownIndex {
        let mut idx = ShownIndex {
            grams: HashSet::new(),
            lines: HashSet::new(),
        };
        for (t, &h) in texts.iter().zip(hidden) {
            if h {
                continue;
            }
            let w = norm_words(t);
            for g in w.windows(3) {
                idx.grams.insert([g[0].clone(), g[1].clone(), g[2].clone()]);
            }
            idx.lines.insert(w);
        }
        idx
    }

    /// Words of `text` that no shown 3-gram (or, for very short text, no shown line) carries.
    pub fn uncovered(&self, text: &str) -> usize {
        let w = norm_words(text);
        if w.len() < 3 {
            return if self.lines.contains(&w) { 0 } else { w.len() };
        }
        let mut covered = vec![false; w.len()];
        for (i, g) in w.windows(3).enumerate() {
            if self
                .grams
                .contains(&[g[0].clone(), g[1].clone(), g[2].clone()])
            {
                covered[i..i + 3].fill(true);
            }
        }
        covered.iter().filter(|c| !**c).count()
    }
}

#[derive(Default)]
pub struct Score {
    pub fold_words: usize,
    pub caught: usize,
    pub wrong: usize,
    pub own_folded: usize,
    pub unique_lost: usize,
    pub by_tag: BTreeMap<&'static str, (usize, usize)>,
    pub misses: Vec<String>,
}

impl Score {
    pub fn add(&mut self, case: &Case, result: &[Option<FoldReason>]) {
        let hidden: Vec<bool> = result.iter().map(Option::is_some).collect();
        let shown = ShownIndex::new(&case.texts, &hidden);
        for i in 0..case.texts.len() {
            let w = words(&case.texts[i]);
            let want = case.labels[i] == Label::Fold;
            let entry = self.by_tag.entry(case.tags[i]).or_default();
            if case.labels[i] == Label::Own {
                entry.0 += usize::from(hidden[i]);
                entry.1 += 1;
                if hidden[i] {
                    self.own_folded += w;
                }
                continue;
            }
            entry.0 += usize::from(want == hidden[i]);
            entry.1 += 1;
            if want {
                self.fold_words += w;
                if hidden[i] {
                    self.caught += w;
                }
            } else if hidden[i] {
                self.wrong += w;
                self.unique_lost += shown.uncovered(&case.texts[i]);
            }
            if want != hidden[i] {
                let limit = if std::env::var_os("DEDUP_EVAL_FULL").is_some() {
                    usize::MAX
                } else {
                    70
                };
                let snippet: String = case.texts[i].chars().take(limit).collect();
                self.misses.push(format!(
                    "{:>26} want {:?} got {:?}: {snippet}",
                    case.tags[i], case.labels[i], result[i]
                ));
            }
        }
    }

    pub fn precision(&self) -> f64 {
        ratio(self.caught, self.caught + self.wrong)
    }

    pub fn strict_precision(&self) -> f64 {
        ratio(self.caught, self.caught + self.wrong + self.own_folded)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.caught, self.fold_words)
    }

    pub fn print(&self, name: &str) {
        println!(
            "{name:<34} precision {}  recall {}  strict precision {}  (words to fold {}, folded right {}, folded wrong {}, gold's own repeats folded {}, unique lost {})",
            show(self.precision()),
            show(self.recall()),
            show(self.strict_precision()),
            self.fold_words,
            self.caught,
            self.wrong,
            self.own_folded,
            self.unique_lost
        );
    }
}

/// `a / b`, or NaN when `b` is 0: nothing measured is not a perfect score, and NaN fails every
/// target comparison.
pub fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        f64::NAN
    } else {
        a as f64 / b as f64
    }
}

/// A ratio with four decimals, or `n/a` when nothing was measured.
pub fn show(x: f64) -> String {
    if x.is_nan() {
        "n/a (nothing measured)".to_string()
    } else {
        format!("{x:.4}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_measured_is_not_a_perfect_score() {
        let empty = Score::default();
        assert!(empty.precision().is_nan() && empty.recall().is_nan());
        assert_eq!(show(empty.precision()), "n/a (nothing measured)");
        assert_eq!(show(ratio(1, 2)), "0.5000");
    }
}
