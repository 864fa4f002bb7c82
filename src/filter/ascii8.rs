//! Eight bytes classified at once, held in a `u64` (little-endian, first byte lowest): which are
//! ASCII letters, which ASCII letters or digits. The search text's folding and the search
//! index's words look at every byte of every body's text; a byte at a time, the test and its
//! branch were most of their cost.
//!
//! Each test adds a constant to a byte's low seven bits and reads the sum's high bit. The sums
//! stay under 0x100, so no byte carries into the next: `+ 0x50` reaches the high bit from `0`
//! (0x30) up and `+ 0x46` from `:` (0x3a) up; with the 0x20 bit set (lower case), `+ 0x1f`
//! reaches it from `a` (0x61) up and `+ 0x05` from `{` (0x7b) up.

/// The high bit of each byte.
pub(crate) const HIGH: u64 = 0x8080_8080_8080_8080;
/// One in each byte: `ONES * b` is the byte `b` eight times.
pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;

/// Eight bytes as a `u64`.
#[inline]
pub(crate) fn load(bytes: &[u8]) -> u64 {
    u64::from_le_bytes(bytes[..8].try_into().expect("eight bytes"))
}

/// The high bit of each byte of `x` that is an ASCII letter, and of each that is an ASCII letter
/// or digit. Bytes of other characters (the high bit set) are neither.
#[inline]
pub(crate) fn letters_and_alnum(x: u64) -> (u64, u64) {
    let other = x & HIGH;
    let a = x & !HIGH;
    let digit = (a + ONES * 0x50) & !(a + ONES * 0x46);
    let l = a | (ONES * 0x20);
    let letter = (l + ONES * 0x1f) & !(l + ONES * 0x05);
    let letter = letter & !other & HIGH;
    (letter, (letter | digit) & !other & HIGH)
}

/// The high bit of each byte of `x` that is not printable ASCII (a control, DEL, or a byte of
/// another character): `+ 0x60` reaches the high bit from ` ` (0x20) up, `+ 0x01` (`+ ONES`) only from
/// DEL (0x7f).
#[inline]
pub(crate) fn unprintable(x: u64) -> u64 {
    let a = x & !HIGH;
    (x | !(a + ONES * 0x60) | (a + ONES)) & HIGH
}

/// The position of the first byte of `bytes` that is not printable ASCII, looking eight bytes
/// at a time.
#[inline]
pub(crate) fn first_unprintable(bytes: &[u8]) -> Option<usize> {
    let mut at = 0;
    while at + 8 <= bytes.len() {
        let m = unprintable(load(&bytes[at..]));
        if m != 0 {
            return Some(at + (m.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    bytes[at..]
        .iter()
        .position(|&b| !(0x20..0x7f).contains(&b))
        .map(|n| at + n)
}

/// `x` with its ASCII letters in lower case (the 0x20 bit of each set).
#[inline]
pub(crate) fn lower(x: u64, letters: u64) -> u64 {
    x | (letters >> 2)
}

/// 0xff in each byte whose high bit `marks` has, 0 in the others.
#[inline]
pub(crate) fn spread(marks: u64) -> u64 {
    (marks >> 7) * 0xff
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unprintable_bytes_are_found_as_one_at_a_time() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut eight = [0xffu8, b'z', 0, b' ', 0x7f, b'~', 0x1f, 0x80];
                eight[at] = b;
                let marks = unprintable(u64::from_le_bytes(eight)).to_le_bytes();
                for (i, m) in marks.iter().enumerate() {
                    let want = !(0x20..0x7f).contains(&eight[i]);
                    assert_eq!(*m == 0x80, want, "byte {:#x} at {i}", eight[i]);
                    assert!(*m == 0 || *m == 0x80);
                }
            }
        }
        for len in 0..20 {
            for at in 0..len {
                let mut text = vec![b'a'; len];
                text[at] = b'\n';
                assert_eq!(first_unprintable(&text), Some(at));
            }
            assert_eq!(first_unprintable(&vec![b'a'; len]), None);
        }
    }

    #[test]
    fn every_byte_is_classed_as_one_at_a_time() {
        for b in 0..=255u8 {
            for at in 0..8 {
                // The byte among neighbours of every kind, so a carry would show.
                let mut eight = [0xffu8, b'z', 0, b'9', 0x7f, b'A', b':', 0x80];
                eight[at] = b;
                let x = u64::from_le_bytes(eight);
                let (letters, alnum) = letters_and_alnum(x);
                let lowered = lower(x, letters).to_le_bytes();
                let spread_alnum = spread(alnum).to_le_bytes();
                for (i, &c) in eight.iter().enumerate() {
                    let bit = 0x80u64 << (8 * i);
                    assert_eq!(letters & bit != 0, c.is_ascii_alphabetic(), "{c:#x} at {i}");
                    assert_eq!(alnum & bit != 0, c.is_ascii_alphanumeric(), "{c:#x} at {i}");
                    let want = if c.is_ascii() {
                        c.to_ascii_lowercase()
                    } else {
                        c
                    };
                    assert_eq!(lowered[i], want, "{c:#x} at {i}");
                    let whole = if c.is_ascii_alphanumeric() { 0xff } else { 0 };
                    assert_eq!(spread_alnum[i], whole, "{c:#x} at {i}");
                }
            }
        }
    }
}
