//! Tables: columns when they fit the width, else one wrapped block per row.

use super::block::{Row, Table};
use super::style::{Span, Style, push_span};
use super::wrap::{str_width, wrap_spans};

/// The separator drawn between columns.
const SEP: &str = " │ ";

/// Lays a table out in `width` columns: a list of groups of lines, the groups being separated
/// by blank lines by the caller (one group for the column form, one per row otherwise).
pub(crate) fn layout_table(table: &Table, width: usize) -> Vec<Vec<Vec<Span>>> {
    let cols = table.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    if cols == 0 {
        return Vec::new();
    }
    let mut natural = vec![0; cols];
    for row in &table.rows {
        for (c, cell) in row.cells.iter().enumerate() {
            natural[c] = natural[c].max(cell_width(cell));
        }
    }
    let total = natural.iter().sum::<usize>() + str_width(SEP) * (cols - 1);
    if cols > 1 && total <= width {
        vec![columns(table, &natural)]
    } else {
        table.rows.iter().map(|row| row_block(row, width)).collect()
    }
}

fn cell_width(cell: &[Span]) -> usize {
    cell.iter().map(|s| str_width(&s.text)).sum()
}

/// The column form: cells padded to their column's width, a rule under a leading header row.
fn columns(table: &Table, natural: &[usize]) -> Vec<Vec<Span>> {
    let mut lines = Vec::new();
    for (r, row) in table.rows.iter().enumerate() {
        let mut line: Vec<Span> = Vec::new();
        for (c, &w) in natural.iter().enumerate() {
            if c > 0 {
                push_span(&mut line, SEP, Style::DIM);
            }
            let cell = row.cells.get(c).map(Vec::as_slice).unwrap_or(&[]);
            for span in cell {
                push_span(&mut line, &span.text, span.style);
            }
            let pad = w - cell_width(cell);
            if c + 1 < natural.len() && pad > 0 {
                push_span(&mut line, &" ".repeat(pad), Style::PLAIN);
            }
        }
        lines.push(line);
        if r == 0 && row.header && table.rows.len() > 1 {
            let rule: Vec<String> = natural.iter().map(|&w| "─".repeat(w)).collect();
            lines.push(vec![Span::new(rule.join("─┼─"), Style::DIM)]);
        }
    }
    lines
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
}
