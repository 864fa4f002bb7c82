//! Absolute http(s) URLs that parsing would give back unchanged, recognised without parsing.
//!
//! Every link of every body is resolved (`content::links::LinkTable::resolve`), and every link
//! of a feed made absolute (`feed::map`); parsing one with the `url` crate took about 3,500
//! instructions, 1% of a first fetch. Most links in feeds are already written as the URL
//! standard would serialise them: `https://`, a lower-case host name, a path of plain
//! characters. For those the parse changes nothing, and [`is_plain`] says so by looking at the
//! bytes once. Anything it is not sure of (a port, a percent sign, a dot segment, an upper-case
//! or numeric host, punycode, a character some component would percent-encode) goes to the
//! parser as before; a property test holds the two to the same output. It lives in the lowest
//! layer that resolves links, so that `content` can use it too.

/// Whether `href` is an absolute `http` or `https` URL that the URL standard's parser would
/// serialise exactly as written.
pub(crate) fn is_plain(href: &str) -> bool {
    let b = href.as_bytes();
    let rest = if let Some(r) = b.strip_prefix(b"https://") {
        r
    } else if let Some(r) = b.strip_prefix(b"http://") {
        r
    } else {
        return false;
    };
    // The host: dot-separated labels of lower-case letters, digits and hyphens, the last one
    // starting with a letter (a last label starting with a digit may make the host an IPv4
    // address, which the parser rewrites), none starting with `xn--` (punycode, which the
    // parser checks), then the path's `/` (no port, no user, no empty path).
    let Some(slash) = rest.iter().position(|&c| c == b'/') else {
        return false;
    };
    let host = &rest[..slash];
    let mut labels = host.split(|&c| c == b'.').peekable();
    while let Some(label) = labels.next() {
        if label.is_empty()
            || label.starts_with(b"xn--")
            || !label
                .iter()
                .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        {
            return false;
        }
        if labels.peek().is_none() && !label[0].is_ascii_lowercase() {
            return false;
        }
    }
    // The path, query and fragment: characters no component percent-encodes or rewrites, one
    // `#` at most, and no dot segment in the path (`/.` is refused outright).
    let tail = &rest[slash..];
    let mut in_path = true;
    let mut fragment = false;
    for (i, &c) in tail.iter().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => {}
            b'-' | b'_' | b'~' | b'!' | b'$' | b'&' | b'(' | b')' | b'*' | b'+' | b',' | b';'
            | b'=' | b':' | b'@' | b'/' => {}
            b'.' => {
                if in_path && tail[i - 1] == b'/' {
                    return false;
                }
            }
            b'?' => in_path = false,
            b'#' if !fragment => {
                in_path = false;
                fragment = true;
            }
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use url::Url;

    /// What the parser makes of `href`, when it parses.
    fn parsed(href: &str) -> Option<String> {
        Url::parse(href).ok().map(String::from)
    }

    #[test]
    fn takes_ordinary_links_and_leaves_the_rest_to_the_parser() {
        for plain in [
            "https://example.com/",
            "http://feed00012.example/ref/123456",
            "https://wire.example/story/7?src=rss&x=1#top",
            "https://a-b.c0.example/p/a.b/c_d~e!$&()*+,;=:@x",
            "https://example.com/search?q=a.b/./c",
        ] {
            assert!(is_plain(plain), "{plain}");
            assert_eq!(parsed(plain).as_deref(), Some(plain));
        }
        for other in [
            "https://example.com",
            "https://Example.com/",
            "HTTPS://example.com/",
            "https://example.com:443/",
            "https://user@example.com/",
            "https://127.0.0.1/",
            "https://example.0x1/",
            "https://xn--caf-dma.example/",
            "https://a..b/",
            "https://example.com./",
            "https://example.com/a/../b",
            "https://example.com/a/./b",
            "https://example.com/.",
            "https://example.com/a b",
            "https://example.com/%7e",
            "https://example.com/a\\b",
            "https://example.com/?q='x'",
            "https://example.com/#a#b",
            "https://example.com/é",
            "mailto:me@example.com",
            "/relative",
        ] {
            assert!(!is_plain(other), "{other}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        /// Whatever it takes, the parser gives back unchanged.
        #[test]
        fn what_it_takes_parses_to_itself(
            scheme in prop::sample::select(vec!["http://", "https://", "HTTP://", "ftp://"]),
            host in r"[a-z0-9.\-A]{0,12}(x[n]--[a-z]{1,3})?[a-z0-9.]{0,4}",
            tail in r"[/a-zA-Z0-9.\-_~!$&()*+,;=:@?#%'\\ <>`{}|^\[\]]{0,24}",
        ) {
            let href = format!("{scheme}{host}{tail}");
            if is_plain(&href) {
                prop_assert_eq!(parsed(&href), Some(href.clone()));
            }
        }

        /// Built mostly from what it takes, so that most cases are taken.
        #[test]
        fn plain_looking_links_parse_to_themselves(
            scheme in prop::sample::select(vec!["http://", "https://"]),
            labels in prop::collection::vec(r"[a-z][a-z0-9\-]{0,6}", 1..4),
            tail in r"/[/a-z0-9.\-_~:@=&?#]{0,30}",
        ) {
            let href = format!("{scheme}{}{tail}", labels.join("."));
            if is_plain(&href) {
                prop_assert_eq!(parsed(&href), Some(href.clone()));
            }
        }
    }
}
