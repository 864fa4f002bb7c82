//! The parsed form of a filter expression: a tree of conditions joined by `and`, `or` and `not`.

use std::fmt;

use super::words::Phrase;

/// What an item is asked about by a field condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The item's title.
    Title,
    /// The plain text of the item's stored body.
    Text,
    /// The item's author names.
    Author,
    /// The display title of the item's feed.
    Feed,
    /// The item's link.
    Url,
    /// The tags of the item's feed and those rules set on the item (each one a value of its own).
    Tag,
}

impl Field {
    /// Every field, in the order the error messages list them.
    pub const ALL: [Field; 6] = [
        Field::Title,
        Field::Text,
        Field::Author,
        Field::Feed,
        Field::Url,
        Field::Tag,
    ];

    /// The field's name as written in an expression.
    pub fn name(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Text => "text",
            Field::Author => "author",
            Field::Feed => "feed",
            Field::Url => "url",
            Field::Tag => "tag",
        }
    }

    /// The field named `name` (ignoring ASCII case), if there is one.
    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }
}

/// How a field's value is tested.
#[derive(Debug, Clone)]
pub enum Matcher {
    /// `field:"words"`: whole words, adjacent and in order, ignoring case and diacritics.
    Words(Phrase),
    /// `field:~"regex"`: a regular expression found anywhere in the value.
    Regex(regex::Regex),
    /// `field="exact"`: the whole value, exactly.
    Exact(String),
}

impl PartialEq for Matcher {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Matcher::Words(a), Matcher::Words(b)) => a == b,
            (Matcher::Regex(a), Matcher::Regex(b)) => a.as_str() == b.as_str(),
            (Matcher::Exact(a), Matcher::Exact(b)) => a == b,
            _ => false,
        }
    }
}

impl Matcher {
    /// Whether `value` passes this test.
    pub fn matches(&self, value: &str) -> bool {
        match self {
            Matcher::Words(p) => p.is_in(value),
            Matcher::Regex(r) => r.is_match(value),
            Matcher::Exact(s) => value == s,
        }
    }
}

/// A comparison in an age condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl Cmp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
        }
    }

    /// Whether `a <op> b`.
    pub fn holds(self, a: i64, b: i64) -> bool {
        match self {
            Cmp::Lt => a < b,
            Cmp::Le => a <= b,
            Cmp::Gt => a > b,
            Cmp::Ge => a >= b,
        }
    }
}

/// A filter expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// Both hold.
    And(Box<Expr>, Box<Expr>),
    /// Either holds.
    Or(Box<Expr>, Box<Expr>),
    /// The inner expression does not hold.
    Not(Box<Expr>),
    /// The item is unread.
    Unread,
    /// The item is starred.
    Starred,
    /// `age <op> N[h|d|w]`: the item's age (from its published date, else its arrival) compared
    /// with a number of seconds.
    Age {
        /// The comparison.
        cmp: Cmp,
        /// The right-hand side, in seconds.
        secs: i64,
    },
    /// A test of one field's value (any one value, for a field with several).
    Field {
        /// Which field.
        field: Field,
        /// The test.
        matcher: Matcher,
    },
}

impl Expr {
    /// Whether any condition in the expression reads `field`.
    pub fn reads(&self, field: Field) -> bool {
        match self {
            Expr::And(a, b) | Expr::Or(a, b) => a.reads(field) || b.reads(field),
            Expr::Not(a) => a.reads(field),
            Expr::Field { field: f, .. } => *f == field,
            Expr::Unread | Expr::Starred | Expr::Age { .. } => false,
        }
    }
}

/// Writes `s` as a double-quoted string, escaping `"` and `\`.
fn quoted(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_str("\"")?;
    for c in s.chars() {
        if c == '"' || c == '\\' {
            f.write_str("\\")?;
        }
        write!(f, "{c}")?;
    }
    f.write_str("\"")
}

/// The canonical text of an expression, fully parenthesised; it parses back to the same tree.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::And(a, b) => write!(f, "({a} and {b})"),
            Expr::Or(a, b) => write!(f, "({a} or {b})"),
            Expr::Not(a) => write!(f, "not {a}"),
            Expr::Unread => f.write_str("unread"),
            Expr::Starred => f.write_str("starred"),
            Expr::Age { cmp, secs } => {
                let (n, unit) = if secs % (7 * 86_400) == 0 {
                    (secs / (7 * 86_400), "w")
                } else if secs % 86_400 == 0 {
                    (secs / 86_400, "d")
                } else {
                    (secs / 3_600, "h")
                };
                write!(f, "age {} {n}{unit}", cmp.symbol())
            }
            Expr::Field { field, matcher } => {
                f.write_str(field.name())?;
                match matcher {
                    Matcher::Words(p) => {
                        f.write_str(":")?;
                        quoted(f, p.as_written())
                    }
                    Matcher::Regex(r) => {
                        f.write_str(":~")?;
                        quoted(f, r.as_str())
                    }
                    Matcher::Exact(s) => {
                        f.write_str("=")?;
                        quoted(f, s)
                    }
                }
            }
        }
    }
}
