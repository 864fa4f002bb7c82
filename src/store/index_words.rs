//! What the store keeps of an item's searchable text, made in one pass: the text folded (for
//! filters and ranking, see [`crate::filter::words::fold`]) and each of its words once (for the
//! search index).
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
//!
//! Where the text is ASCII, its pieces lowered are exactly the words of its folded form, so the
//! words are read from the folded text as it is written: between single spaces, already lowered.
//! Only a piece with other characters is read from the text itself. The table that finds each
//! word once also numbers the folded text's distinct words, which is how `item_text` keeps the
//! folded text (see [`super::word_coded`]).

use hashbrown::HashTable;

use crate::filter::ascii8::{HIGH, ONES, load};
use crate::filter::words::{ascii_run, fold_into};

/// An item's searchable text as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoldedWords {
    /// The text folded, exactly as [`crate::filter::words::fold`] gives it.
    pub folded: String,
    /// The folded text coded as its distinct words and, for each word in turn, which of them it
    /// is (see [`super::word_coded`]): how `item_text` keeps it.
    pub coded: Vec<u8>,
    /// Its distinct words for the search index, in the order they first occur, lower case where
    /// ASCII, separated by single spaces: the index takes from it exactly the tokens it would take
    /// from the text.
    pub words: String,
}

/// The folded form and the index's words of `text` (see [`FoldedWords`]).
pub fn fold_and_index_words(text: &str) -> FoldedWords {
    let b = text.as_bytes();
    let mut folded = String::with_capacity(text.len() + 2);
    // Begun with its space, so that each stretch's words start where its folding does.
    folded.push(' ');
    let mut words = Dictionary::with_room(text.len());
    let mut i = 0;
    while i < b.len() {
        // The stretch up to the next piece with a byte of another character is folded, and its
        // words read from what the folding wrote (words of both the folded text and the
        // index); that piece is folded, its folded words read likewise, and kept whole for the
        // index.
        let other = i + ascii_run(&b[i..]);
        if other == b.len() {
            let from = fold_ascii(&text[i..], &mut folded);
            words.add_folded(&folded, from, true);
            break;
        }
        let piece = b[i..other]
            .iter()
            .rposition(|c| !c.is_ascii_alphanumeric())
            .map_or(i, |n| i + n + 1);
        let piece_end = b[other..]
            .iter()
            .position(|c| c.is_ascii() && !c.is_ascii_alphanumeric())
            .map_or(b.len(), |n| other + n);
        let from = fold_ascii(&text[i..piece], &mut folded);
        words.add_folded(&folded, from, true);
        let from = folded.len();
        fold_into(&text[piece..piece_end], &mut folded);
        words.add_folded(&folded, from, false);
        words.add_piece(&b[piece..piece_end]);
        i = piece_end;
    }
    let (words, coded) = words.finish();
    FoldedWords {
        folded,
        coded,
        words,
    }
}

/// Folds ASCII `text` onto `folded` (see [`fold_into`]; nothing when it is empty) and returns
/// where the words it wrote start.
fn fold_ascii(text: &str, folded: &mut String) -> usize {
    let from = folded.len();
    if !text.is_empty() {
        fold_into(text, folded);
    }
    from
}

/// A word's entry: whether the index's words hold it, and its number among the folded text's
/// distinct words plus one (0: not a word of the folded text).
type Entry = u32;
/// The entry's bit saying the index's words hold the word.
const IN_INDEX: Entry = 1 << 31;
/// The entry's bits numbering the word among the folded text's distinct words, plus one.
const IN_FOLDED: Entry = IN_INDEX - 1;

/// Every word met once, with what it is part of: the index's words (kept once each, in the
/// order they first came, joined by single spaces) and the folded text's distinct words (the
/// same way), with the number of each word of the folded text in turn.
struct Dictionary {
    /// The index's words; `None` while they are the folded text's distinct words (until the
    /// first piece with another character: all the way through an all-ASCII text), which are
    /// then written once.
    index: Option<Joined>,
    /// The folded text's distinct words.
    distinct: Joined,
    /// How many those are.
    distinct_count: u32,
    /// The folded text's words in turn, as their numbers among `distinct`, LEB128.
    sequence: Vec<u8>,
    /// The words of up to eight bytes (most words).
    short: ShortWords,
    /// The longer words, as (start, end) in `long_bytes`, and their entries.
    long: HashTable<(u32, u32, Entry)>,
    /// The bytes of the longer words.
    long_bytes: Vec<u8>,
}

impl Dictionary {
    /// Empty, with room for the words of `bytes` bytes of text.
    fn with_room(bytes: usize) -> Dictionary {
        Dictionary {
            index: None,
            distinct: Joined::with_room(bytes / 2),
            distinct_count: 0,
            sequence: Vec::with_capacity(bytes / 4),
            short: ShortWords::with_room(bytes / 16),
            long: HashTable::new(),
            long_bytes: Vec::new(),
        }
    }

    /// Adds the words of the folded text `f` from `from` on, words of the index too when
    /// `indexed`: each is followed by one space (the folding writes no space after a space,
    /// and each folding starts after one and ends with one). The spaces are found 64 bytes at a
    /// time, as one bit each, and the words read between them.
    fn add_folded(&mut self, f: &str, from: usize, indexed: bool) {
        if !indexed {
            self.diverge();
        }
        let f = f.as_bytes();
        let mut start = from;
        let mut base = from;
        while base < f.len() {
            let mut spaces = space_bits(f, base);
            while spaces != 0 {
                let end = base + spaces.trailing_zeros() as usize;
                spaces &= spaces - 1;
                if end > start {
                    self.add_word(f, start, end, indexed);
                }
                start = end + 1;
            }
            base += 64;
        }
        if start < f.len() {
            self.add_word(f, start, f.len(), indexed);
        }
    }

    /// Adds the word `f[start..end]` of the folded text.
    #[inline]
    fn add_word(&mut self, f: &[u8], start: usize, end: usize, indexed: bool) {
        let n = end - start;
        let wants = if indexed { IN_INDEX } else { 0 };
        if n <= 8 {
            let key = if start + 8 <= f.len() {
                load(&f[start..]) & (u64::MAX >> (64 - 8 * n))
            } else {
                short_key(&f[start..end])
            };
            self.add_short(key, n, wants | IN_FOLDED);
        } else {
            self.add_long(&f[start..end], wants | IN_FOLDED);
        }
    }

    /// Adds one piece of the text that holds a byte of another character, its ASCII letters
    /// lowered, as a word of the index.
    fn add_piece(&mut self, piece: &[u8]) {
        self.diverge();
        let low = piece.to_ascii_lowercase();
        if low.len() <= 8 {
            self.add_short(short_key(&low), low.len(), IN_INDEX);
        } else {
            self.add_long(&low, IN_INDEX);
        }
    }

    /// Adds the word of `n` bytes, up to eight, whose bytes as an integer are `key`, as part of
    /// what `wants` says.
    #[inline]
    fn add_short(&mut self, key: u64, n: usize, wants: Entry) {
        let entry = self.short.entry(key);
        if has_all(*entry, wants) {
            // Met before as all it is now (most words): only its number, if it is a word of the
            // folded text now.
            if wants & IN_FOLDED != 0 {
                let number = (*entry & IN_FOLDED) - 1;
                super::word_coded::push_number(&mut self.sequence, number);
            }
            return;
        }
        let (old, new) = mark(entry, wants, &mut self.distinct_count);
        if new & IN_INDEX != old & IN_INDEX
            && let Some(index) = &mut self.index
        {
            index.push_short(key, n);
        }
        if wants & IN_FOLDED != 0 {
            self.add_to_folded(old, new, |d| d.push_short(key, n));
        }
    }

    /// Adds `word`, longer than eight bytes, as part of what `wants` says.
    fn add_long(&mut self, word: &[u8], wants: Entry) {
        let h = hash(word);
        let bytes = &self.long_bytes;
        let found = self.long.entry(
            h,
            |&(s, e, _)| &bytes[s as usize..e as usize] == word,
            |&(s, e, _)| hash(&bytes[s as usize..e as usize]),
        );
        let entry = match found {
            hashbrown::hash_table::Entry::Occupied(o) => &mut o.into_mut().2,
            hashbrown::hash_table::Entry::Vacant(v) => {
                let s = self.long_bytes.len();
                self.long_bytes.extend_from_slice(word);
                let span = (s as u32, self.long_bytes.len() as u32, 0);
                &mut v.insert(span).into_mut().2
            }
        };
        let (old, new) = mark(entry, wants, &mut self.distinct_count);
        if new & IN_INDEX != old & IN_INDEX
            && let Some(index) = &mut self.index
        {
            index.push(word);
        }
        if wants & IN_FOLDED != 0 {
            self.add_to_folded(old, new, |d| d.push(word));
        }
    }

    /// Records a word of the folded text, whose entry was `old` and is `new`: written among the
    /// distinct words (by `write`) when it is new there, and its number put in the sequence.
    #[inline]
    fn add_to_folded(&mut self, old: Entry, new: Entry, write: impl FnOnce(&mut Joined)) {
        if old & IN_FOLDED == 0 {
            write(&mut self.distinct);
        }
        super::word_coded::push_number(&mut self.sequence, (new & IN_FOLDED) - 1);
    }

    /// Keeps the index's words apart from the folded text's distinct words from now on: a
    /// word of one may no longer be a word of the other.
    fn diverge(&mut self) {
        if self.index.is_none() {
            self.index = Some(self.distinct.clone());
        }
    }

    /// The index's words, joined by single spaces, and the folded text coded.
    fn finish(self) -> (String, Vec<u8>) {
        let coded = super::word_coded::encode(
            self.distinct_count,
            self.distinct.as_bytes(),
            &self.sequence,
        );
        (self.index.unwrap_or(self.distinct).into_string(), coded)
    }
}

/// Whether `entry` is part of all that `wants` says already.
#[inline]
fn has_all(entry: Entry, wants: Entry) -> bool {
    (entry & IN_FOLDED != 0 || wants & IN_FOLDED == 0)
        && entry & wants & IN_INDEX == wants & IN_INDEX
}

/// Marks `entry` as part of what `wants` says (numbering it among the folded text's distinct
/// words, after `count` others, when it becomes one); gives its value before and after.
#[inline]
fn mark(entry: &mut Entry, wants: Entry, count: &mut u32) -> (Entry, Entry) {
    let old = *entry;
    let mut new = old | (wants & IN_INDEX);
    if wants & IN_FOLDED != 0 && old & IN_FOLDED == 0 {
        *count += 1;
        new |= *count;
    }
    *entry = new;
    (old, new)
}

/// Words joined by single spaces, written into room kept ahead: a short word as its eight bytes
/// at once.
#[derive(Clone)]
struct Joined {
    /// The words, `out[..len]`, followed by zeros.
    out: Vec<u8>,
    /// How much of `out` the words fill.
    len: usize,
}

impl Joined {
    /// Empty, with room for `bytes` bytes of words.
    fn with_room(bytes: usize) -> Joined {
        Joined {
            out: vec![0; bytes + 16],
            len: 0,
        }
    }

    /// Writes the word of `n` bytes, up to eight, whose bytes as an integer are `key`.
    #[inline]
    fn push_short(&mut self, key: u64, n: usize) {
        let at = self.room(8);
        self.out[at..at + 8].copy_from_slice(&key.to_le_bytes());
        self.len = at + n;
    }

    /// Writes `word`.
    fn push(&mut self, word: &[u8]) {
        let at = self.room(word.len());
        self.out[at..at + word.len()].copy_from_slice(word);
        self.len = at + word.len();
    }

    /// Makes room for a word of up to `n` bytes after the others, writes the space before it
    /// (none before the first), and returns where the word goes.
    #[inline]
    fn room(&mut self, n: usize) -> usize {
        if self.out.len() < self.len + 1 + n {
            let grown = (2 * self.out.len()).max(self.len + 1 + n);
            self.out.resize(grown, 0);
        }
        if self.len == 0 {
            return 0;
        }
        self.out[self.len] = b' ';
        self.len + 1
    }

    /// The words written.
    fn as_bytes(&self) -> &[u8] {
        &self.out[..self.len]
    }

    /// The words, joined by single spaces.
    fn into_string(mut self) -> String {
        self.out.truncate(self.len);
        // Cut only at ASCII bytes, which never fall inside a UTF-8 sequence, and lowered only
        // ASCII letters: the words are whole characters.
        String::from_utf8(self.out).expect("cut at ASCII bytes only")
    }
}

/// One bit for each of the 64 bytes of `f` from `base` (fewer at its end) that is a space, the
/// first byte's lowest.
fn space_bits(f: &[u8], base: usize) -> u64 {
    let mut bits = 0;
    for chunk in 0..8 {
        let at = base + 8 * chunk;
        if at >= f.len() {
            break;
        }
        let x = if at + 8 <= f.len() {
            load(&f[at..])
        } else {
            short_key(&f[at..])
        };
        // A space xored with spaces is 0; the high bit of each 0 byte, exactly (no borrow runs
        // from one byte into the next), then gathered into eight bits by one multiply.
        let y = x ^ (ONES * u64::from(b' '));
        let zero = !(((y & !HIGH) + !HIGH) | y) & HIGH;
        bits |= ((zero >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * chunk);
    }
    bits
}

/// A map from words of up to eight bytes to their entries, each word as its bytes in one
/// integer: a word holds no zero byte, so the integer (zeros past the word's end) is the word,
/// and 0 marks an empty slot. Open addressing with linear probing, kept at most half full: a
/// word is found or placed in a few instructions, where a general hash table's lookup cost
/// several times that for each of an item's words.
struct ShortWords {
    slots: Vec<u64>,
    entries: Vec<Entry>,
    len: usize,
}

impl ShortWords {
    /// Empty, with room for `words` words before it grows.
    fn with_room(words: usize) -> ShortWords {
        let n = (2 * words).next_power_of_two().max(64);
        ShortWords {
            slots: vec![0; n],
            entries: vec![0; n],
            len: 0,
        }
    }

    /// The entry of the word `key` (not 0), 0 when it is new.
    #[inline]
    fn entry(&mut self, key: u64) -> &mut Entry {
        debug_assert_ne!(key, 0);
        let mut i = self.find(key);
        if self.slots[i] == 0 {
            if 2 * (self.len + 1) > self.slots.len() {
                self.grow();
                i = self.find(key);
            }
            self.slots[i] = key;
            self.len += 1;
        }
        &mut self.entries[i]
    }

    /// The slot holding `key`, or the empty one where it would go.
    #[inline]
    fn find(&self, key: u64) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = mix(0, key) as usize & mask;
        while self.slots[i] != key && self.slots[i] != 0 {
            i = (i + 1) & mask;
        }
        i
    }

    /// Doubles the slots, placing every word again.
    #[cold]
    fn grow(&mut self) {
        let n = 2 * self.slots.len();
        let slots = std::mem::replace(&mut self.slots, vec![0; n]);
        let entries = std::mem::replace(&mut self.entries, vec![0; n]);
        for (key, entry) in slots.into_iter().zip(entries).filter(|&(k, _)| k != 0) {
            let i = self.find(key);
            self.slots[i] = key;
            self.entries[i] = entry;
        }
    }
}

/// The bytes of `word`, up to eight, as an integer (zeros past its end).
fn short_key(word: &[u8]) -> u64 {
    let mut eight = [0u8; 8];
    eight[..word.len()].copy_from_slice(word);
    u64::from_le_bytes(eight)
}

/// A word's hash, eight bytes at a time, each step a folded multiply (the high and low halves of
/// the 128-bit product xored, as foldhash does): the table takes its buckets from the low bits,
/// which a plain multiply would leave depending on the word's first letters alone. The table
/// compares the words themselves, so the hash only has to spread them.
fn hash(word: &[u8]) -> u64 {
    let mut chunks = word.chunks_exact(8);
    let mut h = 0u64;
    for c in &mut chunks {
        h = mix(h, load(c));
    }
    if !chunks.remainder().is_empty() {
        h = mix(h, short_key(chunks.remainder()));
    }
    h
}

/// One step of [`hash`]: the hash so far and the next eight bytes, mixed.
#[inline]
fn mix(h: u64, c: u64) -> u64 {
    let product = u128::from(h ^ c) * 0x9e37_79b9_7f4a_7c15_u128;
    (product as u64) ^ ((product >> 64) as u64)
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

    /// The index's words of `text`.
    fn index_words(text: &str) -> String {
        fold_and_index_words(text).words
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

    /// What [`fold_and_index_words`] gives as words, written plainly: the pieces between ASCII bytes that are
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
    fn the_folded_text_is_the_folds() {
        for text in [
            "",
            "Café-bar café\u{a0}BAR, the ﬁne print",
            "don’t stop—ever. 東京の川!",
            "é",
            "plain ASCII text, with punctuation... and an end",
            "trailing é",
            "ﬁ ",
        ] {
            assert_eq!(
                fold_and_index_words(text).folded,
                crate::filter::words::fold(text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn words_longer_than_the_64_bytes_read_at_once_are_whole() {
        let long = "Pneumonoultramicroscopicsilicovolcanoconiosis".repeat(4);
        for text in [
            format!("{long} x {long}. {} {long}", long.to_uppercase()),
            format!("{} a {long}b {long}", "y".repeat(63)),
            format!("{}é{long} {long}", "z".repeat(64)),
        ] {
            assert_eq!(index_words(&text), plainly(&text), "{text:?}");
        }
    }

    #[test]
    fn a_text_of_many_short_distinct_words_grows_the_set() {
        // About one distinct word in five bytes, against the one in sixteen the set has room for.
        let text: String = (0..5000).map(|i| format!("{i:x}.")).collect();
        assert_eq!(index_words(&text), plainly(&text));
        assert_eq!(index_words(&text.repeat(2)), plainly(&text));
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
        fn any_text_gives_what_the_plain_split_and_the_fold_give(
            text in "([a-zA-Z0-9]{1,19}|[\\x00-\\x7f]{1,3}|.){0,60}"
        ) {
            let both = fold_and_index_words(&text);
            prop_assert_eq!(both.words, plainly(&text));
            let folded = crate::filter::words::fold(&text);
            let decoded = crate::store::word_coded::decode(&both.coded);
            prop_assert_eq!(decoded.as_ref(), Some(&folded));
            prop_assert_eq!(both.folded, folded);
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
