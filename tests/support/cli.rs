//! Running the real `tidings` binary on a home folder of the test's own, and reading its output.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs `tidings --home HOME ARGS...` to completion, with `TIDINGS_HOME` unset and `NO_COLOR` set,
/// so that nothing from the caller's environment reaches the test.
pub fn tidings(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tidings"))
        .arg("--home")
        .arg(home)
        .args(args)
        .env_remove("TIDINGS_HOME")
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

/// Standard output as text (invalid UTF-8 shown as U+FFFD).
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Standard error as text (invalid UTF-8 shown as U+FFFD).
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// An RSS `pubDate` `days` days before now, so that the fixtures' items stay inside the days a
/// first sync brings read items from (30 by default) whatever day the tests run: fixed dates in
/// November 2026 aged out of them on 2 December 2026 and the first sync brought one item less.
pub fn pub_date_days_ago(days: i64) -> String {
    (chrono::Utc::now() - chrono::TimeDelta::days(days)).to_rfc2822()
}
