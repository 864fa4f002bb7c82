//! Running the command that prints the password or token: an argv run without a shell, with
//! standard input closed and a time limit; its first line is the secret, kept in memory only.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long the command may take.
pub const SECRET_TIMEOUT: Duration = Duration::from_secs(10);

/// The most a command may print.
const MAX_OUTPUT: u64 = 64 * 1024;

/// A secret, printed nowhere (its `Debug` is masked).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// The secret's text.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Runs `argv` (no shell, standard input closed) for at most `timeout`, and returns the first
/// line it printed. Errors are one line saying what to fix, never the output itself.
pub fn run_secret_command(argv: &[String], timeout: Duration) -> Result<Secret, String> {
    let Some((program, args)) = argv.split_first() else {
        return Err("the command is empty".to_string());
    };
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run `{program}`: {e}"))?;
    let mut stdout = child.stdout.take().expect("piped stdout");
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = (&mut stdout).take(MAX_OUTPUT).read_to_end(&mut out);
        out
    });
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "`{program}` did not finish within {} s",
                    timeout.as_secs()
                ));
            }
            Err(e) => return Err(format!("`{program}`: {e}")),
        }
    };
    let out = reader.join().unwrap_or_default();
    if !status.success() {
        return Err(format!("`{program}` failed ({status})"));
    }
    let text = String::from_utf8(out).map_err(|_| format!("`{program}` printed no UTF-8 text"))?;
    let line = text.lines().next().unwrap_or("").trim_end_matches('\r');
    if line.is_empty() {
        return Err(format!("`{program}` printed nothing"));
    }
    Ok(Secret(line.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_first_line_is_the_secret_and_no_shell_reads_the_arguments() {
        let s = run_secret_command(&argv(&["printf", "pw $HOME;x\\nsecond\\n"]), SECRET_TIMEOUT)
            .unwrap();
        assert_eq!(s.expose(), "pw $HOME;x");
        assert_eq!(format!("{s:?}"), "Secret(***)");
    }

    #[test]
    fn a_failing_silent_or_slow_command_is_an_error_naming_it() {
        let e = run_secret_command(&argv(&["false"]), SECRET_TIMEOUT).unwrap_err();
        assert!(e.contains("`false` failed"), "{e}");
        let e = run_secret_command(&argv(&["true"]), SECRET_TIMEOUT).unwrap_err();
        assert!(e.contains("printed nothing"), "{e}");
        let started = Instant::now();
        let e = run_secret_command(&argv(&["sleep", "5"]), Duration::from_millis(200)).unwrap_err();
        assert!(e.contains("did not finish"), "{e}");
        assert!(started.elapsed() < Duration::from_secs(4));
        let e = run_secret_command(&[], SECRET_TIMEOUT).unwrap_err();
        assert!(e.contains("empty"), "{e}");
    }

    #[test]
    fn stdin_is_closed() {
        // `cat` with a closed standard input ends at once and prints nothing.
        let e = run_secret_command(&argv(&["cat"]), Duration::from_secs(5)).unwrap_err();
        assert!(e.contains("printed nothing"), "{e}");
    }
}
