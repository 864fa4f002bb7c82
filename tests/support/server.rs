//! A small scriptable HTTP/1.1 server on 127.0.0.1 for tests: a route table of canned replies,
//! a record of every request, and the peak number of requests in flight per `Host` (and, through
//! a shared [`Gauge`], over several servers). Bodies can be sent gzip, deflate or brotli encoded.
//!
//! It runs on its own thread with its own single-threaded tokio runtime, so synchronous tests
//! (driving the real binary) and async tests can both use it. Every reply closes the connection.
//! Dropping the [`TestServer`] stops it.
//!
//! ```ignore
//! let server = TestServer::start();
//! server.route("/feed.xml", Reply::ok(xml).content_type("application/rss+xml").etag("\"v1\""));
//! let url = server.url("/feed.xml");
//! ```
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use flate2::Compression;
use flate2::write::{GzEncoder, ZlibEncoder};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

/// What a route answers.
#[derive(Debug, Clone)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Body,
    encoding: Option<Encoding>,
    delay: Duration,
    stall: bool,
    stall_body: bool,
    etag: Option<String>,
    last_modified: Option<String>,
}

/// A `Content-Encoding` the server can compress a body with.
#[derive(Debug, Clone, Copy)]
enum Encoding {
    Gzip,
    /// HTTP's `deflate`: a zlib stream (RFC 1950).
    Deflate,
    Brotli,
}

#[derive(Debug, Clone)]
enum Body {
    Bytes(Vec<u8>),
    /// A gzip stream of this many zero bytes, compressed while it is sent (a "gzip bomb").
    GzipZeros(u64),
}

impl Reply {
    /// A 200 with this body.
    pub fn ok(body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status: 200,
            headers: Vec::new(),
            body: Body::Bytes(body.into()),
            encoding: None,
            delay: Duration::ZERO,
            stall: false,
            stall_body: false,
            etag: None,
            last_modified: None,
        }
    }

    /// An empty answer with this status.
    pub fn status(code: u16) -> Reply {
        Reply {
            status: code,
            ..Reply::ok(Vec::new())
        }
    }

    /// A redirect with this status to `location` (sent as written: relative or absolute).
    pub fn redirect(code: u16, location: &str) -> Reply {
        Reply::status(code).header("Location", location)
    }

    /// A 200 whose body is `uncompressed` zero bytes, gzip-compressed on the fly while sending.
    pub fn gzip_bomb(uncompressed: u64) -> Reply {
        Reply {
            body: Body::GzipZeros(uncompressed),
            ..Reply::ok(Vec::new())
        }
    }

    /// Adds a response header.
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Sets `Content-Type`.
    pub fn content_type(self, value: &str) -> Reply {
        self.header("Content-Type", value)
    }

    /// Sends the body gzip-compressed, with `Content-Encoding: gzip`.
    pub fn gzip(mut self) -> Reply {
        self.encoding = Some(Encoding::Gzip);
        self
    }

    /// Sends the body as a zlib stream, with `Content-Encoding: deflate`.
    pub fn deflate(mut self) -> Reply {
        self.encoding = Some(Encoding::Deflate);
        self
    }

    /// Sends the body brotli-compressed, with `Content-Encoding: br`.
    pub fn brotli(mut self) -> Reply {
        self.encoding = Some(Encoding::Brotli);
        self
    }

    /// Waits this long before answering.
    pub fn delay(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }

    /// Reads the request and then never answers (until the server stops).
    pub fn stall(mut self) -> Reply {
        self.stall = true;
        self
    }

    /// Sends the headers and the first half of the body, then never finishes (until the
    /// server stops).
    pub fn stall_body(mut self) -> Reply {
        self.stall_body = true;
        self
    }

    /// Sends this `ETag`, and answers 304 when the request's `If-None-Match` carries it.
    pub fn etag(mut self, tag: &str) -> Reply {
        self.etag = Some(tag.to_string());
        self
    }

    /// Sends this `Last-Modified`, and answers 304 when `If-Modified-Since` equals it.
    pub fn last_modified(mut self, date: &str) -> Reply {
        self.last_modified = Some(date.to_string());
        self
    }
}

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// `GET`, usually.
    pub method: String,
    /// The request target, query included.
    pub path: String,
    /// Headers in arrival order, names lower-cased.
    pub headers: Vec<(String, String)>,
}

impl Recorded {
    /// The first value of a header (name matched case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct Shared {
    routes: Mutex<HashMap<String, Reply>>,
    requests: Mutex<Vec<Recorded>>,
    in_flight: Mutex<HashMap<String, (usize, usize)>>,
    gauge: Option<Gauge>,
}

/// Requests in flight over every server that shares it, and their peak: for limits that span
/// hosts (each [`TestServer`] is a host of its own).
#[derive(Clone, Default)]
pub struct Gauge(Arc<Mutex<(usize, usize)>>);

impl Gauge {
    /// The most requests ever in flight at once over all the servers counting into this gauge.
    pub fn peak(&self) -> usize {
        lock(&self.0).1
    }

    fn enter(&self) {
        let mut g = lock(&self.0);
        g.0 += 1;
        g.1 = g.1.max(g.0);
    }

    fn leave(&self) {
        lock(&self.0).0 -= 1;
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// A running server; see the module documentation.
pub struct TestServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl TestServer {
    /// Binds 127.0.0.1 on a free port and starts serving (unknown paths get 404).
    pub fn start() -> TestServer {
        Self::start_shared("127.0.0.1", Shared::default())
    }

    /// Binds `ip` (a loopback address such as `127.0.0.2`) on a free port and starts serving.
    pub fn start_on(ip: &str) -> TestServer {
        Self::start_shared(ip, Shared::default())
    }

    /// Like [`TestServer::start`], on the loopback address `ip` (`127.0.0.2` is another host to
    /// the fetcher's per-host limit, with no name to resolve), counting its requests in flight
    /// into `gauge`.
    pub fn start_counting(ip: &str, gauge: &Gauge) -> TestServer {
        Self::start_shared(
            ip,
            Shared {
                gauge: Some(gauge.clone()),
                ..Shared::default()
            },
        )
    }

    fn start_shared(ip: &str, shared: Shared) -> TestServer {
        assert!(ip.starts_with("127."), "test servers stay on loopback");
        let std_listener =
            std::net::TcpListener::bind((ip, 0)).unwrap_or_else(|e| panic!("bind {ip}:0: {e}"));
        std_listener.set_nonblocking(true).expect("non-blocking");
        let addr = std_listener.local_addr().expect("local addr");
        let shared = Arc::new(shared);
        let (tx, rx) = oneshot::channel();
        let thread_shared = shared.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("test server runtime");
            rt.block_on(serve(std_listener, thread_shared, rx));
        });
        TestServer {
            addr,
            shared,
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }

    /// Sets (or replaces) the reply for `path`.
    pub fn route(&self, path: &str, reply: Reply) {
        lock(&self.shared.routes).insert(path.to_string(), reply);
    }

    /// The server's address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.shared.requests).clone()
    }

    /// The requests received so far for one path.
    pub fn requests_to(&self, path: &str) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.path == path)
            .collect()
    }

    /// The most requests ever in flight at once for one `Host` header value (e.g. `127.0.0.1:PORT`),
    /// counted from the request's arrival to the start of its answer.
    pub fn peak_in_flight(&self, host: &str) -> usize {
        lock(&self.shared.in_flight)
            .get(host)
            .map_or(0, |(_, peak)| *peak)
    }

    /// The `Host` value requests to this server carry when addressed by [`TestServer::url`].
    pub fn host(&self) -> String {
        self.addr.to_string()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    mut stop: oneshot::Receiver<()>,
) {
    let listener = TcpListener::from_std(listener).expect("tokio listener");
    loop {
        tokio::select! {
            _ = &mut stop => return,
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    tokio::spawn(handle(stream, shared.clone()));
                }
            }
        }
    }
}

/// Counts a request in flight for its host until dropped.
struct InFlight {
    shared: Arc<Shared>,
    host: String,
}

impl InFlight {
    fn enter(shared: &Arc<Shared>, host: &str) -> InFlight {
        let mut map = lock(&shared.in_flight);
        let entry = map.entry(host.to_string()).or_insert((0, 0));
        entry.0 += 1;
        entry.1 = entry.1.max(entry.0);
        if let Some(g) = &shared.gauge {
            g.enter();
        }
        InFlight {
            shared: shared.clone(),
            host: host.to_string(),
        }
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if let Some(entry) = lock(&self.shared.in_flight).get_mut(&self.host) {
            entry.0 -= 1;
        }
        if let Some(g) = &self.shared.gauge {
            g.leave();
        }
    }
}

async fn handle(mut stream: TcpStream, shared: Arc<Shared>) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let host = request.header("host").unwrap_or("").to_string();
    let in_flight = InFlight::enter(&shared, &host);
    lock(&shared.requests).push(request.clone());
    let path = request.path.split('?').next().unwrap_or("").to_string();
    let reply = lock(&shared.routes).get(&path).cloned();
    let Some(reply) = reply else {
        let _ = write_simple(&mut stream, 404, &[], b"not found").await;
        return;
    };
    if reply.stall {
        tokio::time::sleep(Duration::from_secs(3600)).await;
        return;
    }
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    // A request stops counting as in flight before its answer is written: a client may start
    // its next request as soon as it has read the last byte, possibly before this task ran on,
    // and an overlap seen here must be one the client really made.
    drop(in_flight);
    let mut headers = reply.headers.clone();
    if let Some(etag) = &reply.etag {
        headers.push(("ETag".into(), etag.clone()));
    }
    if let Some(lm) = &reply.last_modified {
        headers.push(("Last-Modified".into(), lm.clone()));
    }
    let etag_match = reply.etag.as_deref().is_some_and(|tag| {
        request
            .header("if-none-match")
            .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"))
    });
    let date_match = reply
        .last_modified
        .as_deref()
        .is_some_and(|lm| request.header("if-modified-since") == Some(lm));
    if etag_match || date_match {
        let _ = write_head(&mut stream, 304, &headers, None).await;
        return;
    }
    match &reply.body {
        Body::Bytes(bytes) => {
            let body = match reply.encoding {
                None => bytes.clone(),
                Some(encoding) => {
                    let (name, body) = compress(encoding, bytes);
                    headers.push(("Content-Encoding".into(), name.into()));
                    body
                }
            };
            if reply.stall_body {
                let _ = write_head(&mut stream, reply.status, &headers, Some(body.len())).await;
                let _ = stream.write_all(&body[..body.len() / 2]).await;
                let _ = stream.flush().await;
                tokio::time::sleep(Duration::from_secs(3600)).await;
                return;
            }
            let _ = write_simple(&mut stream, reply.status, &headers, &body).await;
        }
        Body::GzipZeros(total) => {
            headers.push(("Content-Encoding".into(), "gzip".into()));
            let _ = stream_gzip_zeros(&mut stream, reply.status, &headers, *total).await;
        }
    }
}

async fn read_request(stream: &mut TcpStream) -> Option<Recorded> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 || buf.len() > 64 * 1024 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let text = String::from_utf8_lossy(&buf);
    let mut lines = text.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let path = first.next()?.to_string();
    let headers = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Some(Recorded {
        method,
        path,
        headers,
    })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

async fn write_head(
    stream: &mut TcpStream,
    status: u16,
    headers: &[(String, String)],
    content_length: Option<usize>,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\nConnection: close\r\n",
        reason(status)
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Some(len) = content_length {
        head.push_str(&format!("Content-Length: {len}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await
}

async fn write_simple(
    stream: &mut TcpStream,
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
) -> std::io::Result<()> {
    write_head(stream, status, headers, Some(body.len())).await?;
    stream.write_all(body).await?;
    stream.flush().await?;
    let _ = stream.shutdown().await;
    Ok(())
}

/// The `Content-Encoding` name and the compressed bytes.
fn compress(encoding: Encoding, bytes: &[u8]) -> (&'static str, Vec<u8>) {
    match encoding {
        Encoding::Gzip => {
            let mut enc = GzEncoder::new(Vec::new(), Compression::default());
            enc.write_all(bytes).expect("gzip to memory");
            ("gzip", enc.finish().expect("gzip to memory"))
        }
        Encoding::Deflate => {
            let mut enc = ZlibEncoder::new(Vec::new(), Compression::default());
            enc.write_all(bytes).expect("zlib to memory");
            ("deflate", enc.finish().expect("zlib to memory"))
        }
        Encoding::Brotli => {
            let mut out = Vec::new();
            {
                let mut enc = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
                enc.write_all(bytes).expect("brotli to memory");
            }
            ("br", out)
        }
    }
}

/// Sends `total` zero bytes gzip-compressed, one MiB at a time, with the body delimited by the
/// connection closing. Stops as soon as the client hangs up, so a client that gives up early
/// costs only what it read.
async fn stream_gzip_zeros(
    stream: &mut TcpStream,
    status: u16,
    headers: &[(String, String)],
    total: u64,
) -> std::io::Result<()> {
    write_head(stream, status, headers, None).await?;
    let zeros = vec![0u8; 1 << 20];
    let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
    let mut left = total;
    while left > 0 {
        let n = left.min(zeros.len() as u64) as usize;
        enc.write_all(&zeros[..n])?;
        left -= n as u64;
        let out = std::mem::take(enc.get_mut());
        if !out.is_empty() {
            stream.write_all(&out).await?;
        }
    }
    let rest = enc.finish()?;
    stream.write_all(&rest).await?;
    stream.flush().await?;
    let _ = stream.shutdown().await;
    Ok(())
}
