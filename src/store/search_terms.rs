//! The words and phrases of a search, and how well a title or a text matches them.
//!
//! The search index is contentless with `detail=none`: it knows which items hold every word, not
//! where. So the index only proposes candidates, and this module decides, against the stored
//! title and text, whether a quoted phrase really occurs and how high a candidate ranks. Text is
//! folded the way the index's `unicode61 remove_diacritics 2` tokenizer folds it: runs of letters
//! and digits, lower case, accents dropped.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// How well an item matches a search; lower ranks first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    /// The title is the query's words, exactly.
    ExactTitle,
    /// The title holds the query's words side by side, in order.
    TitlePhrase,
    /// The title holds every word and phrase of the query.
    TitleWords,
    /// The text holds the query's words side by side, in order.
    TextPhrase,
    /// The words are all there, somewhere.
    Words,
}

/// A search broken into what must match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    /// Every word of the query, folded, in order (quoted ones included).
    pub words: Vec<String>,
    /// The quoted phrases of two words or more, each folded: they must occur side by side.
    pub phrases: Vec<Vec<String>>,
    /// Whether the last word also matches as a prefix (the query does not end with a space or
    /// a closing quote).
    pub prefix: bool,
}

impl Terms {
    /// Reads a search: double quotes enclose a phrase (an unclosed quote runs to the end).
    pub fn parse(text: &str) -> Terms {
        let mut words = Vec::new();
        let mut phrases = Vec::new();
        let mut folded = String::new();
        for (i, part) in text.split('"').enumerate() {
            folded.clear();
            fold_into(part, &mut folded);
            let part_words: Vec<String> = folded.split_whitespace().map(str::to_string).collect();
            if !i.is_multiple_of(2) && part_words.len() > 1 {
                phrases.push(part_words.clone());
            }
            words.extend(part_words);
        }
        let closed_quote = text.ends_with('"') && text.matches('"').count().is_multiple_of(2);
        let prefix = !text.ends_with(char::is_whitespace) && !closed_quote;
        Terms {
            words,
            phrases,
            prefix,
        }
    }

    /// Whether the search has no word at all (it matches nothing).
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// How the title alone matches: `None` when it misses a phrase or a word.
    pub fn title_tier(&self, folded_title: &str) -> Option<Tier> {
        let exact = needle(&self.words, false);
        if folded_title == exact {
            return Some(Tier::ExactTitle);
        }
        if self.words.len() > 1 && folded_title.contains(&needle(&self.words, self.prefix)) {
            return Some(Tier::TitlePhrase);
        }
        if self.all_in(folded_title) {
            return Some(Tier::TitleWords);
        }
        None
    }

    /// How an item matches given its folded title and folded text, or `None` when a quoted
    /// phrase occurs in neither (the index proposed it for the words alone).
    pub fn tier(&self, folded_title: &str, folded_text: &str) -> Option<Tier> {
        if let Some(t) = self.title_tier(folded_title) {
            return Some(t);
        }
        let phrase_found = |p: &Vec<String>| {
            let n = needle(p, false);
            folded_title.contains(&n) || folded_text.contains(&n)
        };
        if !self.phrases.iter().all(phrase_found) {
            return None;
        }
        if self.words.len() > 1 && folded_text.contains(&needle(&self.words, self.prefix)) {
            return Some(Tier::TextPhrase);
        }
        Some(Tier::Words)
    }

    fn all_in(&self, hay: &str) -> bool {
        let last = self.words.len().saturating_sub(1);
        let words_in = self.words.iter().enumerate().all(|(i, w)| {
            let n = needle(std::slice::from_ref(w), self.prefix && i == last);
            hay.contains(&n)
        });
        words_in && self.phrases.iter().all(|p| hay.contains(&needle(p, false)))
    }
}

/// The folded form of `words` as it appears inside folded text: `" a b "`, or `" a b"` when the
/// last word may go on (a prefix).
fn needle(words: &[String], prefix: bool) -> String {
    let mut n = String::from(" ");
    for w in words {
        n.push_str(w);
        n.push(' ');
    }
    if prefix {
        n.pop();
    }
    n
}

/// Appends the folded form of `text` to `out`: its runs of letters and digits, lower case and
/// without accents, each followed by one space, the whole starting with a space (so `" w "`
/// finds a whole word). `out` must be empty or end with a space.
pub fn fold_into(text: &str, out: &mut String) {
    if out.is_empty() {
        out.push(' ');
    }
    let mut in_word = false;
    for c in text.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
                in_word = true;
            } else if in_word {
                out.push(' ');
                in_word = false;
            }
        } else if c.is_alphanumeric() {
            for d in std::iter::once(c).nfd().filter(|d| !is_combining_mark(*d)) {
                out.extend(d.to_lowercase());
            }
            in_word = true;
        } else if is_combining_mark(c) {
            // A mark after a letter belongs to the word and is dropped, as the index drops it.
        } else if in_word {
            out.push(' ');
            in_word = false;
        }
    }
    if in_word {
        out.push(' ');
    }
}

/// The folded form of `text` (see [`fold_into`]).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    fold_into(text, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_punctuation() {
        assert_eq!(fold("Café, C++ (beta)!"), " cafe c beta ");
        assert_eq!(fold(""), " ");
        assert_eq!(fold("Ünïcode—dash"), " unicode dash ");
    }

    #[test]
    fn quotes_make_phrases_and_end_the_prefix() {
        let t = Terms::parse("storm \"harbour wall\" re");
        assert_eq!(t.words, ["storm", "harbour", "wall", "re"]);
        assert_eq!(t.phrases, [vec!["harbour".to_string(), "wall".to_string()]]);
        assert!(t.prefix);
        let t = Terms::parse("\"harbour wall\"");
        assert!(!t.prefix, "a closed quote ends the last word");
        let t = Terms::parse("\"one\" two ");
        assert!(t.phrases.is_empty(), "a quoted single word is a word");
        assert!(!t.prefix);
        assert!(Terms::parse(" \"()\" ").is_empty());
    }

    #[test]
    fn tiers_rank_exact_title_then_phrases_then_words() {
        let t = Terms::parse("coral reef");
        assert_eq!(t.title_tier(&fold("Coral Reef")), Some(Tier::ExactTitle));
        assert_eq!(
            t.title_tier(&fold("The coral reefs recover")),
            Some(Tier::TitlePhrase)
        );
        assert_eq!(
            t.title_tier(&fold("Reef survey finds coral")),
            Some(Tier::TitleWords)
        );
        assert_eq!(t.title_tier(&fold("Coral news")), None);
        assert_eq!(
            t.tier(&fold("Survey"), &fold("the coral reef grew")),
            Some(Tier::TextPhrase)
        );
        assert_eq!(
            t.tier(&fold("Survey"), &fold("reef and coral")),
            Some(Tier::Words)
        );
        assert!(Tier::ExactTitle < Tier::TitlePhrase && Tier::TextPhrase < Tier::Words);
    }

    #[test]
    fn a_quoted_phrase_must_occur_side_by_side() {
        let t = Terms::parse("\"coral reef\"");
        assert_eq!(t.tier(&fold("Survey"), &fold("reef and coral")), None);
        assert_eq!(t.tier(&fold("Survey"), &fold("reef and coralline")), None);
        assert_eq!(
            t.tier(&fold("Survey"), &fold("a Coral-Reef study")),
            Some(Tier::TextPhrase)
        );
        let t = Terms::parse("\"coral reef\" survey");
        assert_eq!(
            t.tier(&fold("Survey of a coral reef"), ""),
            Some(Tier::TitleWords)
        );
        assert_eq!(t.tier(&fold("Survey"), &fold("reef coral")), None);
    }

    #[test]
    fn the_last_word_is_a_prefix_unless_ended() {
        let t = Terms::parse("coral re");
        assert_eq!(t.title_tier(&fold("coral reef")), Some(Tier::TitlePhrase));
        let t = Terms::parse("coral re ");
        assert_eq!(t.title_tier(&fold("coral reef")), None);
    }
}
