//! Laying one TOML table over another, and finding where a key sits in the user's text.

/// Lays `over` onto `base`: tables merge recursively, every other value replaces the base's.
pub fn merge(base: &mut toml::Table, over: toml::Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, v) => {
                base.insert(key, v);
            }
        }
    }
}

/// The 1-based line of the dotted key `path` (such as `fetch.per_host`) in `text`, found by tracking
/// `[section]` headers; for a bad section name, the line of its header.
pub fn line_of_key(text: &str, path: &str) -> Option<usize> {
    let parts: Vec<&str> = path.split('.').collect();
    let (section, key) = match parts.as_slice() {
        [] => return None,
        [only] => ("", *only),
        [section, key, ..] => (*section, *key),
    };
    let mut current = String::new();
    let mut section_line = None;
    for (n, line) in text.lines().enumerate() {
        let t = line.trim();
        if let Some(name) = t.strip_prefix('[').and_then(|r| r.split(']').next()) {
            current = name.trim().trim_matches('"').to_string();
            if current == section || (section.is_empty() && current == key) {
                section_line.get_or_insert(n + 1);
            }
            continue;
        }
        let lhs = t.split('=').next().unwrap_or("").trim().trim_matches('"');
        if current == section && lhs == key && t.contains('=') {
            return Some(n + 1);
        }
        if current.is_empty() && !section.is_empty() && lhs == format!("{section}.{key}") {
            return Some(n + 1);
        }
    }
    section_line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_tables_merge_and_scalars_replace() {
        let mut base: toml::Table = "[a]\nx = 1\ny = 2\n[b]\nz = 3\n".parse().unwrap();
        let over: toml::Table = "[a]\ny = 5\n".parse().unwrap();
        merge(&mut base, over);
        assert_eq!(base["a"]["x"].as_integer(), Some(1));
        assert_eq!(base["a"]["y"].as_integer(), Some(5));
        assert_eq!(base["b"]["z"].as_integer(), Some(3));
    }

    #[test]
    fn keys_are_found_in_their_section_only() {
        let text = "[reader]\nmouse = true\n[fetch]\nmouse = 1\n";
        assert_eq!(line_of_key(text, "fetch.mouse"), Some(4));
        assert_eq!(line_of_key(text, "reader.mouse"), Some(2));
        assert_eq!(line_of_key(text, "nothing.here"), None);
    }
}
