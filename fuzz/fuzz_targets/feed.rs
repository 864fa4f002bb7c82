//! libFuzzer entry for the `feed` target of `../targets.rs` (nightly, `cargo fuzz run feed`).
#![no_main]

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    targets::run("feed", data);
});
