//! No escape sequence, control, bidi or invisible format character survives rendering: checked
//! on our own fixtures (tests/fixtures/content/) and on feedparser's sanitize and entities test
//! feeds from ../shared when present.

#[path = "support/shared.rs"]
mod shared;

use std::path::{Path, PathBuf};

use tidings::content::{self, LayoutOptions, header_lines, to_plain_text};
use tidings::model::BodyKind;

/// Why `c` must not reach the terminal, if it must not.
fn forbidden(c: char) -> Option<&'static str> {
    match c as u32 {
        0x0a => None,
        0x00..=0x1f => Some("C0 control"),
        0x7f => Some("DEL"),
        0x80..=0x9f => Some("C1 control"),
        0x202a..=0x202e | 0x2066..=0x2069 | 0x200e | 0x200f | 0x061c => Some("bidi control"),
        0x200b | 0x200c | 0x2060..=0x2064 | 0xfeff | 0xad => Some("invisible format character"),
        _ => None,
    }
}

fn assert_safe(out: &str, what: &str) {
    for (i, c) in out.char_indices() {
        if let Some(why) = forbidden(c) {
            panic!("{what}: {why} U+{:04X} at byte {i} in {out:?}", c as u32);
        }
    }
}

fn render(raw: &str, kind: BodyKind, width: usize) -> String {
    let out = content::render_text(raw, kind, Some("https://example.com/"), width);
    for line in out.lines() {
        assert!(
            unicode_width::UnicodeWidthStr::width(line) <= width,
            "wider than {width}: {line:?}"
        );
    }
    out
}

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/content");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures folder")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
}

#[test]
fn own_fixtures_render_clean() {
    let files = fixtures();
    assert!(files.len() >= 7, "fixtures missing: {files:?}");
    let mut all = String::new();
    for path in files {
        let raw = std::fs::read_to_string(&path).expect("read fixture");
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let kind = if name.ends_with(".txt") {
            BodyKind::Text
        } else {
            BodyKind::Html
        };
        for width in [20, 80] {
            let out = render(&raw, kind, width);
            assert_safe(&out, &name);
            assert!(!out.trim().is_empty(), "{name}: nothing rendered");
            if width == 80 {
                all.push_str(&format!("=== {name}\n{out}\n"));
            }
        }
        let header = header_lines(&raw, &raw, Some(&raw), None, None, &LayoutOptions::new(40));
        let header = to_plain_text(&header);
        assert_safe(&header, &name);
        assert!(!header.contains('\u{1b}'));
    }
    // What survives, reviewed by eye: the words, without the payloads of the sequences.
    insta::assert_snapshot!(all);
}

#[test]
fn payloads_of_sequences_are_gone() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/content");
    let osc = std::fs::read_to_string(path.join("osc52_clipboard.html")).unwrap();
    let out = render(&osc, BodyKind::Html, 80);
    assert!(!out.contains("cm0gLXJm"), "{out}");
    assert!(!out.contains("pwned"), "{out}");
    assert!(out.contains("Copy") && out.contains("here."), "{out}");
    let csi = std::fs::read_to_string(path.join("csi_colour.html")).unwrap();
    let out = render(&csi, BodyKind::Html, 80);
    assert!(out.contains("red text after truecolour end."), "{out}");
    assert!(!out.contains("31m") && !out.contains("1049"), "{out}");
}

/// feedparser's test feeds, from ../shared (see `support/shared.rs`); absent in some checkouts.
fn shared_dir(parts: &[&str]) -> Option<PathBuf> {
    shared::shared_path(&format!("datasets/feedparser-tests/{}", parts.join("/")))
}

fn check_shared(dir: &Path) -> usize {
    let mut count = 0;
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read dataset folder")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let raw = String::from_utf8_lossy(&bytes);
        let name = path.display().to_string();
        // The file as an HTML body (its XML markup is mostly dropped as unknown elements), then
        // its text once more as HTML, which decodes the escaped markup of the entries.
        let first = render(&raw, BodyKind::Html, 60);
        assert_safe(&first, &name);
        let doc = content::parse(&raw, BodyKind::Html, None);
        let inner: String = doc.blocks.iter().map(|b| b.text() + "\n").collect();
        let second = render(&inner, BodyKind::Html, 60);
        assert_safe(&second, &name);
        assert_safe(&render(&raw, BodyKind::Text, 30), &name);
        count += 1;
    }
    count
}

#[test]
fn feedparser_sanitize_feeds_render_clean() {
    let Some(dir) = shared_dir(&["wellformed", "sanitize"]) else {
        return;
    };
    let n = check_shared(&dir);
    assert!(n > 0, "no files in {}", dir.display());
    println!("checked {n} files in {}", dir.display());
}

#[test]
fn feedparser_entities_feeds_render_clean() {
    let Some(dir) = shared_dir(&["entities"]) else {
        return;
    };
    let n = check_shared(&dir);
    assert!(n > 0, "no files in {}", dir.display());
    println!("checked {n} files in {}", dir.display());
}
