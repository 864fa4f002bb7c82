//! `tidings sync` errors that need no Miniflux: TLS failures and `ca_file`, a wrong `[sync]`.

mod support;

use support::cli::{stderr, tidings};
use support::tls::TlsServer;

fn home_with(sync: &str) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join("config.toml"), format!("[sync]\n{sync}")).unwrap();
    home
}

fn one_line_failure(home: &std::path::Path) -> String {
    let out = tidings(home, &["sync"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    err
}

#[test]
fn a_server_certificate_from_an_unknown_authority_is_a_tls_error_until_ca_file_names_it() {
    let tls = TlsServer::start("not an API");
    let sync = format!(
        "server = \"miniflux\"\nurl = \"{}\"\nusername = \"u\"\npassword_command = [\"printf\", \"pw\"]\n",
        tls.url("")
    );
    let home = home_with(&sync);
    let err = one_line_failure(home.path());
    assert!(err.contains("miniflux at https://127.0.0.1:"), "{err}");
    assert!(
        err.contains("TLS failed") && err.contains("[sync] ca_file"),
        "{err}"
    );

    let ca = home.path().join("ca.pem");
    std::fs::write(&ca, tls.ca_pem()).unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        format!("[sync]\n{sync}ca_file = \"{}\"\n", ca.display()),
    )
    .unwrap();
    // Trusted now: what answers is not Miniflux.
    let err = one_line_failure(home.path());
    assert!(err.contains("no Miniflux API at this address"), "{err}");
}

#[test]
fn an_incomplete_or_unknown_sync_setting_says_what_to_set() {
    let home = home_with(
        "server = \"freshrss\"\nurl = \"https://rss.example\"\nusername = \"u\"\npassword_command = [\"printf\", \"pw\"]\n",
    );
    let err = one_line_failure(home.path());
    assert!(err.contains("\"miniflux\" or \"greader\""), "{err}");

    let home =
        home_with("server = \"miniflux\"\nurl = \"https://rss.example\"\nusername = \"u\"\n");
    let err = one_line_failure(home.path());
    assert!(err.contains("password_command"), "{err}");

    let home = tempfile::tempdir().unwrap();
    let err = one_line_failure(home.path());
    assert!(err.contains("no server to sync with"), "{err}");
}
