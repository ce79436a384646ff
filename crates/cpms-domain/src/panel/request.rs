use crate::org::InvalidValue;
use crate::patient::text;

const MAX_QUESTIONS_CHARS: usize = 10_000;
const MAX_COMMENT_CHARS: usize = 4_000;
/// How far ahead an answer may be asked for.
const MAX_DAYS_AHEAD: i32 = 366;

/// The clinical questions put to the panel: required, bounded.
pub fn questions(raw: &str) -> Result<String, InvalidValue> {
    text("questions", raw, MAX_QUESTIONS_CHARS)
}

/// The date by which the lead would like an answer, if any: not in the
/// past, and within a year.
pub fn answer_by(
    raw: &str,
    today: jiff::civil::Date,
) -> Result<Option<jiff::civil::Date>, InvalidValue> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let date: jiff::civil::Date = raw
        .parse()
        .map_err(|_| InvalidValue::new("answer_by", "must be a date (YYYY-MM-DD)"))?;
    if date < today {
        return Err(InvalidValue::new("answer_by", "cannot be in the past"));
    }
    if date > today.saturating_add(jiff::Span::new().days(MAX_DAYS_AHEAD)) {
        return Err(InvalidValue::new(
            "answer_by",
            "must be within a year from today",
        ));
    }
    Ok(Some(date))
}

/// A comment on a step (returning a request, declining an invitation) or
/// a message body: required, bounded.
pub fn comment(field: &'static str, raw: &str) -> Result<String, InvalidValue> {
    text(field, raw, MAX_COMMENT_CHARS)
}

/// A message in the discussion: required, up to the size of the questions.
pub fn message(raw: &str) -> Result<String, InvalidValue> {
    text("body", raw, MAX_QUESTIONS_CHARS)
}

/// A panel's human reference, `BOND-2026-0042`: the network, the year the
/// request was started and its number in that network and year.
pub fn reference(ern: &crate::org::ErnCode, year: i16, number: i64) -> String {
    format!("{}-{year}-{number:04}", ern.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answer_dates_are_not_in_the_past_nor_beyond_a_year() {
        let today = jiff::civil::date(2026, 11, 23);
        assert_eq!(answer_by(" ", today).unwrap(), None);
        assert_eq!(
            answer_by("2026-11-23", today).unwrap(),
            Some(jiff::civil::date(2026, 11, 23))
        );
        assert_eq!(
            answer_by("2026-11-22", today).unwrap_err().field,
            "answer_by"
        );
        assert!(answer_by("2028-01-01", today).is_err());
        assert!(answer_by("23/11/2026", today).is_err());
    }

    #[test]
    fn references_name_network_year_and_number() {
        let bond = crate::org::ErnCode::parse("BOND").unwrap();
        assert_eq!(reference(&bond, 2026, 42), "BOND-2026-0042");
        assert!(questions("  ").is_err());
    }
}
