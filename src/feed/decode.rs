//! Turning the bytes of a feed into UTF-8 text, whatever encoding they arrived in.
//!
//! The order of evidence is: UTF-32 by its mark or pattern (decoded by hand), a byte order mark,
//! then the `charset` of the HTTP `Content-Type`, then the UTF-16 byte pattern of a leading `<`,
//! then the XML declaration's `encoding`, else UTF-8.
//! Undecodable bytes become U+FFFD rather than an error.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// Decodes `bytes` to UTF-8 text, choosing the encoding as the module documentation says:
/// borrowed when they are UTF-8 already (nearly every feed), without a copy.
pub(crate) fn to_utf8<'a>(bytes: &'a [u8], content_type: Option<&str>) -> Cow<'a, str> {
    if let Some(big_endian) = utf32_pattern(bytes) {
        return Cow::Owned(decode_utf32(bytes, big_endian));
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return decode(enc, &bytes[bom_len..]);
    }
    let enc = content_type
        .and_then(http_charset)
        .or_else(|| utf16_pattern(bytes))
        .or_else(|| declared_encoding(bytes))
        .unwrap_or(UTF_8);
    decode(enc, bytes)
}

fn decode<'a>(enc: &'static Encoding, bytes: &'a [u8]) -> Cow<'a, str> {
    enc.decode_without_bom_handling(bytes).0
}

/// UTF-32 (which encoding_rs does not know), by its byte order mark or a leading `<` or `{`:
/// `Some(true)` for big-endian.
fn utf32_pattern(bytes: &[u8]) -> Option<bool> {
    match bytes.get(..4)? {
        [0, 0, 0xFE, 0xFF] | [0, 0, 0, b'<' | b'{'] => Some(true),
        [0xFF, 0xFE, 0, 0] | [b'<' | b'{', 0, 0, 0] => Some(false),
        _ => None,
    }
}

fn decode_utf32(bytes: &[u8], big_endian: bool) -> String {
    bytes
        .chunks(4)
        .map(|c| {
            let mut unit = [0u8; 4];
            unit[..c.len()].copy_from_slice(c);
            let v = if big_endian {
                u32::from_be_bytes(unit)
            } else {
                u32::from_le_bytes(unit)
            };
            char::from_u32(v).unwrap_or('\u{fffd}')
        })
        .filter(|&c| c != '\u{feff}')
        .collect()
}

/// The encoding named by the `charset` parameter of a `Content-Type` value, if any is known.
pub(crate) fn http_charset(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
        Encoding::for_label(value.as_bytes())
    })
}

/// UTF-16 without a byte order mark, recognised by `<` (or `{`) followed or preceded by a zero byte.
fn utf16_pattern(bytes: &[u8]) -> Option<&'static Encoding> {
    // Skip UTF-16 whitespace pairs before the first markup character.
    let mut i = 0;
    while i + 1 < bytes.len() {
        match (bytes[i], bytes[i + 1]) {
            (b'<' | b'{', 0) => return Some(UTF_16LE),
            (0, b'<' | b'{') => return Some(UTF_16BE),
            (b' ' | b'\t' | b'\r' | b'\n', 0) | (0, b' ' | b'\t' | b'\r' | b'\n') => i += 2,
            _ => return None,
        }
    }
    None
}

/// The `encoding` pseudo-attribute of an ASCII-readable XML declaration near the start.
///
/// A declared UTF-16 is ignored: a declaration we could read as ASCII is not UTF-16.
fn declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(1024)];
    let start = find(head, b"<?xml")?;
    let end = start + find(&head[start..], b"?>")?;
    let decl = &head[start..end];
    let at = find(decl, b"encoding")? + "encoding".len();
    let rest = &decl[at..];
    let rest = trim_start(rest).strip_prefix(b"=")?;
    let rest = trim_start(rest);
    let quote = *rest.first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let value = &rest[1..];
    let value = &value[..value.iter().position(|&b| b == quote)?];
    let enc = Encoding::for_label(value)?;
    if enc == UTF_16LE || enc == UTF_16BE {
        return None;
    }
    Some(enc)
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let n = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &bytes[n..]
}

pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_wins_over_everything() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "<a>é</a>".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(
            to_utf8(&bytes, Some("text/xml; charset=iso-8859-1")),
            "<a>é</a>"
        );
    }

    #[test]
    fn http_charset_beats_declaration() {
        let bytes = b"<?xml version=\"1.0\" encoding=\"utf-8\"?><a>\xe9</a>";
        let text = to_utf8(bytes, Some("application/rss+xml; charset=\"ISO-8859-1\""));
        assert!(text.ends_with("<a>é</a>"), "{text}");
    }

    #[test]
    fn declaration_is_used_without_http_charset() {
        let bytes = b"<?xml version='1.0' encoding = 'windows-1252'?><a>\x93q\x94</a>";
        assert!(to_utf8(bytes, None).ends_with("<a>\u{201c}q\u{201d}</a>"));
    }

    #[test]
    fn utf16_without_bom_is_detected() {
        let mut le = Vec::new();
        let mut be = Vec::new();
        for u in "<rss>ü</rss>".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(to_utf8(&le, None), "<rss>ü</rss>");
        assert_eq!(to_utf8(&be, None), "<rss>ü</rss>");
    }

    #[test]
    fn utf32_is_decoded_by_hand() {
        let text = "<rss>\u{1F600}é</rss>";
        let mut le = vec![0xFF, 0xFE, 0, 0];
        let mut be = Vec::new();
        for c in text.chars() {
            le.extend_from_slice(&u32::from(c).to_le_bytes());
            be.extend_from_slice(&u32::from(c).to_be_bytes());
        }
        assert_eq!(to_utf8(&le, None), text);
        assert_eq!(to_utf8(&be, None), text);
    }

    #[test]
    fn invalid_utf8_is_replaced() {
        assert_eq!(to_utf8(b"<a>\xff</a>", None), "<a>\u{fffd}</a>");
    }
}
