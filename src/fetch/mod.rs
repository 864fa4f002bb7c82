//! Placeholder until the fetch layer lands: only the settings type the config module fills in.
use std::time::Duration;
/// Placeholder.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// Placeholder.
    pub max_in_flight: usize,
    /// Placeholder.
    pub per_host: usize,
    /// Placeholder.
    pub connect_timeout: Duration,
    /// Placeholder.
    pub request_timeout: Duration,
    /// Placeholder.
    pub max_body: u64,
    /// Placeholder.
    pub max_redirects: usize,
    /// Placeholder.
    pub user_agent: String,
}
impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig { max_in_flight: 32, per_host: 4, connect_timeout: Duration::from_secs(10), request_timeout: Duration::from_secs(30), max_body: 16 << 20, max_redirects: 5, user_agent: String::new() }
    }
}
