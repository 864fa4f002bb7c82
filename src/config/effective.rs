//! The configuration as `tidings config` prints it: the built-in files (settings, key map,
//! theme) with the user's file laid over them, every secret masked.
//!
//! Masking goes by the name of a key, not by a list of known settings, so that a setting added
//! later (a feed's `headers`, a `password_command`) is masked without anyone remembering to: any
//! key whose name mentions a header, a password, a token, a secret, a cookie, a credential or an
//! API key has every text below it replaced by [`MASK`], and a password inside a URL is masked
//! wherever it appears.

use super::keymap::DEFAULT_KEYS;
use super::theme::DEFAULT_THEME;
use super::{DEFAULT_TOML, merge};

/// What a masked value is replaced by.
pub const MASK: &str = "********";

/// Parts of a key's name that mark its value as secret (compared in lower case).
const SECRET_WORDS: &[&str] = &[
    "header",
    "password",
    "passwd",
    "token",
    "secret",
    "cookie",
    "credential",
    "api_key",
    "apikey",
    "authorization",
];

/// The built-in configuration with its comments: the settings, then the key map, then the theme.
pub fn builtin_text() -> String {
    format!("{DEFAULT_TOML}\n{DEFAULT_KEYS}\n{DEFAULT_THEME}")
}

/// The configuration in effect for the user's `text` (already checked by
/// [`super::Config::from_user_text`]): the built-in tables with it laid over them key by key,
/// secrets masked.
pub fn effective(text: &str) -> Result<toml::Table, toml::de::Error> {
    let mut table: toml::Table = builtin_text().parse()?;
    let user: toml::Table = text.parse()?;
    merge::merge(&mut table, user);
    for (key, value) in table.iter_mut() {
        mask(key, value);
    }
    Ok(table)
}

/// Whether a key's name marks its value as secret.
pub fn is_secret_key(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    SECRET_WORDS.iter().any(|w| lower.contains(w))
}

/// Masks `value`, found under `key`: everything when the key is secret, else the secrets below it.
fn mask(key: &str, value: &mut toml::Value) {
    if is_secret_key(key) {
        mask_all(value);
        return;
    }
    match value {
        toml::Value::Table(t) => {
            for (k, v) in t.iter_mut() {
                mask(k, v);
            }
        }
        toml::Value::Array(items) => {
            for v in items {
                mask(key, v);
            }
        }
        toml::Value::String(s) => {
            if let Some(masked) = mask_url_password(s) {
                *s = masked;
            }
        }
        _ => {}
    }
}

/// Replaces every non-empty text below `value` by [`MASK`] (numbers and flags say nothing secret).
fn mask_all(value: &mut toml::Value) {
    match value {
        toml::Value::String(s) if !s.is_empty() => *s = MASK.to_string(),
        toml::Value::Table(t) => t.iter_mut().for_each(|(_, v)| mask_all(v)),
        toml::Value::Array(items) => items.iter_mut().for_each(mask_all),
        _ => {}
    }
}

/// The URL `s` with its password masked, when it is a URL that has one.
fn mask_url_password(s: &str) -> Option<String> {
    let mut url = url::Url::parse(s).ok()?;
    url.password()?;
    url.set_password(Some(MASK)).ok()?;
    Some(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_text_parses_and_holds_every_part() {
        let t: toml::Table = builtin_text().parse().unwrap();
        for section in ["fetch", "reader", "keys", "theme"] {
            assert!(t.contains_key(section), "{section}");
        }
    }

    #[test]
    fn user_values_are_laid_over_the_defaults() {
        let t = effective("[fetch]\nper_host = 2\n").unwrap();
        assert_eq!(t["fetch"]["per_host"].as_integer(), Some(2));
        assert_eq!(t["fetch"]["max_in_flight"].as_integer(), Some(32));
    }

    #[test]
    fn secrets_are_masked_by_the_name_of_their_key() {
        let text = r#"
[[feed]]
url = "https://user:hunter2@example.org/feed"
headers = { Authorization = "Bearer abc", "X-Api" = "k" }
password_command = ["pass", "show", "x"]
username = "me"
"#;
        let t = effective(text).unwrap();
        let feed = &t["feed"][0];
        assert_eq!(feed["headers"]["Authorization"].as_str(), Some(MASK));
        assert_eq!(feed["headers"]["X-Api"].as_str(), Some(MASK));
        assert_eq!(feed["password_command"][0].as_str(), Some(MASK));
        assert_eq!(feed["username"].as_str(), Some("me"));
        let url = feed["url"].as_str().unwrap();
        assert!(!url.contains("hunter2"), "{url}");
        assert!(url.contains("user:"), "{url}");
    }

    #[test]
    fn secret_names_are_recognised_in_any_case() {
        assert!(is_secret_key("API_TOKEN"));
        assert!(is_secret_key("client_secret"));
        assert!(!is_secret_key("per_host"));
    }
}
