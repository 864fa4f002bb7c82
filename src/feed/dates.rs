//! A feed's dates, read as feed-rs reads them, with the standard forms read directly.
//!
//! feed-rs reads every date through its lenient parser, which rewrites the text with up to ten
//! regular expressions (each copying it) before it tries chrono's RFC 3339, RFC 2822 and
//! RFC 1123 readers in turn: about 12,000 instructions a date, 0.65% of the instructions of a
//! 200 x 50 first fetch (counted with chrono's two readers alone). Nearly every feed writes its
//! dates in one of the two standard forms, so [`parse`] tries chrono's RFC 3339 and RFC 2822
//! readers on the text first, and gives what they refuse to feed-rs's own lenient parser, which
//! feed-rs does not export: it is reached through a one-item JSON Feed document whose item has
//! that date, read by feed-rs with its defaults.
//!
//! A date the standard readers accept reads the same both ways (the property test below checks
//! it on generated dates in both forms): the lenient parser's rewrites leave such a date's
//! instant as it was (a weekday chrono has checked, `-0000`, a month name already short), and
//! no RFC 2822 date becomes an RFC 3339 one by its RFC 3339 rewrites. So every date, standard or
//! not, reads as feed-rs always read it.

use chrono::{DateTime, Utc};

/// The instant `text` names, as feed-rs's lenient parser reads it (see the module's
/// documentation); `None` when it names none.
pub(super) fn parse(text: &str) -> Option<DateTime<Utc>> {
    let trimmed = text.trim();
    DateTime::parse_from_rfc3339(trimmed)
        .or_else(|_| DateTime::parse_from_rfc2822(trimmed))
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| lenient(text))
}

/// feed-rs's own lenient reading of `text`, through a one-item JSON Feed document.
fn lenient(text: &str) -> Option<DateTime<Utc>> {
    let doc = serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "",
        "items": [{ "id": "d", "date_published": text }],
    });
    let feed = feed_rs::parser::parse(doc.to_string().as_bytes()).ok()?;
    feed.entries.first()?.published
}

#[cfg(test)]
mod tests {
    use chrono::{FixedOffset, TimeZone, Timelike};

    use super::*;

    #[test]
    fn dates_outside_the_standard_forms_read_as_feed_rs_reads_them() {
        let ten = Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).single();
        for text in [
            "Tue, 01 Dec 2026 10:00:00 UTC",
            "Tuesday, 01 Dec 2026 10:00:00 GMT",
            "Tue, 01 December 2026 10:00:00 GMT",
            "Wed, 01 Dec 2026 10:00:00 GMT",
            "2026-12-01T10:00:00+0000",
            "  Tue, 01 Dec 2026 10:00:00 GMT\n",
        ] {
            assert_eq!(parse(text), ten, "{text}");
        }
        assert_eq!(
            parse("2026-12-01"),
            Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).single()
        );
        for text in ["", "soon", "Tue, 31 Feb 2026 10:00:00 GMT", "\"}]}"] {
            assert_eq!(parse(text), None, "{text}");
        }
    }

    /// `at` with the offset `minutes` east, in one of the forms the direct readers take.
    fn standard_form(at: DateTime<Utc>, minutes: i32, form: u8) -> String {
        let offset = FixedOffset::east_opt(minutes * 60).expect("offset within a day");
        let local = at.with_timezone(&offset);
        match form {
            0 => local.to_rfc2822(),
            1 => local.format("%d %b %Y %H:%M:%S %z").to_string(),
            2 => at.format("%a, %d %b %Y %H:%M:%S GMT").to_string(),
            3 => at.format("%a, %d %b %Y %H:%M GMT").to_string(),
            4 => at.format("%a, %e %b %Y %H:%M:%S -0000").to_string(),
            5 => at.format("%a, %d %b %Y %H:%M:%S UT").to_string(),
            6 => at.format("%a, %d %b %Y %H:%M:%S Z").to_string(),
            7 => (at - chrono::Duration::hours(5))
                .format("%a, %d %b %Y %H:%M:%S EST")
                .to_string(),
            8 => local.to_rfc3339(),
            9 => at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            10 => local.format("%Y-%m-%dT%H:%M:%S%.3f%:z").to_string(),
            _ => local.format("%Y-%m-%d %H:%M:%S%:z").to_string(),
        }
    }

    proptest::proptest! {
        #[test]
        fn a_standard_date_reads_as_the_lenient_parser_reads_it(
            secs in 0i64..4_102_444_800,
            minutes in -719i32..=719,
            form in 0u8..12,
        ) {
            let at = Utc.timestamp_opt(secs, 0).single().expect("in range");
            let text = standard_form(at, minutes, form);
            let direct = DateTime::parse_from_rfc3339(&text)
                .or_else(|_| DateTime::parse_from_rfc2822(&text))
                .map(|d| d.with_timezone(&Utc))
                .ok();
            proptest::prop_assert!(direct.is_some(), "{} is read directly", text);
            proptest::prop_assert_eq!(direct, lenient(&text), "{}", text);
            // Forms 3 drop the seconds; every other form keeps the instant.
            let want = if form == 3 { at.with_second(0) } else { Some(at) };
            proptest::prop_assert_eq!(parse(&text), want, "{}", text);
        }
    }
}
