//! Where an address found in remote content may lead.
//!
//! An address the user typed (or subscribed) may point anywhere they like: a local file, a demo
//! feed, a server on their own network. An address taken from something downloaded (a web page's
//! feed links today; article pages and images later) is the remote author's choice, so a
//! [`LinkPolicy`] holds it to the public web:
//! - only `http` and `https` (never a file, a device, a FIFO or a demo feed);
//! - never a loopback, private, link-local or otherwise non-public address: an IP literal is
//!   refused before any connection is tried; a name is resolved by [`PublicResolver`], which
//!   drops every non-public address it gets back, so the check holds after resolution (and the
//!   client that uses it goes through no proxy, which would resolve the name itself);
//! - the same at every redirect hop;
//! - except on the host of the page the user typed, when the policy was made with
//!   [`LinkPolicy::from_page`]: a page on the user's own `127.0.0.1` may lead to a feed on
//!   `127.0.0.1`, never to `127.0.0.2` or `10.0.0.1`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

use super::FetchError;

/// The rules for an address taken from remote content (see the module documentation).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkPolicy {
    /// The host (as written in its URL, lowercased) that may be reached whatever its address.
    trusted_host: Option<String>,
}

/// How a link that passed [`LinkPolicy::check`] must be fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route {
    /// On the trusted host: any address will do.
    Trusted,
    /// Elsewhere: only through the resolver that keeps public addresses.
    PublicOnly,
}

impl LinkPolicy {
    /// A policy that trusts no host: every link must lead to the public web.
    pub fn strict() -> LinkPolicy {
        LinkPolicy::default()
    }

    /// A policy for links found on `page_url`, the page the user asked for: links back to the
    /// page's own host are trusted as the page was, others must lead to the public web.
    pub fn from_page(page_url: &str) -> LinkPolicy {
        let trusted_host = Url::parse(page_url.trim())
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .and_then(|u| u.host_str().map(str::to_ascii_lowercase));
        LinkPolicy { trusted_host }
    }

    /// Checks `url` before anything is fetched: the scheme, and the host when it is an IP
    /// literal. Names are checked again after resolution (see [`PublicResolver`]).
    pub(crate) fn check(&self, url: &Url) -> Result<Route, FetchError> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(FetchError::NotWebLink(url.scheme().to_string()));
        }
        let Some(host) = url.host() else {
            return Err(FetchError::InvalidAddress(super::display_url(url.as_str())));
        };
        if self
            .trusted_host
            .as_deref()
            .is_some_and(|t| url.host_str().is_some_and(|h| h.eq_ignore_ascii_case(t)))
        {
            return Ok(Route::Trusted);
        }
        let literal = match host {
            Host::Ipv4(ip) => Some(IpAddr::V4(ip)),
            Host::Ipv6(ip) => Some(IpAddr::V6(ip)),
            Host::Domain(_) => None,
        };
        match literal {
            Some(ip) if !is_public(ip) => Err(FetchError::NonPublicAddress(
                url.host_str().unwrap_or_default().to_string(),
            )),
            _ => Ok(Route::PublicOnly),
        }
    }
}

/// Whether `ip` is an address of the public internet: not loopback, private, link-local,
/// shared (carrier-grade NAT), unspecified, broadcast, multicast, documentation, benchmarking or
/// reserved, and, for IPv6, not an IPv4 address of those kinds in disguise (mapped, compatible,
/// NAT64 or 6to4).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (b == 18 || b == 19))
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let s = ip.segments();
    let embedded_v4 = |hi: u16, lo: u16| Ipv4Addr::from(((hi as u32) << 16) | lo as u32);
    if s[..6] == [0, 0, 0, 0, 0, 0] {
        // The unspecified and loopback addresses, and IPv4-compatible ones.
        return !ip.is_unspecified() && !ip.is_loopback() && is_public_v4(embedded_v4(s[6], s[7]));
    }
    if s[0] == 0x64 && s[1] == 0xff9b {
        return is_public_v4(embedded_v4(s[6], s[7]));
    }
    if s[0] == 0x2002 {
        return is_public_v4(embedded_v4(s[1], s[2]));
    }
    !((s[0] & 0xfe00) == 0xfc00 // unique local
        || (s[0] & 0xffc0) == 0xfe80 // link-local
        || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
        || (s[0] & 0xff00) == 0xff00 // multicast
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        || s[0] == 0x0100) // discard-only
}

/// A DNS resolver that keeps only public addresses ([`is_public`]); a name with none left fails
/// to resolve with a [`NonPublicName`] error, and so does a reserved name
/// ([`is_reserved_name`]), which is never looked up.
#[derive(Debug, Clone, Copy, Default)]
pub struct PublicResolver;

/// The error [`PublicResolver`] gives for a name that resolves only to non-public addresses.
#[derive(Debug, thiserror::Error)]
#[error("{0} resolves only to non-public addresses")]
pub struct NonPublicName(pub String);

/// Whether `host` is a special-use name that no public DNS answers (RFC 6761: `example`,
/// `invalid`, `test` and `localhost`, and every name under them): it can have no public
/// address, so it is refused without a lookup.
pub fn is_reserved_name(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let tld = host.rsplit('.').next().unwrap_or("");
    matches!(tld, "example" | "invalid" | "test" | "localhost")
}

impl Resolve for PublicResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            if is_reserved_name(&host) {
                return Err(
                    Box::new(NonPublicName(host)) as Box<dyn std::error::Error + Send + Sync>
                );
            }
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = found.into_iter().filter(|a| is_public(a.ip())).collect();
            if public.is_empty() {
                return Err(
                    Box::new(NonPublicName(host)) as Box<dyn std::error::Error + Send + Sync>
                );
            }
            Ok(Box::new(public.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn reserved_names_are_told_from_others() {
        for name in [
            "site.example",
            "news.invalid",
            "wire.test",
            "localhost",
            "a.b.TEST.",
        ] {
            assert!(is_reserved_name(name), "{name}");
        }
        for name in [
            "example.com",
            "feeds.example.org",
            "testing.net",
            "examples",
            "bbc.co.uk",
        ] {
            assert!(!is_reserved_name(name), "{name}");
        }
    }

    #[test]
    fn a_reserved_name_fails_without_a_lookup() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let name: Name = "story.example".parse().unwrap();
        let err = match rt.block_on(PublicResolver.resolve(name)) {
            Ok(_) => panic!("a reserved name resolved"),
            Err(e) => e.to_string(),
        };
        assert_eq!(err, "story.example resolves only to non-public addresses");
    }

    #[test]
    fn non_public_addresses_are_recognised() {
        for s in [
            "127.0.0.1",
            "127.0.0.2",
            "10.0.0.1",
            "172.16.5.4",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a00:1",
            "2002:a00:1::",
        ] {
            assert!(!is_public(ip(s)), "{s} taken for public");
        }
        for s in ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"] {
            assert!(is_public(ip(s)), "{s} taken for non-public");
        }
    }

    #[test]
    fn links_are_checked_before_any_connection() {
        let strict = LinkPolicy::strict();
        let url = |s: &str| Url::parse(s).unwrap();
        assert_eq!(
            strict.check(&url("http://10.0.0.1/feed")),
            Err(FetchError::NonPublicAddress("10.0.0.1".into()))
        );
        assert_eq!(
            strict.check(&url("http://169.254.169.254/latest/meta-data/")),
            Err(FetchError::NonPublicAddress("169.254.169.254".into()))
        );
        assert_eq!(
            strict.check(&url("http://[::1]:8080/")),
            Err(FetchError::NonPublicAddress("[::1]".into()))
        );
        assert_eq!(
            strict.check(&url("file:///etc/passwd")),
            Err(FetchError::NotWebLink("file".into()))
        );
        assert_eq!(
            strict.check(&url("https://example.org/feed")),
            Ok(Route::PublicOnly)
        );
        let page = LinkPolicy::from_page("http://127.0.0.1:9/page");
        assert_eq!(
            page.check(&url("http://127.0.0.1:10/feed")),
            Ok(Route::Trusted)
        );
        assert_eq!(
            page.check(&url("http://127.0.0.2:10/feed")),
            Err(FetchError::NonPublicAddress("127.0.0.2".into()))
        );
    }
}
