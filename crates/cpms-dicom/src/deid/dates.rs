//! Shifting DA and DT values by whole days (Retain Longitudinal Temporal Information,
//! Modified Dates option).

/// Shifts one DA value (`YYYYMMDD`); `None` when it is not a full, valid date.
pub(crate) fn shift_date(value: &str, days: i32) -> Option<String> {
    let value = value.trim();
    if value.len() != 8 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i64 = value[0..4].parse().ok()?;
    let month: u32 = value[4..6].parse().ok()?;
    let day: u32 = value[6..8].parse().ok()?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let (y, m, d) = civil_from_days(days_from_civil(year, month, day) + i64::from(days));
    (0..=9999)
        .contains(&y)
        .then(|| format!("{y:04}{m:02}{d:02}"))
}

/// Shifts the date part of a DT value, keeping the time and offset; `None` without a full date.
pub(crate) fn shift_datetime(value: &str, days: i32) -> Option<String> {
    let value = value.trim();
    let date = shift_date(value.get(..8)?, days)?;
    Some(format!("{date}{}", &value[8..]))
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifts_across_month_year_and_leap_day() {
        assert_eq!(shift_date("20200228", 1).as_deref(), Some("20200229"));
        assert_eq!(shift_date("20190228", 1).as_deref(), Some("20190301"));
        assert_eq!(shift_date("20201231", 1).as_deref(), Some("20210101"));
        assert_eq!(shift_date("20210101", -1).as_deref(), Some("20201231"));
        assert_eq!(shift_date("20000101", -36_524).as_deref(), Some("19000101"));
    }

    #[test]
    fn rejects_partial_or_invalid_dates() {
        assert_eq!(shift_date("2020", 3), None);
        assert_eq!(shift_date("20200230", 3), None);
        assert_eq!(shift_date("2020AB01", 3), None);
    }

    #[test]
    fn datetime_keeps_time_and_offset() {
        assert_eq!(
            shift_datetime("20200301101500.25+0100", -1).as_deref(),
            Some("20200229101500.25+0100")
        );
        assert_eq!(shift_datetime("2020", 1), None);
    }
}
