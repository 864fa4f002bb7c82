//! A loopback proxy in front of a server on loopback (Miniflux, in the sync tests) that counts
//! the connections and requests it passes and can hold one request: the `nth` whose request line
//! contains a pattern, and every later one, until opened. A sync then stops between two pages for
//! as long as the test wants. Include with `#[path = "support/gate.rs"] mod gate;`.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The proxy; everything it holds goes through when it is dropped.
pub struct Gate {
    /// The proxy's port.
    pub port: u16,
    state: Arc<State>,
}

struct State {
    upstream: u16,
    pattern: String,
    nth: usize,
    /// Requests whose line contained the pattern so far.
    matched: AtomicUsize,
    /// Set once a request is held.
    held: AtomicBool,
    /// Set to let everything through.
    open: AtomicBool,
    /// Connections accepted (also those the upstream refused).
    connections: AtomicUsize,
    /// Request lines seen.
    requests: AtomicUsize,
}

impl Gate {
    /// A proxy to `127.0.0.1:upstream` that holds the `nth` request (from 1) whose request line
    /// (`GET /path?query HTTP/1.1`) contains `pattern`, and every later one, until [`Gate::open`].
    pub fn start(upstream: u16, pattern: &str, nth: usize) -> Gate {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(State {
            upstream,
            pattern: pattern.to_string(),
            nth,
            matched: AtomicUsize::new(0),
            held: AtomicBool::new(false),
            open: AtomicBool::new(false),
            connections: AtomicUsize::new(0),
            requests: AtomicUsize::new(0),
        });
        let s = state.clone();
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { return };
                s.connections.fetch_add(1, Ordering::SeqCst);
                let s = s.clone();
                std::thread::spawn(move || relay(client, &s));
            }
        });
        Gate { port, state }
    }

    /// A proxy that holds nothing: it only counts.
    pub fn counting(upstream: u16) -> Gate {
        Gate::start(upstream, "", usize::MAX)
    }

    /// The proxy's address, as `[sync] url` takes it.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Whether a request is being held.
    pub fn held(&self) -> bool {
        self.state.held.load(Ordering::SeqCst)
    }

    /// Waits up to `secs` seconds for a request to be held; panics naming `what` otherwise.
    pub fn wait_held(&self, secs: u64, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(secs);
        while !self.held() {
            assert!(Instant::now() < deadline, "{what}");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Lets every request through from now on.
    pub fn open(&self) {
        self.state.open.store(true, Ordering::SeqCst);
    }

    /// Connections accepted so far, including those the upstream refused.
    pub fn connections(&self) -> usize {
        self.state.connections.load(Ordering::SeqCst)
    }

    /// Requests passed or held so far.
    pub fn requests(&self) -> usize {
        self.state.requests.load(Ordering::SeqCst)
    }
}

impl Drop for Gate {
    fn drop(&mut self) {
        self.open();
    }
}

/// Copies `client` to the upstream (and back on another thread), holding a request as
/// `state` says. A client the upstream refuses is closed.
fn relay(mut client: TcpStream, state: &State) {
    let Ok(mut server) = TcpStream::connect(("127.0.0.1", state.upstream)) else {
        let _ = client.shutdown(Shutdown::Both);
        return;
    };
    let (mut client_w, mut server_r) = (client.try_clone().unwrap(), server.try_clone().unwrap());
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut server_r, &mut client_w);
        let _ = client_w.shutdown(Shutdown::Both);
    });
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match client.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let text = String::from_utf8_lossy(&buf[..n]);
        for line in text.lines().filter(|l| is_request_line(l)) {
            state.requests.fetch_add(1, Ordering::SeqCst);
            if !line.contains(&state.pattern) {
                continue;
            }
            let seen = state.matched.fetch_add(1, Ordering::SeqCst) + 1;
            while seen >= state.nth && !state.open.load(Ordering::SeqCst) {
                state.held.store(true, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(10));
            }
        }
        if server.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = server.shutdown(Shutdown::Both);
}

/// Whether `line` is an HTTP/1 request line (`METHOD target HTTP/1.x`).
fn is_request_line(line: &str) -> bool {
    let mut words = line.split(' ');
    let (Some(method), Some(_), Some(version), None) =
        (words.next(), words.next(), words.next(), words.next())
    else {
        return false;
    };
    !method.is_empty()
        && method.bytes().all(|b| b.is_ascii_uppercase())
        && version.trim_end().starts_with("HTTP/1.")
}
