//! Why a fetch failed, in one line a reader can act on.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use thiserror::Error;

use super::LocalError;

/// A failed fetch. The `Display` text is the one-line message shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FetchError {
    /// The whole fetch took longer than the configured request timeout.
    #[error("timed out after {}", Secs(*.0))]
    Timeout(Duration),
    /// No connection could be opened within the configured connect timeout.
    #[error("connection timed out after {}", Secs(*.0))]
    ConnectTimeout(Duration),
    /// The server refused the connection.
    #[error("connection refused")]
    ConnectionRefused,
    /// The host name did not resolve.
    #[error("cannot resolve host '{0}'")]
    Dns(String),
    /// Any other network failure, with its innermost cause.
    #[error("network error: {0}")]
    Network(String),
    /// The server answered with an error status.
    #[error("HTTP {0}")]
    Http(u16),
    /// The body (after decompression) exceeded the configured cap, given here in bytes.
    #[error("body larger than {}", Size(*.0))]
    BodyTooLarge(u64),
    /// More redirects than the configured limit.
    #[error("too many redirects")]
    TooManyRedirects,
    /// A redirect status came without a usable `Location`.
    #[error("redirect without a valid Location header")]
    BadRedirect,
    /// A redirect from https to http, refused so that a feed never silently loses TLS.
    #[error("redirect from https to http refused")]
    InsecureRedirect,
    /// An address whose scheme tidings does not fetch.
    #[error("unsupported scheme '{0}' (only http, https, file and local paths)")]
    UnsupportedScheme(String),
    /// A raw address with a control character in it (tab, CR, LF, ESC ...), refused before parsing.
    #[error("the address contains a control character (U+{code:04X} at character {at})")]
    ControlCharacter {
        /// The character's code point.
        code: u32,
        /// Its position in the address, counted in characters from 0.
        at: usize,
    },
    /// A link taken from remote content that leads to a loopback, private, link-local or other
    /// non-public address (the host is given).
    #[error(
        "refused {0}: a link from a downloaded page may not lead to a loopback, private or link-local address"
    )]
    NonPublicAddress(String),
    /// A link taken from remote content that is not `http(s)` (the scheme is given).
    #[error("refused a '{0}' link from a downloaded page: only http and https links are followed")]
    NotWebLink(String),
    /// Neither a URL nor an existing file.
    #[error("not a URL or an existing file: {0}")]
    InvalidAddress(String),
    /// A local file that does not exist.
    #[error("file not found: {}", .0.display())]
    FileNotFound(PathBuf),
    /// A local file that exists but could not be read.
    #[error("cannot read {}: {}", .0.display(), .1)]
    Io(PathBuf, String),
    /// A local source refused or unreadable: not a regular file, over the cap, too slow.
    #[error("cannot read {}: {}", .0.display(), .1)]
    Local(PathBuf, LocalError),
    /// `demo:NAME` with a name the binary does not carry.
    #[error("no built-in demo feed called '{0}'")]
    UnknownDemo(String),
    /// A download's resume came back with a range that does not continue the partial file.
    #[error("the server answered the resume with an unexpected range ({0})")]
    BadRange(String),
    /// The HTTP client could not be set up.
    #[error("cannot set up the HTTP client: {0}")]
    Client(String),
}

impl FetchError {
    /// The error for a local source at `path`: "file not found" when nothing is there, else
    /// the path with the reason.
    pub fn from_local(path: PathBuf, error: LocalError) -> FetchError {
        match error {
            LocalError::NotFound => FetchError::FileNotFound(path),
            other => FetchError::Local(path, other),
        }
    }
}

/// A duration as the messages show it: "30 s", or "0.5 s" below one second.
pub(super) struct Secs(pub(super) Duration);

impl fmt::Display for Secs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        if d.subsec_millis() == 0 {
            write!(f, "{} s", d.as_secs())
        } else {
            write!(f, "{} s", (d.as_millis() as f64 / 100.0).round() / 10.0)
        }
    }
}

/// A byte count as the messages show it: "16 MiB", "512 KiB", "100 bytes".
pub(super) struct Size(pub(super) u64);

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const KIB: u64 = 1024;
        const MIB: u64 = 1024 * 1024;
        match self.0 {
            n if n >= MIB && n % MIB == 0 => write!(f, "{} MiB", n / MIB),
            n if n >= MIB => write!(f, "{:.1} MiB", n as f64 / MIB as f64),
            n if n >= KIB && n % KIB == 0 => write!(f, "{} KiB", n / KIB),
            n => write!(f, "{n} bytes"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_well() {
        assert_eq!(
            FetchError::Timeout(Duration::from_secs(30)).to_string(),
            "timed out after 30 s"
        );
        assert_eq!(
            FetchError::Timeout(Duration::from_millis(500)).to_string(),
            "timed out after 0.5 s"
        );
        assert_eq!(
            FetchError::BodyTooLarge(16 << 20).to_string(),
            "body larger than 16 MiB"
        );
        assert_eq!(
            FetchError::BodyTooLarge(1000).to_string(),
            "body larger than 1000 bytes"
        );
        assert_eq!(FetchError::Http(404).to_string(), "HTTP 404");
        assert_eq!(
            FetchError::UnsupportedScheme("ftp".into()).to_string(),
            "unsupported scheme 'ftp' (only http, https, file and local paths)"
        );
        assert_eq!(
            FetchError::FileNotFound("/x/y.xml".into()).to_string(),
            "file not found: /x/y.xml"
        );
    }
}
