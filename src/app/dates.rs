//! Formatting Unix times for the screen, in a fixed offset from UTC so that output is
//! deterministic for a given state.

use chrono::DateTime;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn parts(t: i64, tz_offset: i32) -> Option<(i32, u32, u32, u32, u32)> {
    use chrono::{Datelike, Timelike};
    let d = DateTime::from_timestamp(t.checked_add(i64::from(tz_offset))?, 0)?.naive_utc();
    Some((d.year(), d.month(), d.day(), d.hour(), d.minute()))
}

/// A short date for a headline list: `HH:MM` today, `Mon DD` this year, else `YYYY-MM-DD`;
/// always 10 columns or fewer.
pub fn short(t: i64, now: i64, tz_offset: i32) -> String {
    let (Some(p), Some(n)) = (parts(t, tz_offset), parts(now, tz_offset)) else {
        return "?".to_string();
    };
    if (p.0, p.1, p.2) == (n.0, n.1, n.2) {
        format!("{:02}:{:02}", p.3, p.4)
    } else if p.0 == n.0 {
        format!("{} {:02}", MONTHS[(p.1 - 1) as usize], p.2)
    } else {
        format!("{:04}-{:02}-{:02}", p.0, p.1, p.2)
    }
}

/// A full date and time, `YYYY-MM-DD HH:MM`.
pub fn full(t: i64, tz_offset: i32) -> String {
    match parts(t, tz_offset) {
        Some(p) => format!("{:04}-{:02}-{:02} {:02}:{:02}", p.0, p.1, p.2, p.3, p.4),
        None => "?".to_string(),
    }
}

/// The time of day, `HH:MM`.
pub fn clock(t: i64, tz_offset: i32) -> String {
    match parts(t, tz_offset) {
        Some(p) => format!("{:02}:{:02}", p.3, p.4),
        None => "?".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_dates_depend_on_now() {
        // 2026-11-30 12:00 UTC
        let now = 1_796_040_000;
        assert_eq!(full(now, 0), "2026-11-30 12:00");
        assert_eq!(short(now - 3600, now, 0), "11:00");
        assert_eq!(short(now - 86_400 * 3, now, 0), "Nov 27");
        assert_eq!(short(now - 86_400 * 400, now, 0), "2025-10-26");
        assert_eq!(short(now, now, 3600), "13:00");
        assert_eq!(clock(now, -7200), "10:00");
    }
}
