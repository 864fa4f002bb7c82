//! Running the programs the user configured for an article: a `pipe` command fed the article's
//! text, an `[open]` command for an enclosure, and writing a saved article. Every program gets an
//! argv (never a shell) and is reaped on a thread of its own, which reports how it ended as a
//! message; the reader never waits for one that runs in the background.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Sender};
use std::thread;
use std::time::Duration;

use crate::app::Msg;

/// How long a `pipe` command has to take in the whole article: one that does not read it by
/// then is stopped, so that it cannot keep a thread and a process alive for nothing.
pub const STDIN_LIMIT: Duration = Duration::from_secs(5);

/// The longest file name the save action makes, in bytes, `.md` and a `-N` suffix included.
const MAX_NAME_BYTES: usize = 200;

/// Starts `argv` in the background with `input` on its standard input and nothing on the
/// terminal; reports on `tx` how it ended.
pub fn spawn_pipe(argv: Vec<String>, input: String, tx: Sender<Msg>) {
    let program = argv[0].clone();
    let child = Command::new(&argv[0])
        .args(&argv[1..])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            let _ = tx.send(Msg::CommandFailed(format!("Cannot start {program}: {e}")));
            return;
        }
    };
    let stdin = child.stdin.take();
    thread::spawn(move || {
        if !feed(stdin, input, STDIN_LIMIT) {
            let _ = child.kill();
            let _ = child.wait();
            let _ = tx.send(Msg::CommandFailed(format!(
                "{program} did not read the article within {} s: stopped",
                STDIN_LIMIT.as_secs()
            )));
            return;
        }
        let _ = tx.send(ended(&program, child.wait(), "Piped the article to"));
    });
}

/// Runs `argv` in the foreground with the terminal and `input` on its standard input, and waits
/// for it; the caller has stepped the reader aside.
pub fn run_pipe_in_terminal(argv: &[String], input: String) -> io::Result<ExitStatus> {
    let mut child = Command::new(&argv[0])
        .args(&argv[1..])
        .stdin(Stdio::piped())
        .spawn()?;
    let stdin = child.stdin.take();
    // The writer ends when the program has read everything or closed its input (at its exit).
    thread::spawn(move || feed(stdin, input, Duration::MAX));
    child.wait()
}

/// Starts an `[open]` command, detached from the terminal; reports on `tx` only a failure.
pub fn spawn_open(argv: Vec<String>, tx: Sender<Msg>) {
    let program = argv[0].clone();
    match detached(&argv) {
        Ok(mut child) => {
            thread::spawn(move || {
                if let Ok(status) = child.wait()
                    && !status.success()
                {
                    let _ = tx.send(Msg::CommandFailed(format!("{program} failed ({status})")));
                }
            });
        }
        Err(e) => {
            let _ = tx.send(Msg::CommandFailed(format!("Cannot start {program}: {e}")));
        }
    }
}

/// Starts `argv` with its input and output going nowhere.
pub fn detached(argv: &[String]) -> io::Result<Child> {
    Command::new(&argv[0])
        .args(&argv[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
}

/// The message for a program that ended: `done` and its name when it succeeded, else a failure.
pub fn ended(program: &str, status: io::Result<ExitStatus>, done: &str) -> Msg {
    match status {
        Ok(s) if s.success() => Msg::Notice(format!("{done} {program}")),
        Ok(s) => Msg::CommandFailed(format!("{program} failed ({s})")),
        Err(e) => Msg::CommandFailed(format!("{program}: {e}")),
    }
}

/// Writes `input` to `stdin` from a thread and closes it; `false` when that did not finish within
/// `limit` (the program does not read). A program that closes its input early is its business.
fn feed(stdin: Option<ChildStdin>, input: String, limit: Duration) -> bool {
    let Some(mut stdin) = stdin else {
        return true;
    };
    let (done_tx, done_rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
        drop(stdin);
        let _ = done_tx.send(());
    });
    match done_rx.recv_timeout(limit) {
        Ok(()) => true,
        Err(mpsc::RecvTimeoutError::Disconnected) => true,
        Err(mpsc::RecvTimeoutError::Timeout) => false,
    }
}

/// Writes `markdown` into `dir` (created if missing) under a name made from `title`, never over
/// an existing file or through a symbolic link: `-2`, `-3`... are tried on a collision.
pub fn save_article(dir: &Path, title: &str, markdown: &str) -> io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let stem = file_stem(title);
    for n in 1..=1000 {
        let name = if n == 1 {
            format!("{stem}.md")
        } else {
            format!("{stem}-{n}.md")
        };
        let path = dir.join(name);
        // `create_new` fails on anything already there, a dangling symbolic link included.
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut file) => {
                file.write_all(markdown.as_bytes())?;
                return Ok(path);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "a thousand saved articles have this title",
    ))
}

/// A file name's stem from a title: no path separators, controls or leading dots, spaces for
/// runs of them, at most [`MAX_NAME_BYTES`] less room for a suffix; "article" when nothing is left.
fn file_stem(title: &str) -> String {
    let mut stem = String::new();
    for c in title.chars() {
        let bad =
            c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|');
        let c = if bad || c.is_whitespace() { ' ' } else { c };
        if c == ' ' && (stem.is_empty() || stem.ends_with(' ')) {
            continue;
        }
        if stem.len() + c.len_utf8() > MAX_NAME_BYTES - 10 {
            break;
        }
        stem.push(c);
    }
    let stem = stem.trim_start_matches(['.', ' ']).trim_end();
    if stem.is_empty() {
        "article".to_string()
    } else {
        stem.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_become_safe_file_names() {
        assert_eq!(file_stem("A/B: c\u{7}d"), "A B c d");
        assert_eq!(file_stem("../../etc/passwd"), "etc passwd");
        assert_eq!(file_stem("..."), "article");
        let long = file_stem(&"é".repeat(300));
        assert!(long.len() <= MAX_NAME_BYTES - 10);
    }

    #[test]
    fn a_second_save_of_a_title_gets_a_suffix_and_a_planted_link_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let first = save_article(dir.path(), "Same", "one").unwrap();
        let second = save_article(dir.path(), "Same", "two").unwrap();
        assert_eq!(first.file_name().unwrap(), "Same.md");
        assert_eq!(second.file_name().unwrap(), "Same-2.md");
        assert_eq!(std::fs::read_to_string(&first).unwrap(), "one");
        let target = dir.path().join("target.txt");
        std::fs::write(&target, "keep").unwrap();
        std::os::unix::fs::symlink(&target, dir.path().join("Linked.md")).unwrap();
        let saved = save_article(dir.path(), "Linked", "new").unwrap();
        assert_eq!(saved.file_name().unwrap(), "Linked-2.md");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
    }

    #[test]
    fn a_program_that_never_reads_is_stopped() {
        let (tx, rx) = mpsc::channel();
        // Far more than a pipe holds, to a program that never reads it.
        let input = "x".repeat(4 << 20);
        spawn_pipe(vec!["sleep".into(), "60".into()], input, tx);
        let msg = rx.recv_timeout(STDIN_LIMIT * 4).expect("a report");
        match msg {
            Msg::CommandFailed(m) => assert!(m.contains("did not read"), "{m}"),
            other => panic!("{other:?}"),
        }
    }
}
