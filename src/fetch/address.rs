//! Subscription addresses as tidings keeps and shows them.
//!
//! Three forms of one address:
//! - the *stored* form: the raw string checked for control characters, then parsed, so that the
//!   scheme and host are lowercased, an internationalised host is in its ASCII (punycode) form,
//!   a default port is dropped and `http:/h/x` or `http:h/x` read as `http://h/x`; the fragment
//!   is dropped (it never reaches the server); path, query and credentials are kept;
//! - the *identity* ([`identity`]): the stored form without credentials, on which subscriptions
//!   are compared, so that one feed is subscribed once;
//! - the *shown* form ([`display_url`]): the password masked as `***`, and each host label in
//!   Unicode unless it mixes scripts (then it stays in punycode, so that a look-alike host cannot
//!   pass for another).
//!
//! Local paths and `demo:` names are not URLs: their stored form and identity are the trimmed
//! string itself.

use unicode_script::{Script, UnicodeScript};
use url::Url;

use super::FetchError;

/// What replaces a password wherever an address is shown.
pub const MASK: &str = "***";

/// Checks a raw address string: surrounding spaces are trimmed, and any control character left
/// (tab, CR, LF, the other C0 and C1 controls, DEL) is refused, before any parsing (the `url`
/// crate would silently drop tabs and line breaks).
pub fn check_raw(raw: &str) -> Result<&str, FetchError> {
    let trimmed = raw.trim_matches(' ');
    match trimmed.char_indices().find(|(_, c)| c.is_control()) {
        Some((at, c)) => Err(FetchError::ControlCharacter {
            code: c as u32,
            at: trimmed[..at].chars().count(),
        }),
        None => Ok(trimmed),
    }
}

/// The stored form of a parsed web address: everything the `url` crate normalises, and no
/// fragment.
pub fn normalize(url: &Url) -> Url {
    let mut url = url.clone();
    url.set_fragment(None);
    url
}

/// The stored form of an address string: for an `http(s)` URL, [`normalize`]d; anything else
/// (a path, `demo:NAME`, text that does not parse) trimmed and otherwise as given.
pub fn stored_form(raw: &str) -> String {
    let trimmed = raw.trim_matches(' ');
    match web_url(trimmed) {
        Some(url) => normalize(&url).into(),
        None => trimmed.to_string(),
    }
}

/// The identity of an address, on which subscriptions are compared: its stored form without the
/// user name and password.
pub fn identity(raw: &str) -> String {
    let trimmed = raw.trim_matches(' ');
    match web_url(trimmed) {
        Some(url) => {
            let mut url = normalize(&url);
            let _ = url.set_username("");
            let _ = url.set_password(None);
            url.into()
        }
        None => trimmed.to_string(),
    }
}

/// Parses `s` as an `http` or `https` URL with a host, or gives `None`.
fn web_url(s: &str) -> Option<Url> {
    let url = Url::parse(s).ok()?;
    (matches!(url.scheme(), "http" | "https") && url.host_str().is_some_and(|h| !h.is_empty()))
        .then_some(url)
}

/// An address as it may be shown: the password masked (`alice:***@`), and host labels in
/// Unicode unless they mix scripts. Text that is not a web URL has any credentials in it masked
/// by [`redact`].
pub fn display_url(raw: &str) -> String {
    let Some(url) = web_url(raw.trim_matches(' ')) else {
        return redact(raw);
    };
    let mut shown = url.clone();
    if url.password().is_some() {
        let _ = shown.set_password(Some(MASK));
    }
    let text: String = shown.into();
    match url.host_str() {
        Some(host) if host.contains("xn--") => {
            let unicode = display_host(host);
            // The host appears once in the serialisation, right after the authority's start.
            text.replacen(host, &unicode, 1)
        }
        _ => text,
    }
}

/// A host name for display: each punycode label decoded, unless the result mixes scripts or
/// cannot be decoded.
pub fn display_host(host: &str) -> String {
    host.split('.')
        .map(|label| {
            if !label.starts_with("xn--") {
                return label.to_string();
            }
            let decoded = url::quirks::domain_to_unicode(label);
            if decoded.is_empty() || decoded.starts_with("xn--") || mixes_scripts(&decoded) {
                label.to_string()
            } else {
                decoded
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// Whether a host label mixes writing systems in a way no language does: more than one script,
/// except Latin with the scripts written alongside it in Chinese, Japanese and Korean.
pub fn mixes_scripts(label: &str) -> bool {
    let mut scripts: Vec<Script> = Vec::new();
    for c in label.chars() {
        let s = c.script();
        if matches!(s, Script::Common | Script::Inherited | Script::Unknown) {
            continue;
        }
        if !scripts.contains(&s) {
            scripts.push(s);
        }
    }
    if scripts.len() <= 1 {
        return false;
    }
    let cjk = |allowed: &[Script]| scripts.iter().all(|s| allowed.contains(s));
    !(cjk(&[
        Script::Latin,
        Script::Han,
        Script::Hiragana,
        Script::Katakana,
    ]) || cjk(&[Script::Latin, Script::Han, Script::Bopomofo])
        || cjk(&[Script::Latin, Script::Han, Script::Hangul]))
}

/// Masks the password of every URL written in `text` (`scheme://user:password@host`), so that an
/// error message or a title can be shown. Text without one comes back unchanged.
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let authority_start = at + 3;
        out.push_str(&rest[..authority_start]);
        rest = &rest[authority_start..];
        let end = rest
            .find(|c: char| matches!(c, '/' | '?' | '#') || c.is_whitespace())
            .unwrap_or(rest.len());
        let authority = &rest[..end];
        match authority.rfind('@') {
            Some(at_sign) => {
                let userinfo = &authority[..at_sign];
                match userinfo.find(':') {
                    Some(colon) => {
                        out.push_str(&userinfo[..=colon]);
                        out.push_str(MASK);
                    }
                    None => out.push_str(userinfo),
                }
                out.push_str(&authority[at_sign..]);
            }
            None => out.push_str(authority),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_before_parsing() {
        for raw in [
            "http://h/x\n",
            "http://h/\rx",
            "http://h\t/x",
            "http://h/x\u{7f}",
            "http://h/x\u{85}",
            "\u{1b}[2Jhttp://h/x",
        ] {
            assert!(
                matches!(check_raw(raw), Err(FetchError::ControlCharacter { .. })),
                "{raw:?} accepted"
            );
        }
        assert_eq!(check_raw("  http://h/x "), Ok("http://h/x"));
        assert_eq!(
            check_raw("http://h/a\nb").unwrap_err().to_string(),
            "the address contains a control character (U+000A at character 10)"
        );
    }

    #[test]
    fn spellings_of_one_feed_share_an_identity() {
        let want = "http://h/x?q=1";
        for raw in [
            "http://h/x?q=1",
            "HTTP://H/x?q=1",
            "http:/h/x?q=1",
            "http:h/x?q=1",
            "http://h:80/x?q=1",
            "http://h/x?q=1#section",
            "http://alice:secret@h/x?q=1",
        ] {
            assert_eq!(identity(raw), want, "{raw}");
        }
        assert_eq!(identity("https://h:443/X"), "https://h/X");
        assert_ne!(identity("https://h/x"), identity("http://h/x"));
        assert_ne!(identity("http://h/x?q=2"), want);
        assert_eq!(
            identity("http://bücher.example/feed"),
            identity("http://xn--bcher-kva.example/feed")
        );
        assert_eq!(identity("/tmp/a.xml"), "/tmp/a.xml");
        assert_eq!(identity("demo:tour"), "demo:tour");
    }

    #[test]
    fn the_stored_form_keeps_credentials_and_drops_the_fragment() {
        assert_eq!(
            stored_form("HTTP://alice:secret@Example.ORG:80/f#x"),
            "http://alice:secret@example.org/f"
        );
    }

    #[test]
    fn passwords_are_masked_when_shown() {
        assert_eq!(
            display_url("http://alice:secret@host/feed"),
            "http://alice:***@host/feed"
        );
        assert_eq!(
            display_url("http://alice@host/feed"),
            "http://alice@host/feed"
        );
        assert_eq!(
            redact("failed: http://alice:secret@host/feed (x); https://b:p@q@r/"),
            "failed: http://alice:***@host/feed (x); https://b:***@r/"
        );
        assert_eq!(redact("no url here: a:b@c"), "no url here: a:b@c");
    }

    #[test]
    fn single_script_hosts_are_shown_in_unicode_and_mixed_ones_in_punycode() {
        assert_eq!(
            display_url("http://xn--bcher-kva.example/feed"),
            "http://bücher.example/feed"
        );
        // "аpple" with a Cyrillic first letter: Cyrillic and Latin mixed.
        let mixed = identity("http://\u{430}pple.example/");
        assert!(mixed.contains("xn--"), "{mixed}");
        assert_eq!(display_url(&mixed), mixed);
        assert!(mixes_scripts("\u{430}pple"));
        assert!(!mixes_scripts("пример"));
        assert!(!mixes_scripts("日本語テキストabc"));
        assert_eq!(
            display_url("http://xn--e1afmkfd.xn--p1ai/"),
            "http://пример.рф/"
        );
    }
}
