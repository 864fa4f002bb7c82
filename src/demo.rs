//! Demo feeds built into the binary, so that a fresh install with no network still shows real content.
//!
//! They are subscribed as `demo:NAME` and served by [`feed`]; the texts under `assets/demo/` were written
//! for tidings.

/// Every built-in demo feed: its name (as in `demo:NAME`) and its bytes.
pub const FEEDS: &[(&str, &[u8])] = &[
    (
        "harbour-gazette",
        include_bytes!("../assets/demo/harbour-gazette.xml"),
    ),
    (
        "lakeside-ledger",
        include_bytes!("../assets/demo/lakeside-ledger.xml"),
    ),
    (
        "science-wire",
        include_bytes!("../assets/demo/science-wire.atom"),
    ),
    (
        "northern-science",
        include_bytes!("../assets/demo/northern-science.json"),
    ),
];

/// The bytes of the demo feed called `name`, if there is one.
pub fn feed(name: &str) -> Option<&'static [u8]> {
    FEEDS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, bytes)| *bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_feed_is_found_by_name_and_unknown_names_are_not() {
        for (name, bytes) in FEEDS {
            assert_eq!(feed(name).map(<[u8]>::len), Some(bytes.len()));
        }
        assert!(feed("no-such-feed").is_none());
    }
}
