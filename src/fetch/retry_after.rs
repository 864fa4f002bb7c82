//! Reading a `Retry-After` header: delay-seconds or an HTTP-date, capped at a day.

use std::time::Duration;

use chrono::DateTime;

/// The longest wait a server can ask for; anything longer is cut to this.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// The wait a `Retry-After` value asks for, counted from `now` (Unix seconds), capped at
/// [`MAX_RETRY_AFTER`]. A date in the past gives zero; an unreadable value gives `None`.
pub fn parse_retry_after(value: &str, now: i64) -> Option<Duration> {
    let value = value.trim();
    let secs = if let Ok(secs) = value.parse::<u64>() {
        secs
    } else {
        let date = DateTime::parse_from_rfc2822(value).ok()?;
        u64::try_from(date.timestamp().saturating_sub(now)).unwrap_or(0)
    };
    Some(Duration::from_secs(secs).min(MAX_RETRY_AFTER))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_and_dates_are_read() {
        assert_eq!(parse_retry_after("120", 0), Some(Duration::from_secs(120)));
        // Sun, 06 Nov 1994 08:49:37 GMT is 784111777.
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784_111_777 - 90),
            Some(Duration::from_secs(90))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784_111_777 + 5),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn long_waits_are_capped_and_junk_ignored() {
        assert_eq!(parse_retry_after("9999999", 0), Some(MAX_RETRY_AFTER));
        assert_eq!(parse_retry_after("soon", 0), None);
        assert_eq!(parse_retry_after("-5", 0), None);
    }
}
