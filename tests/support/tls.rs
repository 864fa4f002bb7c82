//! A small HTTPS server on 127.0.0.1 for tests: one body for every path, served over TLS with a
//! certificate for `127.0.0.1` issued by a throwaway certificate authority made with rcgen at
//! start. [`TlsServer::ca_pem`] is that authority's certificate, for a client to trust.
//!
//! It runs on threads of its own (a blocking rustls stream per connection), so synchronous tests
//! that drive the real binary and async tests can both use it. Dropping it stops it.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

/// A running HTTPS server; see the module documentation.
pub struct TlsServer {
    addr: SocketAddr,
    ca_pem: String,
    served: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl TlsServer {
    /// Makes a certificate authority and a server certificate, binds 127.0.0.1 on a free port
    /// and answers every request with `200` and `body` as `application/rss+xml`.
    pub fn start(body: impl Into<Vec<u8>>) -> TlsServer {
        let body: Arc<Vec<u8>> = Arc::new(body.into());
        let ca_key = KeyPair::generate().expect("CA key");
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "tidings test CA");
        let ca_cert = ca_params.self_signed(&ca_key).expect("CA certificate");
        let issuer = Issuer::new(ca_params, ca_key);
        let leaf_key = KeyPair::generate().expect("server key");
        let mut leaf_params =
            CertificateParams::new(vec!["127.0.0.1".to_string()]).expect("server params");
        leaf_params
            .distinguished_name
            .push(DnType::CommonName, "127.0.0.1");
        let leaf = leaf_params
            .signed_by(&leaf_key, &issuer)
            .expect("server certificate");

        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(
                vec![leaf.der().clone(), ca_cert.der().clone()],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
            )
            .expect("server TLS config");
        let config = Arc::new(config);

        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let served = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (s, st) = (Arc::clone(&served), Arc::clone(&stop));
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if st.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(stream) = stream else { continue };
                let (config, body, served) =
                    (Arc::clone(&config), Arc::clone(&body), Arc::clone(&s));
                std::thread::spawn(move || serve(stream, config, &body, &served));
            }
        });
        TlsServer {
            addr,
            ca_pem: ca_cert.pem(),
            served,
            stop,
            thread: Some(thread),
        }
    }

    /// `https://127.0.0.1:PORT` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("https://{}{}", self.addr, path)
    }

    /// The test authority's certificate, PEM encoded.
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// How many requests were answered (a failed handshake answers none).
    pub fn served(&self) -> usize {
        self.served.load(Ordering::SeqCst)
    }
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// One connection: the handshake, the request head, then the answer.
fn serve(tcp: TcpStream, config: Arc<rustls::ServerConfig>, body: &[u8], served: &AtomicUsize) {
    let _ = tcp.set_read_timeout(Some(std::time::Duration::from_secs(10)));
    let Ok(conn) = rustls::ServerConnection::new(config) else {
        return;
    };
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    let mut head = Vec::new();
    let mut chunk = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match tls.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&chunk[..n]),
        }
        if head.len() > 64 * 1024 {
            return;
        }
    }
    let answer = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    if tls.write_all(answer.as_bytes()).is_ok() && tls.write_all(body).is_ok() {
        served.fetch_add(1, Ordering::SeqCst);
    }
    tls.conn.send_close_notify();
    let _ = tls.flush();
}
