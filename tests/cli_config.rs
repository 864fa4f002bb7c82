//! Bad config files, given to the real binary (`tidings --home D --config F feeds`): every error
//! names the file, the real line of the problem in the user's file and the key as the user wrote
//! it, numbers are checked against their stated ranges, and no internal type name shows.

use std::path::Path;
use std::process::Command;

/// Writes `text` as the config file and runs `feeds` with it; returns (success, stderr).
fn run_with(text: &str) -> (bool, String) {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("mine.toml");
    std::fs::write(&file, text).unwrap();
    // An empty subscription list of our own: never the default public feeds.
    std::fs::write(home.path().join("feeds"), "").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_tidings"))
        .arg("--home")
        .arg(home.path())
        .arg("--config")
        .arg(&file)
        .arg("feeds")
        .env_remove("TIDINGS_HOME")
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs");
    let err = String::from_utf8_lossy(&o.stderr).replace(&file_name(&file), "FILE");
    (o.status.success(), err)
}

fn file_name(p: &Path) -> String {
    p.display().to_string()
}

/// Runs a bad config and checks the error: at `line`, naming `key`, saying `says`, and with no
/// internal type names.
fn rejected(text: &str, line: usize, key: &str, says: &str) {
    let (ok, err) = run_with(text);
    assert!(!ok, "accepted:\n{text}");
    let at = format!("FILE:{line}: ");
    assert!(err.contains(&at), "expected {at:?} for\n{text}\ngot: {err}");
    assert!(
        err.contains(key),
        "expected key {key:?} for\n{text}\ngot: {err}"
    );
    assert!(
        err.contains(says),
        "expected {says:?} for\n{text}\ngot: {err}"
    );
    for internal in [
        "StyleDef",
        "RawBinding",
        "usize",
        "u32",
        "u64",
        "sequence",
        "TOML parse error",
    ] {
        assert!(!err.contains(internal), "{internal:?} shows in: {err}");
    }
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
}

#[test]
fn a_number_too_big_for_its_setting_is_refused_not_wrapped() {
    rejected(
        "[fetch]\nmax_body_mib = 17592186044416\n",
        2,
        "fetch.max_body_mib",
        "from 1 to 1024",
    );
    rejected(
        "# mine\n\n[retention]\nkeep_unread = true\nmax_age_days = 5000000000\n",
        5,
        "retention.max_age_days",
        "from 0 to 36500",
    );
    rejected("[fetch]\nper_host = 0\n", 2, "fetch.per_host", "from 1 to");
    rejected(
        "[fetch]\nmax_in_flight = -1\n",
        2,
        "fetch.max_in_flight",
        "from 1 to",
    );
    rejected(
        "fetch.max_redirects = 100\n",
        1,
        "fetch.max_redirects",
        "from 0 to 20",
    );
}

#[test]
fn a_number_within_its_range_is_taken() {
    let (ok, err) = run_with("[fetch]\nmax_body_mib = 1024\n[retention]\nmax_age_days = 36500\n");
    assert!(ok, "{err}");
}

#[test]
fn theme_errors_name_their_line_and_entry() {
    rejected(
        "[reader]\nmouse = true\n\n[theme]\nlink = \"red\"\n",
        5,
        "theme.link",
        "table",
    );
    rejected(
        "[theme]\nunread = { bold = true }\nlink = { fg = \"mauve\" }\n",
        3,
        "theme.link.fg",
        "mauve",
    );
    rejected(
        "[theme]\nlink = { fgg = \"red\" }\n",
        2,
        "theme.link.fgg",
        "unknown",
    );
    rejected(
        "[theme]\n\nlinx = { fg = \"red\" }\n",
        3,
        "theme.linx",
        "unknown",
    );
    rejected(
        "[theme.link]\nfg = \"blue\"\nbold = 3\n",
        3,
        "theme.link.bold",
        "true or false",
    );
}

#[test]
fn arrays_of_tables_and_lists_name_their_line() {
    rejected(
        "[reader]\nmouse = true\n\n[[theme]]\nlink = { bold = true }\n",
        4,
        "theme",
        "[theme]",
    );
    rejected("\n[[fetch]]\nper_host = 3\n", 2, "fetch", "[fetch]");
    rejected(
        "[reader]\nmouse = false\nterminal_browsers = [\n  \"w3m\",\n  1,\n]\n",
        5,
        "reader.terminal_browsers",
        "text",
    );
    rejected("[[keys]]\nx = 1\n", 1, "keys", "[keys]");
}

#[test]
fn key_map_errors_name_the_key_as_written() {
    rejected(
        "[keys]\n\"ctrl-x\" = \"quit\"\n",
        2,
        "keys.\"ctrl-x\"",
        "action",
    );
    rejected(
        "[keys]\nx = { action = \"quit\", desk = \"q\" }\n",
        2,
        "keys.x.desk",
        "unknown",
    );
}

#[test]
fn unknown_sections_keys_and_wrong_types_name_their_line() {
    rejected("[fetch]\nper_host = 2\n\n[fecth]\n", 4, "fecth", "unknown");
    rejected(
        "[dedup]\nstories = 1\n",
        2,
        "dedup.stories",
        "true or false",
    );
    rejected("[reader]\nbrowser = 3\n", 2, "reader.browser", "text");
}
