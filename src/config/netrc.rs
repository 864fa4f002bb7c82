//! A small reader of `.netrc` files: the `login` and `password` of a `machine` entry.
//!
//! Only exact `machine` entries count (the `default` entry is skipped: a feed's credentials must
//! be meant for its host); `macdef` bodies are skipped to their blank line; `account` is read
//! and ignored. The file is `$NETRC` when that is set, else `~/.netrc`.

use std::path::PathBuf;

/// The credentials of one `machine` entry.
#[derive(Clone, PartialEq, Eq)]
pub struct NetrcEntry {
    /// The `login`, if the entry has one.
    pub login: Option<String>,
    /// The `password`, if the entry has one.
    pub password: Option<String>,
}

impl std::fmt::Debug for NetrcEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NetrcEntry")
            .field("login", &self.login)
            .field(
                "password",
                &self.password.as_ref().map(|_| crate::fetch::MASK),
            )
            .finish()
    }
}

/// The `.netrc` file to read: `$NETRC`, else `~/.netrc`.
pub fn path() -> Option<PathBuf> {
    match std::env::var_os("NETRC") {
        Some(p) if !p.is_empty() => Some(PathBuf::from(p)),
        _ => dirs::home_dir().map(|h| h.join(".netrc")),
    }
}

/// The entry of `text` for exactly `host` (compared without regard to ASCII case); the first
/// one when several name it.
pub fn lookup(text: &str, host: &str) -> Option<NetrcEntry> {
    let mut lines = text.lines();
    let mut tokens: Vec<String> = Vec::new();
    // Tokens line by line, so that a `macdef` can skip to its blank line.
    let mut current: Option<NetrcEntry> = None;
    let mut matching = false;
    let mut found = None;
    let mut pending_key: Option<String> = None;
    while let Some(line) = lines.next() {
        tokens.clear();
        tokens.extend(line.split_whitespace().map(str::to_string));
        let mut i = 0;
        while i < tokens.len() {
            let token = tokens[i].as_str();
            if let Some(key) = pending_key.take() {
                match key.as_str() {
                    "machine" => {
                        if matching && found.is_none() {
                            found = current.take();
                        }
                        matching = token.eq_ignore_ascii_case(host);
                        current = Some(NetrcEntry {
                            login: None,
                            password: None,
                        });
                    }
                    "login" => {
                        if let Some(c) = current.as_mut() {
                            c.login = Some(token.to_string());
                        }
                    }
                    "password" => {
                        if let Some(c) = current.as_mut() {
                            c.password = Some(token.to_string());
                        }
                    }
                    _ => {}
                }
                i += 1;
                continue;
            }
            match token {
                "machine" | "login" | "password" | "account" => pending_key = Some(token.into()),
                "default" => {
                    if matching && found.is_none() {
                        found = current.take();
                    }
                    matching = false;
                    current = None;
                }
                "macdef" => {
                    // The macro's name is on this line; its body runs to the next blank line.
                    for body in lines.by_ref() {
                        if body.trim().is_empty() {
                            break;
                        }
                    }
                    break;
                }
                _ => {}
            }
            i += 1;
        }
    }
    if matching && found.is_none() {
        found = current;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_machine_entries_only() {
        let text = "machine other.test login a password b\n\
                    macdef init\n  machine h.test login evil password evil\n\n\
                    machine H.test\n  login me\n  password s3cret\n  account x\n\
                    default login any password any\n";
        let e = lookup(text, "h.test").unwrap();
        assert_eq!(e.login.as_deref(), Some("me"));
        assert_eq!(e.password.as_deref(), Some("s3cret"));
        assert!(!format!("{e:?}").contains("s3cret"));
        assert_eq!(lookup(text, "nowhere.test"), None, "default is not used");
        assert_eq!(lookup(text, "sub.h.test"), None);
        assert_eq!(
            lookup(text, "other.test").unwrap().password.as_deref(),
            Some("b")
        );
    }
}
