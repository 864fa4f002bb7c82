//! Checking the user's config file, as written, before it is laid over the defaults.
//!
//! The file is read once more with the spans of every key and value, and each setting is
//! compared with its default: a section must be a table (`[fetch]`, not `[[fetch]]`), a key must
//! exist in the defaults, a value must have the default's type, and a number must lie in its
//! stated range ([`RANGES`]). The `[theme]` and `[keys]` tables are checked entry by entry. Each
//! problem names the line of the user's file it is on and the key as the user wrote it, in words
//! rather than in the program's type names. What passes here deserialises without error.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeInteger, DeString, DeTable, DeValue};

/// The inclusive range of every integer setting, by its dotted name. A test checks that every
/// integer of the embedded defaults has one and lies in it.
pub const RANGES: &[(&str, i64, i64)] = &[
    ("fetch.max_in_flight", 1, 256),
    ("fetch.per_host", 1, 64),
    ("fetch.connect_timeout_secs", 1, 300),
    ("fetch.request_timeout_secs", 1, 3_600),
    ("fetch.max_body_mib", 1, 1_024),
    ("fetch.max_redirects", 0, 20),
    ("fetch.max_items_per_download", 1, 1_000_000),
    ("fetch.max_new_items_per_run", 1, 1_000_000),
    ("retention.max_items_per_feed", 0, 1_000_000),
    ("retention.max_age_days", 0, 36_500),
    ("reader.refresh_interval_minutes", 0, 44_640),
    ("reader.max_width", 0, 10_000),
    ("reader.side_by_side_min_width", 0, 10_000),
    ("reader.feed_pane_width", 10, 200),
    ("reader.image_max_height", 1, 200),
    ("images.cache_mib", 0, 100_000),
    ("full_text.max_pages_per_feed", 0, 10_000),
    ("full_text.per_host", 1, 64),
    ("full_text.run_timeout_secs", 1, 86_400),
    ("sync.days", 1, 36_500),
    ("podcasts.max_mib", 0, 16_777_216),
];

/// The values a setting of fixed choices takes, by its dotted name.
pub const CHOICES: &[(&str, &[&str])] = &[
    ("notify.terminal", &["off", "osc9", "osc777"]),
    ("reader.images", &["auto", "halfblocks", "off"]),
];

/// The fields a `[theme]` entry takes: two colours and five flags.
const STYLE_COLOURS: &[&str] = &["fg", "bg"];
const STYLE_FLAGS: &[&str] = &["bold", "dim", "italic", "underline", "reverse"];

/// One problem in the user's file: where it starts (a byte offset) and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Byte offset in the user's text.
    pub offset: usize,
    /// What is wrong, naming the key.
    pub message: String,
}

type Checked = Result<(), Problem>;

fn problem(span: Range<usize>, message: String) -> Problem {
    Problem {
        offset: span.start,
        message,
    }
}

/// A key as the user would write it: bare when it can be, else quoted.
fn written(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare {
        key.to_string()
    } else {
        format!("{key:?}")
    }
}

/// A key exactly as the user wrote it (quotes included), from its span in `text`.
fn raw(text: &str, key: &Spanned<DeString<'_>>) -> String {
    text.get(key.span())
        .map(str::trim)
        .filter(|k| !k.is_empty() && !k.contains('\n'))
        .map_or_else(|| written(key.get_ref()), str::to_string)
}

/// What a value is, in words.
fn kind(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "text",
        DeValue::Integer(_) => "a whole number",
        DeValue::Float(_) => "a decimal number",
        DeValue::Boolean(_) => "true or false",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(a) if !a.is_empty() && a.iter().all(|e| e.get_ref().is_table()) => {
            "a list of tables"
        }
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

/// What a default value asks for, in words.
fn wanted(v: &toml::Value) -> &'static str {
    match v {
        toml::Value::String(_) => "text (in quotes)",
        toml::Value::Integer(_) => "a whole number",
        toml::Value::Float(_) => "a number",
        toml::Value::Boolean(_) => "true or false",
        toml::Value::Datetime(_) => "a date",
        toml::Value::Array(_) => "a list of text, such as [\"a\", \"b\"]",
        toml::Value::Table(_) => "a table",
    }
}

/// The value of a TOML integer, or `None` when it does not fit in 64 bits.
fn integer(i: &DeInteger<'_>) -> Option<i64> {
    i64::from_str_radix(i.as_str(), i.radix()).ok()
}

/// The range of the integer setting `name`.
pub fn range_of(name: &str) -> Option<(i64, i64)> {
    RANGES
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|&(_, lo, hi)| (lo, hi))
}

/// Checks the user's `text` (already known to be valid TOML) against the `defaults` table and the
/// `theme_entries` the theme knows.
pub fn check(text: &str, defaults: &toml::Table, theme_entries: &[String]) -> Checked {
    let root = match DeTable::parse(text) {
        Ok(root) => root,
        // The caller parsed it already and reports syntax errors itself.
        Err(_) => return Ok(()),
    };
    for (key, value) in root.get_ref() {
        let section = key.get_ref().as_ref();
        if section == "query" || section == "feed" || section == "rule" {
            // Checked by `queries.rs`, `feeds.rs` and `rules.rs`.
            continue;
        }
        let section_raw = raw(text, key);
        let default = defaults.get(section);
        let is_table_section = matches!(default, Some(toml::Value::Table(_)))
            || section == "keys"
            || section == "theme";
        if !is_table_section {
            let mut known: Vec<&str> = defaults.keys().map(String::as_str).collect();
            known.extend(["keys", "theme"]);
            return Err(problem(
                key.span(),
                format!(
                    "unknown section `{section_raw}` (the sections are {})",
                    known.join(", ")
                ),
            ));
        }
        let DeValue::Table(table) = value.get_ref() else {
            return Err(problem(
                key.span(),
                format!(
                    "`{section_raw}` is {}: write it as one table, `[{section_raw}]`",
                    kind(value.get_ref()),
                ),
            ));
        };
        match (section, default) {
            ("theme", _) => check_theme(text, &section_raw, table, theme_entries)?,
            ("keys", _) => check_keys(text, &section_raw, table)?,
            ("open", _) => check_open(text, &section_raw, table)?,
            (_, Some(toml::Value::Table(defaults))) => {
                check_settings(text, (section, &section_raw), table, defaults)?
            }
            _ => {}
        }
    }
    Ok(())
}

/// Checks the keys of one plain section (`[fetch]`, `[retention]`, ...) against its defaults.
fn check_settings(
    text: &str,
    (section, section_raw): (&str, &str),
    table: &DeTable<'_>,
    defaults: &toml::Table,
) -> Checked {
    for (key, value) in table {
        let name = key.get_ref().as_ref();
        let path = format!("{section_raw}.{}", raw(text, key));
        let Some(default) = defaults.get(name) else {
            let known: Vec<&str> = defaults.keys().map(String::as_str).collect();
            return Err(problem(
                key.span(),
                format!(
                    "unknown key `{path}` (the keys of [{section}] are {})",
                    known.join(", ")
                ),
            ));
        };
        check_value(&path, &format!("{section}.{name}"), value, default)?;
    }
    Ok(())
}

/// Checks one setting's value against its default's type and, for a number, its range.
fn check_value(
    path: &str,
    name: &str,
    value: &Spanned<DeValue<'_>>,
    default: &toml::Value,
) -> Checked {
    let mismatch = || {
        problem(
            value.span(),
            format!(
                "`{path}` must be {}, not {}",
                wanted(default),
                kind(value.get_ref())
            ),
        )
    };
    match (default, value.get_ref()) {
        (toml::Value::Integer(_), DeValue::Integer(i)) => {
            let (lo, hi) = range_of(name).unwrap_or((0, i64::MAX));
            match integer(i) {
                Some(n) if (lo..=hi).contains(&n) => Ok(()),
                _ => Err(problem(
                    value.span(),
                    format!(
                        "`{path} = {}` is out of range: it takes a whole number from {lo} to {hi}",
                        i.as_str()
                    ),
                )),
            }
        }
        (toml::Value::String(_), DeValue::String(text)) => {
            match CHOICES.iter().find(|(n, _)| *n == name) {
                Some((_, choices)) if !choices.contains(&text.as_ref()) => Err(problem(
                    value.span(),
                    format!(
                        "`{path} = {text:?}` is not a choice: it takes {}",
                        choices
                            .iter()
                            .map(|c| format!("{c:?}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )),
                _ => Ok(()),
            }
        }
        (toml::Value::Boolean(_), DeValue::Boolean(_)) => Ok(()),
        (toml::Value::Array(_), DeValue::Array(items)) => {
            for item in items {
                if !matches!(item.get_ref(), DeValue::String(_)) {
                    return Err(problem(
                        item.span(),
                        format!(
                            "`{path}` is a list of text, and this entry is {}",
                            kind(item.get_ref())
                        ),
                    ));
                }
            }
            Ok(())
        }
        _ => Err(mismatch()),
    }
}

/// Checks the `[theme]` table: known entries, each a table of colours and flags.
fn check_theme(text: &str, section: &str, table: &DeTable<'_>, entries: &[String]) -> Checked {
    for (key, value) in table {
        let entry = key.get_ref().as_ref();
        let path = format!("{section}.{}", raw(text, key));
        if !entries.iter().any(|e| e == entry) {
            return Err(problem(
                key.span(),
                format!(
                    "unknown theme entry `{path}` (the entries are {})",
                    entries.join(", ")
                ),
            ));
        }
        let DeValue::Table(style) = value.get_ref() else {
            return Err(problem(
                value.span(),
                format!(
                    "`{path}` must be a table such as {{ fg = \"red\", bold = true }}, not {}",
                    kind(value.get_ref())
                ),
            ));
        };
        for (field, v) in style {
            let name = field.get_ref().as_ref();
            let path = format!("{path}.{}", raw(text, field));
            if STYLE_COLOURS.contains(&name) {
                match v.get_ref() {
                    DeValue::String(c) if super::theme::is_colour(c) => {}
                    DeValue::String(c) => {
                        return Err(problem(
                            v.span(),
                            format!(
                                "`{path}`: unknown colour {c:?} (a colour is a name such as \
                                 \"red\" or \"lightblue\", or \"#rrggbb\")"
                            ),
                        ));
                    }
                    other => {
                        return Err(problem(
                            v.span(),
                            format!("`{path}` must be a colour in quotes, not {}", kind(other)),
                        ));
                    }
                }
            } else if STYLE_FLAGS.contains(&name) {
                if !matches!(v.get_ref(), DeValue::Boolean(_)) {
                    return Err(problem(
                        v.span(),
                        format!("`{path}` must be true or false, not {}", kind(v.get_ref())),
                    ));
                }
            } else {
                return Err(problem(
                    field.span(),
                    format!(
                        "unknown field `{path}` (a theme entry takes {}, {})",
                        STYLE_COLOURS.join(", "),
                        STYLE_FLAGS.join(", ")
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Checks the shape of the `[keys]` table: each key bound to `{ action = "...", desc = "..." }`.
/// Key names and action names are checked by the key map, which names their lines too.
fn check_keys(text: &str, section: &str, table: &DeTable<'_>) -> Checked {
    for (key, value) in table {
        let path = format!("{section}.{}", raw(text, key));
        let DeValue::Table(binding) = value.get_ref() else {
            return Err(problem(
                value.span(),
                format!(
                    "`{path}` must be a table such as {{ action = \"quit\", desc = \"Leave\" }}, \
                     not {}",
                    kind(value.get_ref())
                ),
            ));
        };
        let mut has_action = false;
        for (field, v) in binding {
            let name = field.get_ref().as_ref();
            let field_path = format!("{path}.{}", raw(text, field));
            match name {
                "action" | "desc" => {
                    if !matches!(v.get_ref(), DeValue::String(_)) {
                        return Err(problem(
                            v.span(),
                            format!(
                                "`{field_path}` must be text (in quotes), not {}",
                                kind(v.get_ref())
                            ),
                        ));
                    }
                    has_action |= name == "action";
                }
                "command" => check_argv(&field_path, v)?,
                "terminal" => {
                    if !matches!(v.get_ref(), DeValue::Boolean(_)) {
                        return Err(problem(
                            v.span(),
                            format!(
                                "`{field_path}` must be true or false, not {}",
                                kind(v.get_ref())
                            ),
                        ));
                    }
                }
                _ => {
                    return Err(problem(
                        field.span(),
                        format!(
                            "unknown field `{field_path}` (a binding takes action, desc, and for a \
                             pipe command, terminal)"
                        ),
                    ));
                }
            }
        }
        if !has_action {
            return Err(problem(
                key.span(),
                format!("`{path}` needs an action, such as {{ action = \"quit\" }}"),
            ));
        }
    }
    Ok(())
}

/// Checks the `[open]` table: each MIME type (`"audio/*"`) mapped to a command.
fn check_open(text: &str, section: &str, table: &DeTable<'_>) -> Checked {
    for (key, value) in table {
        let path = format!("{section}.{}", raw(text, key));
        let mime = key.get_ref().as_ref();
        if !mime.contains('/') {
            return Err(problem(
                key.span(),
                format!("`{path}`: a key of [open] is a MIME type such as \"audio/*\""),
            ));
        }
        check_argv(&path, value)?;
        if matches!(value.get_ref(), DeValue::Array(a) if a.is_empty()) {
            return Err(problem(
                value.span(),
                format!("`{path}` needs a program, such as [\"mpv\", \"{{url}}\"]"),
            ));
        }
    }
    Ok(())
}

/// Checks a command: a list of text, the program first.
fn check_argv(path: &str, v: &Spanned<DeValue<'_>>) -> Checked {
    let DeValue::Array(items) = v.get_ref() else {
        return Err(problem(
            v.span(),
            format!(
                "`{path}` must be a list of text such as [\"mpv\", \"{{url}}\"], not {}",
                kind(v.get_ref())
            ),
        ));
    };
    for item in items {
        if !matches!(item.get_ref(), DeValue::String(_)) {
            return Err(problem(
                item.span(),
                format!(
                    "`{path}` is a list of text, and this entry is {}",
                    kind(item.get_ref())
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_number_of_the_defaults_has_a_range_that_holds_it() {
        let defaults: toml::Table = crate::config::DEFAULT_TOML.parse().unwrap();
        let mut numbers = 0;
        for (section, table) in &defaults {
            let Some(table) = table.as_table() else {
                continue;
            };
            for (key, value) in table {
                if let Some(n) = value.as_integer() {
                    let name = format!("{section}.{key}");
                    let (lo, hi) = range_of(&name)
                        .unwrap_or_else(|| panic!("`{name}` has no range in RANGES"));
                    assert!((lo..=hi).contains(&n), "default of {name} out of range");
                    numbers += 1;
                }
            }
        }
        assert_eq!(
            numbers,
            RANGES.len(),
            "a range for a setting that does not exist"
        );
    }

    #[test]
    fn the_default_file_states_every_range_above_its_key() {
        let mut section = "";
        let mut comment = String::new();
        let mut stated = 0;
        for line in crate::config::DEFAULT_TOML.lines() {
            let line = line.trim();
            if let Some(name) = line.strip_prefix('[') {
                section = name.trim_end_matches(']');
            } else if let Some(c) = line.strip_prefix('#') {
                comment.push_str(c);
                continue;
            } else if let Some((key, _)) = line.split_once('=')
                && let Some((lo, hi)) = range_of(&format!("{section}.{}", key.trim()))
            {
                let range = format!("{lo} to {hi}");
                assert!(
                    comment.contains(&range),
                    "{section}.{key}: {range:?} not in {comment:?}"
                );
                stated += 1;
            }
            comment.clear();
        }
        assert_eq!(stated, RANGES.len());
    }

    #[test]
    fn keys_are_named_as_the_user_wrote_them() {
        let text = "[keys]\n\"ctrl-x\" = 3\n";
        let e = check(text, &toml::Table::new(), &[]).unwrap_err();
        assert!(e.message.contains("`keys.\"ctrl-x\"`"), "{}", e.message);
        assert_eq!(written("per_host"), "per_host");
        assert_eq!(written("?"), "\"?\"");
    }
}
