//! The layer list in `src/lib.rs` is kept true: every `crate::` path in the library's code is read
//! and an import that runs up the list (a module using one listed after it) fails this test, as
//! does a module missing from the list, a crate a module must not use, or files of one module that
//! import each other round in a circle.
//!
//! The list is parsed from the doc comment of `src/lib.rs` itself, so that the documentation and
//! the check cannot drift apart. Test code (`#[cfg(test)]` items, `tests*.rs` files and `tests/`
//! folders) may reach any layer to set up real data, and is not checked.

mod scan;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use scan::{crate_uses, imports_of};

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
