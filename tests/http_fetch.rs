//! The fetcher against a real HTTP server on 127.0.0.1: status codes, validators, compression,
//! redirects, limits and timeouts.

mod support;

use std::time::Duration;

use futures_util::future::join_all;
use support::server::{Gauge, Reply, TestServer};
use tidings::fetch::{FetchConfig, FetchError, FetchOutcome, FetchRequest, Fetcher};

const RSS: &str = "<rss version=\"2.0\"><channel><title>T</title></channel></rss>";

fn fetcher(cfg: FetchConfig) -> Fetcher {
    Fetcher::new(cfg).expect("client builds")
}

fn get(url: String) -> FetchRequest {
    FetchRequest {
        url,
        ..FetchRequest::default()
    }
}

fn failure(outcome: FetchOutcome) -> (FetchError, Option<Duration>) {
    match outcome {
        FetchOutcome::Failed { error, retry_after } => (error, retry_after),
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[tokio::test]
async fn ok_returns_body_validators_and_sends_user_agent() {
    let server = TestServer::start();
    server.route(
        "/feed.xml",
        Reply::ok(RSS)
            .content_type("application/rss+xml; charset=utf-8")
            .etag("\"abc\"")
            .last_modified("Sat, 01 Nov 2025 10:00:00 GMT"),
    );
    let f = fetcher(FetchConfig::default());
    match f.fetch(&get(server.url("/feed.xml"))).await {
        FetchOutcome::Fetched {
            body,
            content_type,
            etag,
            last_modified,
            final_url,
            permanent_url,
            ..
        } => {
            assert_eq!(body, RSS.as_bytes());
            assert_eq!(
                content_type.as_deref(),
                Some("application/rss+xml; charset=utf-8")
            );
            assert_eq!(etag.as_deref(), Some("\"abc\""));
            assert_eq!(
                last_modified.as_deref(),
                Some("Sat, 01 Nov 2025 10:00:00 GMT")
            );
            assert_eq!(final_url, server.url("/feed.xml"));
            assert_eq!(permanent_url, None);
        }
        other => panic!("{other:?}"),
    }
    let reqs = server.requests_to("/feed.xml");
    assert_eq!(reqs.len(), 1);
    let ua = reqs[0].header("user-agent").unwrap();
    assert!(
        ua.starts_with("tidings/") && ua.contains("github.com/tidings-reader/tidings"),
        "{ua}"
    );
    assert!(reqs[0].header("if-none-match").is_none());
    assert!(
        reqs[0]
            .header("accept")
            .unwrap()
            .contains("application/rss+xml")
    );
}

#[tokio::test]
async fn etag_gives_not_modified() {
    let server = TestServer::start();
    server.route("/f", Reply::ok(RSS).etag("\"v1\""));
    let f = fetcher(FetchConfig::default());
    let req = FetchRequest {
        url: server.url("/f"),
        etag: Some("\"v1\"".into()),
        last_modified: None,
    };
    assert_eq!(f.fetch(&req).await, FetchOutcome::NotModified);
    assert_eq!(
        server.requests_to("/f")[0].header("if-none-match"),
        Some("\"v1\"")
    );

    let stale = FetchRequest {
        etag: Some("\"v0\"".into()),
        ..req
    };
    assert!(matches!(
        f.fetch(&stale).await,
        FetchOutcome::Fetched { .. }
    ));
}

#[tokio::test]
async fn last_modified_gives_not_modified() {
    let server = TestServer::start();
    let date = "Wed, 21 Oct 2015 07:28:00 GMT";
    server.route("/f", Reply::ok(RSS).last_modified(date));
    let f = fetcher(FetchConfig::default());
    let req = FetchRequest {
        url: server.url("/f"),
        etag: None,
        last_modified: Some(date.into()),
    };
    assert_eq!(f.fetch(&req).await, FetchOutcome::NotModified);
    let sent = &server.requests_to("/f")[0];
    assert_eq!(sent.header("if-modified-since"), Some(date));
    assert_eq!(sent.header("if-none-match"), None);
}

#[tokio::test]
async fn gzip_bodies_are_decompressed() {
    let server = TestServer::start();
    let big = RSS.repeat(200);
    server.route("/gz", Reply::ok(big.clone()).gzip());
    let f = fetcher(FetchConfig::default());
    match f.fetch(&get(server.url("/gz"))).await {
        FetchOutcome::Fetched { body, .. } => assert_eq!(body, big.as_bytes()),
        other => panic!("{other:?}"),
    }
    let accept = server.requests_to("/gz")[0]
        .header("accept-encoding")
        .unwrap()
        .to_string();
    assert!(accept.contains("gzip") && accept.contains("br"), "{accept}");
}

#[tokio::test]
async fn deflate_and_brotli_bodies_are_decompressed() {
    let server = TestServer::start();
    let big = RSS.repeat(200);
    server.route("/deflate", Reply::ok(big.clone()).deflate());
    server.route("/br", Reply::ok(big.clone()).brotli());
    let f = fetcher(FetchConfig::default());
    for path in ["/deflate", "/br"] {
        match f.fetch(&get(server.url(path))).await {
            FetchOutcome::Fetched { body, .. } => {
                assert_eq!(body, big.as_bytes(), "{path} is decoded")
            }
            other => panic!("{path}: {other:?}"),
        }
        let accept = server.requests_to(path)[0]
            .header("accept-encoding")
            .unwrap()
            .to_string();
        assert!(
            accept.contains("deflate") && accept.contains("br"),
            "{path}: {accept}"
        );
    }
}

async fn permanent_url_after(server: &TestServer, f: &Fetcher, path: &str) -> Option<String> {
    match f.fetch(&get(server.url(path))).await {
        FetchOutcome::Fetched {
            final_url,
            permanent_url,
            ..
        } => {
            assert_eq!(final_url, server.url("/new"));
            permanent_url
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn only_permanent_redirects_move_the_subscription() {
    let server = TestServer::start();
    server.route("/new", Reply::ok(RSS));
    server.route("/moved", Reply::redirect(301, "/new"));
    server.route("/moved308", Reply::redirect(308, &server.url("/new")));
    server.route("/found", Reply::redirect(302, "/new"));
    server.route("/temp307", Reply::redirect(307, "/new"));
    server.route("/chain", Reply::redirect(301, "/found"));
    let f = fetcher(FetchConfig::default());
    assert_eq!(
        permanent_url_after(&server, &f, "/moved").await,
        Some(server.url("/new"))
    );
    assert_eq!(
        permanent_url_after(&server, &f, "/moved308").await,
        Some(server.url("/new"))
    );
    assert_eq!(permanent_url_after(&server, &f, "/found").await, None);
    assert_eq!(permanent_url_after(&server, &f, "/temp307").await, None);
    assert_eq!(permanent_url_after(&server, &f, "/chain").await, None);
}

#[tokio::test]
async fn conditional_headers_survive_redirects() {
    let server = TestServer::start();
    server.route("/old", Reply::redirect(301, "/new"));
    server.route("/new", Reply::ok(RSS).etag("\"e\""));
    let f = fetcher(FetchConfig::default());
    let req = FetchRequest {
        url: server.url("/old"),
        etag: Some("\"e\"".into()),
        last_modified: None,
    };
    assert_eq!(f.fetch(&req).await, FetchOutcome::NotModified);
    assert_eq!(
        server.requests_to("/new")[0].header("if-none-match"),
        Some("\"e\"")
    );
}

#[tokio::test]
async fn redirect_loops_stop_at_the_limit() {
    let server = TestServer::start();
    server.route("/a", Reply::redirect(302, "/b"));
    server.route("/b", Reply::redirect(302, "/a"));
    let f = fetcher(FetchConfig {
        max_redirects: 5,
        ..FetchConfig::default()
    });
    let (error, _) = failure(f.fetch(&get(server.url("/a"))).await);
    assert_eq!(error, FetchError::TooManyRedirects);
    assert_eq!(error.to_string(), "too many redirects");
    // The first request plus five followed hops.
    assert_eq!(server.requests().len(), 6);
}

#[tokio::test]
async fn exactly_the_limit_of_redirects_is_followed() {
    let server = TestServer::start();
    for i in 0..3 {
        server.route(
            &format!("/r{i}"),
            Reply::redirect(301, &format!("/r{}", i + 1)),
        );
    }
    server.route("/r3", Reply::ok(RSS));
    let f = fetcher(FetchConfig {
        max_redirects: 3,
        ..FetchConfig::default()
    });
    assert!(matches!(
        f.fetch(&get(server.url("/r0"))).await,
        FetchOutcome::Fetched { .. }
    ));
    let f2 = fetcher(FetchConfig {
        max_redirects: 2,
        ..FetchConfig::default()
    });
    let (error, _) = failure(f2.fetch(&get(server.url("/r0"))).await);
    assert_eq!(error, FetchError::TooManyRedirects);
}

#[tokio::test]
async fn rate_limits_carry_retry_after() {
    let server = TestServer::start();
    server.route("/secs", Reply::status(429).header("Retry-After", "120"));
    let in_an_hour = (chrono::Utc::now() + chrono::Duration::hours(1))
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    server.route(
        "/date",
        Reply::status(503).header("Retry-After", &in_an_hour),
    );
    server.route(
        "/huge",
        Reply::status(429).header("Retry-After", "99999999"),
    );
    server.route("/none", Reply::status(503));
    let f = fetcher(FetchConfig::default());

    let (error, retry) = failure(f.fetch(&get(server.url("/secs"))).await);
    assert_eq!(error.to_string(), "HTTP 429");
    assert_eq!(retry, Some(Duration::from_secs(120)));

    let (error, retry) = failure(f.fetch(&get(server.url("/date"))).await);
    assert_eq!(error, FetchError::Http(503));
    let secs = retry.expect("a date gives a wait").as_secs();
    assert!((3590..=3600).contains(&secs), "{secs}");

    let (_, retry) = failure(f.fetch(&get(server.url("/huge"))).await);
    assert_eq!(retry, Some(Duration::from_secs(24 * 3600)));

    let (_, retry) = failure(f.fetch(&get(server.url("/none"))).await);
    assert_eq!(retry, None);
}

#[tokio::test]
async fn error_statuses_are_failures() {
    let server = TestServer::start();
    let f = fetcher(FetchConfig::default());
    let (error, retry) = failure(f.fetch(&get(server.url("/missing"))).await);
    assert_eq!(error.to_string(), "HTTP 404");
    assert_eq!(retry, None);
}

#[tokio::test]
async fn a_stalled_server_times_out() {
    let server = TestServer::start();
    server.route("/stall", Reply::ok(RSS).stall());
    let f = fetcher(FetchConfig {
        request_timeout: Duration::from_secs(1),
        ..FetchConfig::default()
    });
    let started = std::time::Instant::now();
    let (error, _) = failure(f.fetch(&get(server.url("/stall"))).await);
    assert_eq!(error.to_string(), "timed out after 1 s");
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[tokio::test]
async fn the_timeout_covers_a_body_that_stops_coming() {
    let server = TestServer::start();
    server.route("/half", Reply::ok(RSS.repeat(50)).stall_body());
    let f = fetcher(FetchConfig {
        request_timeout: Duration::from_millis(1500),
        ..FetchConfig::default()
    });
    let (error, _) = failure(f.fetch(&get(server.url("/half"))).await);
    assert_eq!(error, FetchError::Timeout(Duration::from_millis(1500)));
    assert_eq!(error.to_string(), "timed out after 1.5 s");
}

#[tokio::test]
async fn bodies_over_the_cap_are_refused() {
    let server = TestServer::start();
    server.route("/big", Reply::ok(vec![b'x'; 5000]));
    server.route("/big-gz", Reply::ok(vec![b'x'; 5000]).gzip());
    server.route("/fits", Reply::ok(vec![b'x'; 1000]));
    let f = fetcher(FetchConfig {
        max_body: 1000,
        ..FetchConfig::default()
    });
    let (error, _) = failure(f.fetch(&get(server.url("/big"))).await);
    assert_eq!(error.to_string(), "body larger than 1000 bytes");
    let (error, _) = failure(f.fetch(&get(server.url("/big-gz"))).await);
    assert_eq!(error, FetchError::BodyTooLarge(1000));
    assert!(matches!(
        f.fetch(&get(server.url("/fits"))).await,
        FetchOutcome::Fetched { .. }
    ));
}

#[tokio::test]
async fn a_gzip_bomb_is_cut_off_at_the_cap() {
    let server = TestServer::start();
    server.route("/bomb", Reply::gzip_bomb(1 << 30));
    let f = fetcher(FetchConfig::default());
    let (error, _) = failure(f.fetch(&get(server.url("/bomb"))).await);
    assert_eq!(error, FetchError::BodyTooLarge(16 * 1024 * 1024));
    assert_eq!(error.to_string(), "body larger than 16 MiB");
}

#[tokio::test]
async fn a_dead_port_is_connection_refused() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let f = fetcher(FetchConfig::default());
    let (error, _) = failure(f.fetch(&get(format!("http://127.0.0.1:{port}/feed"))).await);
    assert_eq!(error, FetchError::ConnectionRefused);
    assert_eq!(error.to_string(), "connection refused");
}

#[tokio::test]
async fn other_schemes_are_refused_without_a_request() {
    let f = fetcher(FetchConfig::default());
    let (error, _) = failure(f.fetch(&get("ftp://127.0.0.1/feed.xml".into())).await);
    assert_eq!(
        error.to_string(),
        "unsupported scheme 'ftp' (only http, https, file and local paths)"
    );
}

#[tokio::test]
async fn redirects_to_other_schemes_are_refused() {
    let server = TestServer::start();
    server.route("/ftp", Reply::redirect(301, "ftp://127.0.0.1/x"));
    server.route("/nowhere", Reply::status(302));
    let f = fetcher(FetchConfig::default());
    let (error, _) = failure(f.fetch(&get(server.url("/ftp"))).await);
    assert_eq!(error, FetchError::UnsupportedScheme("ftp".into()));
    let (error, _) = failure(f.fetch(&get(server.url("/nowhere"))).await);
    assert_eq!(error, FetchError::BadRedirect);
}

#[tokio::test]
async fn per_host_limit_holds_under_load() {
    let server = TestServer::start();
    server.route("/slow", Reply::ok(RSS).delay(Duration::from_millis(300)));
    let f = fetcher(FetchConfig {
        per_host: 2,
        ..FetchConfig::default()
    });
    let reqs: Vec<FetchRequest> = (0..10)
        .map(|i| get(server.url(&format!("/slow?{i}"))))
        .collect();
    let outcomes = join_all(reqs.iter().map(|r| f.fetch(r))).await;
    assert!(
        outcomes
            .iter()
            .all(|o| matches!(o, FetchOutcome::Fetched { .. }))
    );
    assert_eq!(server.requests().len(), 10);
    let peak = server.peak_in_flight(&server.host());
    // Never more than two at once, and the two slots were really used together.
    assert_eq!(peak, 2, "peak {peak}");
}

#[tokio::test]
async fn global_limit_holds_across_hosts() {
    // Two hosts to the fetcher (127.0.0.1 and 127.0.0.2) and one gauge over both: the limit is on
    // the sum, which no per-server count shows.
    let gauge = Gauge::default();
    let a = TestServer::start_counting("127.0.0.1", &gauge);
    let b = TestServer::start_counting("127.0.0.2", &gauge);
    for s in [&a, &b] {
        s.route("/slow", Reply::ok(RSS).delay(Duration::from_millis(100)));
    }
    let f = fetcher(FetchConfig {
        max_in_flight: 1,
        per_host: 4,
        ..FetchConfig::default()
    });
    let reqs: Vec<FetchRequest> = (0..4)
        .flat_map(|_| [get(a.url("/slow")), get(b.url("/slow"))])
        .collect();
    let outcomes = join_all(reqs.iter().map(|r| f.fetch(r))).await;
    assert!(
        outcomes
            .iter()
            .all(|o| matches!(o, FetchOutcome::Fetched { .. }))
    );
    assert_eq!(a.requests().len() + b.requests().len(), 8);
    assert_eq!(gauge.peak(), 1, "one request at a time over both hosts");
}

#[tokio::test]
async fn the_global_limit_is_really_used_across_hosts() {
    // The counterpart: with room for two over all hosts and one per host, two hosts are served
    // at once (so the gauge above can see a breach).
    let gauge = Gauge::default();
    let a = TestServer::start_counting("127.0.0.1", &gauge);
    let b = TestServer::start_counting("127.0.0.2", &gauge);
    for s in [&a, &b] {
        s.route("/slow", Reply::ok(RSS).delay(Duration::from_millis(200)));
    }
    let f = fetcher(FetchConfig {
        max_in_flight: 2,
        per_host: 1,
        ..FetchConfig::default()
    });
    let reqs: Vec<FetchRequest> = (0..3)
        .flat_map(|_| [get(a.url("/slow")), get(b.url("/slow"))])
        .collect();
    let outcomes = join_all(reqs.iter().map(|r| f.fetch(r))).await;
    assert!(
        outcomes
            .iter()
            .all(|o| matches!(o, FetchOutcome::Fetched { .. }))
    );
    assert_eq!(gauge.peak(), 2);
    assert_eq!(a.peak_in_flight(&a.host()), 1);
}

#[tokio::test]
async fn local_files_are_read_with_a_cap_and_no_validators() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.xml");
    std::fs::write(&path, RSS).unwrap();
    let f = fetcher(FetchConfig {
        max_body: 1000,
        ..FetchConfig::default()
    });
    let req = FetchRequest {
        url: path.display().to_string(),
        etag: Some("\"ignored\"".into()),
        last_modified: Some("ignored".into()),
    };
    match f.fetch(&req).await {
        FetchOutcome::Fetched { body, etag, .. } => {
            assert_eq!(body, RSS.as_bytes());
            assert_eq!(etag, None);
        }
        other => panic!("{other:?}"),
    }
    let as_url = url::Url::from_file_path(&path).unwrap().to_string();
    assert!(matches!(
        f.fetch(&get(as_url)).await,
        FetchOutcome::Fetched { .. }
    ));

    let missing = dir.path().join("nope.xml");
    let (error, _) = failure(f.fetch(&get(missing.display().to_string())).await);
    assert_eq!(
        error.to_string(),
        format!("file not found: {}", missing.display())
    );

    let big = dir.path().join("big.xml");
    std::fs::write(&big, vec![b' '; 1001]).unwrap();
    let (error, _) = failure(f.fetch(&get(big.display().to_string())).await);
    // A local file over the cap is named in the message, as every refused local read is.
    assert_eq!(
        error.to_string(),
        format!("cannot read {}: larger than 1000 bytes", big.display())
    );
}
