//! A recursive-descent parser from tokens to an [`Expr`].
//!
//! ```text
//! expr  := and ("or" and)*
//! and   := unary ("and" unary)*
//! unary := "not" unary | atom
//! atom  := "(" expr ")" | "unread" | "starred" | "age" CMP DURATION
//!        | FIELD ":" VALUE | FIELD ":" "~" VALUE | FIELD "=" VALUE
//! VALUE := "quoted string" | word        DURATION := N "h" | N "d" | N "w"
//! ```
//!
//! Keywords and field names ignore ASCII case. Nesting is limited to [`MAX_DEPTH`] so that a
//! hostile expression cannot exhaust the stack.

use super::ast::{Cmp, Expr, Field, Matcher};
use super::error::FilterError;
use super::lexer::{Tok, lex};
use super::words::Phrase;

/// The deepest nesting of parentheses and `not` accepted.
pub const MAX_DEPTH: usize = 64;

/// The largest compiled size of a regular expression, in bytes.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// Parses a filter expression.
pub fn parse(src: &str) -> Result<Expr, FilterError> {
    let toks = lex(src)?;
    let mut p = Parser {
        src,
        toks,
        pos: 0,
        depth: 0,
    };
    if p.toks.is_empty() {
        return Err(FilterError::at(src, 0, "the filter is empty"));
    }
    let e = p.or()?;
    if let Some((at, t)) = p.toks.get(p.pos) {
        let msg = match t {
            Tok::Close => "this `)` closes nothing".to_string(),
            t => format!("expected `and` or `or` before {}", t.describe()),
        };
        return Err(FilterError::at(src, *at, msg));
    }
    Ok(e)
}

struct Parser<'a> {
    src: &'a str,
    toks: Vec<(usize, Tok)>,
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(_, t)| t)
    }

    /// Where the next token starts (the end of the text when there is none).
    fn here(&self) -> usize {
        self.toks
            .get(self.pos)
            .map_or(self.src.len(), |(at, _)| *at)
    }

    fn error(&self, at: usize, msg: impl Into<String>) -> FilterError {
        FilterError::at(self.src, at, msg)
    }

    /// An error about the next token: "expected WHAT, found ...".
    fn expected(&self, what: &str) -> FilterError {
        let found = self
            .peek()
            .map_or("the end of the filter".to_string(), Tok::describe);
        self.error(self.here(), format!("expected {what}, found {found}"))
    }

    fn keyword(&self, kw: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(w)) if w.eq_ignore_ascii_case(kw))
    }

    fn or(&mut self) -> Result<Expr, FilterError> {
        let mut e = self.and()?;
        while self.keyword("or") {
            self.pos += 1;
            e = Expr::Or(Box::new(e), Box::new(self.and()?));
        }
        Ok(e)
    }

    fn and(&mut self) -> Result<Expr, FilterError> {
        let mut e = self.unary()?;
        while self.keyword("and") {
            self.pos += 1;
            e = Expr::And(Box::new(e), Box::new(self.unary()?));
        }
        Ok(e)
    }

    fn unary(&mut self) -> Result<Expr, FilterError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error(self.here(), format!("nested more than {MAX_DEPTH} deep")));
        }
        self.depth += 1;
        let e = if self.keyword("not") {
            self.pos += 1;
            self.unary().map(|e| Expr::Not(Box::new(e)))
        } else {
            self.atom()
        };
        self.depth -= 1;
        e
    }

    fn atom(&mut self) -> Result<Expr, FilterError> {
        let Some((at, tok)) = self.toks.get(self.pos).cloned() else {
            return Err(self.expected("a condition"));
        };
        match tok {
            Tok::Open => {
                self.pos += 1;
                let e = self.or()?;
                if self.peek() != Some(&Tok::Close) {
                    let col = self.src.get(..at).map_or(at, |s| s.chars().count()) + 1;
                    return Err(self.expected(&format!("`)` to close the `(` of column {col}")));
                }
                self.pos += 1;
                Ok(e)
            }
            Tok::Word(w) => {
                self.pos += 1;
                let lower = w.to_ascii_lowercase();
                match lower.as_str() {
                    "unread" => Ok(Expr::Unread),
                    "starred" => Ok(Expr::Starred),
                    "age" => self.age(),
                    "and" | "or" => {
                        Err(self.error(at, format!("`{w}` needs a condition before it")))
                    }
                    _ => match Field::from_name(&w) {
                        Some(field) => self.field(field, &w),
                        None => Err(self.error(at, unknown_word(&w))),
                    },
                }
            }
            _ => Err(self.expected("a condition")),
        }
    }

    fn age(&mut self) -> Result<Expr, FilterError> {
        let cmp = match self.peek() {
            Some(Tok::Cmp(s)) => match *s {
                "<" => Cmp::Lt,
                "<=" => Cmp::Le,
                ">" => Cmp::Gt,
                _ => Cmp::Ge,
            },
            _ => return Err(self.expected("`<`, `<=`, `>` or `>=` after `age`")),
        };
        self.pos += 1;
        let at = self.here();
        let Some(Tok::Word(d)) = self.peek().cloned() else {
            return Err(self.expected("an age such as 12h, 2d or 3w"));
        };
        self.pos += 1;
        let secs = duration(&d).ok_or_else(|| {
            self.error(
                at,
                format!("`{d}` is not an age: write a whole number and h, d or w, such as 2d"),
            )
        })?;
        Ok(Expr::Age { cmp, secs })
    }

    fn field(&mut self, field: Field, written: &str) -> Result<Expr, FilterError> {
        let regex = match self.peek() {
            Some(Tok::Colon) => {
                self.pos += 1;
                if self.peek() == Some(&Tok::Tilde) {
                    self.pos += 1;
                    true
                } else {
                    false
                }
            }
            Some(Tok::Eq) => {
                self.pos += 1;
                let (_, value) = self.value(written, "=")?;
                return Ok(Expr::Field {
                    field,
                    matcher: Matcher::Exact(value),
                });
            }
            _ => {
                return Err(self.expected(&format!("`:`, `:~` or `=` after `{written}`")));
            }
        };
        let op = if regex { ":~" } else { ":" };
        let (at, value) = self.value(written, op)?;
        let matcher = if regex {
            let re = regex::RegexBuilder::new(&value)
                .size_limit(REGEX_SIZE_LIMIT)
                .build()
                .map_err(|e| {
                    let detail = match e {
                        regex::Error::Syntax(s) => last_line(&s),
                        regex::Error::CompiledTooBig(_) => "it is too large".to_string(),
                        other => other.to_string(),
                    };
                    self.error(at, format!("bad regex {value:?}: {detail}"))
                })?;
            Matcher::Regex(re)
        } else {
            let phrase = Phrase::new(&value)
                .ok_or_else(|| self.error(at, format!("{value:?} holds no word to look for")))?;
            Matcher::Words(phrase)
        };
        Ok(Expr::Field { field, matcher })
    }

    /// The value after `FIELD OP`: a quoted string or a bare word, with its offset.
    fn value(&mut self, field: &str, op: &str) -> Result<(usize, String), FilterError> {
        let at = self.here();
        match self.peek().cloned() {
            Some(Tok::Str(s)) => {
                self.pos += 1;
                Ok((at, s))
            }
            Some(Tok::Word(w))
                if !["and", "or", "not"]
                    .iter()
                    .any(|k| w.eq_ignore_ascii_case(k)) =>
            {
                self.pos += 1;
                Ok((at, w))
            }
            _ => Err(self.expected(&format!("a value after `{field}{op}`"))),
        }
    }
}

/// The regex crate's syntax errors draw their own caret over several lines; the last line says
/// what is wrong.
fn last_line(s: &str) -> String {
    s.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .map(|l| l.trim().trim_start_matches("error:").trim().to_string())
        .unwrap_or_else(|| s.to_string())
}

/// What to say about a bare word where a condition should be.
fn unknown_word(w: &str) -> String {
    let fields: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
    format!(
        "unknown condition `{w}` (conditions: unread, starred, age, and {} with `:`, `:~` or `=`)",
        fields.join(", ")
    )
}

/// Seconds in `N[h|d|w]`, or `None` when `s` is not one.
fn duration(s: &str) -> Option<i64> {
    let unit = s.chars().last()?;
    let n: i64 = s[..s.len() - unit.len_utf8()].parse().ok()?;
    let per = match unit.to_ascii_lowercase() {
        'h' => 3_600,
        'd' => 86_400,
        'w' => 7 * 86_400,
        _ => return None,
    };
    (n >= 0).then(|| n.checked_mul(per)).flatten()
}
