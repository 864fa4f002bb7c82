//! Starting the browser for a link the reader validated (`crate::app::open::validate`): the
//! program is chosen from the settings and `$BROWSER`, and the link is handed over as a single
//! argument, never through a shell.

use std::process::{Child, Command, Stdio};

use crate::config::ReaderSettings;

/// How to start the browser: its program and whether it takes over the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Browser {
    /// The program to run.
    pub program: String,
    /// Arguments placed before the URL (from `$BROWSER`, split on spaces).
    pub args: Vec<String>,
    /// Whether it is a terminal browser to run in the foreground.
    pub in_terminal: bool,
}

/// The browser to use: `[reader] browser`, else `$BROWSER` (its first `:`-separated entry), else
/// the platform opener. It runs in the terminal when its file name is one of `[reader]
/// terminal_browsers`.
pub fn browser(settings: &ReaderSettings, env_browser: Option<&str>) -> Browser {
    let configured = Some(settings.browser.as_str()).filter(|b| !b.trim().is_empty());
    let spec = configured
        .or(env_browser.and_then(|b| b.split(':').find(|s| !s.trim().is_empty())))
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let default = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let mut words = spec.unwrap_or(default).split_whitespace().map(String::from);
    let program = words.next().unwrap_or_else(|| default.to_string());
    let args: Vec<String> = words.filter(|w| w != "%s").collect();
    let base = std::path::Path::new(&program)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("");
    Browser {
        in_terminal: settings.terminal_browsers.iter().any(|t| t == base),
        program,
        args,
    }
}

/// Starts a graphical browser detached from the terminal (its input and output go nowhere).
pub fn spawn_detached(b: &Browser, url: &str) -> std::io::Result<Child> {
    Command::new(&b.program)
        .args(&b.args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
}

/// Runs a terminal browser in the foreground and waits for it; the caller suspends the reader
/// (leaves raw mode and the alternate screen) around this call.
pub fn run_foreground(b: &Browser, url: &str) -> std::io::Result<std::process::ExitStatus> {
    Command::new(&b.program).args(&b.args).arg(url).status()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(browser: &str, terminal: &[&str]) -> ReaderSettings {
        ReaderSettings {
            browser: browser.to_string(),
            terminal_browsers: terminal.iter().map(|t| t.to_string()).collect(),
            ..ReaderSettings::default()
        }
    }

    #[test]
    fn browser_choice() {
        let shipped = ReaderSettings::default();
        let b = browser(&shipped, Some("w3m:firefox"));
        assert_eq!(b.program, "w3m");
        assert!(b.in_terminal);
        let b = browser(&shipped, Some("firefox --new-tab %s"));
        assert_eq!(b.args, vec!["--new-tab"]);
        assert!(!b.in_terminal);
        let b = browser(&settings("/usr/bin/lynx", &["lynx"]), Some("firefox"));
        assert_eq!(b.program, "/usr/bin/lynx");
        assert!(b.in_terminal);
        assert!(!browser(&shipped, None).program.is_empty());
    }

    #[test]
    fn the_configured_terminal_browsers_decide_what_runs_in_the_terminal() {
        // The shipped list names carbonyl; a user's list replaces it.
        assert!(!browser(&settings("carbonyl", &[]), None).in_terminal);
        assert!(browser(&settings("carbonyl", &["carbonyl"]), None).in_terminal);
        assert!(browser(&ReaderSettings::default(), Some("carbonyl")).in_terminal);
        let user = crate::config::Config::from_user_text(
            "[reader]\nterminal_browsers = [\"mybrowse\"]\n",
            std::path::Path::new("c.toml"),
        )
        .unwrap();
        assert!(browser(&user.reader, Some("/opt/bin/mybrowse")).in_terminal);
        assert!(!browser(&user.reader, Some("w3m")).in_terminal);
    }
}
