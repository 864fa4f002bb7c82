//! D: the same story across feeds, measured on the product's own path: labelled items in five
//! feeds are digested as a fetch digests them, stored in a real cache in a temporary folder, and
//! the stories the cache forms are compared with the labels, pair by pair.
//!
//! Positives: the original in feed A and up to three copies in other feeds: the same page with
//! tracking parameters and the copying site's share and promo lines; the same text under another
//! address and title with its paragraphs merged and a site footer; the same text with a different
//! headline and a teaser line in front. Negatives: an item that takes an original's exact title
//! over another story's text (generic titles recur), and an item that shares one long background
//! paragraph with an original but tells its own story.

use std::collections::BTreeMap;

use tidings::content::dedup::{DigestInput, Piece, digest_feed};
use tidings::model::{BodyKind, ParsedItem};
use tidings::store::{FeedUpdate, STATS_WINDOW, Store};

use crate::score::ratio;

/// Pair counts: same story by label, same story by the cache.
#[derive(Default, Debug)]
pub struct PairScore {
    pub true_pos: usize,
    pub false_pos: usize,
    pub false_neg: usize,
    pub items: usize,
    pub misses: Vec<String>,
}

impl PairScore {
    pub fn precision(&self) -> f64 {
        ratio(self.true_pos, self.true_pos + self.false_pos)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.true_pos, self.true_pos + self.false_neg)
    }
}

/// One generated item: its feed, its story label, its title, link and paragraphs.
struct Gen {
    feed: usize,
    label: usize,
    title: String,
    link: String,
    paras: Vec<String>,
}

fn title_of(gold: &[String]) -> String {
    gold[0]
        .split_whitespace()
        .take(7)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Builds the items; labels above `golds.len()` are stories of their own (negatives).
fn generate(golds: &[Vec<String>]) -> Vec<Gen> {
    let usable: Vec<(usize, &Vec<String>)> = golds
        .iter()
        .enumerate()
        .filter(|(_, g)| {
            g.len() >= 3
                && g.iter()
                    .map(|p| p.split_whitespace().count())
                    .sum::<usize>()
                    >= 80
        })
        .collect();
    // Even-numbered texts are the stories; each odd one lends its text to the negatives of the
    // story before it and is stored nowhere else, so a negative shares no story with anything.
    let mut out = Vec::new();
    let mut own = golds.len();
    for (k, pair) in usable.chunks(2).enumerate() {
        let [(n, gold), (_, other)] = pair else {
            continue;
        };
        let (n, gold, other) = (*n, *gold, *other);
        let title = title_of(gold);
        out.push(Gen {
            feed: 0,
            label: n,
            title: title.clone(),
            link: format!("https://a.example/news/{n}"),
            paras: gold.clone(),
        });
        match k % 3 {
            0 => {
                let mut paras = vec!["Share this article with your friends".to_string()];
                paras.extend(gold.iter().cloned());
                paras.push("Subscribe to the Valley Post for the week's best stories.".into());
                out.push(Gen {
                    feed: 1,
                    label: n,
                    title: format!("{title} (via A)"),
                    link: format!(
                        "https://www.a.example/news/{n}/?utm_source=valley&utm_medium=rss"
                    ),
                    paras,
                });
            }
            1 => {
                let mut paras: Vec<String> = gold.chunks(2).map(|c| c.join(" ")).collect();
                paras.push("This story was first published by the Daily Ledger.".into());
                out.push(Gen {
                    feed: 2,
                    label: n,
                    title: format!("Wire: {}", title.to_uppercase()),
                    link: format!("https://metro.example/wire/{}", 9000 + n),
                    paras,
                });
            }
            _ => {
                let mut paras = vec![format!("Here is what we know so far about {}.", title)];
                paras.extend(gold.iter().cloned());
                out.push(Gen {
                    feed: 3,
                    label: n,
                    title: "Latest update".into(),
                    link: format!("https://harbour.example/p?id={n}"),
                    paras,
                });
            }
        }
        // Negatives in feed E.
        own += 1;
        out.push(Gen {
            feed: 4,
            label: own,
            title: title.clone(),
            link: format!("https://e.example/title-twin/{n}"),
            paras: other.clone(),
        });
        if k % 2 == 0 {
            let longest = gold
                .iter()
                .max_by_key(|p| p.split_whitespace().count())
                .cloned()
                .unwrap_or_default();
            let mut paras: Vec<String> = other.iter().rev().cloned().collect();
            paras.insert(1.min(paras.len()), longest);
            own += 1;
            out.push(Gen {
                feed: 4,
                label: own,
                title: format!("Background {n}"),
                link: format!("https://e.example/background/{n}"),
                paras,
            });
        }
    }
    out
}

/// Runs the evaluation in a temporary cache.
pub fn evaluate(golds: &[Vec<String>]) -> Result<PairScore, String> {
    let items = generate(golds);
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut store = Store::open(&dir.path().join("cache.db")).map_err(|e| e.to_string())?;
    let names = ["A", "Valley Post", "Metro Wire", "Harbour Times", "E"];
    let mut feed_ids = Vec::new();
    for (f, name) in names.iter().enumerate() {
        let id = store
            .add_feed(&format!("https://feed{f}.example/"), Some(name), &[])
            .map_err(|e| e.to_string())?;
        feed_ids.push(id);
    }
    let mut label_of: BTreeMap<String, usize> = BTreeMap::new();
    for (f, &feed) in feed_ids.iter().enumerate() {
        let mine: Vec<(usize, &Gen)> = items
            .iter()
            .enumerate()
            .filter(|(_, g)| g.feed == f)
            .collect();
        let inputs: Vec<DigestInput> = mine
            .iter()
            .map(|(_, g)| DigestInput {
                pieces: g.paras.iter().map(|p| Piece::paragraph(p)).collect(),
                link: Some(&g.link),
                guid: None,
                title: &g.title,
            })
            .collect();
        let digests = digest_feed(&inputs, STATS_WINDOW);
        let parsed: Vec<ParsedItem> = mine
            .iter()
            .map(|(i, g)| {
                let key = format!("item-{i}");
                label_of.insert(key.clone(), g.label);
                ParsedItem {
                    key,
                    guid: None,
                    link: Some(g.link.clone()),
                    title: g.title.clone(),
                    author: None,
                    published: Some(1_700_000_000 + *i as i64),
                    content: g
                        .paras
                        .iter()
                        .map(|p| format!("<p>{}</p>", html_escape(p)))
                        .collect(),
                    content_kind: BodyKind::Html,
                    base: None,
                    enclosures: Vec::new(),
                }
            })
            .collect();
        let update = FeedUpdate {
            fetched_at: 1_800_000_000,
            items: parsed,
            stories: digests.into_iter().map(|d| d.story).collect(),
            ..FeedUpdate::default()
        };
        store
            .store_feed_update(feed, &update)
            .map_err(|e| e.to_string())?;
    }
    // (label, feed, story leader) of every stored item.
    let mut stored = Vec::new();
    for (f, &feed) in feed_ids.iter().enumerate() {
        for row in store
            .items_of_feed(feed, 100_000)
            .map_err(|e| e.to_string())?
        {
            let lead = store.story_lead(row.id).map_err(|e| e.to_string())?;
            stored.push((label_of[&row.key], f, lead, row.title));
        }
    }
    let mut score = PairScore {
        items: stored.len(),
        ..PairScore::default()
    };
    for (x, a) in stored.iter().enumerate() {
        for b in &stored[x + 1..] {
            if a.1 == b.1 {
                continue;
            }
            match (a.0 == b.0, a.2 == b.2) {
                (true, true) => score.true_pos += 1,
                (false, true) => {
                    score.false_pos += 1;
                    score.misses.push(format!("merged: {:?} / {:?}", a.3, b.3));
                }
                (true, false) => {
                    score.false_neg += 1;
                    score.misses.push(format!("missed: {:?} / {:?}", a.3, b.3));
                }
                (false, false) => {}
            }
        }
    }
    Ok(score)
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    #[test]
    fn no_pairs_is_not_a_perfect_score() {
        let none = super::PairScore::default();
        assert!(none.precision().is_nan() && none.recall().is_nan());
    }
}
