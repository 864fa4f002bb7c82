//! Labelled test articles built from the gold texts: injected repeats, whole-article repeats and
//! feeds with boilerplate, with negative controls.

use std::collections::{BTreeMap, HashSet};

use tidings::content::dedup::Piece;

use crate::score::norm_words;

/// What a generated block should become.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Label {
    /// Must be shown.
    Keep,
    /// Must fold.
    Fold,
    /// A repeat the gold text already had: scored apart (see the do-no-harm line).
    Own,
}

/// One generated article: blocks with labels, and the name of the rule each block tests.
#[derive(Default, Clone)]
pub struct Case {
    pub texts: Vec<String>,
    pub labels: Vec<Label>,
    pub tags: Vec<&'static str>,
    seen: HashSet<Vec<String>>,
}

impl Case {
    fn push(&mut self, text: impl Into<String>, label: Label, tag: &'static str) {
        let text = text.into();
        // A block with no letters or digits has nothing to fold.
        let label = if label == Label::Fold && norm_words(&text).is_empty() {
            Label::Keep
        } else {
            label
        };
        let words = norm_words(&text);
        let own = label == Label::Keep
            && tag == "gold"
            && !words.is_empty()
            && self.seen.contains(&words);
        self.seen.insert(words);
        let (label, tag) = if own {
            (Label::Own, "gold (own repeat)")
        } else {
            (label, tag)
        };
        self.texts.push(text);
        self.labels.push(label);
        self.tags.push(tag);
    }

    pub fn pieces(&self) -> Vec<Piece<'_>> {
        self.texts.iter().map(|t| Piece::paragraph(t)).collect()
    }
}

/// A small deterministic random number generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Words of a text, counting each Chinese or Japanese character as a word (those scripts put no
/// spaces between words).
pub fn words(s: &str) -> usize {
    let cjk = s
        .chars()
        .filter(|&c| matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF))
        .count();
    s.split_whitespace().count() + cjk
}

// ---------------------------------------------------------------------------------------------
// Text transformations (near repeats)

const PROMOS: &[&str] = &[
    "Subscribe to our newsletter to get the best stories in your inbox every morning.",
    "Sign up for our free weekly briefing.",
    "Click here to read more stories like this one.",
    "Follow us on social media for live updates.",
    "Advertisement.",
    "Download our app to keep reading offline.",
];

fn split_sentences(p: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = p.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        cur.push(c);
        if matches!(c, '.' | '!' | '?') && chars.get(i + 1).is_some_and(|n| *n == ' ') {
            out.push(cur.trim().to_owned());
            cur.clear();
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_owned());
    }
    out
}

/// A near repeat of `p`: two of case, white space, punctuation, smart-quote and inserted-promo
/// changes.
fn near_repeat(p: &str, rng: &mut Rng) -> (String, &'static str) {
    let mut s = p.to_owned();
    let mut tag = "near: spelling";
    for round in 0..2 {
        // At most one inserted sentence: the rule allows one.
        let choice = rng.below(5);
        let choice = if round == 1 && tag == "near: inserted promo" && choice == 4 {
            0
        } else {
            choice
        };
        match choice {
            0 => s = s.to_uppercase(),
            1 => s = s.replace(' ', "  ").replacen("  ", "\u{00A0}", 3),
            2 => s = s.replace(", ", " ").replace(';', ","),
            3 => s = s.replace('\'', "\u{2019}").replace('"', "\u{201C}"),
            _ => {
                let promo = PROMOS[rng.below(PROMOS.len())];
                let sentences = split_sentences(&s);
                let at = rng.below(sentences.len() + 1);
                let mut v = sentences;
                v.insert(at, promo.to_owned());
                s = v.join(" ");
                tag = "near: inserted promo";
            }
        }
    }
    (s, tag)
}

/// `p` with its first digit changed, if it has one.
fn change_number(p: &str) -> Option<String> {
    let pos = p.find(|c: char| c.is_ascii_digit())?;
    let d = p.as_bytes()[pos] - b'0';
    let mut s = p.to_owned();
    s.replace_range(pos..pos + 1, &((d + 1) % 10).to_string());
    Some(s)
}

// ---------------------------------------------------------------------------------------------
// Case builders

/// Variant A: the gold article with an exact repeat, a near repeat, a short block repeated on its
/// own (stays) and a copy with one number changed (stays).
pub fn injected(gold: &[String], rng: &mut Rng) -> Case {
    let long: Vec<usize> = (0..gold.len()).filter(|&i| words(&gold[i]) >= 25).collect();
    let short: Vec<usize> = (0..gold.len())
        .filter(|&i| (2..10).contains(&words(&gold[i])))
        .collect();
    let digits: Vec<usize> = (0..gold.len())
        .filter(|&i| words(&gold[i]) >= 3 && gold[i].contains(|c: char| c.is_ascii_digit()))
        .collect();
    // Each injection goes after a gold block at or after its source; `extra[k]` lists them.
    let mut extra: BTreeMap<usize, Vec<(String, Label, &'static str)>> = BTreeMap::new();
    let pick_after = |src: usize, rng: &mut Rng, used: &mut HashSet<usize>| -> Option<usize> {
        for _ in 0..20 {
            let at = src + rng.below(gold.len() - src);
            if !used.contains(&at)
                && !used.contains(&(at + 1))
                && (at == 0 || !used.contains(&(at - 1)))
            {
                used.insert(at);
                return Some(at);
            }
        }
        None
    };
    let mut used = HashSet::new();
    if let Some(&src) = long.get(rng.below(long.len())).filter(|_| !long.is_empty())
        && let Some(at) = pick_after(src, rng, &mut used)
    {
        extra
            .entry(at)
            .or_default()
            .push((gold[src].clone(), Label::Fold, "exact repeat"));
    }
    if !long.is_empty() {
        let src = long[rng.below(long.len())];
        let (text, tag) = near_repeat(&gold[src], rng);
        if let Some(at) = pick_after(src, rng, &mut used) {
            extra.entry(at).or_default().push((text, Label::Fold, tag));
        }
    }
    if !short.is_empty() {
        let src = short[rng.below(short.len())];
        if let Some(at) = pick_after(src, rng, &mut used) {
            extra.entry(at).or_default().push((
                gold[src].clone(),
                Label::Keep,
                "short lone repeat",
            ));
        }
    }
    if !digits.is_empty() {
        let src = digits[rng.below(digits.len())];
        if let (Some(text), Some(at)) = (change_number(&gold[src]), pick_after(src, rng, &mut used))
        {
            extra
                .entry(at)
                .or_default()
                .push((text, Label::Keep, "numbers differ"));
        }
    }
    let mut case = Case::default();
    for (i, p) in gold.iter().enumerate() {
        case.push(p.clone(), Label::Keep, "gold");
        for (text, label, tag) in extra.remove(&i).unwrap_or_default() {
            case.push(text, label, tag);
        }
    }
    case
}

/// Variant B: the whole article, then the whole article again split into paragraphs differently
/// (pairs merged, paragraphs cut at a sentence), some with spelling changes.
pub fn whole_repeat(gold: &[String], rng: &mut Rng) -> Case {
    let mut case = Case::default();
    for p in gold {
        case.push(p.clone(), Label::Keep, "gold");
    }
    let mut i = 0;
    while i < gold.len() {
        let roll = rng.below(4);
        let mut pieces: Vec<String> = Vec::new();
        if roll == 0 && i + 1 < gold.len() {
            pieces.push(format!("{} {}", gold[i], gold[i + 1]));
            i += 2;
        } else if roll == 1 && split_sentences(&gold[i]).len() >= 2 {
            let s = split_sentences(&gold[i]);
            let cut = 1 + rng.below(s.len() - 1);
            pieces.push(s[..cut].join(" "));
            pieces.push(s[cut..].join(" "));
            i += 1;
        } else {
            pieces.push(gold[i].clone());
            i += 1;
        }
        for p in pieces {
            let p = if rng.chance(20) {
                p.replace('\'', "\u{2019}").replace(", ", " , ")
            } else {
                p
            };
            case.push(p, Label::Fold, "whole-article repeat");
        }
    }
    case
}

/// Variant C: a feed of items made from several gold articles, all carrying the same share and
/// promotion lines; some carry a long background paragraph in the middle (stays), two carry a rare
/// promotion (stays), one carries the promotion glued to one of its own paragraphs (stays).
pub fn feed(golds: &[&[String]], background: &str, site: &str, rng: &mut Rng) -> Vec<Case> {
    let mut items = Vec::new();
    for (n, gold) in golds.iter().enumerate() {
        let mut case = Case::default();
        let title: String = gold[0]
            .split_whitespace()
            .take(6)
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .take(40)
            .collect();
        let promo_at = gold.len().min(2);
        for (i, p) in gold.iter().enumerate() {
            if i == promo_at && rng.chance(80) {
                let day = 1 + rng.below(28);
                case.push(
                    format!("Register for the {site} Data Summit (next edition begins March {day}, 2026)."),
                    Label::Fold,
                    "feed promo (middle)",
                );
                case.push(
                    format!("Join the {site} Insider club and get early access to our reports."),
                    Label::Fold,
                    "feed promo (middle)",
                );
            }
            if i == 1 && n % 2 == 0 && gold.len() >= 3 {
                case.push(background, Label::Keep, "background paragraph");
            }
            if i == 1 && n == 3 {
                case.push(
                    format!(
                        "{p} Join the {site} Insider club and get early access to our reports."
                    ),
                    Label::Keep,
                    "own text + promo sentence",
                );
                continue;
            }
            case.push(p.clone(), Label::Keep, "gold");
        }
        if n < 2 {
            case.push(
                "Get 20% off your first order with code READER20.",
                Label::Keep,
                "rare promo",
            );
        }
        case.push("Share this:", Label::Fold, "share line");
        for net in ["Facebook", "X", "WhatsApp"] {
            case.push(
                format!("Click to share on {net} (Opens in new window) {net}"),
                Label::Fold,
                "share line",
            );
        }
        case.push(
            format!("The post {title} appeared first on {site}."),
            Label::Fold,
            "post footer",
        );
        items.push(case);
    }
    items
}
