//! Credentials for the feeds whose `[[feed]]` table asks for them: the password from a
//! `password_command` (run without a shell, standard input closed, at most
//! [`COMMAND_TIMEOUT`]) or from the `.netrc` file.
//!
//! They are resolved once, before the reader takes the terminal (or before `tidings fetch`
//! starts), and kept in memory only: never in the cache, the log or any output (the password is
//! a [`Secret`], whose debug form is masked, and no error message quotes the command's output).

use std::collections::HashMap;
use std::io::Read as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::feeds::FeedSettings;
use crate::fetch::{BasicAuth, Secret};

/// How long a `password_command` may run.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a feed's credentials could not be had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CredentialError {
    /// The program could not be started.
    #[error("{key} {program:?} could not start: {reason}")]
    Start {
        /// The setting that names the command (`password_command`, `token_command`).
        key: &'static str,
        /// The program.
        program: String,
        /// Why.
        reason: String,
    },
    /// The program ran out of time and was stopped.
    #[error("{key} {program:?} took longer than {} s and was stopped", COMMAND_TIMEOUT.as_secs())]
    Timeout {
        /// The setting that names the command.
        key: &'static str,
        /// The program.
        program: String,
    },
    /// The program failed.
    #[error("{key} {program:?} failed ({status})")]
    Failed {
        /// The setting that names the command.
        key: &'static str,
        /// The program.
        program: String,
        /// Its exit status.
        status: String,
    },
    /// The program printed nothing.
    #[error("{key} {program:?} printed nothing")]
    Empty {
        /// The setting that names the command.
        key: &'static str,
        /// The program.
        program: String,
    },
    /// No `.netrc` entry gives a password for the host.
    #[error("no `machine {host}` entry with a password in {file}")]
    NoNetrcEntry {
        /// The host.
        host: String,
        /// The file read.
        file: String,
    },
}

/// Runs `argv` (no shell) with standard input closed and returns the first line it prints,
/// within [`COMMAND_TIMEOUT`].
pub fn run_password_command(argv: &[String]) -> Result<Secret, CredentialError> {
    run_secret_command("password_command", argv, COMMAND_TIMEOUT)
}

/// Runs the command of the setting `key` (`argv`, no shell, standard input closed) for at most
/// `limit`, and returns the first line it printed. Errors name the setting and the program, never
/// what it printed.
pub fn run_secret_command(
    key: &'static str,
    argv: &[String],
    limit: Duration,
) -> Result<Secret, CredentialError> {
    let program = argv.first().cloned().unwrap_or_default();
    let mut child = Command::new(&program)
        .args(&argv[1.min(argv.len())..])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| CredentialError::Start {
            key,
            program: program.clone(),
            reason: e.to_string(),
        })?;
    let mut stdout = child.stdout.take();
    // Read on a thread of its own, so a program that prints a lot cannot block on its pipe.
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        if let Some(s) = stdout.as_mut() {
            let _ = s.take(64 * 1024).read_to_end(&mut out);
        }
        out
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() < limit => std::thread::sleep(Duration::from_millis(10)),
            Ok(None) | Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(CredentialError::Timeout { key, program });
            }
        }
    };
    let out = reader.join().unwrap_or_default();
    if !status.success() {
        return Err(CredentialError::Failed {
            key,
            program,
            status: status.to_string(),
        });
    }
    let text = String::from_utf8_lossy(&out);
    let line = text.lines().next().unwrap_or("").trim_end_matches('\r');
    if line.is_empty() {
        return Err(CredentialError::Empty { key, program });
    }
    Ok(Secret::new(line.to_string()))
}

/// Resolves credentials, running each distinct `password_command` once and reading the
/// `.netrc` file once.
#[derive(Default)]
pub struct Resolver {
    commands: HashMap<Vec<String>, Result<Secret, CredentialError>>,
    netrc: Option<Option<String>>,
}

impl Resolver {
    /// A resolver with nothing run yet.
    pub fn new() -> Resolver {
        Resolver::default()
    }

    /// The credentials `settings` ask for, for the feed at `url`; `None` when they ask for none.
    pub fn credentials(
        &mut self,
        settings: &FeedSettings,
        url: &str,
    ) -> Result<Option<BasicAuth>, CredentialError> {
        if let Some(argv) = &settings.password_command {
            let secret = self
                .commands
                .entry(argv.clone())
                .or_insert_with(|| run_password_command(argv))
                .clone()?;
            return Ok(Some(BasicAuth {
                username: settings.username.clone().unwrap_or_default(),
                password: secret,
            }));
        }
        if settings.netrc != Some(true) {
            return Ok(None);
        }
        let host = url::Url::parse(url.trim())
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default();
        let file = super::netrc::path();
        let shown = file
            .as_ref()
            .map_or_else(|| "~/.netrc".to_string(), |p| p.display().to_string());
        let text = self.netrc.get_or_insert_with(|| {
            let path = file.as_ref()?;
            let bytes =
                crate::fetch::read_local_file(path, super::MAX_CONFIG_BYTES, COMMAND_TIMEOUT)
                    .ok()?;
            String::from_utf8(bytes).ok()
        });
        let entry = text
            .as_deref()
            .and_then(|t| super::netrc::lookup(t, &host))
            .filter(|e| e.password.is_some());
        let Some(entry) = entry else {
            return Err(CredentialError::NoNetrcEntry { host, file: shown });
        };
        Ok(Some(BasicAuth {
            username: settings
                .username
                .clone()
                .or(entry.login)
                .unwrap_or_default(),
            password: Secret::new(entry.password.unwrap_or_default()),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_first_line_is_the_password_and_stdin_is_closed() {
        let s = run_password_command(&argv(&["sh", "-c", "printf 'pw one\\nsecond\\n'"])).unwrap();
        assert_eq!(s.expose(), "pw one");
        // `cat` with standard input closed ends at once with nothing to print.
        assert_eq!(
            run_password_command(&argv(&["cat"])).map(|s| s.expose().to_string()),
            Err(CredentialError::Empty {
                key: "password_command",
                program: "cat".into()
            })
        );
    }

    #[test]
    fn failures_and_slow_programs_are_errors_that_quote_no_output() {
        let e = run_password_command(&argv(&["sh", "-c", "echo leaked; exit 3"])).unwrap_err();
        assert!(matches!(e, CredentialError::Failed { .. }), "{e}");
        assert!(!e.to_string().contains("leaked"), "{e}");
        let started = Instant::now();
        let e = run_secret_command(
            "password_command",
            &argv(&["sleep", "5"]),
            Duration::from_millis(200),
        )
        .unwrap_err();
        assert!(matches!(e, CredentialError::Timeout { .. }), "{e}");
        assert!(started.elapsed() < Duration::from_secs(3));
        // The sync's token_command runs the same way, and its errors name it.
        let e =
            run_secret_command("token_command", &argv(&["false"]), COMMAND_TIMEOUT).unwrap_err();
        assert_eq!(
            e.to_string(),
            "token_command \"false\" failed (exit status: 1)"
        );
        let e = run_password_command(&argv(&["/no/such/program"])).unwrap_err();
        assert!(matches!(e, CredentialError::Start { .. }), "{e}");
    }
}
