//! newsboat's filter language, translated to tidings' (see [`crate::filter`]); pure.
//!
//! newsboat writes `attribute op value` comparisons (`title =~ "x"`, `unread = "yes"`,
//! `age < 3`, `flags # "s"`), joined by `and` and `or` (which bind alike, to the right: `a and
//! b or c` is `a and (b or c)`) and grouped by parentheses. Its regular expressions are POSIX
//! extended ones that ignore case. [`translate`] gives the tidings text for such an expression,
//! checked by parsing it with [`crate::filter::parse`], or says why it cannot.

use std::fmt;

/// Why a newsboat expression could not be translated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TranslateError {
    /// The text is not a newsboat filter expression.
    #[error("not a newsboat filter (at position {pos}): {message}")]
    Syntax {
        /// Byte offset of the problem, 0-based as newsboat counts.
        pos: usize,
        /// What was expected.
        message: String,
    },
    /// The expression uses something tidings has no equivalent for.
    #[error("{0}")]
    Unsupported(String),
}

/// Translates a newsboat filter expression into the tidings filter language.
pub fn translate(expr: &str) -> Result<String, TranslateError> {
    let mut p = Parser { src: expr, pos: 0 };
    let tree = p.expression()?;
    p.skip_spaces();
    if p.pos < expr.len() {
        return Err(p.error("trailing characters"));
    }
    let text = to_tidings(&tree)?.to_string();
    crate::filter::parse(&text)
        .map_err(|e| TranslateError::Unsupported(format!("the translation {text:?} fails: {e}")))?;
    Ok(text)
}

/// A parsed newsboat expression.
#[derive(Debug, Clone, PartialEq)]
enum Nb {
    And(Box<Nb>, Box<Nb>),
    Or(Box<Nb>, Box<Nb>),
    Cmp {
        attr: String,
        op: &'static str,
        value: String,
    },
}

/// newsboat's comparison operators, longest first so that a prefix never wins.
const OPERATORS: [&str; 12] = [
    "between", "==", "!=", "=~", "!~", "<=", ">=", "!#", "=", "<", ">", "#",
];

struct Parser<'a> {
    src: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.src[self.pos..]
    }

    fn error(&self, message: &str) -> TranslateError {
        TranslateError::Syntax {
            pos: self.pos,
            message: message.to_string(),
        }
    }

    fn skip_spaces(&mut self) {
        let n = self.rest().len() - self.rest().trim_start().len();
        self.pos += n;
    }

    /// `primary (("and" | "or") expression)?`: no precedence, grouped to the right.
    fn expression(&mut self) -> Result<Nb, TranslateError> {
        let left = self.primary()?;
        self.skip_spaces();
        for (word, and) in [("and", true), ("or", false)] {
            let rest = self.rest();
            if let Some(after) = rest.strip_prefix(word)
                && (after.starts_with([' ', '(', '\t']) || after.is_empty())
            {
                self.pos += word.len();
                self.skip_spaces();
                let right = self.expression()?;
                let (l, r) = (Box::new(left), Box::new(right));
                return Ok(if and { Nb::And(l, r) } else { Nb::Or(l, r) });
            }
        }
        Ok(left)
    }

    fn primary(&mut self) -> Result<Nb, TranslateError> {
        self.skip_spaces();
        if self.rest().starts_with('(') {
            self.pos += 1;
            let inner = self.expression()?;
            self.skip_spaces();
            if !self.rest().starts_with(')') {
                return Err(self.error("expected )"));
            }
            self.pos += 1;
            return Ok(inner);
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Nb, TranslateError> {
        let attr: String = self
            .rest()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
            .collect();
        if attr.is_empty() {
            return Err(self.error("expected an attribute name"));
        }
        self.pos += attr.len();
        self.skip_spaces();
        let Some(op) = OPERATORS.into_iter().find(|o| self.rest().starts_with(o)) else {
            return Err(
                self.error("expected one of =~, ==, =, !~, !=, <=, >=, <, >, between, #, !#")
            );
        };
        self.pos += op.len();
        self.skip_spaces();
        let value = self.value()?;
        Ok(Nb::Cmp { attr, op, value })
    }

    /// A quoted string (its `\"` and `\\` kept as written), a number or a range `a:b`.
    fn value(&mut self) -> Result<String, TranslateError> {
        let rest = self.rest();
        if let Some(body) = rest.strip_prefix('"') {
            let mut escaped = false;
            for (i, c) in body.char_indices() {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => {
                        let v = body[..i].to_string();
                        self.pos += i + 2;
                        return Ok(v);
                    }
                    _ => {}
                }
            }
            return Err(self.error("an unclosed quote"));
        }
        let n: String = rest
            .chars()
            .enumerate()
            .take_while(|(i, c)| c.is_ascii_digit() || *c == ':' || (*i == 0 && *c == '-'))
            .map(|(_, c)| c)
            .collect();
        if n.is_empty() || n == "-" {
            return Err(self.error("expected a quoted string, a range or a number"));
        }
        self.pos += n.len();
        Ok(n)
    }
}

/// A tidings expression as written: conditions, negated conditions, and groups.
enum Out {
    Atom(String),
    Not(String),
    All(Vec<Out>),
    Any(Vec<Out>),
}

impl Out {
    fn join(and: bool, a: Out, b: Out) -> Out {
        let mut parts = Vec::new();
        for o in [a, b] {
            match (and, o) {
                (true, Out::All(v)) | (false, Out::Any(v)) => parts.extend(v),
                (_, o) => parts.push(o),
            }
        }
        if and {
            Out::All(parts)
        } else {
            Out::Any(parts)
        }
    }
}

impl fmt::Display for Out {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let group = |f: &mut fmt::Formatter<'_>, parts: &[Out], sep: &str| {
            for (i, p) in parts.iter().enumerate() {
                if i > 0 {
                    write!(f, " {sep} ")?;
                }
                match p {
                    Out::All(_) | Out::Any(_) => write!(f, "({p})")?,
                    _ => write!(f, "{p}")?,
                }
            }
            Ok(())
        };
        match self {
            Out::Atom(s) => f.write_str(s),
            Out::Not(s) => write!(f, "not {s}"),
            Out::All(parts) => group(f, parts, "and"),
            Out::Any(parts) => group(f, parts, "or"),
        }
    }
}

fn to_tidings(nb: &Nb) -> Result<Out, TranslateError> {
    match nb {
        Nb::And(a, b) => Ok(Out::join(true, to_tidings(a)?, to_tidings(b)?)),
        Nb::Or(a, b) => Ok(Out::join(false, to_tidings(a)?, to_tidings(b)?)),
        Nb::Cmp { attr, op, value } => comparison(attr, op, value),
    }
}

/// `s` double-quoted for tidings, with `"` and `\` escaped.
fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// newsboat's `\"` and `\\` in a plain (non-regex) value, undone.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match (c, chars.clone().next()) {
            ('\\', Some(n @ ('"' | '\\'))) => {
                out.push(n);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

fn unsupported(msg: String) -> TranslateError {
    TranslateError::Unsupported(msg)
}

fn comparison(attr: &str, op: &str, value: &str) -> Result<Out, TranslateError> {
    let field = match attr {
        "title" => "title",
        "content" | "description" => "text",
        "author" => "author",
        "feedtitle" => "feed",
        "link" => "url",
        "tags" => "tag",
        "unread" => return unread(op, value),
        "flags" => return flags(op, value),
        "age" => return age(op, value),
        other => {
            return Err(unsupported(format!(
                "tidings has no equivalent of newsboat's attribute {other:?}"
            )));
        }
    };
    if field == "tag" && matches!(op, "=" | "==" | "!=") {
        return Err(unsupported(
            "tags = compares the whole list of a feed's tags; use tags # \"name\"".into(),
        ));
    }
    let positive = match op {
        "=" | "==" | "!=" => format!("{field}={}", quote(&unescape(value))),
        "=~" | "!~" => {
            let re = format!("(?i){value}");
            if let Err(e) = regex::Regex::new(&re) {
                return Err(unsupported(format!(
                    "the regular expression {value:?} does not carry over: {e}"
                )));
            }
            format!("{field}:~{}", quote(&re))
        }
        "#" | "!#" if field == "tag" => format!("tag={}", quote(&unescape(value))),
        "#" | "!#" => format!("{field}:{}", quote(&unescape(value))),
        _ => {
            return Err(unsupported(format!(
                "{attr} {op} compares text as numbers, which tidings does not"
            )));
        }
    };
    Ok(if op.starts_with('!') {
        Out::Not(positive)
    } else {
        Out::Atom(positive)
    })
}

fn unread(op: &str, value: &str) -> Result<Out, TranslateError> {
    let yes = match value {
        "yes" => true,
        "no" => false,
        _ => {
            return Err(unsupported(format!(
                "unread is \"yes\" or \"no\", not {value:?}"
            )));
        }
    };
    match op {
        "=" | "==" | "!=" => {
            if yes == (op != "!=") {
                Ok(Out::Atom("unread".into()))
            } else {
                Ok(Out::Not("unread".into()))
            }
        }
        _ => Err(unsupported(format!("unread {op} is not a yes/no test"))),
    }
}

fn flags(op: &str, value: &str) -> Result<Out, TranslateError> {
    let starred = match (op, value) {
        ("#" | "=~", "s") => Out::Atom("starred".into()),
        ("!#" | "!~", "s") => Out::Not("starred".into()),
        _ => {
            return Err(unsupported(format!(
                "flags {op} {value:?}: tidings keeps one flag, starred (newsboat's \"s\")"
            )));
        }
    };
    Ok(starred)
}

/// newsboat's `age` is whole days since the item's date; tidings compares the exact age, so
/// `age > 3` (4 whole days or more) becomes `age >= 4d`.
fn age(op: &str, value: &str) -> Result<Out, TranslateError> {
    let days = |s: &str| -> Result<i64, TranslateError> {
        s.parse::<i64>()
            .ok()
            .filter(|n| (0..=100_000).contains(n))
            .ok_or_else(|| unsupported(format!("age takes a number of days, not {s:?}")))
    };
    let at_least = |n: i64| Out::Atom(format!("age >= {n}d"));
    let under = |n: i64| Out::Atom(format!("age < {n}d"));
    Ok(match op {
        "between" => {
            let (a, b) = value
                .split_once(':')
                .ok_or_else(|| unsupported(format!("between takes a range a:b, not {value:?}")))?;
            let (a, b) = (days(a)?, days(b)?);
            Out::All(vec![at_least(a.min(b)), under(a.max(b) + 1)])
        }
        "<" => under(days(value)?),
        "<=" => under(days(value)? + 1),
        ">" => at_least(days(value)? + 1),
        ">=" => at_least(days(value)?),
        "=" | "==" => {
            let n = days(value)?;
            Out::All(vec![at_least(n), under(n + 1)])
        }
        "!=" => {
            let n = days(value)?;
            Out::Any(vec![under(n), at_least(n + 1)])
        }
        _ => return Err(unsupported(format!("age {op} is not a comparison of days"))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(nb: &str) -> String {
        translate(nb).unwrap_or_else(|e| panic!("{nb}: {e}"))
    }

    #[test]
    fn comparisons_translate_field_by_field() {
        assert_eq!(ok(r#"title =~ "sponsor""#), r#"title:~"(?i)sponsor""#);
        assert_eq!(ok(r#"title # "Rust""#), r#"title:"Rust""#);
        assert_eq!(
            ok(r#"content !~ "ad(vert)?s""#),
            r#"not text:~"(?i)ad(vert)?s""#
        );
        assert_eq!(ok(r#"author = "A. Writer""#), r#"author="A. Writer""#);
        assert_eq!(ok(r#"feedtitle == "North""#), r#"feed="North""#);
        assert_eq!(ok(r#"tags # "tech""#), r#"tag="tech""#);
        assert_eq!(
            ok(r#"link =~ "example\.org""#),
            r#"url:~"(?i)example\\.org""#
        );
        assert_eq!(ok(r#"unread = "yes""#), "unread");
        assert_eq!(ok(r#"unread != "yes""#), "not unread");
        assert_eq!(ok(r#"flags # "s""#), "starred");
        assert_eq!(ok(r#"flags !# "s""#), "not starred");
    }

    #[test]
    fn whole_days_become_exact_ages() {
        assert_eq!(ok("age < 3"), "age < 3d");
        assert_eq!(ok("age <= 3"), "age < 4d");
        assert_eq!(ok("age > 3"), "age >= 4d");
        assert_eq!(ok("age >= 3"), "age >= 3d");
        assert_eq!(ok("age = 2"), "age >= 2d and age < 3d");
        assert_eq!(ok("age between 5:2"), "age >= 2d and age < 6d");
    }

    #[test]
    fn and_and_or_group_to_the_right_as_in_newsboat() {
        assert_eq!(
            ok(r#"unread = "yes" and title # "a" or title # "b""#),
            r#"unread and (title:"a" or title:"b")"#
        );
        assert_eq!(
            ok(r#"(unread = "yes" and title # "a") or age < 2"#),
            r#"(unread and title:"a") or age < 2d"#
        );
        assert_eq!(
            ok(r#"title # "a" and (age < 1 or age > 9) and flags # "s""#),
            r#"title:"a" and (age < 1d or age >= 10d) and starred"#
        );
    }

    #[test]
    fn what_has_no_equivalent_says_so() {
        let no = |nb: &str| translate(nb).unwrap_err().to_string();
        assert!(no(r#"rssurl =~ "x""#).contains("rssurl"));
        assert!(no(r#"flags # "r""#).contains("starred"));
        assert!(no(r#"title < "x""#).contains("numbers"));
        assert!(no(r#"title =~ "(a""#).contains("regular expression"));
        assert!(no("unread = \"maybe\"").contains("yes"));
        assert!(no(r#"title = "x" and"#).contains("position"));
        assert!(no(r#"title = x"#).contains("position 8"));
        assert!(no(r#"tags = "a b""#).contains("tags #"));
    }
}
