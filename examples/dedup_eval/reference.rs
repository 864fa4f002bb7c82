//! The reference article check.

use std::collections::{HashMap, HashSet};

use tidings::content::dedup::{DedupOptions, FeedStats, Piece, fold};

use crate::score::norm_words;

// ---------------------------------------------------------------------------------------------
// The reference article

/// Checks the reference article: each of its paragraphs shown exactly once, and, with four other
/// items of the same site carrying the same extra lines, none of the promotion and share lines shown.
pub fn reference_check(text: &str, bodies: &[Vec<String>]) -> Vec<String> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let mut seen = HashSet::new();
    let first_end = lines
        .iter()
        .position(|l| !seen.insert(norm_words(l)))
        .unwrap_or(lines.len());
    let article: HashSet<Vec<String>> = lines[..first_end].iter().map(|l| norm_words(l)).collect();
    let last_article = lines
        .iter()
        .rposition(|l| article.contains(&norm_words(l)))
        .unwrap_or(0);
    let extras: Vec<(usize, &str)> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !article.contains(&norm_words(l)))
        .map(|(i, l)| (i, *l))
        .collect();
    let middle: Vec<&str> = extras
        .iter()
        .filter(|(i, _)| *i < last_article)
        .map(|e| e.1)
        .collect();
    let trailing: Vec<&str> = extras
        .iter()
        .filter(|(i, _)| *i > last_article)
        .map(|e| e.1)
        .collect();
    let mut items: Vec<Vec<String>> = vec![lines.iter().map(|l| l.to_string()).collect()];
    for body in bodies {
        let mut item = Vec::new();
        for (i, p) in body.iter().enumerate() {
            if i == 2.min(body.len() - 1) {
                item.extend(middle.iter().map(|l| l.to_string()));
            }
            item.push(p.clone());
        }
        item.extend(trailing.iter().map(|l| l.to_string()));
        items.push(item);
    }
    let piece_lists: Vec<Vec<Piece>> = items
        .iter()
        .map(|it| it.iter().map(|t| Piece::paragraph(t)).collect())
        .collect();
    let stats = FeedStats::from_items(&piece_lists);
    let mut failures = Vec::new();
    for (name, st) in [("alone", None), ("in its feed", Some(&stats))] {
        let result = fold(&piece_lists[0], st, &DedupOptions::default());
        let mut shown: HashMap<Vec<String>, usize> = HashMap::new();
        for (l, r) in lines.iter().zip(&result) {
            if r.is_none() {
                *shown.entry(norm_words(l)).or_default() += 1;
            }
        }
        for l in &lines[..first_end] {
            let n = shown.get(&norm_words(l)).copied().unwrap_or(0);
            if n != 1 {
                failures.push(format!(
                    "{name}: article line shown {n} times: {}",
                    l.chars().take(60).collect::<String>()
                ));
            }
        }
        if st.is_some() {
            for (_, l) in &extras {
                let n = shown.get(&norm_words(l)).copied().unwrap_or(0);
                if n != 0 {
                    failures.push(format!("{name}: promo/share line shown {n} times: {l}"));
                }
            }
        }
    }
    println!(
        "reference article: {} lines, article copy {} lines, {} promo lines in the middle, {} share lines at the end",
        lines.len(),
        first_end,
        middle.len(),
        trailing.len()
    );
    failures
}
