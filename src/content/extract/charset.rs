//! A web page's bytes to text: the byte order mark, else the `charset` of the HTTP
//! `Content-Type`, else the `<meta charset>` (or `http-equiv`) among the page's first bytes,
//! else UTF-8, and windows-1252 when the bytes are not UTF-8. Undecodable bytes become U+FFFD.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use crate::feed::decode::{find, http_charset};

/// How far into the page a `<meta>` naming the charset is looked for.
const PRESCAN: usize = 4096;

/// Decodes a page's bytes to text; `content_type` is the HTTP `Content-Type`, when there was
/// one.
pub fn decode_page(bytes: &[u8], content_type: Option<&str>) -> String {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[bom_len..])
            .0
            .into_owned();
    }
    let declared = content_type
        .and_then(http_charset)
        .or_else(|| meta_charset(&bytes[..bytes.len().min(PRESCAN)]));
    let enc = match declared {
        // A page cannot be UTF-16 once it is known to start without a byte order mark in ASCII.
        Some(e) if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE => UTF_8,
        Some(e) => e,
        None if std::str::from_utf8(bytes).is_err() => WINDOWS_1252,
        None => UTF_8,
    };
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

/// The encoding a `<meta charset=...>` or `<meta http-equiv content="...; charset=...">` names
/// in `head` (the page's first bytes, read as ASCII).
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(at) = find(&lower[from..], b"<meta") {
        let start = from + at;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = find(tag, b"charset") {
            let rest = &tag[c + b"charset".len()..];
            let rest = rest.trim_ascii_start();
            if let Some(rest) = rest.strip_prefix(b"=") {
                let value: Vec<u8> = rest
                    .trim_ascii_start()
                    .iter()
                    .copied()
                    .skip_while(|&b| b == b'"' || b == b'\'')
                    .take_while(|&b| !matches!(b, b'"' | b'\'' | b';' | b' ' | b'/' | b'>'))
                    .collect();
                if let Some(enc) = Encoding::for_label(&value) {
                    return Some(enc);
                }
            }
        }
        from = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charset_only_in_meta_is_used() {
        let page = b"<html><head><meta charset=\"iso-8859-1\"><title>caf\xe9</title>";
        assert!(decode_page(page, None).contains("café"));
        let page =
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">\xcf";
        assert!(decode_page(page, Some("text/html")).ends_with('П'));
    }

    #[test]
    fn header_wins_over_meta_and_utf8_is_the_default() {
        let page = b"<meta charset=\"iso-8859-1\">caf\xc3\xa9";
        assert!(decode_page(page, Some("text/html; charset=utf-8")).ends_with("café"));
        assert!(decode_page("<p>café".as_bytes(), None).ends_with("café"));
        assert!(decode_page(b"<p>caf\xe9", None).ends_with("café"));
    }
}
