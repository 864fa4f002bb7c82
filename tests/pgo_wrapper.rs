//! `scripts/rustc-pgo`, the rustc wrapper of `.cargo/config.toml`: it must add the profile to
//! optimized compiles only, only when the rustc can read it, and hand every call on unchanged
//! otherwise. Run against a stand-in rustc that prints the arguments it was given.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A stand-in for rustc in `dir`, reporting LLVM `llvm` to `-vV` and printing its arguments
/// otherwise, one per line.
fn fake_rustc(dir: &Path, llvm: &str) -> PathBuf {
    let path = dir.join(format!("rustc-llvm{llvm}"));
    let script = format!(
        "#!/bin/sh\nif [ \"$1\" = -vV ]; then echo 'rustc 9.9.9'; echo 'LLVM version: {llvm}.1.0'; exit 0; fi\n\
         for a in \"$@\"; do echo \"$a\"; done\n"
    );
    std::fs::write(&path, script).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// What the stand-in was called with when the wrapper was given `args`, with `pgo` as
/// `TIDINGS_PGO` when set.
fn run(rustc: &Path, args: &[&str], pgo: Option<&str>) -> Vec<String> {
    let wrapper = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/rustc-pgo");
    let mut cmd = Command::new("sh");
    cmd.arg(&wrapper).arg(rustc).args(args);
    match pgo {
        Some(v) => cmd.env("TIDINGS_PGO", v),
        None => cmd.env_remove("TIDINGS_PGO"),
    };
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

fn wanted_llvm() -> u32 {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(dir.join("pgo/llvm-version"))
        .expect("pgo/llvm-version")
        .trim()
        .parse()
        .expect("a number")
}

#[test]
fn the_profile_goes_to_optimized_compiles_by_a_rustc_that_can_read_it() {
    let dir = tempfile::tempdir().unwrap();
    let profile = Path::new(env!("CARGO_MANIFEST_DIR")).join("pgo/tidings.profdata");
    assert!(profile.is_file(), "the profile is in the repository");
    let llvm = wanted_llvm();
    let rustc = fake_rustc(dir.path(), &llvm.to_string());
    let optimized = ["--crate-name", "x", "-C", "opt-level=3", "src/lib.rs"];
    let args = run(&rustc, &optimized, None);
    assert_eq!(&args[..5], &optimized, "the call is handed on as it was");
    assert!(
        args.iter()
            .any(|a| a.starts_with("-Cprofile-use=") && a.ends_with("pgo/tidings.profdata")),
        "{args:?}"
    );
    let newer = fake_rustc(dir.path(), &(llvm + 1).to_string());
    assert!(
        run(&newer, &optimized, None)
            .iter()
            .any(|a| a.starts_with("-Cprofile-use="))
    );
}

#[test]
fn every_other_call_is_handed_on_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let llvm = wanted_llvm();
    let rustc = fake_rustc(dir.path(), &llvm.to_string());
    let debug = ["--crate-name", "x", "-C", "opt-level=2", "src/lib.rs"];
    assert_eq!(run(&rustc, &debug, None), debug);
    let optimized = ["--crate-name", "x", "-C", "opt-level=3", "src/lib.rs"];
    // Turned off, as benches/pgo.sh does while it builds the instrumented binary.
    assert_eq!(run(&rustc, &optimized, Some("off")), optimized);
    // A rustc older than the one that wrote the profile could not read it.
    let older = fake_rustc(dir.path(), &(llvm - 1).to_string());
    assert_eq!(run(&older, &optimized, None), optimized);
}
