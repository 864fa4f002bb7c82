//! newsboat's `urls` file: one feed a line, `URL tag "tag with spaces" ~"Title" !`.

use super::Parsed;
use super::newsboat::{self, QueryLine};

/// Reads a newsboat `urls` file. `#` starts a comment line; a tag starting with `~` renames the feed;
/// a lone `!` (newsboat's hidden flag) is ignored.
pub fn parse_urls(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let words = split_words(line);
        let Some((url, rest)) = words.split_first() else {
            continue;
        };
        if url.starts_with("query:") {
            // Read again with newsboat's own quoting, which keeps a regex's backslashes.
            let first = newsboat::words(line).into_iter().next().unwrap_or_default();
            match newsboat::query_word(&first) {
                Some((name, expr)) if !name.is_empty() => parsed.queries.push(QueryLine {
                    line: number + 1,
                    name,
                    expr,
                }),
                _ => parsed.warnings.push(format!(
                    "line {}: a query feed is written \"query:NAME:FILTER\"",
                    number + 1
                )),
            }
            continue;
        }
        let mut title = None;
        let mut tags = Vec::new();
        for w in rest {
            if let Some(t) = w.strip_prefix('~') {
                title = Some(t.to_string());
            } else if w != "!" {
                tags.push(w.clone());
            }
        }
        parsed.push(url, title, &tags);
    }
    parsed
}

/// Splits a line on spaces, keeping double-quoted runs (with `\"` escapes) together.
fn split_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' if quoted => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            '"' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any || !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any || !cur.is_empty() {
        words.push(cur);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_titles_and_comments() {
        let text = "# my feeds\nhttps://a.example/feed.xml tech \"long read\" ~\"A Title\"\n\nhttps://b.example/rss ! news\n";
        let p = parse_urls(text);
        assert_eq!(p.entries.len(), 2);
        assert_eq!(p.entries[0].tags, vec!["tech", "long read"]);
        assert_eq!(p.entries[0].title.as_deref(), Some("A Title"));
        assert_eq!(p.entries[1].tags, vec!["news"]);
        assert!(p.warnings.is_empty());
    }

    #[test]
    fn a_feed_listed_twice_keeps_every_tag() {
        let p = parse_urls("https://a/f one\nhttps://a/f two one\n");
        assert_eq!(p.entries.len(), 1);
        assert_eq!(p.entries[0].tags, vec!["one", "two"]);
    }

    #[test]
    fn query_lines_are_kept_for_translation_with_their_numbers() {
        let text = "https://a/f\n\"query:Unread news:unread = \\\"yes\\\" and title =~ \\\"a\\.b\\\"\" tag\n\"query:broken\"\n";
        let p = parse_urls(text);
        assert_eq!(p.entries.len(), 1);
        assert_eq!(
            p.queries,
            [QueryLine {
                line: 2,
                name: "Unread news".into(),
                expr: r#"unread = "yes" and title =~ "a\.b""#.into(),
            }]
        );
        assert_eq!(p.warnings.len(), 1);
        assert!(p.warnings[0].starts_with("line 3:"), "{:?}", p.warnings);
    }

    #[test]
    fn quoted_words_keep_escaped_quotes() {
        assert_eq!(split_words(r#"u "a \"b\"" c"#), vec!["u", "a \"b\"", "c"]);
    }
}
