//! Fuzzes the sanitiser: no control, bidi or invisible format character survives, it is
//! idempotent, and clean input comes back borrowed.
#![no_main]

use std::borrow::Cow;

use libfuzzer_sys::fuzz_target;
use tidings::content::{sanitize, sanitize_line};

fuzz_target!(|s: &str| {
    let once = sanitize(s);
    for c in once.chars() {
        let u = c as u32;
        assert!(c == '\n' || !c.is_control(), "control U+{u:04X}");
        assert!(
            !matches!(u, 0x202a..=0x202e | 0x2066..=0x2069 | 0x200b | 0x200c | 0x200e | 0x200f | 0xfeff | 0xad),
            "format U+{u:04X}"
        );
    }
    let twice = sanitize(&once);
    assert!(matches!(twice, Cow::Borrowed(_)), "not idempotent: {once:?}");
    assert!(!sanitize_line(s).contains('\n'));
});
