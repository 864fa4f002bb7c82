//! libFuzzer entry for the `urls` target of `../targets.rs` (nightly, `cargo fuzz run urls`).
#![no_main]

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    targets::run("urls", data);
});
