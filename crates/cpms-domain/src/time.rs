//! Timestamps are UTC instants, written in one fixed-width RFC 3339 form
//! (microseconds, `Z`) so that text comparison orders them correctly in
//! either database engine and the audit hash is stable.

use jiff::Timestamp;

/// `2026-11-23T09:15:14.123456Z`
pub fn format_utc(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// Parses what [`format_utc`] writes (and any other RFC 3339 instant).
pub fn parse_utc(raw: &str) -> Result<Timestamp, jiff::Error> {
    raw.parse()
}

/// Drops sub-microsecond precision, which storage cannot keep.
pub fn truncate_to_micros(ts: Timestamp) -> Timestamp {
    let micros = ts.as_microsecond();
    Timestamp::from_microsecond(micros).unwrap_or(ts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_fixed_width_and_round_trips() {
        let ts: Timestamp = "2026-01-02T03:04:05.000007Z".parse().unwrap();
        let text = format_utc(ts);
        assert_eq!(text, "2026-01-02T03:04:05.000007Z");
        assert_eq!(parse_utc(&text).unwrap(), ts);
        let whole: Timestamp = "2026-01-02T03:04:05Z".parse().unwrap();
        assert_eq!(format_utc(whole), "2026-01-02T03:04:05.000000Z");
    }

    #[test]
    fn text_order_is_time_order() {
        let a = format_utc("2026-01-02T03:04:05.5Z".parse().unwrap());
        let b = format_utc("2026-01-02T03:04:05.25Z".parse().unwrap());
        let c = format_utc("2026-01-02T10:00:00Z".parse().unwrap());
        assert!(b < a && a < c);
    }
}
