//! The layer list in `src/lib.rs` is kept true: every `crate::` path in the library's code is read
//! and an import that runs up the list (a module using one listed after it) fails this test, as
//! does a module missing from the list, a crate a module must not use, or files of one module that
//! import each other round in a circle.
//!
//! The list is parsed from the doc comment of `src/lib.rs` itself, so that the documentation and
//! the check cannot drift apart. Test code (`#[cfg(test)]` items, `tests*.rs` files and `tests/`
//! folders) may reach any layer to set up real data, and is not checked.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One use of a `crate::` path: where it is and what it names.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Import {
    /// The using file, relative to `src/`.
    file: String,
    /// 1-based line of the use.
    line: usize,
    /// The path after `crate::`, as segments (`["app", "update", "panes"]`).
    path: Vec<String>,
}

/// The layers from the doc comment of `lib.rs`, lowest first: each bullet `- [`a`] and [`b`]: ...`
/// is one rank, and the modules named before its first colon share it.
fn layers(lib_rs: &str) -> Vec<Vec<String>> {
    lib_rs
        .lines()
        .filter_map(|l| l.strip_prefix("//! - "))
        .map(|bullet| {
            let head = bullet.find("]:").map_or(bullet, |end| &bullet[..=end]);
            head.split("[`")
                .skip(1)
                .filter_map(|s| s.split_once("`]").map(|(name, _)| name))
                .map(|s| s.split_once("`").map_or(s, |(name, _)| name).to_string())
                .collect::<Vec<_>>()
        })
        .filter(|names| !names.is_empty())
        .collect()
}

/// The rules of the form "`a`, `b` and `c` never import x or y." (or "...: why") in the doc
/// comment of `lib.rs`: the modules, and the crates they must not use.
fn never_imports(lib_rs: &str) -> Vec<(Vec<String>, Vec<String>)> {
    lib_rs
        .lines()
        .filter_map(|l| l.strip_prefix("//!"))
        .filter_map(|l| l.split_once(" never import "))
        .map(|(who, what)| {
            let modules = who
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect();
            let crates = what
                .split(['.', ':', ';'])
                .next()
                .unwrap_or(what)
                .split([',', ' '])
                .filter(|w| !w.is_empty() && *w != "or" && *w != "and")
                .map(str::to_string)
                .collect();
            (modules, crates)
        })
        .collect()
}

/// The modules `lib.rs` declares (`pub mod x;` or `mod x;`).
fn declared_modules(lib_rs: &str) -> Vec<String> {
    lib_rs
        .lines()
        .map(str::trim)
        .filter_map(|l| {
            l.strip_prefix("pub mod ")
                .or_else(|| l.strip_prefix("mod "))
        })
        .filter_map(|l| l.strip_suffix(';'))
        .map(str::to_string)
        .collect()
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
fn code_lines(text: &str) -> Vec<String> {
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

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Reads `a::b::c` (and stops at a `{` group, returning its position) from the start of `s`.
fn read_path(s: &str) -> (Vec<String>, Option<usize>) {
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
fn paths_after(code: &str, root: &str) -> Vec<(usize, Vec<String>)> {
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
fn crate_uses(text: &str, name: &str) -> Vec<usize> {
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
fn imports_of(file: &str, text: &str) -> Vec<Import> {
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

/// Whether a file under `src/` is test code as a whole.
fn is_test_file(rel: &Path) -> bool {
    rel.components().any(|c| {
        let s = c.as_os_str().to_string_lossy();
        s == "tests" || s.starts_with("tests_") || s == "tests.rs" || s == "testutil.rs"
    })
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top module a file belongs to (`app/update.rs` -> `app`, `cli.rs` -> `cli`).
fn top_module(rel: &str) -> String {
    let first = rel.split('/').next().unwrap_or(rel);
    first.strip_suffix(".rs").unwrap_or(first).to_string()
}

/// The file a path inside module `top` lands in, as `top/name` (or `top` for its `mod.rs`).
fn file_node(top: &str, path: &[String], files: &BTreeSet<String>) -> String {
    match path.get(1) {
        Some(name) if files.contains(&format!("{top}/{name}")) => format!("{top}/{name}"),
        _ => top.to_string(),
    }
}

/// The node of a file: `app/update.rs` -> `app/update`, `app/mod.rs` -> `app`.
fn node_of(rel: &str) -> String {
    let no_ext = rel.strip_suffix(".rs").unwrap_or(rel);
    let no_mod = no_ext.strip_suffix("/mod").unwrap_or(no_ext);
    no_mod.split('/').take(2).collect::<Vec<_>>().join("/")
}

/// Every problem with the sources under `src`: upward imports, unlisted modules, crates a module
/// must not use, and files of one module that import each other round in a circle.
fn problems(lib_rs: &str, sources: &[(String, String)]) -> Vec<String> {
    let layers = layers(lib_rs);
    let rank: BTreeMap<&str, usize> = layers
        .iter()
        .enumerate()
        .flat_map(|(i, names)| names.iter().map(move |n| (n.as_str(), i)))
        .collect();
    let mut out = Vec::new();
    for m in declared_modules(lib_rs) {
        if !rank.contains_key(m.as_str()) {
            out.push(format!(
                "module `{m}` is not in the layer list of src/lib.rs"
            ));
        }
    }
    let never = never_imports(lib_rs);
    let nodes: BTreeSet<String> = sources.iter().map(|(rel, _)| node_of(rel)).collect();
    let mut edges: BTreeMap<String, BTreeMap<String, (String, usize)>> = BTreeMap::new();
    for (rel, text) in sources {
        if rel == "lib.rs" || rel == "main.rs" || is_test_file(Path::new(rel)) {
            continue;
        }
        let from = top_module(rel);
        let from_node = node_of(rel);
        for (modules, crates) in &never {
            if modules.contains(&from) {
                for c in crates {
                    for line in crate_uses(text, c) {
                        out.push(format!("src/{rel}:{line}: `{from}` uses the `{c}` crate"));
                    }
                }
            }
        }
        for imp in imports_of(rel, text) {
            let Some(to) = imp.path.first() else { continue };
            if let (Some(&a), Some(&b)) = (rank.get(from.as_str()), rank.get(to.as_str()))
                && b > a
            {
                out.push(format!(
                    "src/{}:{}: `{from}` uses `crate::{}`, but `{to}` comes after `{from}` in the layer list",
                    imp.file,
                    imp.line,
                    imp.path.join("::")
                ));
            }
            if *to == from {
                let to_node = file_node(to, &imp.path, &nodes);
                if to_node != from_node && to_node != from && from_node != from {
                    edges
                        .entry(from_node.clone())
                        .or_default()
                        .entry(to_node)
                        .or_insert((imp.file.clone(), imp.line));
                }
            }
        }
    }
    for cycle in cycles(&edges) {
        let uses: Vec<String> = cycle
            .windows(2)
            .map(|w| {
                let (file, line) = &edges[&w[0]][&w[1]];
                format!("src/{file}:{line}")
            })
            .collect();
        out.push(format!(
            "import cycle: {} ({})",
            cycle.join(" -> "),
            uses.join(", ")
        ));
    }
    out
}

/// One cycle (first node repeated at the end) for each group of files that import each other
/// round in a circle, found by a depth-first walk.
fn cycles<V>(edges: &BTreeMap<String, BTreeMap<String, V>>) -> Vec<Vec<String>> {
    fn walk<V>(
        node: &str,
        edges: &BTreeMap<String, BTreeMap<String, V>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
        found: &mut Vec<Vec<String>>,
    ) {
        stack.push(node.to_string());
        for next in edges.get(node).into_iter().flat_map(|t| t.keys()) {
            if let Some(pos) = stack.iter().position(|n| n == next) {
                let mut cycle = stack[pos..].to_vec();
                cycle.push(next.clone());
                found.push(cycle);
            } else if !done.contains(next) {
                walk(next, edges, stack, done, found);
            }
        }
        stack.pop();
        done.insert(node.to_string());
    }
    let mut found = Vec::new();
    let mut done = BTreeSet::new();
    for node in edges.keys() {
        if !done.contains(node) {
            walk(node, edges, &mut Vec::new(), &mut done, &mut found);
        }
    }
    found
}

fn sources() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&p).unwrap();
            (rel, text)
        })
        .collect()
}

fn lib_rs() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap()
}

#[test]
fn no_import_runs_up_the_layer_list_of_lib_rs() {
    let found = problems(&lib_rs(), &sources());
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_layer_list_is_read_from_lib_rs() {
    let layers = layers(&lib_rs());
    let flat: Vec<&str> = layers.iter().flatten().map(String::as_str).collect();
    let at = |m: &str| flat.iter().position(|x| *x == m).unwrap();
    assert!(at("model") < at("store"), "{layers:?}");
    assert!(at("app") < at("ui"), "{layers:?}");
    for m in declared_modules(&lib_rs()) {
        assert!(flat.contains(&m.as_str()), "{m} missing from {layers:?}");
    }
    let never = never_imports(&lib_rs());
    assert!(
        never
            .iter()
            .any(|(modules, crates)| modules.iter().any(|m| m == "store")
                && crates.iter().any(|c| c == "ratatui")),
        "{never:?}"
    );
}

/// The checker itself finds what it must: an upward `use`, a grouped one, a path in code, a
/// module missing from the list and two files that import each other; and it ignores comments,
/// strings and test code.
#[test]
fn the_checker_finds_upward_imports_and_ignores_comments_and_tests() {
    let lib = "//! - [`model`]: data.\n//! - [`store`]: the cache, in [`model::Item`] terms.\n\
               //! - [`app`] and [`ui`]: the reader.\n//!\n//! `model` and `store` never import ratatui or crossterm.\n//! `app` never import crossterm: why.\n\npub mod model;\npub mod store;\npub mod app;\npub mod ui;\npub mod extra;\n";
    let src = |rel: &str, text: &str| (rel.to_string(), text.to_string());
    let sources = vec![
        src("model.rs", "use crate::store::Store;\n"),
        src(
            "store/draw.rs",
            "// ratatui::Frame\nfn f() { crossterm::terminal::size(); }\n",
        ),
        src("app/draw.rs", "use ratatui::Frame;\n"),
        src("app/keys.rs", "\nuse crossterm::event::Event;\n"),
        src(
            "store/mod.rs",
            "use crate::{model::Item, app::State};\n// crate::ui::render\n",
        ),
        src(
            "store/items.rs",
            "fn f() { let s = \"crate::ui::x // no\"; crate::app::start(); }\n\
             #[cfg(test)]\nmod tests {\n    use crate::ui::render;\n}\n\
             #[cfg(test)]\npub(crate) fn helper(\n    a: u8,\n) -> u8 {\n    crate::ui::x(a)\n}\n",
        ),
        src("store/tests/a.rs", "use crate::ui::render;\n"),
        src(
            "app/actions.rs",
            "use crate::app::update::relayout;\nuse crate::ui::render;\n",
        ),
        src("app/update.rs", "use crate::app::actions;\n"),
        src("ui/a.rs", "use super::b::x;\n"),
        src("ui/b.rs", "use crate::ui::c;\n"),
        src("ui/c.rs", "fn f() { super::a::g() }\n"),
        src("ui/mod.rs", "use crate::app::State;\n"),
    ];
    let found = problems(lib, &sources);
    let expect = [
        "module `extra` is not in the layer list",
        "src/model.rs:1: `model` uses `crate::store::Store`",
        "src/store/mod.rs:1: `store` uses `crate::app::State`",
        "src/store/items.rs:1: `store` uses `crate::app::start`",
        "import cycle: app/actions -> app/update -> app/actions (src/app/actions.rs:1, src/app/update.rs:1)",
        "import cycle: ui/a -> ui/b -> ui/c -> ui/a (src/ui/a.rs:1, src/ui/b.rs:1, src/ui/c.rs:1)",
        "src/store/draw.rs:2: `store` uses the `crossterm` crate",
        "src/app/keys.rs:2: `app` uses the `crossterm` crate",
    ];
    for e in expect {
        assert!(found.iter().any(|f| f.contains(e)), "{e} not in {found:#?}");
    }
    assert_eq!(found.len(), expect.len(), "{found:#?}");
}
