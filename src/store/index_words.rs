//! What the search index is given for an item's text: each of its words once.
//!
//! The index (`item_fts`, `detail = none`) keeps, for each token, only the items that hold it:
//! not how often, not where. Given each word once instead of the whole text, it learns the same
//! tokens and stores the same index, and its tokenizer and hash table, which run in the writer's
//! transaction, see a fraction of the tokens. The words are taken in the digest workers, so the
//! work leaves the writer (and the index's hash table, part of the peak memory, stays smaller);
//! it is about as much processor time again, spent on another thread (see README).
//!
//! "The same tokens" holds by construction. The text is cut only at ASCII bytes that are not
//! letters or digits, each of which the index's tokenizer (`unicode61`, default token
//! characters) treats as a separator, so no token spans a cut: the pieces' tokens are the text's
//! tokens. A piece is kept the first time it occurs, with its ASCII letters lowered (the
//! tokenizer folds case anyway), and pieces are joined by single spaces, also a separator. A
//! piece with other characters (`café`, `東京`) is kept whole for the tokenizer to cut as it
//! always did.

use hashbrown::HashTable;

use crate::filter::ascii8::{HIGH, ONES, letters_and_alnum, load, lower, spread};

/// A word's bytes are read eight at a time, up to seven past its end: the words' bytes are
/// followed by this many zero bytes.
const PAD: usize = 8;

/// The word `low[at..at + n]`, `n` from 1 to 8, as an integer: its bytes read at once, those
/// past its end masked off.
fn chunk(low: &[u8], at: usize, n: usize) -> u64 {
    load(&low[at..]) & (u64::MAX >> (64 - 8 * n))
}

/// The word `low[start..end]` as 8-byte integers, the last masked (see [`chunk`]), to `f`.
fn chunks(low: &[u8], start: usize, end: usize, mut f: impl FnMut(u64) -> bool) -> bool {
    let mut at = start;
    while at < end {
        if !f(chunk(low, at, (end - at).min(8))) {
            return false;
        }
        at += 8;
    }
    true
}

/// A word's hash, eight bytes at a time, each step a folded multiply (the high and low halves of
/// the 128-bit product xored, as foldhash does): the table takes its buckets from the low bits,
/// which a plain multiply would leave depending on the word's first letters alone. The table
/// compares the words themselves, so the hash only has to spread them.
fn hash(low: &[u8], start: usize, end: usize) -> u64 {
    let mut h = 0u64;
    chunks(low, start, end, |c| {
        h = mix(h, c);
        true
    });
    h
}

/// One step of [`hash`]: the hash so far and the next eight bytes, mixed.
#[inline]
fn mix(h: u64, c: u64) -> u64 {
    let product = u128::from(h ^ c) * 0x9e37_79b9_7f4a_7c15_u128;
    (product as u64) ^ ((product >> 64) as u64)
}

/// Whether the words `low[a..a_end]` and `low[b..b_end]` are the same.
fn same(low: &[u8], (a, a_end): (usize, usize), (b, b_end): (usize, usize)) -> bool {
    if a_end - a != b_end - b {
        return false;
    }
    let mut at = a;
    chunks(low, b, b_end, |c| {
        let same = chunk(low, at, (a_end - at).min(8)) == c;
        at += 8;
        same
    })
}

/// The distinct words of `text` for the search index, in the order they first occur, lower
/// case where ASCII, separated by single spaces: the index takes from it exactly the tokens it
/// would take from `text`.
pub fn index_words(text: &str) -> String {
    let low = word_bytes(text.as_bytes());
    let n = text.len();
    let mut out: Vec<u8> = Vec::with_capacity(n + 1);
    // The kept words of up to eight bytes (most words), as their bytes in one integer: a word
    // holds no zero byte, so the integer (zeros past the word's end) is the word.
    let mut short: HashTable<u64> = HashTable::with_capacity(n / 16);
    // The kept longer words, as (start, end) in `low`.
    let mut long: HashTable<(u32, u32)> = HashTable::new();
    let mut i = 0;
    loop {
        let start = next(&low, i, kept);
        if start >= n {
            break;
        }
        let end = next(&low, start, |chunk| !kept(chunk) & HIGH).min(n);
        let new = if end - start <= 8 {
            let word = chunk(&low, start, end - start);
            let h = mix(0, word);
            if short.find(h, |&w| w == word).is_some() {
                false
            } else {
                short.insert_unique(h, word, |&w| mix(0, w));
                true
            }
        } else {
            let h = hash(&low, start, end);
            let same_word =
                |&(s, e): &(u32, u32)| same(&low, (s as usize, e as usize), (start, end));
            if long.find(h, same_word).is_some() {
                false
            } else {
                long.insert_unique(h, (start as u32, end as u32), |&(s, e)| {
                    hash(&low, s as usize, e as usize)
                });
                true
            }
        };
        if new {
            if !out.is_empty() {
                out.push(b' ');
            }
            out.extend_from_slice(&low[start..end]);
        }
        i = end;
    }
    // Cut only at ASCII bytes, which never fall inside a UTF-8 sequence, and lowered only
    // ASCII letters: the words are whole characters.
    String::from_utf8(out).expect("cut at ASCII bytes only")
}

/// The high bit of each byte of `chunk` that is not 0.
fn kept(chunk: u64) -> u64 {
    (((chunk & !HIGH) + (ONES * 0x7f)) | chunk) & HIGH
}

/// The first position from `from` whose byte the chunk test `marks` marks (it gives the high
/// bit of each marked byte of eight), looking eight bytes at a time; past the text when none is.
fn next(low: &[u8], from: usize, marks: impl Fn(u64) -> u64) -> usize {
    let mut at = from;
    while at + 8 <= low.len() {
        let m = marks(load(&low[at..]));
        if m != 0 {
            return at + (m.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    low.len()
}

/// `bytes` as the words are written, eight bytes at a time: an ASCII letter lowered, a digit or
/// a byte of another character as it is, and 0 for a byte the index's tokenizer separates words
/// at, an ASCII byte that is not a letter or digit (bytes of other characters are never cut at;
/// the tokenizer decides). Followed by [`PAD`] zero bytes, so that a word's bytes can be read
/// eight at a time and a search for a word's end always finds one.
fn word_bytes(bytes: &[u8]) -> Vec<u8> {
    let mut low = vec![0u8; bytes.len() + PAD];
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for c in &mut chunks {
        let x = load(c);
        low[at..at + 8].copy_from_slice(&lowered(x).to_le_bytes());
        at += 8;
    }
    let rest = chunks.remainder();
    let mut eight = [0u8; 8];
    eight[..rest.len()].copy_from_slice(rest);
    low[at..at + rest.len()]
        .copy_from_slice(&lowered(u64::from_le_bytes(eight)).to_le_bytes()[..rest.len()]);
    low
}

/// Eight bytes as [`word_bytes`] writes them.
fn lowered(x: u64) -> u64 {
    let (letters, alnum) = letters_and_alnum(x);
    lower(x, letters) & spread(alnum | (x & HIGH))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rusqlite::Connection;

    /// The tokens SQLite's index makes of `text`: one row of a `detail = none` table like
    /// `item_fts`, read back through its vocabulary.
    fn tokens(text: &str) -> Vec<String> {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE VIRTUAL TABLE t USING fts5(body, detail = none, \
             tokenize = 'unicode61 remove_diacritics 2'); \
             CREATE VIRTUAL TABLE v USING fts5vocab(t, row);",
        )
        .unwrap();
        conn.execute("INSERT INTO t (rowid, body) VALUES (1, ?1)", [text])
            .unwrap();
        let mut stmt = conn.prepare("SELECT term FROM v ORDER BY term").unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    #[test]
    fn each_word_is_kept_once_lowered_in_the_order_it_first_occurs() {
        assert_eq!(
            index_words("The river, the RIVER's bank; the bank."),
            "the river s bank"
        );
        assert_eq!(index_words(""), "");
        assert_eq!(index_words(" ,.; "), "");
        assert_eq!(
            index_words("Café-bar café\u{a0}BAR"),
            "café bar café\u{a0}bar"
        );
    }

    #[test]
    fn the_index_takes_the_same_tokens_from_the_words_as_from_the_text() {
        for text in [
            "Read the report today.\nOne\nTwo",
            "Ça coûte 10€ — l'été à Zürich; ÉTÉ, été.",
            "東京の川 and 東京の川, 𝒜lpha αβγ ΑΒΓ ﬁne fine",
            "e\u{301}te\u{301} and été, tab\there «quoted» ‘single’",
        ] {
            assert_eq!(tokens(&index_words(text)), tokens(text), "{text:?}");
        }
    }

    /// What [`index_words`] computes, written plainly: the pieces between ASCII bytes that are
    /// not letters or digits, lowered where ASCII, each kept the first time.
    fn plainly(text: &str) -> String {
        let mut seen = std::collections::HashSet::new();
        text.split(|c: char| c.is_ascii() && !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .filter(|w| seen.insert(w.clone()))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn words_cross_the_eight_byte_chunks() {
        for text in [
            "Internationalisation 1234567890123 a BB internationalisation x yz",
            "abcdefgh abcdefgh ABCDEFGH abcdefghi ABCDEFGHIJKLMNOPQRSTUVWXYZ@[`{0123456789:/",
            "\u{7f}\u{0}AZaz09éÉ—東京 x",
            "1234567",
            "12345678",
        ] {
            assert_eq!(index_words(text), plainly(text), "{text:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn any_text_gives_what_the_plain_split_gives(
            text in "([a-zA-Z0-9]{1,19}|[\\x00-\\x7f]{1,3}|.){0,60}"
        ) {
            prop_assert_eq!(index_words(&text), plainly(&text));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn any_text_gives_the_index_the_same_tokens(
            text in "([a-zA-Z0-9]{1,6}|[ .,;'\\-\n]|é|É|ß|ﬁ|東|α|Α|\u{301}|\u{a0}|—|€){0,40}"
        ) {
            let words = index_words(&text);
            prop_assert_eq!(tokens(&words), tokens(&text));
            // And no word twice.
            let mut seen = std::collections::HashSet::new();
            prop_assert!(words.split(' ').filter(|w| !w.is_empty()).all(|w| seen.insert(w)));
        }
    }
}
