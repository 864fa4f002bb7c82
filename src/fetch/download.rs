//! Streaming a large file (a podcast episode) rather than reading a feed into memory: the same
//! rules as any link from remote content ([`LinkPolicy`]: http(s) only, no private address
//! outside the trusted host, checked at every redirect), redirects followed by hand, the connect
//! timeout, and the request timeout as the longest wait for the answer and for each chunk of the
//! body (a long download may take as long as it keeps moving).
//!
//! A resume asks for the rest of the file with `Range` and `If-Range`: a server whose file
//! changed (or that ignores ranges) answers with the whole file, which the caller sees as a
//! [`Download::start`] of 0 and writes from the beginning.

use std::time::Duration;

use reqwest::header::{ACCEPT_ENCODING, CONTENT_RANGE, ETAG, IF_RANGE, LAST_MODIFIED, RANGE};
use reqwest::{Client, Response, StatusCode};
use url::Url;

use super::http::{Clients, header, is_redirect, map_error, redirect_target};
use super::{FetchError, Fetcher, LinkPolicy, Source, classify};

/// What a resume asks for: the bytes from `offset` on, if the file is still the one `validator`
/// (an `ETag` or `Last-Modified` value) named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resume {
    /// Bytes already written.
    pub offset: u64,
    /// The validator of the response those bytes came from, sent back as `If-Range`.
    pub validator: String,
}

/// An answer whose body is being streamed.
#[derive(Debug)]
pub struct Download {
    resp: Response,
    /// Where in the file the body starts: the resume's offset when the server sent the rest,
    /// 0 when it sent the whole file.
    pub start: u64,
    /// The whole file's size, when the server said.
    pub total: Option<u64>,
    /// A validator a later resume may send back (a strong `ETag`, else `Last-Modified`).
    pub validator: Option<String>,
    idle: Duration,
}

impl Download {
    /// The next piece of the body, `None` at its end. Fails when none comes within the request
    /// timeout, or when the connection breaks.
    pub async fn chunk(&mut self) -> Result<Option<Vec<u8>>, FetchError> {
        match tokio::time::timeout(self.idle, self.resp.chunk()).await {
            Ok(Ok(chunk)) => Ok(chunk.map(|c| c.to_vec())),
            Ok(Err(e)) => Err(FetchError::Network(innermost(&e))),
            Err(_) => Err(FetchError::Timeout(self.idle)),
        }
    }
}

/// The innermost cause of a reqwest error, which says what broke.
fn innermost(e: &reqwest::Error) -> String {
    let mut cause: &dyn std::error::Error = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

impl Fetcher {
    /// Starts downloading `url`, an address from remote content, under `policy`; with `resume`,
    /// asks for the rest only (see the module's comment). A resume the server cannot satisfy
    /// (416) is asked again for the whole file.
    pub async fn download(
        &self,
        url: &str,
        policy: &LinkPolicy,
        resume: Option<&Resume>,
    ) -> Result<Download, FetchError> {
        let url = match classify(url)? {
            Source::Http(url) => url,
            Source::File(_) => return Err(FetchError::NotWebLink("file".into())),
            Source::Demo(_) => return Err(FetchError::NotWebLink("demo".into())),
        };
        policy.check(&url)?;
        let clients = Clients::Linked {
            policy,
            trusted: &self.client,
            public: self.public_client()?,
        };
        let mut resume = resume;
        loop {
            let resp = self.follow(clients, url.clone(), resume).await?;
            match resp.status() {
                StatusCode::RANGE_NOT_SATISFIABLE if resume.is_some() => resume = None,
                StatusCode::PARTIAL_CONTENT => {
                    let Some(resume) = resume else {
                        return Err(FetchError::BadRange("206 to a request for all".into()));
                    };
                    return self.partial(resp, resume);
                }
                s if s.is_success() => {
                    let total = resp.content_length();
                    return Ok(self.started(resp, 0, total));
                }
                s => return Err(FetchError::Http(s.as_u16())),
            }
        }
    }

    /// The rest of a file the server sent from `resume.offset`, checked against its
    /// `Content-Range`.
    fn partial(&self, resp: Response, resume: &Resume) -> Result<Download, FetchError> {
        let range = header(resp.headers(), CONTENT_RANGE.as_str()).unwrap_or_default();
        match content_range(&range) {
            Some((start, total)) if start == resume.offset => Ok(self.started(resp, start, total)),
            _ => Err(FetchError::BadRange(
                range.chars().filter(|c| !c.is_control()).take(80).collect(),
            )),
        }
    }

    fn started(&self, resp: Response, start: u64, total: Option<u64>) -> Download {
        let headers = resp.headers();
        let validator = header(headers, ETAG.as_str())
            .filter(|e| !e.starts_with("W/"))
            .or_else(|| header(headers, LAST_MODIFIED.as_str()));
        Download {
            resp,
            start,
            total,
            validator,
            idle: self.cfg.request_timeout,
        }
    }

    /// Sends the request, following redirects (each hop checked by `clients`), and returns the
    /// first answer that is not a redirect.
    async fn follow(
        &self,
        clients: Clients<'_>,
        mut url: Url,
        resume: Option<&Resume>,
    ) -> Result<Response, FetchError> {
        let mut hops = 0usize;
        loop {
            let client = clients.for_url(&url)?;
            let resp = tokio::time::timeout(self.cfg.request_timeout, send(client, &url, resume))
                .await
                .map_err(|_| FetchError::Timeout(self.cfg.request_timeout))?
                .map_err(|e| map_error(&e, &self.cfg))?;
            if !is_redirect(resp.status()) {
                return Ok(resp);
            }
            url = redirect_target(&url, resp.headers())?;
            hops += 1;
            if hops > self.cfg.max_redirects {
                return Err(FetchError::TooManyRedirects);
            }
        }
    }
}

async fn send(client: &Client, url: &Url, resume: Option<&Resume>) -> reqwest::Result<Response> {
    // Byte offsets count the file as stored: no compression in transit.
    let mut builder = client.get(url.clone()).header(ACCEPT_ENCODING, "identity");
    if let Some(resume) = resume {
        builder = builder
            .header(RANGE, format!("bytes={}-", resume.offset))
            .header(IF_RANGE, resume.validator.as_str());
    }
    builder.send().await
}

/// The start and the whole length of `bytes START-END/TOTAL` (`TOTAL` may be `*`).
fn content_range(value: &str) -> Option<(u64, Option<u64>)> {
    let rest = value.trim().strip_prefix("bytes")?.trim_start();
    let (range, total) = rest.split_once('/')?;
    let (start, end) = range.trim().split_once('-')?;
    let start: u64 = start.trim().parse().ok()?;
    let end: u64 = end.trim().parse().ok()?;
    if end < start {
        return None;
    }
    let total = match total.trim() {
        "*" => None,
        t => Some(t.parse().ok()?),
    };
    Some((start, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_ranges_are_read() {
        assert_eq!(content_range("bytes 100-199/200"), Some((100, Some(200))));
        assert_eq!(content_range("bytes 5-9/*"), Some((5, None)));
        assert_eq!(content_range("bytes 9-5/10"), None);
        assert_eq!(content_range("items 1-2/3"), None);
        assert_eq!(content_range(""), None);
    }
}
