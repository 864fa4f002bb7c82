//! Filling the placeholders of a command the user configured (`[notify] command`, a `pipe`
//! binding, an `[open]` entry). A command is an argv, never a shell line, and a placeholder is
//! replaced only where it is a whole argument (`"{url}"`, not `"--url={url}"`), so a value can
//! never become two arguments or shell syntax. A value that starts with `-` could be read as an
//! option: it is refused unless the argv has `--` before it. Values lose their control characters
//! (a BEL in a title cannot end an OSC, an ESC cannot start one) and are cut to a length.

use crate::content::sanitize_line;

/// The longest placeholder value, in characters, unless a caller asks for another.
pub const MAX_VALUE_CHARS: usize = 200;

/// Why a command could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArgvError {
    /// The command names no program.
    #[error("the command is empty")]
    Empty,
    /// A value would start with `-` where no `--` ends the options.
    #[error(
        "{placeholder} starts with \"-\" and could be read as an option: put \"--\" before it in the command"
    )]
    LooksLikeOption {
        /// The placeholder, as written (`{title}`).
        placeholder: String,
    },
}

/// A placeholder's value as it may be handed to a program: one line, no control or
/// bidirectional characters, trimmed, at most `max_chars` characters.
pub fn clean_value(value: &str, max_chars: usize) -> String {
    let line = sanitize_line(value);
    let kept: String = line.chars().filter(|c| !c.is_control()).collect();
    kept.trim().chars().take(max_chars).collect()
}

/// The command `template` with each argument that is exactly `{name}` (for a `name` of `values`)
/// replaced by that value, cleaned and cut to `max_chars`. Other arguments pass as written, the
/// program included.
pub fn expand(
    template: &[String],
    values: &[(&str, &str)],
    max_chars: usize,
) -> Result<Vec<String>, ArgvError> {
    if template.first().is_none_or(|p| p.trim().is_empty()) {
        return Err(ArgvError::Empty);
    }
    let mut out = Vec::with_capacity(template.len());
    let mut options_ended = false;
    for (i, arg) in template.iter().enumerate() {
        let found = arg
            .strip_prefix('{')
            .and_then(|a| a.strip_suffix('}'))
            .and_then(|name| values.iter().find(|(n, _)| *n == name));
        match found {
            Some((_, value)) if i > 0 => {
                let value = clean_value(value, max_chars);
                if value.starts_with('-') && !options_ended {
                    return Err(ArgvError::LooksLikeOption {
                        placeholder: arg.clone(),
                    });
                }
                out.push(value);
            }
            _ => {
                options_ended |= i > 0 && arg == "--";
                out.push(arg.clone());
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn whole_arguments_are_replaced_and_parts_are_not() {
        let got = expand(
            &argv(&["echo", "{title}", "title={title}", "{url}", "{other}"]),
            &[
                ("title", "A title; rm -rf ~"),
                ("url", "https://a.example/"),
            ],
            200,
        )
        .unwrap();
        assert_eq!(
            got,
            argv(&[
                "echo",
                "A title; rm -rf ~",
                "title={title}",
                "https://a.example/",
                "{other}"
            ])
        );
    }

    #[test]
    fn a_value_that_looks_like_an_option_is_refused_unless_after_a_double_dash() {
        let values = [("title", "-oProxyCommand=evil")];
        let e = expand(&argv(&["ssh", "{title}"]), &values, 200).unwrap_err();
        assert_eq!(
            e,
            ArgvError::LooksLikeOption {
                placeholder: "{title}".into()
            }
        );
        assert!(e.to_string().contains("--"), "{e}");
        let ok = expand(&argv(&["ssh", "--", "{title}"]), &values, 200).unwrap();
        assert_eq!(ok[2], "-oProxyCommand=evil");
    }

    #[test]
    fn the_program_itself_is_never_a_placeholder() {
        let got = expand(&argv(&["{url}", "x"]), &[("url", "evil")], 200).unwrap();
        assert_eq!(got[0], "{url}");
        assert_eq!(expand(&[], &[], 200), Err(ArgvError::Empty));
        assert_eq!(expand(&argv(&[" "]), &[], 200), Err(ArgvError::Empty));
    }

    #[test]
    fn values_lose_control_characters_and_are_capped() {
        let title = format!(
            "Bell\u{7}\u{1b}]9;pwned\u{7} and\nnewline {}",
            "x".repeat(300)
        );
        let got = expand(&argv(&["n", "{title}"]), &[("title", &title)], 200).unwrap();
        assert!(!got[1].chars().any(char::is_control), "{:?}", got[1]);
        assert!(got[1].starts_with("Bell"), "{:?}", got[1]);
        assert_eq!(got[1].chars().count(), 200);
        assert_eq!(clean_value("a\u{202e}b\u{7f}c\u{85}", 10), "abc");
    }
}
