//! Getting the bytes of a feed: over HTTP (conditional GET, limits, redirects by hand), from a
//! local file, or from the demo feeds built into the binary. Knows nothing of the terminal and
//! spawns nothing: [`Fetcher::fetch`] is a future the caller drives, as many at once as it likes.

mod budget;
mod config;
mod error;
mod http;
mod limits;
mod local;
mod retry_after;
mod source;

use std::time::Duration;

use reqwest::Client;

pub use budget::BodyHold;
pub use config::{FetchConfig, SMALL_BODY, default_user_agent};
pub use error::FetchError;
pub use local::{LocalError, read_local_file, read_stdin};
pub use retry_after::{MAX_RETRY_AFTER, parse_retry_after};
pub use source::{Source, classify};

/// One feed to fetch, with the validators of its last successful download.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FetchRequest {
    /// The subscription address (see [`classify`]).
    pub url: String,
    /// `ETag` of the last download, sent as `If-None-Match` (HTTP only).
    pub etag: Option<String>,
    /// `Last-Modified` of the last download, sent as `If-Modified-Since` (HTTP only).
    pub last_modified: Option<String>,
}

/// What one fetch produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchOutcome {
    /// New bytes arrived (files and demo feeds always end here when they can be read).
    Fetched {
        /// The body, decompressed.
        body: Vec<u8>,
        /// The `Content-Type` header, if any.
        content_type: Option<String>,
        /// The `ETag` header, to send back next time.
        etag: Option<String>,
        /// The `Last-Modified` header, to send back next time.
        last_modified: Option<String>,
        /// Where the bytes finally came from, after redirects.
        final_url: String,
        /// The new address to store, when every redirect hop was permanent (301 or 308).
        permanent_url: Option<String>,
    },
    /// The server answered 304: nothing changed since the validators were issued.
    NotModified,
    /// The fetch failed.
    Failed {
        /// Why.
        error: FetchError,
        /// How long the server asked us to wait (429 and 503 with `Retry-After`, capped at 24 h).
        retry_after: Option<Duration>,
    },
}

impl FetchOutcome {
    fn failed(error: FetchError) -> Self {
        FetchOutcome::Failed {
            error,
            retry_after: None,
        }
    }
}

/// Fetches feeds within the limits of a [`FetchConfig`]; share one by reference among many
/// concurrent fetches.
#[derive(Debug)]
pub struct Fetcher {
    client: Client,
    cfg: FetchConfig,
    limits: limits::Limits,
    budget: budget::Budget,
}

impl Fetcher {
    /// Builds the HTTP client. Installs rustls's `ring` crypto provider as the process default
    /// first, unless one is installed already.
    pub fn new(cfg: FetchConfig) -> Result<Fetcher, FetchError> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(cfg.connect_timeout)
            .user_agent(cfg.user_agent.clone())
            .build()
            .map_err(|e| FetchError::Client(e.to_string()))?;
        let limits = limits::Limits::new(cfg.max_in_flight, cfg.per_host);
        let budget = budget::Budget::new(cfg.body_budget, cfg.max_body);
        Ok(Fetcher {
            client,
            cfg,
            limits,
            budget,
        })
    }

    /// The limits this fetcher works within.
    pub fn config(&self) -> &FetchConfig {
        &self.cfg
    }

    /// Fetches one feed. HTTP requests wait for a free slot (overall and for their host) and
    /// then have `request_timeout` for every hop and the whole body.
    pub async fn fetch(&self, req: &FetchRequest) -> FetchOutcome {
        self.fetch_held(req).await.0
    }

    /// Fetches one feed as [`Fetcher::fetch`] does, and returns with it the reservation its body
    /// holds in the fetcher's byte budget ([`FetchConfig::body_budget`]). Keep the hold as long
    /// as the body lives (until it is parsed): later large bodies wait for it.
    pub async fn fetch_held(&self, req: &FetchRequest) -> (FetchOutcome, BodyHold) {
        let mut hold = BodyHold::default();
        let source = match classify(&req.url) {
            Ok(source) => source,
            Err(e) => return (FetchOutcome::failed(e), hold),
        };
        let url = match source {
            Source::Http(url) => url,
            Source::File(path) => {
                let limits = local::Limits {
                    max: self.cfg.max_body,
                    timeout: self.cfg.request_timeout,
                    budget: &self.budget,
                };
                let outcome = match local::read_file(&path, &limits, &mut hold).await {
                    Ok(body) => fetched_local(body, req.url.clone()),
                    Err(e) => FetchOutcome::failed(FetchError::from_local(path, e)),
                };
                return (outcome, hold);
            }
            Source::Demo(name) => {
                let outcome = match local::read_demo(&name) {
                    Ok(body) => fetched_local(body, req.url.clone()),
                    Err(e) => FetchOutcome::failed(e),
                };
                return (outcome, hold);
            }
        };
        let host = url.host_str().unwrap_or_default().to_string();
        let _slot = self.limits.acquire(&host).await;
        // The time limit covers every hop and the whole body, but not time spent waiting for
        // room in the byte budget.
        let mut deadline = budget::Deadline::new(self.cfg.request_timeout);
        let memory = (&self.budget, &mut hold);
        let outcome = http::fetch(&self.client, &self.cfg, memory, url, req, &mut deadline).await;
        (outcome, hold)
    }
}

fn fetched_local(body: Vec<u8>, url: String) -> FetchOutcome {
    FetchOutcome::Fetched {
        body,
        content_type: None,
        etag: None,
        last_modified: None,
        final_url: url,
        permanent_url: None,
    }
}
