//! libFuzzer entry for the `render` target of `../targets.rs` (nightly, `cargo fuzz run render`).
#![no_main]

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    targets::run("render", data);
});
