//! Tables: columns when they fit the width; columns whose cells wrap inside them when they do
//! not; one wrapped block per row only when a column would be left too narrow to read.

use super::block::{Row, Table};
use super::style::{Span, Style, push_span};
use super::wrap::{str_width, wrap_spans};

/// The separator drawn between columns.
const SEP: &str = " │ ";

/// The narrowest a column may be made to wrap its cells in; below it the table falls back to
/// one block per row.
pub(crate) const MIN_COLUMN: usize = 8;

/// Lays a table out in `width` columns: a list of groups of lines, the groups being separated
/// by blank lines by the caller (one group for the column forms, one per row otherwise).
///
/// The work is linear in the table's text: a table of 10,000 columns or 100,000 rows costs what
/// its cells cost to wrap, and a table too wide for even [`MIN_COLUMN`]-cell columns never
/// pads its rows.
pub(crate) fn layout_table(table: &Table, width: usize) -> Vec<Vec<Vec<Span>>> {
    let cols = table.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    if cols == 0 {
        return Vec::new();
    }
    let mut natural = vec![0; cols];
    let mut longest = vec![0; cols];
    for row in &table.rows {
        for (c, cell) in row.cells.iter().enumerate() {
            natural[c] = natural[c].max(cell_width(cell));
            longest[c] = longest[c].max(longest_word(cell));
        }
    }
    if cols == 1 {
        return table.rows.iter().map(|row| row_block(row, width)).collect();
    }
    let total = natural.iter().sum::<usize>() + str_width(SEP) * (cols - 1);
    if total <= width {
        return vec![columns(table, &natural)];
    }
    match shares(&natural, &longest, width) {
        Some(widths) => vec![wrapped_columns(table, &widths)],
        None => table.rows.iter().map(|row| row_block(row, width)).collect(),
    }
}

fn cell_width(cell: &[Span]) -> usize {
    cell.iter().map(|s| str_width(&s.text)).sum()
}

/// Each column's width when the table must fit `width`, a fair share by content: every column
/// is filled to one common level, never past what it needs (see [`level`]). First choice: no
/// column narrower than its longest word; if those words do not fit, or that leaves a column
/// too narrow, the level alone decides. `None` when a column that needs more than
/// [`MIN_COLUMN`] cells would get fewer either way.
fn shares(natural: &[usize], longest: &[usize], width: usize) -> Option<Vec<usize>> {
    let seps = str_width(SEP).checked_mul(natural.len() - 1)?;
    let avail = width.checked_sub(seps)?;
    let readable = |widths: &Vec<usize>| {
        widths
            .iter()
            .zip(natural)
            .all(|(&w, &n)| w >= n || w >= MIN_COLUMN)
    };
    let words: Vec<usize> = longest
        .iter()
        .zip(natural)
        .map(|(&l, &n)| l.min(n))
        .collect();
    if let Some(widths) = level(&words, natural, avail).filter(readable) {
        return Some(widths);
    }
    level(&vec![0; natural.len()], natural, avail).filter(readable)
}

/// Fills columns to a common level within `avail` cells: column `c` gets the level, but at
/// least `lo[c]` and at most `hi[c]`; the cells the level leaves over go one each to the
/// columns that want most. `None` when even the `lo` widths do not fit.
fn level(lo: &[usize], hi: &[usize], avail: usize) -> Option<Vec<usize>> {
    let at = |l: usize| -> Vec<usize> {
        lo.iter()
            .zip(hi)
            .map(|(&lo, &hi)| l.clamp(lo, hi.max(lo)))
            .collect()
    };
    let sum = |l: usize| at(l).iter().sum::<usize>();
    if sum(0) > avail {
        return None;
    }
    // The highest level that fits, by bisection: sum() grows with the level.
    let (mut fits, mut over) = (0, hi.iter().copied().max().unwrap_or(0) + 1);
    while over - fits > 1 {
        let mid = fits + (over - fits) / 2;
        if sum(mid) <= avail {
            fits = mid;
        } else {
            over = mid;
        }
    }
    let mut widths = at(fits);
    let mut left = avail - widths.iter().sum::<usize>();
    let mut growing: Vec<usize> = (0..hi.len()).filter(|&c| widths[c] < hi[c]).collect();
    growing.sort_by_key(|&c| std::cmp::Reverse(hi[c]));
    for c in growing {
        if left == 0 {
            break;
        }
        widths[c] += 1;
        left -= 1;
    }
    Some(widths)
}

/// The widest word of a cell (its longest run without a space).
fn longest_word(cell: &[Span]) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for span in cell {
        for (n, word) in span.text.split([' ', '\n']).enumerate() {
            if n > 0 {
                run = 0;
            }
            run += str_width(word);
            longest = longest.max(run);
        }
    }
    longest
}

/// The column form: cells padded to their column's width, a rule under a leading header row.
fn columns(table: &Table, natural: &[usize]) -> Vec<Vec<Span>> {
    let mut lines = Vec::new();
    for (r, row) in table.rows.iter().enumerate() {
        let cells: Vec<&[Span]> = (0..natural.len())
            .map(|c| row.cells.get(c).map(Vec::as_slice).unwrap_or(&[]))
            .collect();
        lines.push(join_cells(&cells, natural));
        if r == 0 && row.header && table.rows.len() > 1 {
            lines.push(rule(natural));
        }
    }
    lines
}

/// The wrapped column form: each cell wrapped to its column's width, a row as tall as its
/// tallest cell, a rule between rows so that each row reads as one. Cells that wrap shorter than
/// their column leave it narrower, and the cells so freed go to the columns that can use them.
fn wrapped_columns(table: &Table, widths: &[usize]) -> Vec<Vec<Span>> {
    let mut widths = widths.to_vec();
    let mut wrapped: Vec<Vec<Vec<Vec<Span>>>> = (0..widths.len())
        .map(|c| wrap_column(table, c, widths[c]))
        .collect();
    let used: Vec<usize> = wrapped.iter().map(|col| column_width(col)).collect();
    let slack: usize = widths.iter().zip(&used).map(|(w, u)| w - u).sum();
    let tight: Vec<usize> = (0..widths.len())
        .filter(|&c| used[c] == widths[c] && wraps(&wrapped[c]))
        .collect();
    if slack > 0 && !tight.is_empty() {
        widths.copy_from_slice(&used);
        for (n, &c) in tight.iter().enumerate() {
            let more = slack / tight.len() + usize::from(n < slack % tight.len());
            wrapped[c] = wrap_column(table, c, widths[c] + more);
            widths[c] = column_width(&wrapped[c]);
        }
    }
    let mut lines = Vec::new();
    for r in 0..table.rows.len() {
        if r > 0 {
            lines.push(rule(&widths));
        }
        let height = wrapped
            .iter()
            .map(|col| col[r].len())
            .max()
            .unwrap_or(0)
            .max(1);
        for n in 0..height {
            let cells: Vec<&[Span]> = wrapped
                .iter()
                .map(|col| col[r].get(n).map(Vec::as_slice).unwrap_or(&[]))
                .collect();
            lines.push(join_cells(&cells, &widths));
        }
    }
    lines
}

/// Column `c` of every row wrapped to `width`: per row, its lines (none for a missing cell).
fn wrap_column(table: &Table, c: usize, width: usize) -> Vec<Vec<Vec<Span>>> {
    table
        .rows
        .iter()
        .map(|row| match row.cells.get(c) {
            Some(cell) if !cell.is_empty() => wrap_spans(cell, width),
            _ => Vec::new(),
        })
        .collect()
}

/// The widest line of a wrapped column.
fn column_width(col: &[Vec<Vec<Span>>]) -> usize {
    col.iter()
        .flatten()
        .map(|l| cell_width(l))
        .max()
        .unwrap_or(0)
}

/// Whether any cell of a wrapped column takes more than one line.
fn wraps(col: &[Vec<Vec<Span>>]) -> bool {
    col.iter().any(|cell| cell.len() > 1)
}

/// One line of cells, each padded to its column's width (the last one not), separated by bars.
fn join_cells(cells: &[&[Span]], widths: &[usize]) -> Vec<Span> {
    let mut line: Vec<Span> = Vec::new();
    for (c, (cell, &w)) in cells.iter().zip(widths).enumerate() {
        if c > 0 {
            push_span(&mut line, SEP, Style::DIM);
        }
        for span in *cell {
            push_span(&mut line, &span.text, span.style);
        }
        let pad = w.saturating_sub(cell_width(cell));
        if c + 1 < widths.len() && pad > 0 {
            push_span(&mut line, &" ".repeat(pad), Style::PLAIN);
        }
    }
    line
}

/// A dim rule across the columns, crossing the bars.
fn rule(widths: &[usize]) -> Vec<Span> {
    let parts: Vec<String> = widths.iter().map(|&w| "─".repeat(w)).collect();
    vec![Span::new(parts.join("─┼─"), Style::DIM)]
}

/// One row as a wrapped paragraph, its cells separated by bars.
fn row_block(row: &Row, width: usize) -> Vec<Vec<Span>> {
    let mut spans: Vec<Span> = Vec::new();
    for (c, cell) in row.cells.iter().enumerate() {
        if c > 0 {
            push_span(&mut spans, SEP, Style::DIM);
        }
        for span in cell {
            push_span(&mut spans, &span.text, span.style);
        }
    }
    wrap_spans(&spans, width)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::block::spans_text;

    fn table() -> Table {
        let row = |cells: &[&str], header| Row {
            cells: cells.iter().map(|c| vec![Span::plain(*c)]).collect(),
            header,
        };
        Table {
            rows: vec![
                row(&["Name", "Size"], true),
                row(&["apple", "3"], false),
                row(&["kiwi", "12"], false),
            ],
        }
    }

    fn text(groups: &[Vec<Vec<Span>>]) -> Vec<Vec<String>> {
        groups
            .iter()
            .map(|g| g.iter().map(|l| spans_text(l)).collect())
            .collect()
    }

    #[test]
    fn fitting_tables_become_columns() {
        let out = text(&layout_table(&table(), 20));
        assert_eq!(
            out,
            vec![vec![
                "Name  │ Size",
                "──────┼─────",
                "apple │ 3",
                "kiwi  │ 12"
            ]]
        );
    }

    #[test]
    fn narrow_tables_become_a_block_per_row() {
        let out = text(&layout_table(&table(), 8));
        assert_eq!(
            out,
            vec![
                vec!["Name │", "Size"],
                vec!["apple │", "3"],
                vec!["kiwi │", "12"]
            ]
        );
    }

    fn long_row(cells: &[&str]) -> Row {
        Row {
            cells: cells.iter().map(|c| vec![Span::plain(*c)]).collect(),
            header: false,
        }
    }

    #[test]
    fn too_wide_tables_wrap_cells_inside_their_columns() {
        let t = Table {
            rows: vec![
                long_row(&[
                    "A cell with a great deal of text in it",
                    "and another cell that is quite long as well",
                ]),
                long_row(&["short", "row"]),
            ],
        };
        let out = text(&layout_table(&t, 30));
        assert_eq!(
            out,
            vec![vec![
                "A cell with a │ and another",
                "great deal of │ cell that is",
                "text in it    │ quite long as",
                "              │ well",
                "──────────────┼──────────────",
                "short         │ row",
            ]]
        );
        for line in &out[0] {
            assert!(str_width(line) <= 30, "{line:?}");
        }
    }

    #[test]
    fn columns_that_need_little_keep_it_and_the_wide_ones_share_the_rest() {
        // 40 cells less two separators leave 34: the 3-cell column keeps 3, the other two split
        // 31, the odd cell to the one that wants most.
        assert_eq!(shares(&[50, 3, 20], &[5, 3, 6], 40), Some(vec![16, 3, 15]));
        // A column with a long word keeps it whole when the words fit: the others share less.
        assert_eq!(
            shares(&[40, 10, 40], &[6, 10, 6], 40),
            Some(vec![12, 10, 12])
        );
        assert_eq!(
            shares(&[40, 30, 40], &[6, 14, 6], 40),
            Some(vec![10, 14, 10])
        );
        // When the longest words leave a column under 8 cells, the whole content decides.
        assert_eq!(shares(&[40, 12, 40], &[7, 12, 7], 30), Some(vec![8, 8, 8]));
        // Five wide columns in 40 cells would get 5 each: too narrow, so rows instead.
        assert_eq!(shares(&[20; 5], &[4; 5], 40), None);
        // Narrow columns that need under 8 cells do not force the fallback.
        assert_eq!(
            shares(&[2, 2, 2, 60], &[2, 2, 2, 9], 30),
            Some(vec![2, 2, 2, 15])
        );
        // More separators than width.
        assert_eq!(shares(&[1; 10_000], &[1; 10_000], 200), None);
    }

    #[test]
    fn the_longest_word_spans_styles_and_stops_at_spaces() {
        let bold = Style {
            bold: true,
            ..Style::PLAIN
        };
        let cell = vec![Span::plain("ab cd"), Span::new("efg hi", bold)];
        assert_eq!(longest_word(&cell), 5); // "cdefg"
        assert_eq!(longest_word(&[]), 0);
    }

    #[test]
    fn a_column_left_under_eight_cells_falls_back_to_rows() {
        let t = Table {
            rows: vec![
                long_row(&["first cell text", "second cell text", "third cell text"]),
                long_row(&["a", "b", "c"]),
            ],
        };
        // 26 cells less two separators leave 20 for three columns that need 15 or 16 each.
        let out = text(&layout_table(&t, 26));
        assert_eq!(
            out,
            vec![
                vec!["first cell text │ second", "cell text │ third cell", "text"],
                vec!["a │ b │ c"]
            ]
        );
    }

    #[test]
    fn huge_tables_stay_linear_in_their_cells() {
        // 10,000 columns: never padded into columns, each row one paragraph.
        let wide = Table {
            rows: (0..3)
                .map(|r| Row {
                    cells: (0..10_000)
                        .map(|c| vec![Span::plain(format!("r{r}c{c}"))])
                        .collect(),
                    header: false,
                })
                .collect(),
        };
        let groups = layout_table(&wide, 80);
        assert_eq!(groups.len(), 3);
        let cells: usize = groups
            .iter()
            .flatten()
            .flatten()
            .map(|s| s.text.len())
            .sum();
        assert!(cells < 3 * 10_000 * 12, "{cells} bytes laid out");
        // 100,000 rows that wrap in their columns: each row two lines and a rule.
        let long = Table {
            rows: (0..100_000)
                .map(|_| long_row(&["twelve chars twelve chars", "and more words here again"]))
                .collect(),
        };
        let groups = layout_table(&long, 40);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].len(), 100_000 * 2 + 99_999);
        assert!(
            groups[0]
                .iter()
                .all(|l| l.iter().map(|s| str_width(&s.text)).sum::<usize>() <= 40)
        );
    }
}
