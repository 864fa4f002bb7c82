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
