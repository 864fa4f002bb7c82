//! `[[rule]]` tables: rules applied to items as they arrive (see `store::rules`).
//!
//! ```toml
//! [[rule]]
//! filter = 'title:~"(?i)sponsored"'
//! action = "hide"
//!
//! [[rule]]
//! filter = "feed:\"Harbour Gazette\" and title:river"
//! action = "tag:river"
//! ```
//!
//! Each table is checked as written, so a problem names its line and column: the keys are
//! `filter` and `action`, both text and both required; the filter must parse (see
//! [`crate::filter`]); the action is `hide`, `read`, `star`, `highlight` or `tag:NAME`.

use toml::de::DeValue;

use super::validate::Problem;
use crate::filter::parse;
use crate::store::{Rule, RuleAction};

/// The actions, as an error lists them.
const ACTIONS: &str = "hide, read, star, highlight or tag:NAME";

/// The 1-based column of byte `offset` in `text`, counted in characters.
fn column_of(text: &str, offset: usize) -> usize {
    let start = text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    text[start..offset.min(text.len())].chars().count() + 1
}

/// The `[[rule]]` tables of the user's `text` (already known to be valid TOML), in file order.
pub(super) fn read(text: &str) -> Result<Vec<Rule>, Problem> {
    let problem = |offset: usize, message: String| Problem { offset, message };
    let tables = super::tables::read_each(
        text,
        "rule",
        "`filter` and `action`",
        |t, at, before| {
            let mut filter = None;
            let mut action = None;
            for (k, v) in t {
                let slot = match k.get_ref().as_ref() {
                    "filter" => &mut filter,
                    "action" => &mut action,
                    other => {
                        return Err(problem(
                            k.span().start,
                            format!(
                                "unknown key `{other}` in [[rule]] (column {}; the keys are filter, action)",
                                column_of(text, k.span().start)
                            ),
                        ));
                    }
                };
                let DeValue::String(s) = v.get_ref() else {
                    return Err(problem(
                        v.span().start,
                        format!(
                            "`rule.{}` must be text (in quotes) (column {})",
                            k.get_ref(),
                            column_of(text, v.span().start)
                        ),
                    ));
                };
                *slot = Some((v.span().start, s.to_string()));
            }
            let number = before.len() + 1;
            let Some((filter_at, filter)) = filter else {
                return Err(problem(
                    at,
                    format!("[[rule]] number {number} needs a `filter`"),
                ));
            };
            let Some((action_at, action)) = action else {
                return Err(problem(
                    at,
                    format!("[[rule]] number {number} needs an `action` ({ACTIONS})"),
                ));
            };
            let expr = parse(&filter).map_err(|e| {
            problem(
                filter_at,
                format!(
                    "the filter of [[rule]] number {number}: {} (column {} of {:?}; column {} of the line)",
                    e.message,
                    e.column(),
                    filter,
                    column_of(text, filter_at)
                ),
            )
        })?;
            let Some(action) = RuleAction::parse(&action) else {
                return Err(problem(
                    action_at,
                    format!(
                        "unknown action {action:?} in [[rule]] number {number} (column {}; the actions are {ACTIONS})",
                        column_of(text, action_at)
                    ),
                ));
            };
            Ok(Rule {
                filter,
                expr,
                action,
            })
        },
    )?;
    Ok(tables)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::config::Config;
    use crate::store::RuleAction;

    fn load(text: &str) -> Result<Config, String> {
        Config::from_user_text(text, Path::new("c.toml")).map_err(|e| e.to_string())
    }

    #[test]
    fn rules_load_in_file_order() {
        let c = load(
            "[reader]\ncenter = true\n\n[[rule]]\nfilter = 'title:~\"(?i)sponsored\"'\naction = \"hide\"\n\n\
             [[rule]]\nfilter = \"unread and tag:tech\"\naction = \"tag:later\"\n\n\
             [[rule]]\naction = \"star\"\nfilter = \"author:\\\"A. Writer\\\"\"\n",
        )
        .unwrap();
        let got: Vec<(&str, RuleAction)> = c
            .rules
            .iter()
            .map(|r| (r.filter.as_str(), r.action.clone()))
            .collect();
        assert_eq!(
            got,
            [
                ("title:~\"(?i)sponsored\"", RuleAction::Hide),
                ("unread and tag:tech", RuleAction::Tag("later".into())),
                ("author:\"A. Writer\"", RuleAction::Star),
            ]
        );
        assert_eq!(
            c.rules[1].expr,
            crate::filter::parse("unread and tag:tech").unwrap()
        );
        assert!(c.reader.center);
        assert!(load("").unwrap().rules.is_empty());
    }

    #[test]
    fn a_bad_filter_names_its_line_and_column() {
        let e = load(
            "[[rule]]\nfilter = \"unread\"\naction = \"read\"\n\n[[rule]]\nfilter = \"unread and titel:x\"\naction = \"hide\"\n",
        )
        .unwrap_err();
        assert!(e.starts_with("c.toml:6:"), "{e}");
        assert!(e.contains("number 2"), "{e}");
        assert!(e.contains("unknown condition `titel`"), "{e}");
        assert!(e.contains("column 12"), "{e}");
        let e = load("[[rule]]\nfilter = 'title:~\"(unclosed\"'\naction = \"hide\"\n").unwrap_err();
        assert!(e.starts_with("c.toml:2:"), "{e}");
        assert!(e.contains("(unclosed"), "{e}");
    }

    #[test]
    fn a_bad_action_names_its_line_and_column() {
        for (text, line, column, words) in [
            (
                "[[rule]]\nfilter = \"unread\"\naction = \"delete\"\n",
                3,
                10,
                "unknown action \"delete\"",
            ),
            (
                "[[rule]]\nfilter = \"unread\"\naction =   \"tag:\"\n",
                3,
                12,
                "unknown action \"tag:\"",
            ),
        ] {
            let e = load(text).unwrap_err();
            assert!(e.starts_with(&format!("c.toml:{line}:")), "{text}: {e}");
            assert!(e.contains(words), "{text}: {e}");
            assert!(e.contains(&format!("column {column}")), "{text}: {e}");
            assert!(e.contains("hide, read, star, highlight or tag:NAME"), "{e}");
        }
    }

    #[test]
    fn shape_problems_name_their_lines() {
        for (text, line, words) in [
            (
                "[[rule]]\nfilter = \"unread\"\nactoin = \"read\"\n",
                3,
                "unknown key `actoin`",
            ),
            ("[[rule]]\nfilter = \"unread\"\n", 1, "needs an `action`"),
            ("[[rule]]\naction = \"read\"\n", 1, "needs a `filter`"),
            (
                "\n[[rule]]\nfilter = 3\naction = \"read\"\n",
                3,
                "must be text",
            ),
            ("[rule]\nfilter = \"unread\"\n", 1, "list of tables"),
        ] {
            let e = load(text).unwrap_err();
            assert!(e.starts_with(&format!("c.toml:{line}:")), "{text}: {e}");
            assert!(e.contains(words), "{text}: {e}");
        }
    }
}
