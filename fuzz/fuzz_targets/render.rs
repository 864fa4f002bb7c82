//! Fuzzes the renderer: any body, HTML or text, at any width from 1 to 256, must render without
//! panicking, with no line wider than the width and no control character left.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tidings::content::{LayoutOptions, layout, parse, to_plain_text};
use tidings::model::BodyKind;
use unicode_width::UnicodeWidthStr;

fuzz_target!(|data: &[u8]| {
    let Some((&w, rest)) = data.split_first() else {
        return;
    };
    let width = usize::from(w) + 1;
    let raw = String::from_utf8_lossy(rest);
    for kind in [BodyKind::Html, BodyKind::Text] {
        let doc = parse(&raw, kind, Some("https://example.com/a/"));
        let hidden: Vec<bool> = (0..doc.blocks.len()).map(|i| i % 2 == 1).collect();
        for raw_mode in [false, true] {
            let opts = LayoutOptions {
                width,
                max_width: Some(width / 2 + 1),
                center: true,
                raw: raw_mode,
            };
            let out = to_plain_text(&layout(&doc, &hidden, &opts));
            for line in out.lines() {
                assert!(UnicodeWidthStr::width(line) <= width, "{width}: {line:?}");
            }
            assert!(out.chars().all(|c| c == '\n' || !c.is_control()), "{out:?}");
        }
    }
});
