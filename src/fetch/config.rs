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
    /// Items one download may yield: the newest by date are kept (see [`crate::feed::keep_newest`]).
    pub max_items_per_download: usize,
    /// New items one refresh run may add to one feed: the newest are kept, the rest dropped.
    pub max_new_items_per_run: usize,
    /// Bytes of bodies larger than [`SMALL_BODY`] held at once, while downloading and until parsed.
    /// A download whose body grows past [`SMALL_BODY`] waits here for `max_body` bytes (at most
    /// this budget); smaller bodies need no reservation.
    pub body_budget: u64,
    /// A PEM file of certificates to trust as roots besides the system's (`[fetch] ca_file`):
    /// for a private certificate authority, or a test server's own certificate.
    pub ca_file: Option<std::path::PathBuf>,
    /// The proxy every request goes through (`[fetch] proxy`), unless a request names its own;
    /// `None` for the usual environment variables (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`,
    /// `NO_PROXY`), which reqwest reads.
    pub proxy: Option<String>,
}

/// Bodies up to this size (1 MiB) are read without a reservation from [`FetchConfig::body_budget`]:
/// with `max_in_flight` requests at once they hold at most that many MiB.
pub const SMALL_BODY: u64 = 1024 * 1024;

impl Default for FetchConfig {
    /// 32 in flight, 4 per host, 10 s to connect, 30 s per fetch, 16 MiB, 5 redirects, 5,000
    /// items per download, 1,000 new items per feed and run, two large bodies at once.
    fn default() -> Self {
        FetchConfig {
            max_in_flight: 32,
            per_host: 4,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_body: 16 * 1024 * 1024,
            max_redirects: 5,
            user_agent: default_user_agent(),
            max_items_per_download: 5000,
            max_new_items_per_run: 1000,
            body_budget: 2 * 16 * 1024 * 1024,
            ca_file: None,
            proxy: None,
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
