//! The folded search text as `item_text` keeps it (codec [`super::body::WORDS`]): its distinct
//! words once each, then which of them each word in turn is. Folded text is lower-case words
//! between single spaces, most of them repeated, so this is about as small as LZ4 made it, and
//! the digest workers get it from the pass that finds the index's words (which meets every word
//! in a table anyway) for a few instructions a word instead of compressing the text again.
//!
//! Layout: the number of distinct words and the length of their text (LEB128), their text (the
//! words joined by single spaces, in the order they first occur), then for each word of the
//! folded text its number among them, from 0 (LEB128).

/// The coded form of a folded text whose `count` distinct words are `distinct` (joined by single
/// spaces) and whose words in turn are numbered by `sequence` (LEB128).
pub(crate) fn encode(count: u32, distinct: &[u8], sequence: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(distinct.len() + sequence.len() + 10);
    push_number(&mut out, count);
    push_number(&mut out, distinct.len() as u32);
    out.extend_from_slice(distinct);
    out.extend_from_slice(sequence);
    out
}

/// The folded text that `coded` holds (starting and ending with a space, as folding gives it), or
/// `None` when it is damaged.
pub(crate) fn decode(coded: &[u8]) -> Option<String> {
    let mut at = 0;
    let count = read_number(coded, &mut at)? as usize;
    let len = read_number(coded, &mut at)? as usize;
    let distinct = coded.get(at..at.checked_add(len)?)?;
    at += len;
    let words: Vec<&[u8]> = if count == 0 {
        Vec::new()
    } else {
        distinct.split(|&b| b == b' ').collect()
    };
    if words.len() != count || words.iter().any(|w| w.is_empty()) {
        return None;
    }
    let mut out = Vec::with_capacity(2 * coded.len() + 1);
    out.push(b' ');
    while at < coded.len() {
        let word = words.get(read_number(coded, &mut at)? as usize)?;
        out.extend_from_slice(word);
        out.push(b' ');
    }
    String::from_utf8(out).ok()
}

/// Appends `n` as LEB128: seven bits a byte, low first, the high bit set on all but the last.
pub(crate) fn push_number(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Reads a LEB128 number at `*at` and moves past it; `None` when it is cut short or does not
/// fit 32 bits.
fn read_number(b: &[u8], at: &mut usize) -> Option<u32> {
    let mut n: u32 = 0;
    for shift in (0..35).step_by(7) {
        let byte = *b.get(*at)?;
        *at += 1;
        n |= u32::from(byte & 0x7f).checked_shl(shift)?;
        if byte & 0x80 == 0 {
            return Some(n);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::words::fold;
    use crate::store::index_words::fold_and_index_words;
    use proptest::prelude::*;

    #[test]
    fn a_folded_text_comes_back_whole() {
        for text in [
            "",
            " ,.; ",
            "The river, the RIVER's bank; the bank.",
            "Café-bar café\u{a0}BAR, the ﬁne print: don’t stop—ever. 東京の川!",
        ] {
            let coded = fold_and_index_words(text).coded;
            assert_eq!(
                decode(&coded).as_deref(),
                Some(fold(text).as_str()),
                "{text:?}"
            );
        }
    }

    #[test]
    fn numbers_past_one_byte_are_read_back() {
        // More than 128 and 16,384 distinct words: numbers of two and three bytes.
        let text: String = (0..20_000).map(|i| format!("w{i} ")).collect();
        let coded = fold_and_index_words(&text).coded;
        assert_eq!(decode(&coded), Some(fold(&text)));
    }

    #[test]
    fn damage_is_found_not_misread() {
        let coded = fold_and_index_words("one two three two one").coded;
        assert_eq!(decode(&coded).as_deref(), Some(" one two three two one "));
        // Cut anywhere: no panic, and never a different text.
        for cut in 0..coded.len() {
            if let Some(t) = decode(&coded[..cut]) {
                assert!(" one two three two one ".starts_with(&t), "{t:?}");
            }
        }
        let mut bad = coded.clone();
        *bad.last_mut().unwrap() = 9;
        assert_eq!(decode(&bad), None, "a number past the words");
        assert_eq!(decode(&[0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), None);
        assert_eq!(
            decode(&[2, 4, b'a', b' ', b'b']),
            None,
            "the words cut short"
        );
        assert_eq!(
            decode(&[2, 3, b'a', b' ', b'b', 1, 0]).as_deref(),
            Some(" b a ")
        );
    }

    proptest! {
        #[test]
        fn any_bytes_decode_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = decode(&bytes);
        }
    }
}
