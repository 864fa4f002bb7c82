//! One HTTP fetch: conditional GET, redirects followed by hand, the body read with a cap.
//!
//! Redirects: at most `max_redirects` hops; `permanent_url` is reported only when every hop was
//! a 301 or 308. A redirect from https to http is refused ([`FetchError::InsecureRedirect`]):
//! following it would silently drop TLS for every later fetch of the feed. The conditional
//! headers are sent again on every hop.

use std::error::Error as _;
use std::io;

use reqwest::header::{
    ACCEPT, CACHE_CONTROL, CONTENT_TYPE, ETAG, HeaderMap, IF_MODIFIED_SINCE, IF_NONE_MATCH,
    LAST_MODIFIED, LOCATION, RETRY_AFTER, USER_AGENT,
};
use reqwest::{Client, Response, StatusCode};
use url::Url;

use super::budget::{BodyHold, Budget, Deadline};
use super::remote::{LinkPolicy, NonPublicName, Route};
use super::retry_after::parse_retry_after;
use super::{FetchConfig, FetchError, FetchOutcome, FetchRequest, RequestExtras, SMALL_BODY};

/// Which client fetches each hop.
#[derive(Clone, Copy)]
pub(crate) enum Clients<'a> {
    /// An address the user gave: one client, any address.
    Any(&'a Client),
    /// A link from remote content: every hop is checked against the policy, and fetched with
    /// the client that reaches public addresses only unless it is on the trusted host.
    Linked {
        /// The rules.
        policy: &'a LinkPolicy,
        /// The client for the trusted host.
        trusted: &'a Client,
        /// The client whose resolver keeps public addresses only.
        public: &'a Client,
    },
}

impl<'a> Clients<'a> {
    /// The client for `url`, or why it may not be fetched.
    pub(super) fn for_url(self, url: &Url) -> Result<&'a Client, FetchError> {
        match self {
            Clients::Any(client) => Ok(client),
            Clients::Linked {
                policy,
                trusted,
                public,
            } => Ok(match policy.check(url)? {
                Route::Trusted => trusted,
                Route::PublicOnly => public,
            }),
        }
    }
}

/// What tidings asks for: feeds first, any XML or JSON next, anything last.
const ACCEPT_FEEDS: &str = "application/rss+xml, application/atom+xml, application/feed+json, \
    application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, \
    */*;q=0.5";

/// Fetches `start`, following redirects, and reads the body within the configured cap. The
/// `extras`' headers and credentials go with every hop until one leaves `start`'s origin.
pub(crate) async fn fetch(
    clients: Clients<'_>,
    cfg: &FetchConfig,
    (budget, hold): (&Budget, &mut BodyHold),
    (start, req, extras): (Url, &FetchRequest, Option<&RequestExtras>),
    deadline: &mut Deadline,
) -> FetchOutcome {
    let origin = start.origin();
    let mut url = start;
    let mut hops = 0usize;
    let mut all_permanent = true;
    let mut at_origin = true;
    loop {
        let client = match clients.for_url(&url) {
            Ok(client) => client,
            Err(e) => return failed(e),
        };
        // Once a redirect leaves the feed's origin, its headers and credentials stay behind,
        // even if a later hop comes back.
        at_origin &= url.origin() == origin;
        let resp = match deadline
            .run(send(client, &url, req, extras, at_origin))
            .await
        {
            Ok(Ok(resp)) => resp,
            Ok(Err(e)) => return failed(map_error(&e, cfg)),
            Err(timeout) => return failed(timeout),
        };
        let status = resp.status();
        if is_redirect(status) {
            let next = match redirect_target(&url, resp.headers()) {
                Ok(next) => next,
                Err(e) => return failed(e),
            };
            hops += 1;
            if hops > cfg.max_redirects {
                return failed(FetchError::TooManyRedirects);
            }
            all_permanent &= matches!(status.as_u16(), 301 | 308);
            url = next;
            continue;
        }
        if status == StatusCode::NOT_MODIFIED {
            return FetchOutcome::NotModified;
        }
        if matches!(status.as_u16(), 429 | 503) {
            let now = chrono::Utc::now().timestamp();
            let retry_after = header(resp.headers(), RETRY_AFTER.as_str())
                .and_then(|v| parse_retry_after(&v, now));
            return FetchOutcome::Failed {
                error: FetchError::Http(status.as_u16()),
                retry_after,
            };
        }
        if !status.is_success() {
            return failed(FetchError::Http(status.as_u16()));
        }
        let headers = resp.headers().clone();
        let body = match read_body(resp, cfg, (budget, hold), deadline).await {
            Ok(body) => body,
            Err(e) => return failed(e),
        };
        let final_url = url.to_string();
        return FetchOutcome::Fetched {
            body,
            content_type: header(&headers, CONTENT_TYPE.as_str()),
            etag: header(&headers, ETAG.as_str()),
            last_modified: header(&headers, LAST_MODIFIED.as_str()),
            permanent_url: (hops > 0 && all_permanent).then(|| final_url.clone()),
            max_age: header(&headers, CACHE_CONTROL.as_str())
                .and_then(|v| crate::feed::cache_max_age(&v)),
            final_url,
        };
    }
}

fn failed(error: FetchError) -> FetchOutcome {
    FetchOutcome::Failed {
        error,
        retry_after: None,
    }
}

async fn send(
    client: &Client,
    url: &Url,
    req: &FetchRequest,
    extras: Option<&RequestExtras>,
    at_origin: bool,
) -> reqwest::Result<Response> {
    let mut builder = client.get(url.clone()).header(ACCEPT, ACCEPT_FEEDS);
    if let Some(extras) = extras {
        if let Some(agent) = &extras.user_agent {
            builder = builder.header(USER_AGENT, agent.as_str());
        }
        if at_origin {
            for (name, value) in &extras.headers {
                builder = builder.header(name.as_str(), value.as_str());
            }
            if let Some(auth) = &extras.auth {
                builder = builder.basic_auth(&auth.username, Some(auth.password.expose()));
            }
        }
    }
    if let Some(etag) = &req.etag {
        builder = builder.header(IF_NONE_MATCH, etag.as_str());
    }
    if let Some(lm) = &req.last_modified {
        builder = builder.header(IF_MODIFIED_SINCE, lm.as_str());
    }
    builder.send().await
}

pub(super) fn is_redirect(status: StatusCode) -> bool {
    matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308)
}

/// The absolute URL a redirect points to, refused if it leaves http(s) or drops TLS.
pub(super) fn redirect_target(from: &Url, headers: &HeaderMap) -> Result<Url, FetchError> {
    let location = header(headers, LOCATION.as_str()).ok_or(FetchError::BadRedirect)?;
    let next = from
        .join(location.trim())
        .map_err(|_| FetchError::BadRedirect)?;
    match next.scheme() {
        "http" if from.scheme() == "https" => Err(FetchError::InsecureRedirect),
        "http" | "https" => Ok(next),
        other => Err(FetchError::UnsupportedScheme(other.to_string())),
    }
}

pub(super) fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// Reads the body chunk by chunk, after decompression, stopping as soon as it passes the cap. A
/// body larger than [`SMALL_BODY`] first waits for a reservation in the byte budget (time that
/// does not count against the deadline).
async fn read_body(
    mut resp: Response,
    cfg: &FetchConfig,
    (budget, hold): (&Budget, &mut BodyHold),
    deadline: &mut Deadline,
) -> Result<Vec<u8>, FetchError> {
    if resp.content_length().is_some_and(|n| n > cfg.max_body) {
        return Err(FetchError::BodyTooLarge(cfg.max_body));
    }
    if resp.content_length().is_some_and(|n| n > SMALL_BODY) {
        deadline.reserve(budget, hold).await;
    }
    let mut body = Vec::new();
    while let Some(chunk) = deadline
        .run(resp.chunk())
        .await?
        .map_err(|e| map_error(&e, cfg))?
    {
        let len = (body.len() + chunk.len()) as u64;
        if len > cfg.max_body {
            return Err(FetchError::BodyTooLarge(cfg.max_body));
        }
        if len > SMALL_BODY {
            deadline.reserve(budget, hold).await;
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Turns a reqwest error into the message a reader sees, looking at its innermost causes.
pub(super) fn map_error(err: &reqwest::Error, cfg: &FetchConfig) -> FetchError {
    let mut causes = Vec::new();
    let mut source = err.source();
    while let Some(cause) = source {
        if cause.downcast_ref::<NonPublicName>().is_some() {
            let host = err.url().and_then(Url::host_str).unwrap_or_default();
            return FetchError::NonPublicAddress(host.to_string());
        }
        if let Some(io_err) = cause.downcast_ref::<io::Error>()
            && io_err.kind() == io::ErrorKind::ConnectionRefused
        {
            return FetchError::ConnectionRefused;
        }
        causes.push(cause.to_string());
        source = cause.source();
    }
    if err.is_timeout() {
        return if err.is_connect() {
            FetchError::ConnectTimeout(cfg.connect_timeout)
        } else {
            FetchError::Timeout(cfg.request_timeout)
        };
    }
    if causes.iter().any(|c| c.contains("dns error")) {
        let host = err
            .url()
            .and_then(Url::host_str)
            .unwrap_or_default()
            .to_string();
        return FetchError::Dns(host);
    }
    let innermost = causes.last().cloned().unwrap_or_else(|| err.to_string());
    FetchError::Network(innermost)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn location(to: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(LOCATION, HeaderValue::from_str(to).unwrap());
        h
    }

    #[test]
    fn https_to_http_is_refused() {
        let from = Url::parse("https://example.org/feed").unwrap();
        assert_eq!(
            redirect_target(&from, &location("http://example.org/feed")),
            Err(FetchError::InsecureRedirect)
        );
        assert_eq!(
            FetchError::InsecureRedirect.to_string(),
            "redirect from https to http refused"
        );
    }

    #[test]
    fn relative_and_upgrading_redirects_are_followed() {
        let from = Url::parse("http://example.org/a/feed").unwrap();
        assert_eq!(
            redirect_target(&from, &location("../b/rss"))
                .unwrap()
                .as_str(),
            "http://example.org/b/rss"
        );
        assert_eq!(
            redirect_target(&from, &location("https://example.org/x"))
                .unwrap()
                .as_str(),
            "https://example.org/x"
        );
        assert_eq!(
            redirect_target(&from, &HeaderMap::new()),
            Err(FetchError::BadRedirect)
        );
    }
}
