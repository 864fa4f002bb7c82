//! HTTPS against a local TLS server with a certificate from a throwaway test authority: fetched
//! when `[fetch] ca_file` names that authority, refused when nothing trusts it. Only 127.0.0.1.

mod support;

use std::path::Path;
use std::process::Command;

use support::tls::TlsServer;
use tidings::fetch::{FetchConfig, FetchError, FetchOutcome, FetchRequest, Fetcher};

const RSS: &str = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Secure Feed</title>\
<item><guid>s1</guid><title>Over TLS</title><description>Sent encrypted.</description></item>\
</channel></rss>";

fn get(url: String) -> FetchRequest {
    FetchRequest {
        url,
        ..FetchRequest::default()
    }
}

/// Writes the server's authority to `dir/ca.pem` and returns the path.
fn ca_file(server: &TlsServer, dir: &Path) -> std::path::PathBuf {
    let path = dir.join("ca.pem");
    std::fs::write(&path, server.ca_pem()).unwrap();
    path
}

#[tokio::test]
async fn https_is_fetched_when_ca_file_trusts_the_server() {
    let server = TlsServer::start(RSS);
    let dir = tempfile::tempdir().unwrap();
    let f = Fetcher::new(FetchConfig {
        ca_file: Some(ca_file(&server, dir.path())),
        ..FetchConfig::default()
    })
    .expect("client builds");
    match f.fetch(&get(server.url("/feed.xml"))).await {
        FetchOutcome::Fetched {
            body, content_type, ..
        } => {
            assert_eq!(body, RSS.as_bytes());
            assert_eq!(content_type.as_deref(), Some("application/rss+xml"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.served(), 1);
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused() {
    let server = TlsServer::start(RSS);
    let f = Fetcher::new(FetchConfig::default()).expect("client builds");
    match f.fetch(&get(server.url("/feed.xml"))).await {
        FetchOutcome::Failed {
            error: FetchError::Network(msg),
            ..
        } => assert!(
            msg.to_lowercase().contains("certificate") || msg.to_lowercase().contains("issuer"),
            "the error says why: {msg}"
        ),
        other => panic!("an unknown authority must fail: {other:?}"),
    }
    assert_eq!(server.served(), 0, "no request was answered");
}

#[test]
fn ca_file_from_the_config_lets_add_subscribe_over_https() {
    let server = TlsServer::start(RSS);
    let home = tempfile::tempdir().unwrap();
    let ca = ca_file(&server, home.path());
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_tidings"))
            .arg("--home")
            .arg(home.path())
            .args(args)
            .env_remove("TIDINGS_HOME")
            .output()
            .unwrap()
    };
    // Without the key, the same address fails with a certificate error and nothing is stored.
    let o = run(&["add", &server.url("/feed.xml")]);
    assert!(!o.status.success(), "an untrusted server is not subscribed");
    std::fs::write(
        home.path().join("config.toml"),
        format!("[fetch]\nca_file = {:?}\n", ca.display().to_string()),
    )
    .unwrap();
    let o = run(&["add", &server.url("/feed.xml")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(&["feeds", "--json"]);
    let feeds: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(feeds.len(), 1, "{feeds:?}");
    assert_eq!(feeds[0]["title"], "Secure Feed");
    assert_eq!(feeds[0]["items"], 1);

    // A ca_file that is not a certificate is a clear error naming it.
    std::fs::write(&ca, "not a certificate").unwrap();
    let o = run(&["fetch"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "a broken ca_file fails the run");
    assert!(err.contains("ca.pem"), "the error names the file: {err}");
}
