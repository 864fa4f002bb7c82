//! The real binary allocates through jemalloc with the options `src/allocator.rs` gives it.

#[cfg(not(target_env = "msvc"))]
#[test]
fn the_binary_runs_on_jemalloc_with_four_arenas() {
    // jemalloc prints its statistics, options included, at exit when asked to through the
    // environment; the default would be four arenas per core (so on one core this cannot tell
    // the setting from the default, on two or more it can).
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tidings"))
        .arg("--version")
        .env("_RJEM_MALLOC_CONF", "stats_print:true")
        .output()
        .expect("the binary runs");
    assert!(out.status.success());
    let stats = String::from_utf8_lossy(&out.stderr);
    assert!(
        stats.contains("jemalloc"),
        "no jemalloc statistics: {stats}"
    );
    assert!(stats.contains("opt.narenas: 4\n"), "{stats}");
}
