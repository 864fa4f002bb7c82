//! libFuzzer entry for the `sanitize` target of `../targets.rs` (nightly, `cargo fuzz run sanitize`).
#![no_main]

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    targets::run("sanitize", data);
});
