//! Renderer speed on a 100 KB HTML article (assets/bench/article.html): parsing and laying out
//! together (target: at most 8 ms), and laying out again at a new width (target: at most 4 ms).
//!
//! The `deep` group times hostile bodies that cost html5ever time in the square of their depth
//! unless nesting is bounded (target: each parses and lays out in under 1 s): 100,000 nested
//! `<div>`, a flat run of 100,000 distinct unclosed formatting elements, unclosed formatting
//! elements re-opened by a million paragraphs, and for scale an ordinary 16 MiB body.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tidings::content::{LayoutOptions, layout, parse};
use tidings::model::BodyKind;

const ARTICLE: &str = include_str!("../assets/bench/article.html");
const BASE: Option<&str> = Some("https://example.com/news/article.html");

fn render(c: &mut Criterion) {
    c.bench_function("parse_and_layout_100k_at_80", |b| {
        b.iter(|| {
            let doc = parse(black_box(ARTICLE), BodyKind::Html, BASE);
            layout(&doc, &[], &LayoutOptions::new(80))
        })
    });

    let doc = parse(ARTICLE, BodyKind::Html, BASE);
    let mut width = 60;
    c.bench_function("relayout_100k_new_width", |b| {
        b.iter(|| {
            // A resize: every iteration lays out at a different width, without parsing.
            width = if width >= 120 { 60 } else { width + 1 };
            layout(black_box(&doc), &[], &LayoutOptions::new(width))
        })
    });

    c.bench_function("parse_only_100k", |b| {
        b.iter(|| parse(black_box(ARTICLE), BodyKind::Html, BASE))
    });

    // The sanitiser alone, which every text of a body passes through: 370 KB of Japanese,
    // Russian and Greek, and 100 KB of decomposed accents (combining marks, counted per letter).
    let scripts = "日本語のテキストと、Русский текст, ελληνικά. ".repeat(2500);
    let accents = "e\u{301}\u{302} A\u{308} ".repeat(10_000);
    c.bench_function("sanitize_370k_mixed_scripts", |b| {
        b.iter(|| tidings::content::sanitize(black_box(&scripts)).len())
    });
    c.bench_function("sanitize_100k_combining_marks", |b| {
        b.iter(|| tidings::content::sanitize(black_box(&accents)).len())
    });

    // For reading the figures above: html5ever building its tree, which parsing includes.
    c.bench_function("html5ever_tree_only_100k", |b| {
        b.iter(|| scraper::Html::parse_fragment(black_box(ARTICLE)))
    });
}

/// The hostile bodies of the `deep` group, by name.
fn deep_inputs() -> Vec<(&'static str, String)> {
    let tags = [
        "b", "i", "u", "s", "em", "strong", "small", "big", "tt", "font",
    ];
    let formatting: String = (0..100_000)
        .map(|n| format!("<{} title={n}>w ", tags[n % tags.len()]))
        .collect();
    let open: String = (0..16).map(|n| format!("<font size={n}>")).collect();
    let ordinary = "<p>An ordinary paragraph with <b>some</b> <a href=\"/x\">markup</a>.</p>\n";
    vec![
        (
            "nested_div_100k",
            "<div>x".repeat(100_000) + &"</div>".repeat(100_000),
        ),
        ("unclosed_formatting_100k", formatting),
        (
            "reopened_formatting_1m_paragraphs",
            format!("<p>{open}{}", "</p><p>x".repeat(1_000_000)),
        ),
        (
            "ordinary_16mib",
            ordinary.repeat(16 * 1024 * 1024 / ordinary.len()),
        ),
    ]
}

fn deep(c: &mut Criterion) {
    let mut group = c.benchmark_group("deep");
    group.sample_size(10);
    for (name, raw) in deep_inputs() {
        group.bench_function(format!("parse_and_layout_{name}"), |b| {
            b.iter(|| {
                let doc = parse(black_box(&raw), BodyKind::Html, BASE);
                layout(&doc, &[], &LayoutOptions::new(80))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, render, deep);
criterion_main!(benches);
