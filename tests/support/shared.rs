//! The shared data sets beside the repository (`../shared`): CI always has them, a bare clone may
//! not. Include with `#[path = "support/shared.rs"] mod shared;`.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The path of `rel` inside the shared directory, when it exists there.
///
/// The directory is `$TIDINGS_SHARED_DIR`, else `../shared` beside the repository, else
/// `../../shared` (a worktree kept one level deeper). When `rel` is missing, the test prints a
/// `SKIPPED` line straight to the terminal (past the test harness's capture) and gets `None`;
/// but when `TIDINGS_REQUIRE_SHARED` is set (`.ci/run` sets it), a missing data set is a failure.
pub fn shared_path(rel: &str) -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let candidates: Vec<PathBuf> = match std::env::var_os("TIDINGS_SHARED_DIR") {
        Some(dir) => vec![PathBuf::from(dir)],
        None => vec![root.join("../shared"), root.join("../../shared")],
    };
    if let Some(found) = candidates.iter().map(|d| d.join(rel)).find(|p| p.exists()) {
        return Some(found);
    }
    let required = std::env::var_os("TIDINGS_REQUIRE_SHARED").is_some_and(|v| !v.is_empty());
    assert!(
        !required,
        "TIDINGS_REQUIRE_SHARED is set but the shared data set {rel} is missing (looked in {candidates:?})"
    );
    // Written to the process's stderr directly, not with eprintln!, so that it shows in a plain
    // `cargo test` run, whose harness captures the print macros of passing tests.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED: ../shared/{rel} missing (set TIDINGS_SHARED_DIR to run this test)"
    );
    None
}

/// Every file under `dir`, in its subdirectories too, sorted.
#[allow(dead_code)]
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}
