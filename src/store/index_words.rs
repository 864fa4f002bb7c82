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

/// Each byte as it is written into a word: an ASCII letter lowered, a digit or a byte of another
/// character as it is, and 0 for a byte the index's tokenizer separates words at: an ASCII byte
/// that is not a letter or digit. (Bytes of other characters are never cut at; the tokenizer
/// decides.)
static WORD_BYTE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if !c.is_ascii() || c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            0
        };
        b += 1;
    }
    t
};

/// Bytes of `out` are read eight at a time, up to seven past a word's end: `out` keeps this
/// many bytes of room beyond the last it can write.
const PAD: usize = 8;

/// The word `out[at..at + n]`, `n` from 1 to 8, as an integer: its bytes read at once, those
/// past its end masked off.
fn chunk(out: &[u8], at: usize, n: usize) -> u64 {
    let eight: [u8; 8] = out[at..at + 8].try_into().expect("PAD bytes of room");
    u64::from_le_bytes(eight) & (u64::MAX >> (64 - 8 * n))
}

/// The word `out[start..end]` as 8-byte integers, the last masked (see [`chunk`]), to `f`.
fn chunks(out: &[u8], start: usize, end: usize, mut f: impl FnMut(u64) -> bool) -> bool {
    let mut at = start;
    while at < end {
        if !f(chunk(out, at, (end - at).min(8))) {
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
fn hash(out: &[u8], start: usize, end: usize) -> u64 {
    let mut h = 0u64;
    chunks(out, start, end, |c| {
        let product = u128::from(h ^ c) * 0x9e37_79b9_7f4a_7c15_u128;
        h = (product as u64) ^ ((product >> 64) as u64);
        true
    });
    h
}

/// Whether the words `out[a..a_end]` and `out[b..b_end]` are the same.
fn same(out: &[u8], (a, a_end): (usize, usize), (b, b_end): (usize, usize)) -> bool {
    if a_end - a != b_end - b {
        return false;
    }
    let mut at = a;
    chunks(out, b, b_end, |c| {
        let same = chunk(out, at, (a_end - at).min(8)) == c;
        at += 8;
        same
    })
}

/// The distinct words of `text` for the search index, in the order they first occur, lower
/// case where ASCII, separated by single spaces: the index takes from it exactly the tokens it
/// would take from `text`.
pub fn index_words(text: &str) -> String {
    let bytes = text.as_bytes();
    // Room for every byte and a space after each word: written by index, never grown.
    let mut out = vec![0u8; bytes.len() + 1 + PAD];
    let mut len = 0;
    // The kept words, as (start, end) in `out`.
    let mut seen: HashTable<(u32, u32)> = HashTable::with_capacity(bytes.len() / 16);
    let mut i = 0;
    while i < bytes.len() {
        let mut b = WORD_BYTE[bytes[i] as usize];
        if b == 0 {
            i += 1;
            continue;
        }
        // Written after the last kept word's space, taken back if seen before.
        let start = len;
        loop {
            out[len] = b;
            len += 1;
            i += 1;
            if i == bytes.len() {
                break;
            }
            b = WORD_BYTE[bytes[i] as usize];
            if b == 0 {
                break;
            }
        }
        let h = hash(&out, start, len);
        let found = seen
            .find(h, |&(s, e)| {
                same(&out, (s as usize, e as usize), (start, len))
            })
            .is_some();
        if found {
            len = start;
        } else {
            seen.insert_unique(h, (start as u32, len as u32), |&(s, e)| {
                hash(&out, s as usize, e as usize)
            });
            out[len] = b' ';
            len += 1;
        }
    }
    out.truncate(len.saturating_sub(1));
    // Cut only at ASCII bytes, which never fall inside a UTF-8 sequence, and lowered only
    // ASCII letters: the words are whole characters.
    String::from_utf8(out).expect("cut at ASCII bytes only")
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
