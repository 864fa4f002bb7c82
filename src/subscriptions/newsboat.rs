//! What else a newsboat user brings along besides the feeds: the query feeds of a `urls` file
//! (`"query:NAME:EXPR"`) and the `ignore-article` lines of a newsboat `config` file. Pure: text
//! in, the expressions out, with the line each came from; [`super::newsboat_filter`] translates
//! the expressions.

/// A `"query:NAME:EXPR"` line of a `urls` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryLine {
    /// The line's number, 1-based.
    pub line: usize,
    /// The query feed's name.
    pub name: String,
    /// Its filter, in newsboat's language.
    pub expr: String,
}

/// An `ignore-article "FEED-or-*" "EXPR"` line of a newsboat `config` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoreLine {
    /// The line's number, 1-based.
    pub line: usize,
    /// The feed's URL, or `*` for every feed.
    pub feed: String,
    /// The filter, in newsboat's language.
    pub expr: String,
}

/// Splits a newsboat config or urls line into words: spaces separate them, double quotes group
/// them (`\"` and `\\` inside stand for `"` and `\`; other backslashes are kept, as regular
/// expressions need them), and a `#` outside quotes starts a comment.
pub fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut quoted, mut any) = (false, false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if quoted => match chars.peek() {
                Some(&n @ ('"' | '\\')) => {
                    cur.push(n);
                    chars.next();
                }
                _ => cur.push('\\'),
            },
            '"' => {
                quoted = !quoted;
                any = true;
            }
            '#' if !quoted && !any => break,
            c if c.is_whitespace() && !quoted => {
                if any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(cur);
    }
    out
}

/// The query feed a `urls` line's first word holds (`query:NAME:EXPR`), if it is one.
pub fn query_word(word: &str) -> Option<(String, String)> {
    let rest = word.strip_prefix("query:")?;
    let (name, expr) = rest.split_once(':')?;
    Some((name.trim().to_string(), expr.trim().to_string()))
}

/// The `ignore-article` lines of a newsboat `config` file, and a message for each such line
/// that does not have its two arguments.
pub fn ignore_lines(text: &str) -> (Vec<IgnoreLine>, Vec<(usize, String)>) {
    let mut found = Vec::new();
    let mut bad = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let w = words(line.trim_start_matches('\u{feff}'));
        if w.first().map(String::as_str) != Some("ignore-article") {
            continue;
        }
        match &w[1..] {
            [feed, expr] => found.push(IgnoreLine {
                line: i + 1,
                feed: feed.clone(),
                expr: expr.clone(),
            }),
            _ => bad.push((
                i + 1,
                "ignore-article takes two quoted arguments: a feed's URL or \"*\", and a filter"
                    .to_string(),
            )),
        }
    }
    (found, bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_regex_backslashes_and_undo_quote_escapes() {
        assert_eq!(
            words(r#"ignore-article "*" "title =~ \"a\\.b\" and author # \"x\"" # note"#),
            ["ignore-article", "*", r#"title =~ "a\.b" and author # "x""#]
        );
        assert!(words("# a comment").is_empty());
        assert_eq!(words(r#""" x"#), ["", "x"]);
    }

    #[test]
    fn query_words_split_at_the_second_colon() {
        assert_eq!(
            query_word(r#"query:Fresh news:age < 2 and unread = "yes""#),
            Some(("Fresh news".into(), r#"age < 2 and unread = "yes""#.into()))
        );
        assert_eq!(query_word("https://a/f"), None);
    }

    #[test]
    fn ignore_lines_are_found_with_their_numbers() {
        let text = "show-read-feeds no\nignore-article \"*\" \"title =~ \\\"ad\\\"\"\n\
                    ignore-article \"https://a/f\"\nignore-mode \"display\"\n";
        let (found, bad) = ignore_lines(text);
        assert_eq!(
            found,
            [IgnoreLine {
                line: 2,
                feed: "*".into(),
                expr: "title =~ \"ad\"".into()
            }]
        );
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].0, 3);
    }
}
