//! Which links may leave the reader: only absolute http and https addresses, in a canonical form,
//! and the OSC 52 sequence that puts such a link on the clipboard. The session hands them to the
//! browser (`crate::session::browser`).

use base64::Engine;

/// The address in a canonical form when it is an absolute http or https URL, else `None`.
pub fn validate(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return None;
    }
    Some(parsed.to_string())
}

/// The OSC 52 sequence that puts a (validated) http(s) address on the clipboard.
pub fn osc52(url: &str) -> Option<String> {
    let url = validate(url)?;
    let b64 = base64::engine::general_purpose::STANDARD.encode(url.as_bytes());
    Some(format!("\x1b]52;c;{b64}\x07"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_pass() {
        assert_eq!(
            validate("https://example.org/a b").as_deref(),
            Some("https://example.org/a%20b")
        );
        assert!(validate("http://example.org").is_some());
        assert!(validate("javascript:alert(1)").is_none());
        assert!(validate("file:///etc/passwd").is_none());
        assert!(validate("-oProxyCommand=x").is_none());
        assert!(validate("https://exa\u{1b}[31mmple.org").is_none_or(|u| !u.contains('\u{1b}')));
    }

    #[test]
    fn osc52_encodes_a_valid_url_only() {
        let s = osc52("https://example.org/").unwrap();
        assert_eq!(s, "\x1b]52;c;aHR0cHM6Ly9leGFtcGxlLm9yZy8=\x07");
        assert!(osc52("ftp://example.org/").is_none());
    }
}
