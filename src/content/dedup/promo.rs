//! Recognises promotional sentences ("Subscribe to our newsletter", "Click to share on X") by a few
//! words and word pairs.
//!
//! This list is only a hint: it lets a repeated paragraph fold although one short inserted sentence
//! is new, when that sentence looks like an advertisement. Whole lines are found to be boilerplate
//! from the feed's own statistics, never from this list.

use std::sync::OnceLock;

use super::hash::{HashSetU64, word_hash};

const WORDS: &[&str] = &[
    "subscribe",
    "subscribers",
    "unsubscribe",
    "newsletter",
    "newsletters",
    "advertisement",
    "advertising",
    "sponsored",
    "promo",
    "coupon",
    "discount",
    "discounts",
    "donate",
    "signup",
    "register",
    "registration",
    "registrations",
    "webinar",
    "masterclass",
    "podcast",
];

const PAIRS: &[(&str, &str)] = &[
    ("sign", "up"),
    ("click", "here"),
    ("click", "to"),
    ("follow", "us"),
    ("read", "more"),
    ("read", "also"),
    ("also", "read"),
    ("share", "this"),
    ("share", "on"),
    ("buy", "now"),
    ("shop", "now"),
    ("learn", "more"),
    ("free", "trial"),
    ("join", "our"),
    ("join", "us"),
    ("early", "bird"),
    ("appeared", "first"),
    ("new", "window"),
    ("our", "app"),
    ("the", "app"),
    ("download", "our"),
];

struct Tables {
    words: HashSetU64,
    pairs: HashSetU64,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| Tables {
        words: WORDS.iter().map(|w| word_hash(w)).collect(),
        pairs: PAIRS
            .iter()
            .map(|(a, b)| pair_key(word_hash(a), word_hash(b)))
            .collect(),
    })
}

fn pair_key(a: u64, b: u64) -> u64 {
    a.rotate_left(17) ^ b
}

/// Whether the words (hashes of normalised words) look like a promotional sentence.
pub(crate) fn is_promo(words: &[u64]) -> bool {
    let t = tables();
    words.iter().any(|w| t.words.contains(w))
        || words
            .windows(2)
            .any(|p| t.pairs.contains(&pair_key(p[0], p[1])))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::dedup::shingle::Prepared;

    fn promo(s: &str) -> bool {
        is_promo(&Prepared::new(s, false, &mut String::new()).words)
    }

    #[test]
    fn promotional_sentences_are_recognised() {
        assert!(promo("Sign up for our free briefing."));
        assert!(promo("Click to share on X (Opens in new window)"));
        assert!(!promo("The council approved the budget on Tuesday."));
        assert!(!promo("Prices rose 4% in March."));
    }
}
