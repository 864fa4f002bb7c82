//! A block prepared for comparison: the hashes of its normalised words, where its sentences start
//! and end, and the hashes derived from them (block, sentences, word 3-shingles, template).

use xxhash_rust::xxh3::xxh3_64;

use crate::filter::ascii8::{HIGH, letters_and_alnum, load};

use super::hash::{SEQ_SEED, TEMPLATE_SEED, seq_hash, shingle_hash, word_hash};
use super::normalize::{fold_digits, normalize_into, sentences};

/// Blocks this long (in words) or longer get no template hash: a template only describes short lines.
const TEMPLATE_MAX_WORDS: usize = 80;
/// Blocks shorter than this get no template hash: first and last words would be the whole line.
const TEMPLATE_MIN_WORDS: usize = 6;

/// One block of text, normalised and hashed.
#[derive(Debug, Clone, Default)]
pub(crate) struct Prepared {
    /// Hashes of the normalised words, digits kept.
    pub words: Vec<u64>,
    /// Hashes of the normalised words with digit runs folded to `0`; empty unless asked for.
    pub folded: Vec<u64>,
    /// Whether each word holds something other than digits.
    pub alpha: Vec<bool>,
    /// Word ranges `[start, end)` of the block's sentences, in order, covering every word.
    pub sentences: Vec<(usize, usize)>,
    /// Hash of the whole word sequence (digits kept).
    pub hash: u64,
}

/// What an ASCII word is made of, as [`alnum_run`] finds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    /// Its length in bytes.
    len: usize,
    /// Whether it holds a digit.
    digit: bool,
    /// Whether it holds a letter (else it is all digits).
    letter: bool,
    /// Whether it holds a capital.
    upper: bool,
}

/// The ASCII letters and digits from `b[at]` on, read eight bytes at a time: how many there are
/// in a row, and whether they hold digits, letters and capitals. (Whether, not how many: a count
/// of bits is a dozen instructions on the baseline x86-64 the release is built for, which has no
/// `popcnt`, and this runs for every word of every block digested.)
fn alnum_run(b: &[u8], at: usize) -> Run {
    let (mut len, mut digits, mut letters_seen, mut upper) = (0, 0, 0, 0);
    loop {
        let x = load_padded(&b[at + len..]);
        let (letters, alnum) = letters_and_alnum(x);
        // Past the text the bytes are 0, which ends the run.
        let n = ((!alnum & HIGH).trailing_zeros() / 8) as usize;
        let within = if n == 8 {
            HIGH
        } else {
            HIGH & ((1 << (8 * n)) - 1)
        };
        digits |= alnum & !letters & within;
        letters_seen |= letters & within;
        // A letter whose 0x20 bit (moved to the high bit) is clear is a capital.
        upper |= letters & !(x << 2) & within;
        len += n;
        if n < 8 {
            return Run {
                len,
                digit: digits != 0,
                letter: letters_seen != 0,
                upper: upper != 0,
            };
        }
    }
}

/// The first eight bytes of `b` as a `u64`, zeros past its end.
fn load_padded(b: &[u8]) -> u64 {
    if b.len() >= 8 {
        load(b)
    } else {
        let mut eight = [0u8; 8];
        eight[..b.len()].copy_from_slice(b);
        u64::from_le_bytes(eight)
    }
}

impl Prepared {
    /// Normalises and hashes `text`; `with_folded` also computes the digit-folded word hashes that
    /// feed statistics use. `buf` is scratch space.
    pub fn new(text: &str, with_folded: bool, buf: &mut String) -> Prepared {
        let mut p = Prepared::with_room(text.len(), with_folded);
        let mut start = 0;
        if text.is_ascii() {
            p.push_ascii(text.as_bytes(), with_folded, &mut start);
        } else {
            // Sentence by sentence: the ASCII ones (in English, most of them, even in a block
            // with a curly quote or a dash) down the fast path, the others normalised.
            for sentence in sentences(text) {
                if sentence.is_ascii() {
                    p.push_ascii(sentence.as_bytes(), with_folded, &mut start);
                } else {
                    p.push_normalized(sentence, with_folded, buf);
                }
                p.end_sentence(&mut start);
            }
        }
        p.end_sentence(&mut start);
        p.hash = seq_hash(&p.words, SEQ_SEED);
        p
    }

    /// Records the words of one sentence (not ASCII): normalised (see `normalize_into`) into
    /// `buf`, then hashed a word at a time.
    fn push_normalized(&mut self, sentence: &str, with_folded: bool, buf: &mut String) {
        normalize_into(sentence, buf);
        if buf.is_empty() {
            return;
        }
        for w in buf.split(' ') {
            let h = word_hash(w);
            self.words.push(h);
            let (has_digit, has_other) = if w.is_ascii() {
                let digits = w.bytes().filter(u8::is_ascii_digit).count();
                (digits > 0, digits < w.len())
            } else {
                let digits = w.chars().filter(|c| c.is_numeric()).count();
                (digits > 0, digits < w.chars().count())
            };
            self.alpha.push(has_other);
            if with_folded {
                self.folded.push(if has_digit {
                    word_hash(&fold_digits(w))
                } else {
                    h
                });
            }
        }
    }

    /// Empty, with room for the words of `bytes` bytes of ordinary prose (about six bytes a
    /// word), so that the vectors do not grow a word at a time (their growth was a tenth of the
    /// cost of preparing a block).
    fn with_room(bytes: usize, with_folded: bool) -> Prepared {
        let words = bytes / 6 + 1;
        Prepared {
            words: Vec::with_capacity(words),
            folded: Vec::with_capacity(if with_folded { words } else { 0 }),
            alpha: Vec::with_capacity(words),
            sentences: Vec::with_capacity(words / 12 + 1),
            hash: 0,
        }
    }

    /// The fast path for ASCII text: records the same words and ends the same sentences as
    /// `normalize_into` and `sentences` give (the sentence open at the end is left open), in
    /// one pass without building strings.
    fn push_ascii(&mut self, b: &[u8], with_folded: bool, start: &mut usize) {
        // A word with capitals is lowered into `lowered` (on the stack for words of up to 64
        // bytes, nearly all); the others are hashed where they lie.
        let mut short = [0u8; 64];
        let mut lowered: Vec<u8> = Vec::new();
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if c.is_ascii_alphanumeric() {
                let from = i;
                let run = alnum_run(b, i);
                i += run.len;
                let word = &b[from..i];
                // One call, inlined: the word as it lies, or lowered.
                let word: &[u8] = if !run.upper {
                    word
                } else if word.len() <= short.len() {
                    let low = &mut short[..word.len()];
                    low.copy_from_slice(word);
                    low.make_ascii_lowercase();
                    low
                } else {
                    lowered.clear();
                    lowered.extend(word.iter().map(u8::to_ascii_lowercase));
                    &lowered
                };
                self.push_ascii_word(word, run, with_folded);
                continue;
            }
            match c {
                b'\n' | b'\r' => self.end_sentence(start),
                b'.' | b'!' | b'?' => {
                    let mut j = i + 1;
                    while j < b.len()
                        && matches!(b[j], b'.' | b'!' | b'?' | b'"' | b'\'' | b')' | b']')
                    {
                        j += 1;
                    }
                    if j == b.len()
                        || matches!(b[j], b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r')
                    {
                        self.end_sentence(start);
                    }
                    i = j;
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
    }

    /// Records one lower-case ASCII word, made as `run` says.
    #[inline]
    fn push_ascii_word(&mut self, word: &[u8], run: Run, with_folded: bool) {
        let h = xxh3_64(word);
        self.words.push(h);
        self.alpha.push(run.letter);
        if with_folded {
            self.folded.push(if run.digit {
                // Each run of digits becomes one `0`: never longer than the word, so a word of
                // up to 64 bytes folds on the stack.
                let mut short = [0u8; 64];
                let mut long = Vec::new();
                let f: &mut [u8] = if word.len() <= short.len() {
                    &mut short
                } else {
                    long.resize(word.len(), 0);
                    &mut long
                };
                let mut n = 0;
                for &c in word {
                    if !c.is_ascii_digit() {
                        f[n] = c;
                        n += 1;
                    } else if n == 0 || !f[n - 1].is_ascii_digit() {
                        f[n] = b'0';
                        n += 1;
                    }
                }
                xxh3_64(&f[..n])
            } else {
                h
            });
        }
    }

    fn end_sentence(&mut self, start: &mut usize) {
        if self.words.len() > *start {
            self.sentences.push((*start, self.words.len()));
        }
        *start = self.words.len();
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Hash of the word 3-shingle starting at word `i` (digits kept).
    pub fn shingle(&self, i: usize) -> u64 {
        shingle_hash(self.words[i], self.words[i + 1], self.words[i + 2])
    }

    /// Hash of sentence `k` (digits kept).
    pub fn sentence_hash(&self, k: usize) -> u64 {
        let (s, e) = self.sentences[k];
        seq_hash(&self.words[s..e], SEQ_SEED)
    }

    /// Hash of the whole block with digits folded (needs `with_folded`).
    pub fn folded_hash(&self) -> u64 {
        seq_hash(&self.folded, SEQ_SEED)
    }

    /// Hash of sentence `k` with digits folded (needs `with_folded`).
    pub fn folded_sentence_hash(&self, k: usize) -> u64 {
        let (s, e) = self.sentences[k];
        seq_hash(&self.folded[s..e], SEQ_SEED)
    }

    /// Hash of the first two and last three words (digits folded) of a short line, so that lines
    /// like "The post TITLE appeared first on SITE." share one value whatever the title; `None` for
    /// lines too short or too long to be such a template.
    pub fn template_hash(&self) -> Option<u64> {
        let n = self.folded.len();
        if !(TEMPLATE_MIN_WORDS..=TEMPLATE_MAX_WORDS).contains(&n) {
            return None;
        }
        let key = [
            self.folded[0],
            self.folded[1],
            self.folded[n - 3],
            self.folded[n - 2],
            self.folded[n - 1],
        ];
        Some(seq_hash(&key, TEMPLATE_SEED))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_cover_all_words_and_digits_fold() {
        let mut buf = String::new();
        let a = Prepared::new("Edition 19 starts. Register now!", true, &mut buf);
        let b = Prepared::new("Edition 20 starts. Register now!", true, &mut buf);
        assert_eq!(a.sentences, vec![(0, 3), (3, 5)]);
        assert_ne!(a.hash, b.hash);
        assert_eq!(a.folded_hash(), b.folded_hash());
        assert_eq!(a.sentence_hash(1), b.sentence_hash(1));
        assert_eq!(a.alpha, vec![true, false, true, true, true]);
    }

    /// Checks that `text` gives the same words, sentences and hashes down the ASCII fast path
    /// as down the general one.
    fn assert_paths_agree(text: &str) {
        let mut buf = String::new();
        // A no-break space at the end sends the same text down the general path.
        let general = format!("{text}\u{a0}");
        let a = Prepared::new(text, true, &mut buf);
        let b = Prepared::new(&general, true, &mut buf);
        assert_eq!(a.words, b.words, "{text}");
        assert_eq!(a.folded, b.folded, "{text}");
        assert_eq!(a.alpha, b.alpha, "{text}");
        assert_eq!(a.sentences, b.sentences, "{text}");
        assert_eq!(a.hash, b.hash, "{text}");
    }

    #[test]
    fn ascii_fast_path_matches_the_general_path() {
        for text in [
            "He said: \"Don't go.\" Then (twice!) he left. Price: $19.99... ok?) fine\nNext line 2026 x1y22",
            "  U.S. President. A.B.C.D end. \"Quoted.\" 'Single.' [Bracket.] done",
            "",
            "...",
        ] {
            assert_paths_agree(text);
        }
    }

    proptest::proptest! {
        #[test]
        fn ascii_fast_path_matches_the_general_path_on_any_ascii(
            text in "([A-Za-z0-9]{1,6}|[ .!?,'\"()\\[\\]\n\r\t-]{1,3}){0,24}",
        ) {
            assert_paths_agree(&text);
        }
    }

    /// The general path as first written: every sentence normalised, ASCII or not.
    fn prepared_by_normalising(text: &str) -> Prepared {
        let mut buf = String::new();
        let mut p = Prepared::with_room(text.len(), true);
        for sentence in sentences(text) {
            let start = p.words.len();
            p.push_normalized(sentence, true, &mut buf);
            if p.words.len() > start {
                p.sentences.push((start, p.words.len()));
            }
        }
        p.hash = seq_hash(&p.words, SEQ_SEED);
        p
    }

    proptest::proptest! {
        #[test]
        fn ascii_sentences_of_mixed_text_agree_with_normalising_them(
            text in "([A-Za-z0-9]{1,6}|[ .!?,'\"()\\[\\]\n\r\t-]{1,3}|[éÉß东\u{301}’”»…—€\u{a0}\u{ad}ﬁＷ]){0,30}",
        ) {
            let mut buf = String::new();
            let a = Prepared::new(&text, true, &mut buf);
            let b = prepared_by_normalising(&text);
            proptest::prop_assert_eq!(&a.words, &b.words);
            proptest::prop_assert_eq!(&a.folded, &b.folded);
            proptest::prop_assert_eq!(&a.alpha, &b.alpha);
            proptest::prop_assert_eq!(&a.sentences, &b.sentences);
            proptest::prop_assert_eq!(a.hash, b.hash);
        }
    }

    proptest::proptest! {
        #[test]
        fn alnum_runs_read_eight_at_a_time_are_read_a_byte_at_a_time(
            text in "([A-Za-z0-9]{1,20}|[\\x00-\\x7f]){0,8}",
            at in 0usize..40,
        ) {
            let b = text.as_bytes();
            let at = at.min(b.len());
            let run = b[at..].iter().take_while(|c| c.is_ascii_alphanumeric()).count();
            let word = &b[at..at + run];
            let want = Run {
                len: run,
                digit: word.iter().any(u8::is_ascii_digit),
                letter: word.iter().any(u8::is_ascii_alphabetic),
                upper: word.iter().any(u8::is_ascii_uppercase),
            };
            proptest::prop_assert_eq!(alnum_run(b, at), want);
        }
    }

    #[test]
    fn template_ignores_the_middle() {
        let mut buf = String::new();
        let a = Prepared::new(
            "The post Rain in Spain appeared first on Example News.",
            true,
            &mut buf,
        );
        let b = Prepared::new(
            "The post A very different title appeared first on Example News.",
            true,
            &mut buf,
        );
        assert!(a.template_hash().is_some());
        assert_eq!(a.template_hash(), b.template_hash());
        assert_eq!(
            Prepared::new("Too short.", true, &mut buf).template_hash(),
            None
        );
    }
}
