//! What kind of address a subscription has: a web URL, a local file, or a built-in demo feed.

use std::path::{Path, PathBuf};

use url::Url;

use super::FetchError;
use super::address::{check_raw, normalize};

/// Where a feed's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// An `http` or `https` URL.
    Http(Url),
    /// A local file, from a `file://` URL or a path.
    File(PathBuf),
    /// A feed built into the binary, `demo:NAME`.
    Demo(String),
}

/// Classifies a subscription address.
///
/// Accepted: `http://` and `https://` URLs, `file://` URLs, local paths (absolute, starting with
/// `./` or `../`, or naming an existing file) and `demo:NAME`. Any other scheme is refused with
/// [`FetchError::UnsupportedScheme`]; anything else with [`FetchError::InvalidAddress`]. A
/// control character anywhere in the string is refused first ([`check_raw`]); a web URL comes
/// back in its stored form ([`normalize`]).
pub fn classify(url: &str) -> Result<Source, FetchError> {
    let url = check_raw(url)?;
    if let Some(name) = url.strip_prefix("demo:") {
        return Ok(Source::Demo(name.to_string()));
    }
    if url.starts_with('/') || url.starts_with("./") || url.starts_with("../") {
        return Ok(Source::File(PathBuf::from(url)));
    }
    match Url::parse(url) {
        Ok(parsed) => match parsed.scheme() {
            "http" | "https" if parsed.host_str().is_some_and(|h| !h.is_empty()) => {
                Ok(Source::Http(normalize(&parsed)))
            }
            "http" | "https" => Err(FetchError::InvalidAddress(super::redact(url))),
            "file" => parsed
                .to_file_path()
                .map(Source::File)
                .map_err(|()| FetchError::InvalidAddress(url.to_string())),
            _ if Path::new(url).is_file() => Ok(Source::File(PathBuf::from(url))),
            scheme => Err(FetchError::UnsupportedScheme(scheme.to_string())),
        },
        Err(_) if !url.is_empty() && Path::new(url).exists() => {
            Ok(Source::File(PathBuf::from(url)))
        }
        Err(_) => Err(FetchError::InvalidAddress(url.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_urls_are_http() {
        assert!(matches!(
            classify("https://example.org/feed"),
            Ok(Source::Http(_))
        ));
        assert!(matches!(
            classify(" http://127.0.0.1:8080/x "),
            Ok(Source::Http(_))
        ));
    }

    #[test]
    fn files_and_paths_are_files() {
        assert_eq!(
            classify("file:///tmp/a.xml"),
            Ok(Source::File("/tmp/a.xml".into()))
        );
        assert_eq!(
            classify("/tmp/a.xml"),
            Ok(Source::File("/tmp/a.xml".into()))
        );
        assert_eq!(classify("./a.xml"), Ok(Source::File("./a.xml".into())));
        assert_eq!(classify("../a.xml"), Ok(Source::File("../a.xml".into())));
        assert_eq!(
            classify("Cargo.toml"),
            Ok(Source::File("Cargo.toml".into()))
        );
    }

    #[test]
    fn demo_names_are_demo() {
        assert_eq!(classify("demo:tour"), Ok(Source::Demo("tour".into())));
    }

    #[test]
    fn other_schemes_are_refused() {
        assert_eq!(
            classify("ftp://example.org/feed"),
            Err(FetchError::UnsupportedScheme("ftp".into()))
        );
        assert_eq!(
            classify("javascript:alert(1)"),
            Err(FetchError::UnsupportedScheme("javascript".into()))
        );
        assert!(matches!(
            classify("no-such-file.xml"),
            Err(FetchError::InvalidAddress(_))
        ));
        assert!(matches!(classify(""), Err(FetchError::InvalidAddress(_))));
    }

    #[test]
    fn control_characters_are_refused_and_urls_normalised() {
        assert!(matches!(
            classify("http://h/x\r\nX-Injected: 1"),
            Err(FetchError::ControlCharacter { code: 0x0d, .. })
        ));
        assert!(matches!(
            classify("http://h/\tx"),
            Err(FetchError::ControlCharacter { code: 0x09, .. })
        ));
        assert_eq!(
            classify("HTTP:h:80/x#top"),
            Ok(Source::Http(Url::parse("http://h/x").unwrap()))
        );
    }
}
