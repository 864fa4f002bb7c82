//! libFuzzer entry for the `config` target of `../targets.rs` (nightly, `cargo fuzz run config`).
#![no_main]

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    targets::run("config", data);
});
