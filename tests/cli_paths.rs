//! Where tidings keeps its files: `tidings paths`, `--home`, `$TIDINGS_HOME`, `--config` and the
//! XDG locations, checked through the real binary and the files it really writes.

use std::path::Path;
use std::process::{Command, Output};

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cli")
        .join(name)
        .display()
        .to_string()
}

/// Runs the binary with a clean environment for locations: no `TIDINGS_HOME`, and XDG folders
/// inside `xdg` so that nothing can land in the real home.
fn run(xdg: &Path, env: &[(&str, &Path)], args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tidings"));
    cmd.args(args)
        .env_remove("TIDINGS_HOME")
        .env("HOME", xdg.join("home"))
        .env("XDG_CONFIG_HOME", xdg.join("config"))
        .env("XDG_DATA_HOME", xdg.join("data"))
        .env("XDG_STATE_HOME", xdg.join("state"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let o = cmd.output().unwrap();
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// The `name: path` lines of `tidings paths`.
fn paths(o: &Output) -> Vec<(String, String)> {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

fn get<'a>(p: &'a [(String, String)], key: &str) -> &'a str {
    &p.iter()
        .find(|(k, _)| k == key)
        .unwrap_or_else(|| panic!("no {key} line in {p:?}"))
        .1
}

#[test]
fn tidings_home_holds_config_cache_and_log_and_paths_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("th");
    let env = [("TIDINGS_HOME", home.as_path())];
    let p = paths(&run(tmp.path(), &env, &["paths"]));
    assert_eq!(
        get(&p, "config"),
        home.join("config.toml").display().to_string()
    );
    assert_eq!(
        get(&p, "cache"),
        home.join("cache.db").display().to_string()
    );
    assert_eq!(
        get(&p, "log"),
        home.join("tidings.log").display().to_string()
    );
    // Where the save action (w) writes, with no `[save] dir`: beside the cache.
    assert_eq!(get(&p, "saved"), home.join("saved").display().to_string());

    // What `paths` names is where a command really writes, with no --home given.
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(home.join("config.toml"), "[fetch]\nper_host = 2\n").unwrap();
    run(tmp.path(), &env, &["add", &fixture("local-feed.xml")]);
    assert!(
        home.join("cache.db").is_file(),
        "the cache is under TIDINGS_HOME"
    );
    assert!(
        !tmp.path().join("data").exists(),
        "nothing went to the XDG data folder"
    );
    let o = run(tmp.path(), &env, &["feeds", "--json"]);
    let feeds: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        feeds.len(),
        1,
        "the same cache is read back through TIDINGS_HOME"
    );

    // --home wins over TIDINGS_HOME, and --config over both for the config file.
    let other = tmp.path().join("other");
    let cfg = tmp.path().join("elsewhere.toml");
    std::fs::write(&cfg, "").unwrap();
    let p = paths(&run(
        tmp.path(),
        &env,
        &[
            "--home",
            other.to_str().unwrap(),
            "--config",
            cfg.to_str().unwrap(),
            "paths",
        ],
    ));
    assert_eq!(
        get(&p, "cache"),
        other.join("cache.db").display().to_string()
    );
    assert_eq!(get(&p, "config"), cfg.display().to_string());
    let o = run(
        tmp.path(),
        &env,
        &["--home", other.to_str().unwrap(), "feeds", "--json"],
    );
    let feeds: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert!(feeds.is_empty(), "--home is a different cache: {feeds:?}");
}

#[test]
fn without_a_home_the_xdg_folders_are_used() {
    let tmp = tempfile::tempdir().unwrap();
    let p = paths(&run(tmp.path(), &[], &["paths"]));
    let x = tmp.path();
    assert_eq!(
        get(&p, "config"),
        x.join("config/tidings/config.toml").display().to_string()
    );
    assert_eq!(
        get(&p, "cache"),
        x.join("data/tidings/cache.db").display().to_string()
    );
    assert_eq!(
        get(&p, "log"),
        x.join("state/tidings/tidings.log").display().to_string()
    );
    run(tmp.path(), &[], &["add", &fixture("local-feed.xml")]);
    assert!(x.join("data/tidings/cache.db").is_file());
}
