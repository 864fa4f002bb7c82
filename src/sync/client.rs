//! The HTTP side shared by the server kinds: one client with the sync's timeouts and roots,
//! answers read within a size limit, and errors sorted into the causes a user can act on.

use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use reqwest::{Client, RequestBuilder, Response};

use super::{SyncError, SyncErrorKind};

/// The largest answer read: 64 MiB (a page of 1,000 full articles is a few megabytes).
pub const MAX_ANSWER: u64 = 64 * 1024 * 1024;

/// An HTTP client for one server.
pub struct HttpClient {
    client: Client,
    server: String,
    /// The server's clock at its last answer (Unix seconds; 0 before any).
    server_now: AtomicI64,
    /// The most bytes one answer may have.
    limit: u64,
}

impl HttpClient {
    /// A client for `server` (its description, for errors), trusting the roots of `ca_file`
    /// besides the system's.
    pub fn new(
        server: String,
        ca_file: Option<&Path>,
        timeout: Duration,
    ) -> Result<Self, SyncError> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let fail = |detail: String| SyncError {
            server: server.clone(),
            kind: SyncErrorKind::Config(detail),
        };
        let mut builder = Client::builder()
            .connect_timeout(Duration::from_secs(10).min(timeout))
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::limited(5))
            .user_agent(crate::fetch::default_user_agent());
        if let Some(path) = ca_file {
            builder = builder
                .tls_certs_merge(crate::fetch::extra_roots(path).map_err(|e| fail(e.to_string()))?);
        }
        let client = builder.build().map_err(|e| fail(e.to_string()))?;
        Ok(HttpClient {
            client,
            server,
            server_now: AtomicI64::new(0),
            limit: MAX_ANSWER,
        })
    }

    /// The underlying client, to build requests.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// An error about this server.
    pub fn error(&self, kind: SyncErrorKind) -> SyncError {
        SyncError {
            server: self.server.clone(),
            kind,
        }
    }

    /// The server's clock at its last answer, else ours.
    pub fn now(&self) -> i64 {
        match self.server_now.load(Ordering::Relaxed) {
            0 => crate::refresh::unix_now(),
            t => t,
        }
    }

    /// Sends `request` (described by `what` in errors) and returns the answer's body when its
    /// status is a success; 401 and 403 are [`SyncErrorKind::Auth`].
    pub async fn send(&self, request: RequestBuilder, what: &str) -> Result<Vec<u8>, SyncError> {
        let response = request.send().await.map_err(|e| self.transport(e))?;
        self.note_date(&response);
        let status = response.status().as_u16();
        if status == 401 || status == 403 {
            return Err(self.error(SyncErrorKind::Auth(status)));
        }
        if !(200..300).contains(&status) {
            return Err(self.error(SyncErrorKind::Status {
                status,
                what: what.to_string(),
            }));
        }
        self.body(response, what).await
    }

    /// Reads a body within the limit.
    async fn body(&self, mut response: Response, what: &str) -> Result<Vec<u8>, SyncError> {
        let mut out = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.transport(e))? {
            if out.len() as u64 + chunk.len() as u64 > self.limit {
                return Err(self.error(SyncErrorKind::TooLarge {
                    what: what.to_string(),
                    limit: self.limit,
                }));
            }
            out.extend_from_slice(&chunk);
        }
        Ok(out)
    }

    fn note_date(&self, response: &Response) {
        let date = response
            .headers()
            .get(reqwest::header::DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| chrono::DateTime::parse_from_rfc2822(v).ok());
        if let Some(d) = date {
            self.server_now.store(d.timestamp(), Ordering::Relaxed);
        }
    }

    /// Sorts a transport failure into TLS or unreachable, with its innermost cause.
    fn transport(&self, e: reqwest::Error) -> SyncError {
        let mut detail = e.to_string();
        let mut source = std::error::Error::source(&e);
        let mut tls = false;
        while let Some(s) = source {
            let text = s.to_string();
            if s.is::<rustls::Error>() || text.contains("certificate") || text.contains("tls") {
                tls = true;
            }
            detail = text;
            source = s.source();
        }
        let detail = crate::content::sanitize_line(&detail).into_owned();
        if tls {
            self.error(SyncErrorKind::Tls(detail))
        } else {
            self.error(SyncErrorKind::Unreachable(detail))
        }
    }
}

/// Parses a JSON answer, or says what was wrong with it.
pub fn parse_json<T: serde::de::DeserializeOwned>(
    client: &HttpClient,
    body: &[u8],
    what: &str,
) -> Result<T, SyncError> {
    serde_json::from_slice(body).map_err(|e| {
        client.error(SyncErrorKind::BadAnswer {
            what: what.to_string(),
            detail: e.to_string(),
        })
    })
}
