//! The limits a [`super::Fetcher`] works within.

use std::time::Duration;

/// Limits and identity for fetching: concurrency, timeouts, body size, redirects, User-Agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchConfig {
    /// Requests in flight at once, over all hosts.
    pub max_in_flight: usize,
    /// Requests in flight at once to one host.
    pub per_host: usize,
    /// Time allowed to open a connection.
    pub connect_timeout: Duration,
    /// Time allowed for a whole fetch: every redirect hop and the whole body.
    pub request_timeout: Duration,
    /// Largest body accepted, counted after decompression (and for local files).
    pub max_body: u64,
    /// Redirects followed before giving up.
    pub max_redirects: usize,
    /// The `User-Agent` header sent with every request.
    pub user_agent: String,
    /// A PEM file of certificates to trust as roots besides the system's (`[fetch] ca_file`):
    /// for a private certificate authority, or a test server's own certificate.
    pub ca_file: Option<std::path::PathBuf>,
}

impl Default for FetchConfig {
    /// 32 in flight, 4 per host, 10 s to connect, 30 s per fetch, 16 MiB, 5 redirects.
    fn default() -> Self {
        FetchConfig {
            max_in_flight: 32,
            per_host: 4,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_body: 16 * 1024 * 1024,
            max_redirects: 5,
            user_agent: default_user_agent(),
            ca_file: None,
        }
    }
}

/// `tidings/VERSION (+https://github.com/tidings-reader/tidings)`.
pub fn default_user_agent() -> String {
    format!(
        "tidings/{} (+https://github.com/tidings-reader/tidings)",
        env!("CARGO_PKG_VERSION")
    )
}
