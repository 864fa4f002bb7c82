//! What one feed adds to its requests: a user agent, headers, HTTP Basic credentials and a proxy
//! (the `[[feed]]` tables of the config).
//!
//! The headers and the credentials go to the feed's own origin only (scheme, host and port of
//! its address): once a redirect leaves that origin they are dropped for the rest of the fetch,
//! and they are never sent with article pages or other links (see [`super::Fetcher::fetch_link`]).

use std::fmt;

/// A password, kept in memory only: its `Debug` form is masked, so it cannot reach a log.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a password.
    pub fn new(password: String) -> Secret {
        Secret(password)
    }

    /// The password itself, for the `Authorization` header.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(super::MASK)
    }
}

/// HTTP Basic credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasicAuth {
    /// The user name.
    pub username: String,
    /// The password.
    pub password: Secret,
}

/// What a feed's requests carry besides the fetcher's defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestExtras {
    /// The `User-Agent` instead of the fetcher's (sent on every hop).
    pub user_agent: Option<String>,
    /// Extra headers, to the feed's origin only.
    pub headers: Vec<(String, String)>,
    /// Basic credentials, to the feed's origin only.
    pub auth: Option<BasicAuth>,
    /// The proxy instead of the fetcher's (`http://`, `https://`, `socks5://`, `socks5h://`).
    pub proxy: Option<String>,
}

impl RequestExtras {
    /// Whether these extras change nothing.
    pub fn is_empty(&self) -> bool {
        *self == RequestExtras::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_never_shows_in_debug_output() {
        let extras = RequestExtras {
            auth: Some(BasicAuth {
                username: "me".into(),
                password: Secret::new("hunter2".into()),
            }),
            ..RequestExtras::default()
        };
        let shown = format!("{extras:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("me"), "{shown}");
        assert_eq!(extras.auth.unwrap().password.expose(), "hunter2");
    }
}
