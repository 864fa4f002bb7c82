//! libFuzzer entry for the `opml` target of `../targets.rs` (nightly, `cargo fuzz run opml`).
#![no_main]

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    targets::run("opml", data);
});
