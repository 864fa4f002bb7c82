//! The arrays of tables the config holds beside its settings (`[[query]]`, `[[rule]]`,
//! `[[feed]]`), read as written so that a problem names its place in the file.

use toml::de::{DeTable, DeValue};

use super::validate::Problem;

/// Reads each table of the array of tables `name` in the user's `text` (already known to be valid
/// TOML), in file order, with `read`, which gets the table, the offset where it starts and the
/// tables read before it. None when `text` has no `name`; when `name` is not an array of tables,
/// the problem tells the user to write each as `[[name]]` with `keys`.
pub(super) fn read_each<T>(
    text: &str,
    name: &str,
    keys: &str,
    mut read: impl FnMut(&DeTable<'_>, usize, &[T]) -> Result<T, Problem>,
) -> Result<Vec<T>, Problem> {
    let Ok(root) = DeTable::parse(text) else {
        return Ok(Vec::new());
    };
    let Some((key, value)) = root
        .get_ref()
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == name)
    else {
        return Ok(Vec::new());
    };
    let DeValue::Array(items) = value.get_ref() else {
        return Err(not_tables(key.span().start, name, keys));
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let DeValue::Table(t) = item.get_ref() else {
            return Err(not_tables(key.span().start, name, keys));
        };
        let table = read(t, item.span().start, &out)?;
        out.push(table);
    }
    Ok(out)
}

fn not_tables(offset: usize, name: &str, keys: &str) -> Problem {
    Problem {
        offset,
        message: format!("`{name}` is a list of tables: write each as `[[{name}]]` with {keys}"),
    }
}
