//! Text normalisation: NFKC, case folding, punctuation to spaces, single spaces, digits kept; and the
//! split of a block into sentences.
//!
//! Chinese and Japanese characters become one word each, since those scripts put no spaces between
//! words.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::filter::words::push_ascii_folded;

/// Writes the normalised form of `text` into `out` (cleared first): words of letters and digits, in
/// lower case, separated by single spaces.
pub(crate) fn normalize_into(text: &str, out: &mut String) {
    out.clear();
    let mut need_space = false;
    if text.is_ascii() {
        push_ascii(text, out, &mut need_space);
        return;
    }
    // ASCII whitespace never composes with what follows it, so NFKC of the whole text is NFKC of
    // each run between spaces: ASCII runs (most words, even in texts with a few accents or smart
    // quotes) take the fast path and only the others pay for normalisation.
    // Consecutive ASCII runs are pushed as one.
    let mut ascii_from = 0;
    let mut at = 0;
    for run in text.split_inclusive(|c: char| c.is_ascii_whitespace()) {
        if !run.is_ascii() {
            push_ascii(&text[ascii_from..at], out, &mut need_space);
            push_unicode(run, out, &mut need_space);
            ascii_from = at + run.len();
        }
        at += run.len();
    }
    push_ascii(&text[ascii_from..], out, &mut need_space);
}

/// Appends the words of ASCII `text` (see [`push_ascii_folded`]), a space before them when one
/// is owed and none after: a trailing separator is owed to the next words instead.
fn push_ascii(text: &str, out: &mut String, need_space: &mut bool) {
    if text.is_empty() {
        return;
    }
    if std::mem::take(need_space) {
        out.push(' ');
    }
    push_ascii_folded(text, out);
    if out.ends_with(' ') {
        out.pop();
        *need_space = !out.is_empty();
    }
}

fn push_unicode(text: &str, out: &mut String, need_space: &mut bool) {
    for c in text.nfkc() {
        if is_ignorable(c) {
            continue;
        }
        for lc in c.to_lowercase() {
            if is_cjk(lc) {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push(lc);
                *need_space = true;
            } else if lc.is_alphanumeric()
                || (is_combining_mark(lc) && !out.is_empty() && !*need_space)
            {
                if *need_space {
                    out.push(' ');
                    *need_space = false;
                }
                out.push(lc);
            } else if !out.is_empty() {
                *need_space = true;
            }
        }
    }
}

/// Invisible characters that must not split a word: soft hyphen, zero-width spaces and joiners.
fn is_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Han ideographs and Japanese kana, which are written without spaces between words.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// The word with every run of digits replaced by a single `0`, so that "edition 19" and "edition 20"
/// count as the same line in feed statistics.
pub(crate) fn fold_digits(word: &str) -> Cow<'_, str> {
    if !word.chars().any(char::is_numeric) {
        return Cow::Borrowed(word);
    }
    let mut s = String::with_capacity(word.len());
    let mut in_digits = false;
    for c in word.chars() {
        if c.is_numeric() {
            if !in_digits {
                s.push('0');
            }
            in_digits = true;
        } else {
            s.push(c);
            in_digits = false;
        }
    }
    Cow::Owned(s)
}

/// Splits `text` into sentences: after `.`, `!`, `?` or `…` (and any closing quotes or brackets)
/// followed by white space, after the CJK full stops, and at line breaks. Slices keep their
/// punctuation; empty ones are dropped.
///
/// Read a byte at a time, the bytes that cannot start a terminator passed over by table: only
/// the others are looked at closer, and a character is decoded only where a terminator is
/// followed by something other than ASCII (the white space test), so mostly-ASCII text costs
/// little more than ASCII.
pub(crate) fn sentences(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        if !MAY_END[usize::from(b[i])] {
            i += 1;
            continue;
        }
        // Where the terminator (with its closers) ends, and whether it ends a sentence there.
        let (end, ends) = match b[i] {
            b'\n' | b'\r' => (i + 1, true),
            b'.' | b'!' | b'?' => terminated(text, i + 1),
            0xE2 if b[i..].starts_with("…".as_bytes()) => terminated(text, i + 3),
            0xE3 | 0xEF if starts_with_any(&b[i..], &["。", "！", "？"]) => (i + 3, true),
            _ => {
                i += 1;
                continue;
            }
        };
        if ends {
            push_trimmed(&mut out, &text[start..end]);
            start = end;
        }
        i = end;
    }
    push_trimmed(&mut out, &text[start..]);
    out
}

/// The bytes [`sentences`] looks at closer: line ends, terminators, and the first bytes of `…`
/// and of the CJK full stops. Passing the others over by table costs a third of what matching
/// each byte against the terminators did.
static MAY_END: [bool; 256] = {
    let mut t = [false; 256];
    let ends = [b'\n', b'\r', b'.', b'!', b'?', 0xE2, 0xE3, 0xEF];
    let mut k = 0;
    while k < ends.len() {
        t[ends[k] as usize] = true;
        k += 1;
    }
    t
};

/// Where the closers (more terminators, closing quotes and brackets) that follow position `at`
/// end.
fn closed(b: &[u8], mut at: usize) -> usize {
    loop {
        let len = match b.get(at) {
            Some(b'.' | b'!' | b'?' | b'"' | b'\'' | b')' | b']') => 1,
            Some(0xE2) if starts_with_any(&b[at..], &["…", "’", "”"]) => 3,
            Some(0xC2) if b[at..].starts_with("»".as_bytes()) => 2,
            _ => return at,
        };
        at += len;
    }
}

/// Whether `b` starts with one of `chars`.
fn starts_with_any(b: &[u8], chars: &[&str]) -> bool {
    chars.iter().any(|c| b.starts_with(c.as_bytes()))
}

/// Where the closers after a terminator that ends at `at` end, and whether a sentence ends
/// there: the text ends or white space follows.
fn terminated(text: &str, at: usize) -> (usize, bool) {
    let end = closed(text.as_bytes(), at);
    let ends = text[end..].chars().next().is_none_or(char::is_whitespace);
    (end, ends)
}

fn push_trimmed<'a>(out: &mut Vec<&'a str>, s: &'a str) {
    let t = s.trim();
    if !t.is_empty() {
        out.push(t);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        let mut out = String::new();
        normalize_into(s, &mut out);
        out
    }

    #[test]
    fn near_identical_spellings_normalise_alike() {
        let a = norm("He said: \"Don't   go\" -- twice.");
        assert_eq!(a, "he said don t go twice");
        assert_eq!(
            norm("HE SAID \u{201C}Don\u{2019}t\u{00A0}go\u{201D}, twice!"),
            a
        );
        assert_eq!(norm("ﬁne ＷＩＤＥ"), "fine wide");
        assert_eq!(norm("co\u{00AD}operate"), "cooperate");
        assert_eq!(norm("$19.99"), "19 99");
        assert_eq!(norm("東京に行く"), "東 京 に 行 く");
    }

    /// Normalisation as first written: each run between ASCII spaces on its own, the ASCII
    /// ones a byte at a time.
    fn normalize_run_by_run(text: &str) -> String {
        let mut out = String::new();
        let mut need_space = false;
        for run in text.split_inclusive(|c: char| c.is_ascii_whitespace()) {
            if !run.is_ascii() {
                push_unicode(run, &mut out, &mut need_space);
                continue;
            }
            for b in run.bytes() {
                if b.is_ascii_alphanumeric() {
                    if need_space {
                        out.push(' ');
                        need_space = false;
                    }
                    out.push(b.to_ascii_lowercase() as char);
                } else if !out.is_empty() {
                    need_space = true;
                }
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn mixed_text_normalises_as_run_by_run(
            s in "([A-Za-z0-9]{1,6}|[ .,'_\\-]{1,3}|[éÉß东\u{301}\u{2019}\u{a0}—]){0,24}",
        ) {
            proptest::prop_assert_eq!(norm(&s), normalize_run_by_run(&s));
        }
    }

    proptest::proptest! {
        #[test]
        fn ascii_words_are_lowered_and_joined_by_single_spaces(
            s in "([A-Za-z0-9]{1,6}|[ .,'_\\-]{1,3}){0,20}",
        ) {
            let want = s
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_ascii_lowercase)
                .collect::<Vec<_>>()
                .join(" ");
            proptest::prop_assert_eq!(norm(&s), want);
        }
    }

    #[test]
    fn digits_fold_to_one_zero() {
        assert_eq!(fold_digits("2026"), "0");
        assert_eq!(fold_digits("a1b22"), "a0b0");
        assert_eq!(fold_digits("word"), "word");
    }

    /// Sentences as first written: a character at a time.
    fn sentences_by_chars(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut start = 0;
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let end = match c {
                '\n' | '\r' | '。' | '！' | '？' => Some(i + c.len_utf8()),
                '.' | '!' | '?' | '…' => {
                    let mut end = i + c.len_utf8();
                    while let Some(&(j, d)) = chars.peek() {
                        if matches!(
                            d,
                            '.' | '!' | '?' | '…' | '"' | '\'' | '’' | '”' | '»' | ')' | ']'
                        ) {
                            end = j + d.len_utf8();
                            chars.next();
                        } else {
                            break;
                        }
                    }
                    match chars.peek() {
                        None => Some(end),
                        Some(&(_, d)) if d.is_whitespace() => Some(end),
                        _ => None,
                    }
                }
                _ => None,
            };
            if let Some(end) = end {
                push_trimmed(&mut out, &text[start..end]);
                start = end;
            }
        }
        push_trimmed(&mut out, &text[start..]);
        out
    }

    proptest::proptest! {
        #[test]
        fn sentences_split_as_a_character_at_a_time(
            // Words, and terminators with closers and then something (or nothing) after them.
            s in "([A-Za-z0-9]{1,3}|[.!?…。！？][.!?…’”»\"')\\]]{0,3}[ \u{a0}\u{3000}\u{85}\nxé東]?|[ \t\r\n\u{a0}é東—«“‘€]){0,24}",
        ) {
            proptest::prop_assert_eq!(sentences(&s), sentences_by_chars(&s));
        }
    }

    #[test]
    fn sentences_end_at_unicode_terminators_closers_and_spaces() {
        for text in [
            "Wait… what?\u{a0}Yes.” Then» more.»\u{3000}東京。行く！本当？ end",
            "a.…’”»)] b. c.x d…\u{85}e ？ f。",
            "…",
            "»",
            "x.\u{2009}y.’z",
        ] {
            assert_eq!(sentences(text), sentences_by_chars(text), "{text}");
        }
        assert_eq!(
            sentences("Wait… what?\u{a0}Yes.” Then"),
            vec!["Wait…", "what?", "Yes.”", "Then"]
        );
    }

    #[test]
    fn sentences_split_on_terminators_followed_by_space() {
        let s = sentences("It costs $19.99. Really?\" he asked. Yes!\nNext line");
        assert_eq!(
            s,
            vec![
                "It costs $19.99.",
                "Really?\"",
                "he asked.",
                "Yes!",
                "Next line"
            ]
        );
        assert_eq!(sentences("  "), Vec::<&str>::new());
    }
}
