//! Getting the bytes of a feed: over HTTP (conditional GET, limits, redirects by hand), from a
//! local file, or from the demo feeds built into the binary. Knows nothing of the terminal and
//! spawns nothing: [`Fetcher::fetch`] is a future the caller drives, as many at once as it likes.

mod address;
mod budget;
mod config;
mod download;
mod error;
mod extras;
mod http;
mod limits;
mod local;
mod remote;
mod retry_after;
mod source;

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use reqwest::Client;

pub use address::{
    MASK, check_raw, display_host, display_url, identity, mixes_scripts, normalize, redact,
    stored_form,
};
pub use budget::BodyHold;
pub use config::{FetchConfig, SMALL_BODY, default_user_agent};
pub use download::{Download, Resume};
pub use error::FetchError;
pub use extras::{BasicAuth, RequestExtras, Secret};
pub use local::{LocalError, read_local_file, read_stdin};
pub use remote::{LinkPolicy, NonPublicName, PublicResolver, is_public};
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
        /// The `max-age` of the answer's `Cache-Control`, in seconds (a refresh hint).
        max_age: Option<u64>,
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
    /// The client for links from remote content, built on first use (see [`LinkPolicy`]).
    public_client: OnceLock<Result<Client, FetchError>>,
    /// Clients for the proxies feeds name of their own, by proxy address, built on first use.
    proxied: Mutex<HashMap<String, Client>>,
    cfg: FetchConfig,
    limits: limits::Limits,
    budget: budget::Budget,
}

impl Fetcher {
    /// Builds the HTTP client. Installs rustls's `ring` crypto provider as the process default
    /// first, unless one is installed already.
    pub fn new(cfg: FetchConfig) -> Result<Fetcher, FetchError> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = client_builder(&cfg)?
            .build()
            .map_err(|e| FetchError::Client(e.to_string()))?;
        let limits = limits::Limits::new(cfg.max_in_flight, cfg.per_host);
        let budget = budget::Budget::new(cfg.body_budget, cfg.max_body);
        Ok(Fetcher {
            client,
            public_client: OnceLock::new(),
            proxied: Mutex::new(HashMap::new()),
            cfg,
            limits,
            budget,
        })
    }

    /// The client that reaches public addresses only: its resolver drops the others, and it
    /// uses no proxy (a proxy would resolve names itself, past the resolver).
    fn public_client(&self) -> Result<&Client, FetchError> {
        self.public_client
            .get_or_init(|| {
                client_builder(&self.cfg)?
                    .no_proxy()
                    .dns_resolver(PublicResolver)
                    .build()
                    .map_err(|e| FetchError::Client(e.to_string()))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The client that goes through `proxy` (a feed's own), built once per proxy address.
    fn proxied_client(&self, proxy: &str) -> Result<Client, FetchError> {
        let mut clients = self.proxied.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(client) = clients.get(proxy) {
            return Ok(client.clone());
        }
        let proxy_spec = reqwest::Proxy::all(proxy)
            .map_err(|e| FetchError::Client(format!("proxy {}: {e}", redact(proxy))))?;
        let client = client_builder(&self.cfg)?
            .no_proxy()
            .proxy(proxy_spec)
            .build()
            .map_err(|e| FetchError::Client(e.to_string()))?;
        clients.insert(proxy.to_string(), client.clone());
        Ok(client)
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
        self.fetch_with(req, None, None).await
    }

    /// Fetches one feed as [`Fetcher::fetch_held`] does, with what the feed adds to its
    /// requests (see [`RequestExtras`]): its headers and credentials go to its own origin only.
    pub async fn fetch_held_with(
        &self,
        req: &FetchRequest,
        extras: &RequestExtras,
    ) -> (FetchOutcome, BodyHold) {
        self.fetch_with(req, None, Some(extras)).await
    }

    /// Fetches an address taken from remote content (a page's feed link, later an article page
    /// or an image) under `policy`: only http(s), and no loopback, private or link-local address
    /// outside the host the policy trusts, checked before connecting, after name resolution and
    /// at every redirect.
    pub async fn fetch_link(&self, req: &FetchRequest, policy: &LinkPolicy) -> FetchOutcome {
        self.fetch_with(req, Some(policy), None).await.0
    }

    async fn fetch_with(
        &self,
        req: &FetchRequest,
        policy: Option<&LinkPolicy>,
        extras: Option<&RequestExtras>,
    ) -> (FetchOutcome, BodyHold) {
        let mut hold = BodyHold::default();
        let source = match classify(&req.url) {
            Ok(source) => source,
            Err(e) => return (FetchOutcome::failed(e), hold),
        };
        let url = match (source, policy) {
            (Source::Http(url), _) => url,
            (Source::File(_), Some(_)) => {
                return (
                    FetchOutcome::failed(FetchError::NotWebLink("file".into())),
                    hold,
                );
            }
            (Source::Demo(_), Some(_)) => {
                return (
                    FetchOutcome::failed(FetchError::NotWebLink("demo".into())),
                    hold,
                );
            }
            (Source::File(path), None) => {
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
            (Source::Demo(name), None) => {
                let outcome = match local::read_demo(&name) {
                    Ok(body) => fetched_local(body, req.url.clone()),
                    Err(e) => FetchOutcome::failed(e),
                };
                return (outcome, hold);
            }
        };
        let own_proxy = match extras.and_then(|e| e.proxy.as_deref()) {
            Some(proxy) if policy.is_none() => match self.proxied_client(proxy) {
                Ok(client) => Some(client),
                Err(e) => return (FetchOutcome::failed(e), hold),
            },
            _ => None,
        };
        let clients = match policy {
            None => http::Clients::Any(own_proxy.as_ref().unwrap_or(&self.client)),
            Some(policy) => {
                if let Err(e) = policy.check(&url) {
                    return (FetchOutcome::failed(e), hold);
                }
                match self.public_client() {
                    Ok(public) => http::Clients::Linked {
                        policy,
                        trusted: &self.client,
                        public,
                    },
                    Err(e) => return (FetchOutcome::failed(e), hold),
                }
            }
        };
        let host = url.host_str().unwrap_or_default().to_string();
        let _slot = self.limits.acquire(&host).await;
        // The time limit covers every hop and the whole body, but not time spent waiting for
        // room in the byte budget.
        let mut deadline = budget::Deadline::new(self.cfg.request_timeout);
        let memory = (&self.budget, &mut hold);
        let outcome = http::fetch(
            clients,
            &self.cfg,
            memory,
            (url, req, extras),
            &mut deadline,
        )
        .await;
        (outcome, hold)
    }
}

/// The settings every client shares: no automatic redirects, the timeouts, the user agent, the
/// `[fetch] proxy` (when set; else reqwest reads the usual environment variables), and the extra
/// roots of `ca_file`.
fn client_builder(cfg: &FetchConfig) -> Result<reqwest::ClientBuilder, FetchError> {
    let mut builder = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(cfg.connect_timeout)
        .user_agent(cfg.user_agent.clone());
    if let Some(proxy) = &cfg.proxy {
        let spec = reqwest::Proxy::all(proxy.as_str())
            .map_err(|e| FetchError::Client(format!("proxy {}: {e}", redact(proxy))))?;
        builder = builder.proxy(spec);
    }
    if let Some(path) = &cfg.ca_file {
        builder = builder.tls_certs_merge(extra_roots(path)?);
    }
    Ok(builder)
}

/// Reads the certificates of a PEM file to trust as extra roots (at most 1 MiB of them).
pub fn extra_roots(path: &std::path::Path) -> Result<Vec<reqwest::Certificate>, FetchError> {
    use std::io::Read;
    let bad = |why: String| FetchError::Client(format!("ca_file {}: {why}", path.display()));
    let file = std::fs::File::open(path).map_err(|e| bad(e.to_string()))?;
    let mut pem = Vec::new();
    file.take(1024 * 1024 + 1)
        .read_to_end(&mut pem)
        .map_err(|e| bad(e.to_string()))?;
    if pem.len() > 1024 * 1024 {
        return Err(bad("larger than 1 MiB".to_string()));
    }
    let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| bad(e.to_string()))?;
    if certs.is_empty() {
        return Err(bad("no PEM certificate in it".to_string()));
    }
    Ok(certs)
}

fn fetched_local(body: Vec<u8>, url: String) -> FetchOutcome {
    FetchOutcome::Fetched {
        body,
        content_type: None,
        etag: None,
        last_modified: None,
        final_url: url,
        permanent_url: None,
        max_age: None,
    }
}
