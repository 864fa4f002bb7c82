//! `[[query]]` tables: saved filters the reader lists as feeds of their own, and that `tidings show`
//! takes as a source (`query:NAME`).
//!
//! ```toml
//! [[query]]
//! name = "Fresh tech"
//! filter = "unread and tag:tech and age < 2d"
//! ```
//!
//! Each table is checked as written, so a problem names its line: the keys are `name` and
//! `filter`, both text and both required; names are unique; the filter must parse (see
//! [`crate::filter`]).

use toml::de::DeValue;

use super::validate::Problem;
use crate::filter::{Expr, parse};

/// A saved filter from the config file.
#[derive(Debug, Clone, PartialEq)]
pub struct QuerySpec {
    /// The name the reader and `tidings feeds` show, and `query:NAME` selects.
    pub name: String,
    /// The filter as written.
    pub filter: String,
    /// The filter, parsed.
    pub expr: Expr,
}

/// The `[[query]]` tables of the user's `text` (already known to be valid TOML), in file order.
pub(super) fn read(text: &str) -> Result<Vec<QuerySpec>, Problem> {
    let problem = |offset: usize, message: String| Problem { offset, message };
    let tables = super::tables::read_each(
        text,
        "query",
        "`name` and `filter`",
        |t, at, before: &[QuerySpec]| {
            let mut name = None;
            let mut filter = None;
            for (k, v) in t {
                let slot = match k.get_ref().as_ref() {
                    "name" => &mut name,
                    "filter" => &mut filter,
                    other => {
                        return Err(problem(
                            k.span().start,
                            format!(
                                "unknown key `{other}` in [[query]] (the keys are name, filter)"
                            ),
                        ));
                    }
                };
                let DeValue::String(s) = v.get_ref() else {
                    return Err(problem(
                        v.span().start,
                        format!("`query.{}` must be text (in quotes)", k.get_ref()),
                    ));
                };
                *slot = Some((v.span().start, s.to_string()));
            }
            let Some((name_at, name)) = name else {
                return Err(problem(at, "a [[query]] needs a `name`".into()));
            };
            let name = name.trim().to_string();
            if name.is_empty() {
                return Err(problem(
                    name_at,
                    "a [[query]] `name` cannot be empty".into(),
                ));
            }
            if before.iter().any(|q| q.name == name) {
                return Err(problem(
                    name_at,
                    format!("two [[query]] tables are named {name:?}"),
                ));
            }
            let Some((filter_at, filter)) = filter else {
                return Err(problem(
                    at,
                    format!("the [[query]] {name:?} needs a `filter`"),
                ));
            };
            let expr = parse(&filter).map_err(|e| {
                problem(
                    filter_at,
                    format!(
                        "the filter of query {name:?}: {} (column {} of {:?})",
                        e.message,
                        e.column(),
                        filter
                    ),
                )
            })?;
            Ok(QuerySpec { name, filter, expr })
        },
    )?;
    Ok(tables)
}

/// Where a query is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A `[[query]]` table of the config file: read-only in the reader.
    Config,
    /// Saved in the cache from the reader's filter prompt.
    Cache,
}

impl Origin {
    /// `config` or `cache`.
    pub fn name(self) -> &'static str {
        match self {
            Origin::Config => "config",
            Origin::Cache => "cache",
        }
    }
}

/// A query the reader lists and `tidings show` takes as a source.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// Its name.
    pub name: String,
    /// The filter as written.
    pub filter: String,
    /// The filter, parsed.
    pub expr: Expr,
    /// Where it is kept.
    pub origin: Origin,
}

/// The queries of the config file, in file order, then those `saved` in the cache (as
/// `(name, filter)`) by name. A saved query named like one of the config is left out (the
/// config wins), as is one whose filter no longer parses (noted in the log).
pub fn merged(config: &[QuerySpec], saved: Vec<(String, String)>) -> Vec<Query> {
    let mut out: Vec<Query> = config
        .iter()
        .map(|q| Query {
            name: q.name.clone(),
            filter: q.filter.clone(),
            expr: q.expr.clone(),
            origin: Origin::Config,
        })
        .collect();
    for (name, filter) in saved {
        if out.iter().any(|q| q.name == name) {
            continue;
        }
        match parse(&filter) {
            Ok(expr) => out.push(Query {
                name,
                filter,
                expr,
                origin: Origin::Cache,
            }),
            Err(e) => tracing::warn!("saved query {name:?} left out: {}", e.message),
        }
    }
    out
}

/// The query a `tidings show` source names: `query:NAME` always, a bare `NAME` only when
/// `is_feed` says no feed answers to it.
pub fn find<'q>(queries: &'q [Query], source: &str, is_feed: bool) -> Option<&'q Query> {
    match source.strip_prefix("query:") {
        Some(name) => queries.iter().find(|q| q.name == name.trim()),
        None if !is_feed => queries.iter().find(|q| q.name == source),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::config::Config;

    fn load(text: &str) -> Result<Config, String> {
        Config::from_user_text(text, Path::new("c.toml")).map_err(|e| e.to_string())
    }

    #[test]
    fn queries_load_in_file_order() {
        let c = load(
            "[reader]\ncenter = true\n\n[[query]]\nname = \"Fresh\"\nfilter = \"unread and age < 2d\"\n\n\
             [[query]]\nname = \"Rust\"\nfilter = 'title:rust or tag:\"rust lang\"'\n",
        )
        .unwrap();
        let names: Vec<&str> = c.queries.iter().map(|q| q.name.as_str()).collect();
        assert_eq!(names, ["Fresh", "Rust"]);
        assert_eq!(
            c.queries[0].expr,
            crate::filter::parse("unread and age < 2d").unwrap()
        );
        assert!(c.reader.center);
        assert!(load("").unwrap().queries.is_empty());
    }

    #[test]
    fn a_bad_filter_names_its_line_and_the_query() {
        let e = load("[[query]]\nname = \"A\"\nfilter = \"unread\"\n\n[[query]]\nname = \"B\"\nfilter = \"unread and titel:x\"\n")
            .unwrap_err();
        assert!(e.starts_with("c.toml:7:"), "{e}");
        assert!(e.contains("\"B\""), "{e}");
        assert!(e.contains("unknown condition `titel`"), "{e}");
        assert!(e.contains("column 12"), "{e}");
    }

    #[test]
    fn the_config_wins_over_the_cache_and_bad_saved_filters_are_left_out() {
        let c = load("[[query]]\nname = \"Fresh\"\nfilter = \"unread\"\n").unwrap();
        let all = super::merged(
            &c.queries,
            vec![
                ("Fresh".into(), "starred".into()),
                ("Mine".into(), "tag:x".into()),
                ("Broken".into(), "tag:".into()),
            ],
        );
        let got: Vec<(&str, &str, super::Origin)> = all
            .iter()
            .map(|q| (q.name.as_str(), q.filter.as_str(), q.origin))
            .collect();
        assert_eq!(
            got,
            [
                ("Fresh", "unread", super::Origin::Config),
                ("Mine", "tag:x", super::Origin::Cache)
            ]
        );
        assert_eq!(super::find(&all, "query:Mine", true).unwrap().name, "Mine");
        assert_eq!(super::find(&all, "Mine", false).unwrap().name, "Mine");
        assert!(
            super::find(&all, "Mine", true).is_none(),
            "a feed of that name wins"
        );
        assert!(super::find(&all, "query:Nope", false).is_none());
    }

    #[test]
    fn shape_problems_name_their_lines() {
        for (text, line, words) in [
            (
                "[[query]]\nname = \"A\"\nfiltre = \"x\"\n",
                3,
                "unknown key `filtre`",
            ),
            ("[[query]]\nname = \"A\"\n", 1, "needs a `filter`"),
            ("[[query]]\nfilter = \"unread\"\n", 1, "needs a `name`"),
            (
                "\n[[query]]\nname = 3\nfilter = \"unread\"\n",
                3,
                "must be text",
            ),
            (
                "[[query]]\nname = \"A\"\nfilter = \"unread\"\n[[query]]\nname = \"A\"\nfilter = \"starred\"\n",
                5,
                "two [[query]] tables",
            ),
            ("[query]\nname = \"A\"\n", 1, "list of tables"),
        ] {
            let e = load(text).unwrap_err();
            assert!(e.starts_with(&format!("c.toml:{line}:")), "{text}: {e}");
            assert!(e.contains(words), "{text}: {e}");
        }
    }
}
