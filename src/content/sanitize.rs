//! The one sanitising function every feed string passes through before layout.
//!
//! Feeds are untrusted: a title or a body may carry terminal escape sequences (colour changes,
//! OSC 52 clipboard writes, window title changes), C0 and C1 controls, bidirectional overrides
//! that reorder what the reader sees, and invisible format characters. [`sanitize`] removes them
//! all; clean strings (the common case) are returned borrowed after a byte scan.
//!
//! Choices made here:
//! - a tab becomes one space (pre blocks expand their tabs to tab stops before sanitising);
//! - an escape sequence is removed whole; a string sequence (OSC, DCS, APC, PM, SOS) that is never
//!   terminated runs to the end of the input, as it would in a terminal;
//! - U+2028 and U+2029 (line and paragraph separators) become newlines;
//! - a zero-width joiner is kept only between two emoji (an emoji ZWJ sequence);
//! - a run of combining marks keeps its first [`MAX_MARKS`] (a flood of thousands of marks on one
//!   character is the same character to a reader, and costs every redraw).
//!
//! [`escape_json`] is the JSON counterpart: it keeps the data and writes every character
//! [`sanitize`] would remove as a `\u` escape.

use std::borrow::Cow;

use unicode_normalization::char::is_combining_mark;

use crate::filter::ascii8::first_unprintable;

/// How many combining marks one character keeps; the rest of a longer run is dropped.
pub const MAX_MARKS: usize = 8;

/// Removes escape sequences, control characters, bidirectional controls and invisible format
/// characters from a feed string; tabs become spaces and newlines are kept.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    clean(s, false)
}

/// Like [`sanitize`], and newlines also become spaces: for titles and other one-line fields.
pub fn sanitize_line(s: &str) -> Cow<'_, str> {
    clean(s, true)
}

fn clean(s: &str, one_line: bool) -> Cow<'_, str> {
    match first_dirty(s, one_line) {
        None => Cow::Borrowed(s),
        Some((at, marks)) => {
            let mut out = String::with_capacity(s.len());
            out.push_str(&s[..at]);
            let before = Before {
                prev: s[..at].chars().next_back(),
                marks,
            };
            rewrite(&s[at..], one_line, &mut out, before);
            Cow::Owned(out)
        }
    }
}

/// What was written just before the part [`rewrite`] starts on.
struct Before {
    /// The last character written.
    prev: Option<char>,
    /// How many combining marks end what was written.
    marks: usize,
}

/// Byte offset of the first character that needs rewriting, if any, and how many combining marks
/// come right before it.
fn first_dirty(s: &str, one_line: bool) -> Option<(usize, usize)> {
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut marks = 0;
    while i < bytes.len() {
        // Skip printable ASCII quickly, eight bytes at a time.
        match first_unprintable(&bytes[i..]) {
            Some(0) => {}
            Some(n) => {
                i += n;
                marks = 0;
            }
            None => return None,
        }
        let b = bytes[i];
        if b < 0x80 {
            if (b < 0x20 && (b != b'\n' || one_line)) || b == 0x7f {
                return Some((i, marks));
            }
            i += 1;
            marks = 0;
            continue;
        }
        let len = match b {
            0xc0..=0xdf => 2,
            0xe0..=0xef => 3,
            _ => 4,
        };
        if !worth_decoding(b) {
            i += len;
            marks = 0;
            continue;
        }
        let c = s[i..].chars().next().unwrap_or('\0');
        if is_mark(c) {
            marks += 1;
            if marks > MAX_MARKS {
                return Some((i, marks - 1));
            }
            i += len;
            continue;
        }
        if (is_removed(c) || c == '\u{2028}' || c == '\u{2029}')
            && !(c == '\u{200d}' && zwj_kept(s[..i].chars().next_back(), s[i + len..].chars()))
        {
            return Some((i, marks));
        }
        i += len;
        marks = 0;
    }
    None
}

/// Rewrites `s` into `out`; `before` says what was already written before `s`.
fn rewrite(s: &str, one_line: bool, out: &mut String, before: Before) {
    let Before {
        mut prev,
        mut marks,
    } = before;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if is_mark(c) {
            if marks < MAX_MARKS {
                out.push(c);
                prev = Some(c);
            }
            marks += 1;
            continue;
        }
        let written = out.len();
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' => skip_string(&mut chars, true),
            '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars, false),
            '\t' => {
                out.push(' ');
                prev = Some(' ');
            }
            '\n' | '\u{2028}' | '\u{2029}' => {
                let c = if one_line { ' ' } else { '\n' };
                out.push(c);
                prev = Some(c);
            }
            '\u{200d}' => {
                if zwj_kept(prev, chars.clone()) {
                    out.push(c);
                    prev = Some(c);
                }
            }
            c if is_removed(c) => {}
            c => {
                out.push(c);
                prev = Some(c);
            }
        }
        if out.len() != written {
            marks = 0;
        }
    }
}

/// Writes every character [`sanitize`] would remove from a serialised JSON text as a `\u`
/// escape: DEL, C1 controls, bidirectional controls, invisible format characters and the line
/// and paragraph separators. `serde_json` already escapes C0 controls inside strings, and outside
/// strings JSON has only ASCII, so every such character found is inside a string.
pub fn escape_json(json: &str) -> Cow<'_, str> {
    let needs = |c: char| {
        let u = c as u32;
        u >= 0x7f && (is_removed(c) || c == '\u{2028}' || c == '\u{2029}')
    };
    if !json.chars().any(needs) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if needs(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Skips what follows an ESC: a CSI, a string sequence, or a short `ESC [intermediates] final`.
fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.peek().copied() {
        Some('[') => {
            chars.next();
            skip_csi(chars);
        }
        Some(']') => {
            chars.next();
            skip_string(chars, true);
        }
        Some('P' | 'X' | '^' | '_') => {
            chars.next();
            skip_string(chars, false);
        }
        _ => {
            while let Some(&c) = chars.peek() {
                if ('\u{20}'..='\u{2f}').contains(&c) {
                    chars.next();
                } else {
                    break;
                }
            }
            if let Some(&c) = chars.peek()
                && ('\u{30}'..='\u{7e}').contains(&c)
            {
                chars.next();
            }
        }
    }
}

/// Skips a CSI body: parameter and intermediate bytes, then one final byte.
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(&c) = chars.peek() {
        if ('\u{20}'..='\u{3f}').contains(&c) {
            chars.next();
        } else {
            break;
        }
    }
    if let Some(&c) = chars.peek()
        && ('\u{40}'..='\u{7e}').contains(&c)
    {
        chars.next();
    }
}

/// Skips a string sequence up to and including its terminator: ST (`ESC \` or U+009C), or BEL
/// when `bel_ends` (OSC). Without a terminator everything to the end is skipped.
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, bel_ends: bool) {
    while let Some(c) = chars.next() {
        match c {
            '\u{9c}' => return,
            '\u{7}' if bel_ends => return,
            '\u{1b}' if chars.peek() == Some(&'\\') => {
                chars.next();
                return;
            }
            _ => {}
        }
    }
}

/// Whether a character starting with the UTF-8 lead byte `b` can be one that [`first_dirty`]
/// looks for (a combining mark, or one that is removed or rewritten): Latin, Greek, Cyrillic, CJK
/// and Hangul text is skipped without decoding.
fn worth_decoding(b: u8) -> bool {
    matches!(b, 0xc2 | 0xcc | 0xcd | 0xd2 | 0xd6..=0xdf | 0xe0..=0xe3 | 0xea | 0xef | 0xf0 | 0xf3)
}

/// Whether `c` is a combining mark (general category M), answering the common scripts without a
/// table look-up: no mark lies below U+0300, in Greek and most of Cyrillic, in the punctuation,
/// symbol and arrow blocks, or among the kana, CJK ideographs, Yi and Hangul syllables.
fn is_mark(c: char) -> bool {
    match c as u32 {
        0..0x300
        | 0x370..0x483
        | 0x2000..0x20d0
        | 0x2100..0x2cef
        | 0x3000..0x302a
        | 0x3030..0x3099
        | 0x309b..0xa66f
        | 0xac00..0xd7a4 => false,
        _ => is_combining_mark(c),
    }
}

/// Whether `c` is dropped outright wherever it stands: controls (a newline only by
/// [`sanitize_line`]), bidi controls and invisible format characters.
pub fn is_removed(c: char) -> bool {
    let u = c as u32;
    u < 0x20 && c != '\n' || (0x7f..=0x9f).contains(&u) || is_format(u)
}

/// Unicode general category Cf (format characters), which includes the bidi controls.
fn is_format(u: u32) -> bool {
    matches!(u,
        0xad
        | 0x600..=0x605
        | 0x61c
        | 0x6dd
        | 0x70f
        | 0x890..=0x891
        | 0x8e2
        | 0x180e
        | 0x200b..=0x200f
        | 0x202a..=0x202e
        | 0x2060..=0x2064
        | 0x2066..=0x206f
        | 0xfeff
        | 0xfff9..=0xfffb
        | 0x110bd
        | 0x110cd
        | 0x13430..=0x1343f
        | 0x1bca0..=0x1bca3
        | 0x1d173..=0x1d17a
        | 0xe0001
        | 0xe0020..=0xe007f)
}

/// Whether a ZWJ with `prev` before it and `next` after it joins two emoji.
fn zwj_kept(prev: Option<char>, mut next: impl Iterator<Item = char>) -> bool {
    let before = prev.is_some_and(|c| is_pictographic(c) || is_emoji_extend(c));
    before && next.next().is_some_and(is_pictographic)
}

/// Characters that may sit between an emoji and a ZWJ: variation selectors and skin tones.
fn is_emoji_extend(c: char) -> bool {
    matches!(c as u32, 0xfe0e | 0xfe0f | 0x1f3fb..=0x1f3ff | 0x20e3)
}

/// The Unicode `Extended_Pictographic` property (emoji-data.txt, Unicode 15).
pub(crate) fn is_pictographic(c: char) -> bool {
    matches!(c as u32,
        0xa9 | 0xae | 0x203c | 0x2049 | 0x2122 | 0x2139
        | 0x2194..=0x2199 | 0x21a9..=0x21aa | 0x231a..=0x231b | 0x2328 | 0x2388 | 0x23cf
        | 0x23e9..=0x23f3 | 0x23f8..=0x23fa | 0x24c2 | 0x25aa..=0x25ab | 0x25b6 | 0x25c0
        | 0x25fb..=0x25fe | 0x2600..=0x2605 | 0x2607..=0x2612 | 0x2614..=0x2685
        | 0x2690..=0x2705 | 0x2708..=0x2712 | 0x2714 | 0x2716 | 0x271d | 0x2721 | 0x2728
        | 0x2733..=0x2734 | 0x2744 | 0x2747 | 0x274c | 0x274e | 0x2753..=0x2755 | 0x2757
        | 0x2763..=0x2767 | 0x2795..=0x2797 | 0x27a1 | 0x27b0 | 0x27bf | 0x2934..=0x2935
        | 0x2b05..=0x2b07 | 0x2b1b..=0x2b1c | 0x2b50 | 0x2b55 | 0x3030 | 0x303d | 0x3297
        | 0x3299 | 0x1f000..=0x1f0ff | 0x1f10d..=0x1f10f | 0x1f12f | 0x1f16c..=0x1f171
        | 0x1f17e..=0x1f17f | 0x1f18e | 0x1f191..=0x1f19a | 0x1f1ad..=0x1f1e5
        | 0x1f201..=0x1f20f | 0x1f21a | 0x1f22f | 0x1f232..=0x1f23a | 0x1f23c..=0x1f23f
        | 0x1f249..=0x1f3fa | 0x1f400..=0x1f53d | 0x1f546..=0x1f64f | 0x1f680..=0x1f6ff
        | 0x1f774..=0x1f77f | 0x1f7d5..=0x1f7ff | 0x1f80c..=0x1f80f | 0x1f848..=0x1f84f
        | 0x1f85a..=0x1f85f | 0x1f888..=0x1f88f | 0x1f8ae..=0x1f8ff | 0x1f90c..=0x1f93a
        | 0x1f93c..=0x1f945 | 0x1f947..=0x1faff | 0x1fc00..=0x1fffd)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(s: &str) -> String {
        sanitize(s).into_owned()
    }

    #[test]
    fn clean_strings_are_borrowed() {
        for s in [
            "plain text",
            "line one\nline two",
            "café 日本語 😀",
            "",
            "a\u{200d}b",
        ] {
            let out = sanitize(s);
            if s.contains('\u{200d}') {
                assert!(matches!(out, Cow::Owned(_)), "{s:?}");
            } else {
                assert!(matches!(out, Cow::Borrowed(_)), "{s:?}");
            }
        }
        assert!(matches!(sanitize("👩\u{200d}💻"), Cow::Borrowed(_)));
    }

    #[test]
    fn csi_sequences_are_removed_whole() {
        assert_eq!(owned("\u{1b}[31mred\u{1b}[0m"), "red");
        assert_eq!(owned("a\u{1b}[1;2;3Hb"), "ab");
        assert_eq!(owned("a\u{1b}[?1049hb"), "ab");
        assert_eq!(owned("a\u{9b}31mb"), "ab");
    }

    #[test]
    fn osc_sequences_are_removed_whole() {
        assert_eq!(owned("x\u{1b}]52;c;SGVsbG8=\u{7}y"), "xy");
        assert_eq!(owned("x\u{1b}]0;title\u{1b}\\y"), "xy");
        assert_eq!(owned("x\u{9d}8;;http://e.com\u{9c}y"), "xy");
        assert_eq!(owned("x\u{1b}]0;never ends"), "x");
    }

    #[test]
    fn string_sequences_end_at_st_only() {
        assert_eq!(owned("a\u{1b}Pq#0;1\u{7}still\u{1b}\\b"), "ab");
        assert_eq!(owned("a\u{1b}_apc\u{1b}\\b"), "ab");
        assert_eq!(owned("a\u{1b}^pm\u{9c}b"), "ab");
        assert_eq!(owned("a\u{1b}Xsos\u{1b}\\b"), "ab");
        assert_eq!(owned("a\u{90}dcs\u{9c}b"), "ab");
    }

    #[test]
    fn short_escapes_are_removed() {
        assert_eq!(owned("a\u{1b}cb"), "ab");
        assert_eq!(owned("a\u{1b}(Bb"), "ab");
        assert_eq!(owned("a\u{1b}"), "a");
        assert_eq!(owned("a\u{1b}\u{1b}[0mb"), "ab");
    }

    #[test]
    fn controls_are_removed_and_tabs_become_spaces() {
        assert_eq!(owned("a\0b\u{7}c\u{8}d\re\u{7f}f\u{85}g"), "abcdefg");
        assert_eq!(owned("a\tb"), "a b");
        assert_eq!(owned("a\nb"), "a\nb");
        assert_eq!(owned("a\u{2028}b"), "a\nb");
    }

    #[test]
    fn bidi_and_format_characters_are_removed() {
        assert_eq!(owned("abc\u{202e}fed\u{202c}"), "abcfed");
        assert_eq!(owned("\u{2066}x\u{2069}\u{200e}\u{200f}\u{61c}"), "x");
        assert_eq!(owned("zero\u{200b}width\u{feff}\u{2060}"), "zerowidth");
        assert_eq!(owned("soft\u{ad}hyphen"), "softhyphen");
        assert_eq!(owned("a\u{200c}b\u{200d}c"), "abc");
        assert_eq!(owned("tag\u{e0041}"), "tag");
    }

    #[test]
    fn zwj_between_emoji_is_kept() {
        assert_eq!(owned("👩\u{200d}💻\u{1b}[0m"), "👩\u{200d}💻");
        assert_eq!(owned("👩🏽\u{200d}💻\t"), "👩🏽\u{200d}💻 ");
        assert_eq!(owned("\u{7}❤\u{fe0f}\u{200d}🔥"), "❤\u{fe0f}\u{200d}🔥");
        assert_eq!(owned("a\u{200d}😀\u{7}"), "a😀");
        assert_eq!(owned("😀\u{200d}\u{7}"), "😀");
    }

    #[test]
    fn sanitize_line_joins_lines() {
        assert_eq!(sanitize_line("one\ntwo"), "one two");
        assert!(matches!(sanitize_line("one line"), Cow::Borrowed(_)));
        assert_eq!(sanitize_line("a\u{1b}[2Jb\n\tc"), "ab  c");
    }

    #[test]
    fn output_never_holds_controls() {
        let nasty: String = (0u32..0x250)
            .chain(0x2000..0x2070)
            .chain([0xfeff, 0x1f600, 0xe0001])
            .filter_map(char::from_u32)
            .collect();
        let out = owned(&nasty);
        assert!(
            out.chars()
                .all(|c| c == '\n' || !(c.is_control() || is_format(c as u32))),
            "{out:?}"
        );
    }

    #[test]
    fn a_flood_of_combining_marks_keeps_eight() {
        let flood: String = "Z"
            .chars()
            .chain(std::iter::repeat_n('\u{301}', 100_000))
            .collect();
        let out = sanitize_line(&flood);
        assert_eq!(out.chars().count(), 1 + MAX_MARKS);
        // Marks spread over a clean prefix and a rewritten part still count as one run.
        let mixed = format!(
            "a{}\u{7}{}b\u{30a}",
            "\u{301}".repeat(5),
            "\u{302}".repeat(10)
        );
        assert_eq!(
            owned(&mixed),
            format!("a{}{}b\u{30a}", "\u{301}".repeat(5), "\u{302}".repeat(3))
        );
        // Real text with a few marks per letter is untouched.
        for s in ["e\u{301}\u{302}", "क\u{94d}ष", "👍\u{fe0f}", "ᾅ\u{345}"] {
            assert!(matches!(sanitize(s), Cow::Borrowed(_)), "{s:?}");
        }
        // Nine marks lose one; a new base letter starts a new count.
        let nine = format!("x{}y{}", "\u{300}".repeat(9), "\u{300}".repeat(8));
        assert_eq!(
            owned(&nine),
            format!("x{}y{}", "\u{300}".repeat(8), "\u{300}".repeat(8))
        );
    }

    #[test]
    fn json_escapes_what_sanitize_removes() {
        let value = serde_json::json!({
            "t": "a\u{1b}[31m\u{9b}1m\u{7f}\u{202e}b\u{2066}\u{200b}\u{e0041}\u{2028}é😀"
        });
        let text = serde_json::to_string_pretty(&value).unwrap();
        let out = escape_json(&text);
        for escape in [
            "\\u001b",
            "\\u009b",
            "\\u007f",
            "\\u202e",
            "\\u2066",
            "\\u200b",
            "\\udb40\\udc41",
            "\\u2028",
        ] {
            assert!(out.contains(escape), "{escape} in {out}");
        }
        assert!(out.contains("é😀"), "{out}");
        assert!(
            out.chars()
                .all(|c| c == '\n' || !(c.is_control() || is_format(c as u32))),
            "{out:?}"
        );
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back, value);
        assert!(matches!(escape_json("{\"a\": \"é\"}"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_quick_tests_agree_with_the_tables() {
        let mut utf8 = [0u8; 4];
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            assert_eq!(is_mark(c), is_combining_mark(c), "U+{:04X}", c as u32);
            let lead = c.encode_utf8(&mut utf8).as_bytes()[0];
            if lead >= 0x80 && (is_mark(c) || is_removed(c) || c == '\u{2028}' || c == '\u{2029}') {
                assert!(worth_decoding(lead), "U+{:04X} is skipped", c as u32);
            }
        }
    }
}
