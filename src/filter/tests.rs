//! Tests of the language as a whole: parsing, errors and evaluation over plain items.

use super::*;

/// An item as plain data.
#[derive(Default)]
struct Item {
    title: &'static str,
    text: &'static str,
    author: Option<&'static str>,
    feed: &'static str,
    url: Option<&'static str>,
    tags: Vec<&'static str>,
    unread: bool,
    starred: bool,
    time: i64,
}

impl Subject for Item {
    fn unread(&self) -> bool {
        self.unread
    }
    fn starred(&self) -> bool {
        self.starred
    }
    fn time(&self) -> i64 {
        self.time
    }
    fn any_value(&self, field: Field, test: &mut dyn FnMut(&str) -> bool) -> bool {
        match field {
            Field::Title => test(self.title),
            Field::Text => test(self.text),
            Field::Author => self.author.is_some_and(test),
            Field::Feed => test(self.feed),
            Field::Url => self.url.is_some_and(test),
            Field::Tag => self.tags.iter().any(|t| test(t)),
        }
    }
}

const NOW: i64 = 1_000_000_000;

fn sample() -> Vec<Item> {
    vec![
        Item {
            title: "River market reopens",
            text: "The café by the river reopened.",
            author: Some("A. Writer"),
            feed: "Harbour Gazette",
            url: Some("https://harbour.example/river"),
            tags: vec!["news", "local"],
            unread: true,
            time: NOW - 3_600,
            ..Item::default()
        },
        Item {
            title: "Sponsored: buy a boat",
            text: "Boats for sale.",
            feed: "Harbour Gazette",
            tags: vec!["news", "local"],
            unread: true,
            time: NOW - 3 * 86_400,
            ..Item::default()
        },
        Item {
            title: "New compiler released",
            text: "A faster Rust compiler.",
            author: Some("B. Coder"),
            feed: "Tech Weekly",
            url: Some("https://tech.example/compiler"),
            tags: vec!["tech"],
            starred: true,
            time: NOW - 10 * 86_400,
            ..Item::default()
        },
        Item {
            title: "Market news from the North",
            text: "Prices rose at the MARCHÉ.",
            feed: "North Post",
            tags: vec!["tech", "news"],
            unread: true,
            time: NOW - 86_400,
            ..Item::default()
        },
    ]
}

/// The indexes of the sample items that pass `src`.
fn hits(src: &str) -> Vec<usize> {
    let e = parse(src).unwrap_or_else(|e| panic!("{e}"));
    sample()
        .iter()
        .enumerate()
        .filter(|(_, it)| matches(&e, *it, NOW))
        .map(|(i, _)| i)
        .collect()
}

#[test]
fn the_examples_of_the_issue_select_what_they_say() {
    assert_eq!(
        hits(r#"unread and tag:tech and not title:~"(?i)sponsored""#),
        [3]
    );
    assert_eq!(
        hits(r#"feed:"Harbour Gazette" or author:"A. Writer""#),
        [0, 1]
    );
    assert_eq!(
        hits(r#"(title:"river" or title:"market") and not feed:"North""#),
        [0]
    );
}

#[test]
fn flags_and_age() {
    assert_eq!(hits("unread"), [0, 1, 3]);
    assert_eq!(hits("starred"), [2]);
    assert_eq!(hits("not unread"), [2]);
    assert_eq!(hits("age < 2d"), [0, 3]);
    assert_eq!(hits("age <= 1d"), [0, 3]);
    assert_eq!(hits("age > 1w"), [2]);
    assert_eq!(hits("age >= 3d and age < 2w"), [1, 2]);
    assert_eq!(hits("age < 2h"), [0]);
}

#[test]
fn words_regex_and_exact() {
    assert_eq!(hits("text:cafe"), [0]);
    assert_eq!(hits("text:\"marche\""), [3]);
    assert_eq!(hits("title:market"), [0, 3]);
    assert_eq!(hits("title:\"market reopens\""), [0]);
    assert_eq!(hits("title:\"reopens market\""), Vec::<usize>::new());
    assert_eq!(hits("title:mark"), Vec::<usize>::new());
    assert_eq!(hits(r#"title:~"^[A-Z][a-z]+ market""#), [0]);
    assert_eq!(hits(r#"url:~"tech\.example""#), [2]);
    assert_eq!(hits(r#"feed="Tech Weekly""#), [2]);
    assert_eq!(hits(r#"feed="tech weekly""#), Vec::<usize>::new());
    assert_eq!(hits("tag=local"), [0, 1]);
    assert_eq!(hits("author:writer"), [0]);
    assert_eq!(hits("not author:writer"), [1, 2, 3]);
}

#[test]
fn and_binds_tighter_than_or_and_keywords_ignore_case() {
    assert_eq!(hits("starred or unread AND tag:tech"), [2, 3]);
    assert_eq!(hits("(starred OR unread) and tag:tech"), [2, 3]);
    assert_eq!(hits("Not Unread"), [2]);
}

#[test]
fn the_canonical_text_parses_back_to_the_same_tree() {
    for src in [
        r#"unread and tag:tech and not title:~"(?i)spon\"sored""#,
        r#"(title:"river" or title:"market") and not feed:"North" and age >= 36h"#,
        r#"url="https://x.example/a\\b" or age < 2w or age > 3d"#,
    ] {
        let e = parse(src).unwrap();
        let again = parse(&e.to_string()).unwrap_or_else(|err| panic!("{e}: {err}"));
        assert_eq!(again, e, "{src}");
    }
}

/// The error's text, with its caret line, for `src`.
fn error(src: &str) -> FilterError {
    parse(src).expect_err(src)
}

#[test]
fn an_error_quotes_the_expression_and_points_at_the_problem() {
    let e = error("unread and titel:river");
    assert_eq!(e.column(), 12);
    let text = e.to_string();
    assert!(text.contains("unknown condition `titel`"), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[1], "  unread and titel:river");
    assert_eq!(lines[2], format!("  {}^", " ".repeat(11)));

    let e = error("unread and");
    assert_eq!(e.column(), 11);
    assert!(e.message.contains("expected a condition"), "{}", e.message);

    let e = error("(unread or starred");
    assert!(e.message.contains("`)`"), "{}", e.message);
    assert_eq!(e.column(), 19);

    let e = error("unread starred");
    assert!(
        e.message.contains("expected `and` or `or`"),
        "{}",
        e.message
    );
    assert_eq!(e.column(), 8);

    let e = error("age < 2 days");
    assert_eq!(e.column(), 7);
    let e = error("age = 2d");
    assert_eq!(e.column(), 5);
    let e = error("title:");
    assert_eq!(e.column(), 7);
    let e = error("title:\"?!\"");
    assert!(e.message.contains("no word"), "{}", e.message);
    let e = error("unread)");
    assert!(e.message.contains("closes nothing"), "{}", e.message);
    assert!(error("   ").message.contains("empty"));
}

#[test]
fn a_bad_regex_is_named() {
    let e = error(r#"tag:tech and title:~"(unclosed""#);
    assert!(
        e.message.contains("bad regex \"(unclosed\""),
        "{}",
        e.message
    );
    assert_eq!(e.column(), 21);
}

#[test]
fn the_caret_sits_under_wide_characters_correctly() {
    let text = error("title:東京 oops").to_string();
    let lines: Vec<&str> = text.lines().collect();
    // "title:東京 " is 6 + 4 + 1 = 11 cells wide.
    assert_eq!(lines[2], format!("  {}^", " ".repeat(11)));
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!("{}unread{}", "(".repeat(10_000), ")".repeat(10_000));
    assert!(error(&deep).message.contains("nested"));
    let nots = format!("{}unread", "not ".repeat(10_000));
    assert!(error(&nots).message.contains("nested"));
    let ok = format!("{}unread{}", "(".repeat(20), ")".repeat(20));
    assert!(parse(&ok).is_ok());
}
