//! Splitting an expression into tokens, each with its byte offset for error messages.

use super::error::FilterError;

/// One token of an expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    /// `(`
    Open,
    /// `)`
    Close,
    /// `:`
    Colon,
    /// `~`
    Tilde,
    /// `=`
    Eq,
    /// `<`, `<=`, `>` or `>=`, as written.
    Cmp(&'static str),
    /// A double-quoted string, with its escapes (`\"`, `\\`) undone.
    Str(String),
    /// A run of other characters: a keyword, a field name, a bare word, a duration.
    Word(String),
}

impl Tok {
    /// The token as an error message names it.
    pub fn describe(&self) -> String {
        match self {
            Tok::Open => "`(`".into(),
            Tok::Close => "`)`".into(),
            Tok::Colon => "`:`".into(),
            Tok::Tilde => "`~`".into(),
            Tok::Eq => "`=`".into(),
            Tok::Cmp(s) => format!("`{s}`"),
            Tok::Str(s) => format!("the string {s:?}"),
            Tok::Word(w) => format!("`{w}`"),
        }
    }
}

/// Characters that end a bare word.
fn is_special(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | ':' | '~' | '=' | '<' | '>' | '"')
}

/// The tokens of `src` with their byte offsets.
pub fn lex(src: &str) -> Result<Vec<(usize, Tok)>, FilterError> {
    let mut out = Vec::new();
    let mut chars = src.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let tok = match c {
            c if c.is_whitespace() => continue,
            '(' => Tok::Open,
            ')' => Tok::Close,
            ':' => Tok::Colon,
            '~' => Tok::Tilde,
            '=' => Tok::Eq,
            '<' | '>' => {
                let eq = chars.next_if(|&(_, n)| n == '=').is_some();
                Tok::Cmp(match (c, eq) {
                    ('<', false) => "<",
                    ('<', true) => "<=",
                    (_, false) => ">",
                    (_, true) => ">=",
                })
            }
            '"' => {
                let mut s = String::new();
                let mut closed = false;
                while let Some((_, c)) = chars.next() {
                    match c {
                        '"' => {
                            closed = true;
                            break;
                        }
                        '\\' => match chars.next() {
                            Some((_, e @ ('"' | '\\'))) => s.push(e),
                            Some((_, e)) => {
                                // Kept as written, for regular expressions such as `\d`.
                                s.push('\\');
                                s.push(e);
                            }
                            None => break,
                        },
                        c => s.push(c),
                    }
                }
                if !closed {
                    return Err(FilterError::at(src, at, "this quote is never closed"));
                }
                Tok::Str(s)
            }
            c => {
                let mut w = String::from(c);
                while let Some((_, n)) = chars.next_if(|&(_, n)| !is_special(n)) {
                    w.push(n);
                }
                Tok::Word(w)
            }
        };
        out.push((at, tok));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words_strings_and_operators() {
        let toks: Vec<Tok> = lex(r#"tag:tech and age<=2d or title:~"a\"b\d""#)
            .unwrap()
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        assert_eq!(
            toks,
            vec![
                Tok::Word("tag".into()),
                Tok::Colon,
                Tok::Word("tech".into()),
                Tok::Word("and".into()),
                Tok::Word("age".into()),
                Tok::Cmp("<="),
                Tok::Word("2d".into()),
                Tok::Word("or".into()),
                Tok::Word("title".into()),
                Tok::Colon,
                Tok::Tilde,
                Tok::Str("a\"b\\d".into()),
            ]
        );
    }

    #[test]
    fn an_open_quote_is_an_error_at_the_quote() {
        let e = lex("title:\"river").unwrap_err();
        assert_eq!(e.offset, 6);
    }
}
