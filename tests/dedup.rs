//! Deduplication against hand-written fixtures (`tests/fixtures/dedup/`, format in its README),
//! story matching, and the reference article from `../shared` when it is present.

#[path = "support/shared.rs"]
mod shared;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use tidings::content::dedup::{
    DedupOptions, FeedStats, FoldReason, Piece, PieceKind, StoryInfo, fold, same_story, story_key,
};

/// One fixture block: expected result, kind and text.
struct Line {
    expect: Option<FoldReason>,
    kind: PieceKind,
    text: String,
    line_no: usize,
}

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dedup")
}

/// Reads a fixture: a list of items, each a list of lines.
fn load(name: &str) -> Vec<Vec<Line>> {
    let path = fixture_dir().join(name);
    let raw = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut items = vec![Vec::new()];
    for (n, line) in raw.lines().enumerate() {
        let line_no = n + 1;
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line == "== item" {
            items.push(Vec::new());
            continue;
        }
        let (head, text) = line
            .split_once(" | ")
            .unwrap_or_else(|| panic!("{name}:{line_no}: no ` | ` separator"));
        let mut head = head.split_whitespace();
        let expect = match head.next() {
            Some(".") => None,
            Some("R") => Some(FoldReason::Repeat),
            Some("B") => Some(FoldReason::Boilerplate),
            other => panic!("{name}:{line_no}: bad expectation {other:?}"),
        };
        let kind = match head.next() {
            Some("H") => PieceKind::Heading,
            Some("P") => PieceKind::Paragraph,
            Some("L") => PieceKind::ListItem,
            Some("Q") => PieceKind::Quote,
            Some("C") => PieceKind::Code,
            Some("T") => PieceKind::TableRow,
            Some("F") => PieceKind::Caption,
            Some("O") => PieceKind::Other,
            other => panic!("{name}:{line_no}: bad kind {other:?}"),
        };
        let text = text.replace("\\u{a0}", "\u{a0}");
        items.last_mut().unwrap().push(Line {
            expect,
            kind,
            text,
            line_no,
        });
    }
    items
}

fn pieces(item: &[Line]) -> Vec<Piece<'_>> {
    item.iter().map(|l| Piece::new(&l.text, l.kind)).collect()
}

/// Runs a fixture and returns every block whose result differs from the expectation.
fn check(name: &str) -> Vec<String> {
    let items = load(name);
    let lists: Vec<Vec<Piece>> = items.iter().map(|i| pieces(i)).collect();
    let stats = (items.len() > 1).then(|| FeedStats::from_items(&lists));
    let mut wrong = Vec::new();
    let mut checked = 0;
    for (item, list) in items.iter().zip(&lists) {
        let result = fold(list, stats.as_ref(), &DedupOptions::default());
        assert_eq!(result.len(), list.len());
        for (line, got) in item.iter().zip(result) {
            checked += 1;
            if line.expect != got {
                wrong.push(format!(
                    "{name}:{}: expected {:?}, got {got:?}: {}",
                    line.line_no, line.expect, line.text
                ));
            }
        }
    }
    assert!(checked > 0, "{name}: no blocks");
    wrong
}

fn assert_fixture(name: &str) {
    let wrong = check(name);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn exact_repeats_fold() {
    assert_fixture("exact_repeat.txt");
}

#[test]
fn near_repeats_fold_but_changed_numbers_and_new_sentences_stay() {
    assert_fixture("near_repeat.txt");
}

#[test]
fn whole_article_repeated_and_resplit_folds_with_its_headings() {
    assert_fixture("whole_repeat.txt");
}

#[test]
fn legitimate_repeats_stay() {
    assert_fixture("legit_repeats.txt");
}

#[test]
fn feed_boilerplate_folds_and_background_stays() {
    assert_fixture("feed_boilerplate.txt");
}

#[test]
fn options_turn_each_kind_off() {
    let items = load("feed_boilerplate.txt");
    let lists: Vec<Vec<Piece>> = items.iter().map(|i| pieces(i)).collect();
    let stats = FeedStats::from_items(&lists);
    let off = DedupOptions {
        stories: true,
        within_article: true,
        boilerplate: false,
    };
    assert!(
        fold(&lists[0], Some(&stats), &off)
            .iter()
            .all(Option::is_none)
    );
    let repeat = load("whole_repeat.txt");
    let list = pieces(&repeat[0]);
    let on = fold(&list, None, &DedupOptions::default());
    assert!(on.contains(&Some(FoldReason::Repeat)));
    let off = DedupOptions {
        stories: true,
        within_article: false,
        boilerplate: true,
    };
    assert!(fold(&list, None, &off).iter().all(Option::is_none));
}

#[test]
fn results_are_deterministic() {
    for name in [
        "whole_repeat.txt",
        "near_repeat.txt",
        "feed_boilerplate.txt",
    ] {
        let items = load(name);
        let lists: Vec<Vec<Piece>> = items.iter().map(|i| pieces(i)).collect();
        let a = FeedStats::from_items(&lists);
        let b = FeedStats::from_items(&lists);
        for list in &lists {
            assert_eq!(
                fold(list, Some(&a), &DedupOptions::default()),
                fold(list, Some(&b), &DedupOptions::default())
            );
        }
    }
}

#[test]
fn a_feed_below_three_items_has_no_boilerplate() {
    let items = load("feed_boilerplate.txt");
    let lists: Vec<Vec<Piece>> = items.iter().take(2).map(|i| pieces(i)).collect();
    let stats = FeedStats::from_items(&lists);
    assert_eq!(stats.items(), 2);
    let result = fold(&lists[0], Some(&stats), &DedupOptions::default());
    assert!(
        !result.contains(&Some(FoldReason::Boilerplate)),
        "{result:?}"
    );
}

#[test]
fn stats_follow_items_in_and_out() {
    let items = load("feed_boilerplate.txt");
    let lists: Vec<Vec<Piece>> = items.iter().map(|i| pieces(i)).collect();
    let mut stats = FeedStats::new();
    let fps: Vec<_> = lists
        .iter()
        .map(|l| FeedStats::item_fingerprint(l))
        .collect();
    for fp in &fps {
        stats.add(fp);
    }
    let share = FeedStats::item_fingerprint(&[Piece::paragraph("Share this:")]);
    assert_eq!(stats.doc_freq(share.hashes()[0]), 5);
    for fp in &fps[..3] {
        stats.remove(fp);
    }
    assert_eq!(stats.items(), 2);
    assert_eq!(stats.doc_freq(share.hashes()[0]), 2);
}

const BODY: &str = "The new flood barrier along the lower town was finished on Thursday after two years of \
work, and the river authority says it will protect about four hundred homes and the railway station from \
the kind of floods that hit the town in the wet winter three years ago, when the water reached the \
market square.";

#[test]
fn stories_match_by_link_or_near_identical_body_never_by_title_alone() {
    let a = StoryInfo::new(
        Some("https://www.riverside.example/news/barrier/?utm_source=rss"),
        None,
        "Flood barrier finished",
        BODY,
    );
    let b = StoryInfo::new(
        Some("http://riverside.example/news/barrier"),
        None,
        "Other title",
        "Teaser.",
    );
    assert!(same_story(&a, &b), "same link, tracking stripped");
    assert_eq!(
        a.link_key,
        story_key(Some("https://riverside.example/news/barrier#x"), None)
    );

    let reposted = format!("{BODY} Photo: river authority.");
    let c = StoryInfo::new(
        Some("https://aggregator.example/1"),
        None,
        "Flood barrier is finished",
        &reposted,
    );
    assert!(
        same_story(&a, &c),
        "near-identical body with overlapping title"
    );

    let d = StoryInfo::new(
        Some("https://other.example/2"),
        None,
        "Flood barrier finished",
        "A completely different report about the barrier: the opposition says the project cost twice \
         what was planned and that the contractor was chosen without a proper tender, and asks for an \
         inquiry into the spending before the next budget is voted on in the council.",
    );
    assert!(!same_story(&a, &d), "a title match alone never merges");

    let e = StoryInfo::new(None, Some("42"), "Flood barrier finished", "Short.");
    let f = StoryInfo::new(None, Some("42"), "Flood barrier finished", "Short.");
    assert!(
        !same_story(&e, &f),
        "generic guids and short bodies never merge"
    );
}

// ---------------------------------------------------------------------------------------------
// The reference article from ../shared

fn norm(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn reference_article_shows_each_paragraph_once_and_no_promo_in_its_feed() {
    let Some(path) = shared::shared_path("reference/duplicated-article.txt") else {
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    // The article's first copy ends where a line repeats; the lines of the rest that are not in it
    // are the promotion and share lines.
    let mut seen = HashSet::new();
    let first_end = lines.iter().position(|l| !seen.insert(norm(l))).unwrap();
    let article: HashSet<String> = lines[..first_end].iter().map(|l| norm(l)).collect();
    let last_article = lines
        .iter()
        .rposition(|l| article.contains(&norm(l)))
        .unwrap();
    let extras: Vec<(usize, &str)> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !article.contains(&norm(l)))
        .map(|(i, l)| (i, *l))
        .collect();
    assert!(
        extras.len() >= 4,
        "the reference has promotion and share lines"
    );
    // Four more items of the same site: bodies of our own, the same extra lines.
    let own = load("feed_boilerplate.txt");
    let mut items: Vec<Vec<String>> = vec![lines.iter().map(|l| l.to_string()).collect()];
    for item in own.iter().take(4) {
        let body: Vec<String> = item
            .iter()
            .filter(|l| l.expect.is_none() && l.kind == PieceKind::Paragraph)
            .map(|l| l.text.clone())
            .collect();
        let mut new = Vec::new();
        for (i, p) in body.iter().enumerate() {
            if i == 1 {
                new.extend(
                    extras
                        .iter()
                        .filter(|(j, _)| *j < last_article)
                        .map(|e| e.1.to_string()),
                );
            }
            new.push(p.clone());
        }
        new.extend(
            extras
                .iter()
                .filter(|(j, _)| *j > last_article)
                .map(|e| e.1.to_string()),
        );
        items.push(new);
    }
    let lists: Vec<Vec<Piece>> = items
        .iter()
        .map(|it| it.iter().map(|t| Piece::paragraph(t)).collect())
        .collect();
    let stats = FeedStats::from_items(&lists);
    for (name, st) in [("alone", None), ("in its feed", Some(&stats))] {
        let result = fold(&lists[0], st, &DedupOptions::default());
        let mut shown: HashMap<String, usize> = HashMap::new();
        for (l, r) in lines.iter().zip(&result) {
            if r.is_none() {
                *shown.entry(norm(l)).or_default() += 1;
            }
        }
        for l in &lines[..first_end] {
            assert_eq!(shown.get(&norm(l)), Some(&1), "{name}: shown once: {l}");
        }
        if st.is_some() {
            for (_, l) in &extras {
                assert_eq!(
                    shown.get(&norm(l)),
                    None,
                    "{name}: promo or share line shown: {l}"
                );
            }
        }
    }
}
