//! libFuzzer entry for the `quick_html` target of `../targets.rs` (nightly, `cargo fuzz run quick_html`).
#![no_main]

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    targets::run("quick_html", data);
});
