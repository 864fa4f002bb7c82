//! Reading Rust source well enough to find its paths: comments and literals blanked out,
//! `#[cfg(test)]` items skipped, and every `crate::` (or `super::`) path and crate use listed with
//! its line.

/// One use of a `crate::` path: where it is and what it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    /// The using file, relative to `src/`.
    pub file: String,
    /// 1-based line of the use.
    pub line: usize,
    /// The path after `crate::`, as segments (`["app", "update", "panes"]`).
    pub path: Vec<String>,
}

/// The text with comments and the insides of string and char literals blanked out (newlines are
/// kept, so line numbers stay).
fn blank_comments_and_strings(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && !prev_is_ident(&chars, i)
        {
            // A raw string: r"..." or r#"..."#.
            let hashes = chars[i + 1..].iter().take_while(|&&h| h == '#').count();
            if chars.get(i + 1 + hashes) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            let close: Vec<char> = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            out.push(' ');
            i += 2 + hashes;
            out.extend(std::iter::repeat_n(' ', 1 + hashes));
            while i < chars.len() && !chars[i..].starts_with(&close) {
                out.push(blank(chars[i]));
                i += 1;
            }
            out.extend(std::iter::repeat_n(' ', close.len()));
            i += close.len();
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{..}'); otherwise a lifetime.
            let len = if next == Some('\\') {
                chars[i + 2..]
                    .iter()
                    .position(|&q| q == '\'')
                    .map(|p| p + 3)
            } else {
                (chars.get(i + 2) == Some(&'\'')).then_some(3)
            };
            match len {
                Some(n) => {
                    out.extend(std::iter::repeat_n(' ', n));
                    i += n;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn prev_is_ident(chars: &[char], i: usize) -> bool {
    i > 0 && is_ident(chars[i - 1])
}

/// The file's code lines with comments, literals and `#[cfg(test)]` items blanked out (line
/// numbers kept).
pub fn code_lines(text: &str) -> Vec<String> {
    /// Where the scan is: in code, after `#[cfg(test)]`, or inside the item it marks.
    enum Skip {
        No,
        NextItem,
        /// Inside the item: brace depth, and whether its body has opened.
        Item(i64, bool),
    }
    let mut out = Vec::new();
    let mut skip = Skip::No;
    for line in blank_comments_and_strings(text).lines() {
        let t = line.trim();
        skip = match skip {
            Skip::No if t.starts_with("#[cfg(test)]") => Skip::NextItem,
            Skip::No => {
                out.push(line.to_string());
                continue;
            }
            Skip::NextItem if t.is_empty() || t.starts_with("#[") => Skip::NextItem,
            Skip::NextItem => item_after(line, 0, false),
            Skip::Item(depth, opened) => item_after(line, depth, opened),
        };
        out.push(String::new());
    }
    return out;

    /// The state after one more line of a skipped item: it ends where its braces close, or at a
    /// `;` before any brace opened (`mod tests;`, `use ...;`).
    fn item_after(line: &str, depth: i64, opened: bool) -> Skip {
        let depth = depth + count_braces(line);
        let opened = opened || line.contains('{');
        if (opened && depth <= 0) || (!opened && line.trim_end().ends_with(';')) {
            Skip::No
        } else {
            Skip::Item(depth, opened)
        }
    }
}

/// Opening minus closing braces on a line.
fn count_braces(line: &str) -> i64 {
    line.chars()
        .map(|c| match c {
            '{' => 1,
            '}' => -1,
            _ => 0,
        })
        .sum()
}

pub fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Reads `a::b::c` (and stops at a `{` group, returning its position) from the start of `s`.
pub fn read_path(s: &str) -> (Vec<String>, Option<usize>) {
    let mut segs = Vec::new();
    let mut rest = s;
    let mut used = 0;
    loop {
        let end = rest.find(|c: char| !is_ident(c)).unwrap_or(rest.len());
        if end == 0 {
            let group = rest.starts_with('{').then_some(used);
            return (segs, group);
        }
        segs.push(rest[..end].to_string());
        rest = &rest[end..];
        used += end;
        match rest.strip_prefix("::") {
            Some(r) => {
                rest = r;
                used += 2;
            }
            None => return (segs, None),
        }
    }
}

/// Every path after `root` (`"crate::"` or `"super::"`) in `code`, with its position (grouped
/// `use crate::a::{b, c::d}` gives `a::b` and `a::c::d`).
pub fn paths_after(code: &str, root: &str) -> Vec<(usize, Vec<String>)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(pos) = code[from..].find(root) {
        let at = from + pos;
        from = at + root.len();
        if code[..at].ends_with(|c: char| is_ident(c) || c == ':') {
            continue;
        }
        let rest = &code[from..];
        let (prefix, group) = read_path(rest);
        match group {
            None => found.push((at, prefix)),
            Some(open) => {
                let body = &rest[open + 1..];
                let mut depth = 0;
                let mut start = 0;
                for (i, c) in body.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => {
                            push_member(&mut found, at, &prefix, &body[start..i]);
                            break;
                        }
                        '}' => depth -= 1,
                        ',' if depth == 0 => {
                            push_member(&mut found, at, &prefix, &body[start..i]);
                            start = i + 1;
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    found
}

fn push_member(found: &mut Vec<(usize, Vec<String>)>, at: usize, prefix: &[String], member: &str) {
    let (segs, _) = read_path(member.trim());
    let mut path = prefix.to_vec();
    path.extend(segs.into_iter().filter(|s| s != "self"));
    if !path.is_empty() {
        found.push((at, path));
    }
}

/// The lines (1-based) where the code of a file uses the crate `name` (`name::...`).
pub fn crate_uses(text: &str, name: &str) -> Vec<usize> {
    let pattern = format!("{name}::");
    code_lines(text)
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            l.match_indices(&pattern)
                .any(|(at, _)| !l[..at].ends_with(|c: char| is_ident(c) || c == ':'))
        })
        .map(|(i, _)| i + 1)
        .collect()
}

/// Every `crate::` import in the code of one file; in a file right inside a module's folder
/// (`app/update.rs`), a `super::x` path counts as `crate::app::x`.
pub fn imports_of(file: &str, text: &str) -> Vec<Import> {
    let lines = code_lines(text);
    let code = lines.join("\n");
    let parts: Vec<&str> = file.split('/').collect();
    let mut paths = paths_after(&code, "crate::");
    if parts.len() == 2 && parts[1] != "mod.rs" {
        for (at, mut path) in paths_after(&code, "super::") {
            path.insert(0, parts[0].to_string());
            paths.push((at, path));
        }
    }
    paths
        .into_iter()
        .map(|(at, path)| Import {
            file: file.to_string(),
            line: code[..at].matches('\n').count() + 1,
            path,
        })
        .collect()
}
