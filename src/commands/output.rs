//! The one way the commands print: every text they write passes through the sanitiser, and every
//! JSON text through [`escape_json`].
//!
//! Commands never write to standard output or standard error themselves (a test reads the source
//! and fails if one does): they call [`stdout`] or [`stderr`] and write lines, text or JSON. So a
//! feed title, a tag from an imported list or an error quoting a server's answer cannot reach the
//! terminal as an escape sequence, a control or a bidirectional override, and a new command cannot
//! forget to clean what it prints.

use std::fmt::Display;
use std::io::{self, IsTerminal, Write};

use serde::Serialize;

use crate::content::{escape_json, sanitize, sanitize_line};

/// A sanitising writer over standard output, standard error or (in tests) any writer.
pub struct Out<W: Write> {
    w: W,
}

/// Standard output, sanitised.
pub fn stdout() -> Out<io::StdoutLock<'static>> {
    Out {
        w: io::stdout().lock(),
    }
}

/// Standard error, sanitised.
pub fn stderr() -> Out<io::StderrLock<'static>> {
    Out {
        w: io::stderr().lock(),
    }
}

impl<W: Write> Out<W> {
    /// Wraps any writer.
    pub fn new(w: W) -> Out<W> {
        Out { w }
    }

    /// Writes `text` and a newline. Escape sequences, controls, bidirectional controls and
    /// invisible format characters are removed; the newlines inside `text` are kept.
    pub fn line(&mut self, text: impl Display) -> io::Result<()> {
        let text = text.to_string();
        self.w.write_all(sanitize(&text).as_bytes())?;
        self.w.write_all(b"\n")
    }

    /// Writes `text` as it is, sanitised like [`Out::line`], without adding a newline: for a whole
    /// document (an OPML export).
    pub fn text(&mut self, text: &str) -> io::Result<()> {
        self.w.write_all(sanitize(text).as_bytes())
    }

    /// Writes `value` as pretty JSON and a newline. The data is kept: what the sanitiser would
    /// remove is written as `\u` escapes (C0 controls by `serde_json`, the rest by [`escape_json`]).
    pub fn json(&mut self, value: &impl Serialize) -> anyhow::Result<()> {
        let text = serde_json::to_string_pretty(value)?;
        self.w.write_all(escape_json(&text).as_bytes())?;
        self.w.write_all(b"\n")?;
        Ok(())
    }

    /// Flushes the writer.
    pub fn flush(&mut self) -> io::Result<()> {
        self.w.flush()
    }

    /// The wrapped writer, back.
    pub fn into_inner(self) -> W {
        self.w
    }
}

/// One line of text for a place that is not a command's output (a progress bar's message): the
/// same cleaning as [`Out::line`], newlines included.
pub fn clean_line(text: &str) -> String {
    sanitize_line(text).into_owned()
}

/// Whether standard output is a terminal (`show` wraps to its width then).
pub fn stdout_is_terminal() -> bool {
    io::stdout().is_terminal()
}

/// Whether standard error is a terminal (progress bars go there only then).
pub fn stderr_is_terminal() -> bool {
    io::stderr().is_terminal()
}

/// Prints a fatal error on standard error as `tidings: cause: cause...`, sanitised.
pub fn report_error(e: &anyhow::Error) {
    let chain: Vec<String> = e.chain().map(|c| c.to_string()).collect();
    let text = crate::fetch::redact(&chain.join(": "));
    // A filter error draws a caret under the expression it quotes: its lines are kept, each
    // sanitised on its own.
    if e.chain()
        .any(|c| c.downcast_ref::<crate::filter::FilterError>().is_some())
    {
        let lines: Vec<String> = text
            .lines()
            .map(|l| sanitize_line(l).into_owned())
            .collect();
        let _ = stderr().line(format_args!("tidings: {}", lines.join("\n")));
        return;
    }
    let _ = stderr().line(format_args!("tidings: {}", sanitize_line(&text)));
}

/// Prints a command-line usage error (already rendered as plain text) on standard error,
/// sanitised line by line.
pub fn report_usage(text: &str) {
    let _ = stderr().text(text);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(f: impl FnOnce(&mut Out<Vec<u8>>)) -> String {
        let mut out = Out::new(Vec::new());
        f(&mut out);
        String::from_utf8(out.into_inner()).unwrap()
    }

    #[test]
    fn lines_and_documents_are_sanitised() {
        let s = written(|o| {
            o.line("a\u{1b}[2J\u{1b}]52;c;aGk=\u{7}b\u{9b}31m\u{202e}c\nd")
                .unwrap();
            o.text("<x t=\"\u{7f}\u{2066}\"/>\n").unwrap();
        });
        assert_eq!(s, "abc\nd\n<x t=\"\"/>\n");
    }

    #[test]
    fn json_keeps_the_data_as_escapes() {
        let s = written(|o| o.json(&["t\u{1b}[1m\u{85}\u{202e}"]).unwrap());
        assert!(s.contains("t\\u001b[1m\\u0085\\u202e"), "{s}");
        let back: Vec<String> = serde_json::from_str(&s).unwrap();
        assert_eq!(back, ["t\u{1b}[1m\u{85}\u{202e}"]);
    }

    /// The files that print for the command line, apart from this one.
    fn printing_sources() -> Vec<(String, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = vec![root.join("main.rs"), root.join("cli.rs")];
        for entry in std::fs::read_dir(root.join("commands")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("output.rs") {
                files.push(path);
            }
        }
        files
            .into_iter()
            .map(|p| {
                (
                    p.display().to_string(),
                    std::fs::read_to_string(&p).unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn commands_print_only_through_this_module() {
        let sources = printing_sources();
        assert!(sources.len() >= 8, "{}", sources.len());
        for (path, text) in sources {
            for (n, line) in text.lines().enumerate() {
                for banned in [
                    "print!",
                    "println!",
                    "eprint",
                    "dbg!",
                    "io::stdout()",
                    "io::stderr()",
                ] {
                    assert!(
                        !line.contains(banned),
                        "{path}:{}: `{banned}` bypasses commands::output: {line}",
                        n + 1
                    );
                }
            }
        }
    }
}
