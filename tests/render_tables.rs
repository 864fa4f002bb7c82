//! Tables too wide for the pane: their cells wrap inside columns that share the width by
//! content, and only when a column would get under 8 cells does each row become a paragraph.
//! Hostile tables (10,000 columns, 100,000 rows) stay linear. Snapshots in tests/snapshots/.

use tidings::content::{self, LayoutOptions, layout, to_plain_text};
use tidings::model::BodyKind;

/// Renders an HTML body at each width, checking that no line is wider.
fn widths(raw: &str, widths: &[usize]) -> String {
    let doc = content::parse(raw, BodyKind::Html, None);
    let mut out = String::new();
    for &w in widths {
        let lines = layout(&doc, &[], &LayoutOptions::new(w));
        for line in &lines {
            assert!(line.width() <= w, "wider than {w}: {:?}", line.plain());
        }
        out.push_str(&format!("--- width {w} ---\n{}\n", to_plain_text(&lines)));
    }
    out
}

const RELEASES: &str = "<table><thead><tr><th>Version</th><th>Date</th><th>What changed</th>\
    <th>Upgrade notes</th></tr></thead><tbody>\
    <tr><td>2.4</td><td>2026-11-02</td><td>Faster refresh of large feeds, and a fix for feeds \
    whose dates lack a time zone</td><td>None; the cache is upgraded on first start</td></tr>\
    <tr><td>2.3</td><td>2026-09-14</td><td>Search by phrase</td><td>Rebuild the index with \
    <code>tidings repair</code> if results look stale</td></tr></tbody></table>";

#[test]
fn a_wide_table_wraps_inside_its_columns() {
    insta::assert_snapshot!(widths(RELEASES, &[100, 72, 50]));
}

#[test]
fn rows_become_paragraphs_only_when_a_column_would_get_under_8_cells() {
    // At 40 columns, three separators leave 31 cells: too few for every column's longest word
    // (32), so the content decides: "Version" keeps its 7, the others get 8 each and wrap. At 34
    // they would get 6: rows.
    let out = widths(RELEASES, &[40, 34]);
    let (wrapped, rows) = out.split_once("--- width 34 ---").unwrap();
    assert!(wrapped.contains("─┼─"), "{wrapped}");
    assert!(!rows.contains("─┼─"), "{rows}");
    insta::assert_snapshot!(out);
}

#[test]
fn a_table_of_ten_thousand_columns_is_laid_out_as_paragraphs() {
    let row: String = (0..10_000).map(|c| format!("<td>c{c}</td>")).collect();
    let raw = format!("<table><tr>{row}</tr><tr>{row}</tr></table>");
    let doc = content::parse(&raw, BodyKind::Html, None);
    let lines = layout(&doc, &[], &LayoutOptions::new(80));
    let text = to_plain_text(&lines);
    // Every cell is there once per row, and nothing is padded: the text is about as long as the
    // cells and their separators.
    assert_eq!(text.matches("c9999").count(), 2);
    let cells: usize = (0..10_000).map(|c| format!("c{c}").len()).sum();
    assert!(text.len() < 2 * (cells + 10_000 * " │ ".len()) + 2 * lines.len());
    assert!(lines.iter().all(|l| l.width() <= 80));
}

#[test]
fn a_table_of_a_hundred_thousand_rows_stays_bounded() {
    let raw = format!(
        "<table>{}</table>",
        "<tr><td>a cell of some length that wraps</td><td>and a second one as long</td></tr>"
            .repeat(100_000)
    );
    let doc = content::parse(&raw, BodyKind::Html, None);
    let lines = layout(&doc, &[], &LayoutOptions::new(40));
    // The parse keeps at most its element budget as table structure (the rest is plain text),
    // and each row takes at most three lines and a rule.
    let bytes: usize = lines.iter().map(|l| l.plain().len()).sum();
    assert!(lines.len() <= 5 * 100_000, "{} lines", lines.len());
    assert!(
        bytes <= 4 * raw.len(),
        "{bytes} bytes for {} of input",
        raw.len()
    );
    assert!(lines.iter().all(|l| l.width() <= 40));
}
