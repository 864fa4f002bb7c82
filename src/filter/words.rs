//! Whole-word matching that ignores case and diacritics.
//!
//! Both sides are folded the same way: compatibility decomposition (so `ﬁ` is `fi` and `é` is
//! `e` plus an accent), combining marks dropped, lower case, and every run of characters that are
//! not letters or digits turned into one space, with a space at each end. A phrase of words then
//! matches when its folded form, spaces at the ends included, occurs in the folded value: the
//! words are whole, adjacent and in order. ASCII text, the common case, is not folded at all:
//! there, folding only lowers case and turns each run of other bytes into one space, so the
//! phrase is a case-insensitive byte pattern (`river[^a-z0-9]+market` between non-alphanumeric
//! bytes or the ends), which the regex engine finds without allocating.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

use crate::filter::ascii8::{HIGH, ONES, letters_and_alnum, load, lower, spread};

/// Each ASCII byte folded: a letter or digit to its lower case, any other byte to a space (a
/// word's end).
static ASCII_FOLD: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            b' '
        };
        b += 1;
    }
    t
};

/// Appends the folded form of `s` to `out`, which must be empty or end with a space; the result
/// ends with a space. Runs of ASCII, the bulk of every search text, are folded by table into
/// room made for them up front, a space written over a space it follows; other characters are
/// decomposed.
pub fn fold_into(s: &str, out: &mut String) {
    if out.is_empty() {
        out.push(' ');
    }
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let run = ascii_run(&bytes[i..]);
        push_ascii_folded(&s[i..i + run], out);
        i += run;
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        i += c.len_utf8();
        fold_char(c, out);
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
}

/// How many bytes `bytes` starts with that are ASCII, looked at eight at a time.
pub(crate) fn ascii_run(bytes: &[u8]) -> usize {
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for c in &mut chunks {
        let high = load(c) & HIGH;
        if high != 0 {
            return at + (high.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    let rest = chunks.remainder();
    at + rest
        .iter()
        .position(|b| !b.is_ascii())
        .unwrap_or(rest.len())
}

/// Appends ASCII `text` folded: each letter or digit in lower case, any other byte a space, and
/// no space after a space (nor at the start of an empty `out`). Written into room made up front:
/// eight bytes at once where no space among them follows a space (`super::ascii8`), else by
/// table, a space written over a space it follows. The search text's folding and the digests'
/// normalisation share it.
#[inline]
pub fn push_ascii_folded(text: &str, out: &mut String) {
    debug_assert!(text.is_ascii());
    // SAFETY: only ASCII bytes are written (the table's values, or ASCII bytes lowered or made
    // spaces), and the vector is cut after one of them, so `out` holds UTF-8 whenever it can be
    // seen again.
    let v = unsafe { out.as_mut_vec() };
    let mut n = v.len();
    let mut last = v.last().copied().unwrap_or(b' ');
    v.resize(n + text.len(), 0);
    let bytes = text.as_bytes();
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        // Eight at once when no space would follow a space; else byte by byte.
        let x = load(c);
        let (letters, alnum) = letters_and_alnum(x);
        let spaces = !alnum & HIGH;
        let after_space = (spaces << 8) | u64::from(last == b' ') << 7;
        if spaces & after_space == 0 {
            let words = spread(alnum);
            let folded = (lower(x, letters) & words) | ((ONES * u64::from(b' ')) & !words);
            // `n` never runs ahead of the bytes read, so these eight fit in the room made.
            v[n..n + 8].copy_from_slice(&folded.to_le_bytes());
            n += 8;
            last = (folded >> 56) as u8;
        } else {
            for &b in c {
                fold_byte(b, v, &mut n, &mut last);
            }
        }
    }
    for &b in chunks.remainder() {
        fold_byte(b, v, &mut n, &mut last);
    }
    v.truncate(n);
}

/// Writes ASCII byte `b` folded at `v[*n]`, and moves past it unless it is a space after a
/// space (`last` is the byte written before).
#[inline]
fn fold_byte(b: u8, v: &mut [u8], n: &mut usize, last: &mut u8) {
    let f = ASCII_FOLD[usize::from(b & 0x7f)];
    v[*n] = f;
    *n += usize::from(f != b' ' || *last != b' ');
    *last = f;
}

/// Appends the folded form of one character: its compatibility decomposition without combining
/// marks, in lower case, a letter or digit kept and anything else ending the word.
fn fold_char(c: char, out: &mut String) {
    decompose_compatible(c, |d| {
        if is_combining_mark(d) {
            return;
        }
        if d.is_alphanumeric() {
            out.extend(d.to_lowercase());
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    });
}

/// The folded form of `s`: its words in lower case without diacritics, each with a space on
/// either side.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    fold_into(s, &mut out);
    out
}

/// A phrase to look for: the words as written, their folded form, and the pattern that finds
/// them in ASCII text (`None` when the folded words are not ASCII, so ASCII text never holds them).
#[derive(Debug, Clone)]
pub struct Phrase {
    written: String,
    folded: String,
    ascii: Option<regex::bytes::Regex>,
}

impl PartialEq for Phrase {
    fn eq(&self, other: &Self) -> bool {
        self.written == other.written
    }
}

impl Eq for Phrase {}

impl Phrase {
    /// The phrase of the words in `s`, or `None` when it holds no letter or digit.
    pub fn new(s: &str) -> Option<Phrase> {
        let folded = fold(s);
        if folded.len() <= 1 {
            return None;
        }
        let ascii = folded.is_ascii().then(|| {
            let words: Vec<String> = folded.split_whitespace().map(regex::escape).collect();
            let pattern = format!(
                "(?i-u)(?:^|[^a-z0-9]){}(?:[^a-z0-9]|$)",
                words.join("[^a-z0-9]+")
            );
            regex::bytes::Regex::new(&pattern).expect("escaped words make a valid pattern")
        });
        Some(Phrase {
            written: s.to_string(),
            folded,
            ascii,
        })
    }

    /// The phrase as the user wrote it.
    pub fn as_written(&self) -> &str {
        &self.written
    }

    /// The folded form (words between single spaces, a space at each end).
    pub fn folded(&self) -> &str {
        &self.folded
    }

    /// Whether the phrase occurs in `value` as whole words.
    pub fn is_in(&self, value: &str) -> bool {
        if value.is_ascii() {
            return self
                .ascii
                .as_ref()
                .is_some_and(|re| re.is_match(value.as_bytes()));
        }
        fold(value).contains(&self.folded)
    }

    /// Whether the phrase occurs in a value already folded with [`fold`].
    pub fn is_in_folded(&self, folded: &str) -> bool {
        folded.contains(&self.folded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The folding a character at a time, ASCII included, as the rule says.
    fn fold_by_char(s: &str) -> String {
        let mut out = String::from(" ");
        for c in s.chars() {
            fold_char(c, &mut out);
        }
        if !out.ends_with(' ') {
            out.push(' ');
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn folding_by_runs_folds_as_a_character_at_a_time(
            s in "([A-Za-z0-9]{1,12}|[ .,'_\\-]{1,3}|[\\x00-\\x7f]|[éÉßﬁ²Ω—œ東İ\\u{301}]){0,40}",
            prefix in "( [a-z]+ )?",
        ) {
            let mut out = prefix.clone();
            fold_into(&s, &mut out);
            let want = if prefix.is_empty() {
                fold_by_char(&s)
            } else {
                format!("{}{}", prefix.trim_end(), fold_by_char(&s))
            };
            proptest::prop_assert_eq!(out, want);
        }
    }

    proptest::proptest! {
        #[test]
        fn ascii_runs_end_where_the_first_other_byte_is(s in "[a-z ]{0,20}(é|東)?[a-z]{0,9}") {
            let b = s.as_bytes();
            let want = b.iter().position(|c| !c.is_ascii()).unwrap_or(b.len());
            proptest::prop_assert_eq!(ascii_run(b), want);
        }
    }

    #[test]
    fn folding_drops_case_diacritics_and_punctuation() {
        assert_eq!(fold("Café, CRÈME-brûlée!"), " cafe creme brulee ");
        assert_eq!(fold("ﬁne  Straße"), " fine straße ");
        assert_eq!(fold(""), " ");
        assert_eq!(fold("..."), " ");
    }

    #[test]
    fn a_phrase_matches_whole_adjacent_words_in_order() {
        let p = Phrase::new("River Market").unwrap();
        assert!(p.is_in("The river market opens"));
        assert!(p.is_in("RIVER—MARKET"));
        assert!(!p.is_in("market river"));
        assert!(!p.is_in("the river's market"));
        assert!(!p.is_in("rivers market"));
        assert!(!p.is_in("river supermarket"));
    }

    #[test]
    fn diacritics_match_either_way() {
        assert!(Phrase::new("cafe").unwrap().is_in("Le Café du coin"));
        assert!(Phrase::new("Café").unwrap().is_in("the CAFE"));
        assert!(Phrase::new("Zürich").unwrap().is_in("zurich"));
    }

    #[test]
    fn ascii_text_matches_as_folding_would() {
        let texts = [
            "The river market opens",
            "RIVER_market",
            "river--market.",
            "rivermarket",
            "a river  market",
            "river marketing",
            "xriver market",
            "river, market; river",
            "",
            "river",
        ];
        for phrase in ["river market", "River", "market river", "a river", "x"] {
            let p = Phrase::new(phrase).unwrap();
            for t in texts {
                assert_eq!(
                    p.is_in(t),
                    fold(t).contains(p.folded()),
                    "{phrase:?} in {t:?}"
                );
            }
        }
        assert!(!Phrase::new("straße").unwrap().is_in("strasse"));
        assert!(Phrase::new("café").unwrap().is_in("CAFE au lait"));
    }

    #[test]
    fn a_phrase_needs_a_word() {
        assert!(Phrase::new("  ?! ").is_none());
        assert!(Phrase::new("x").is_some());
    }
}
