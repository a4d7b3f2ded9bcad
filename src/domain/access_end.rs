//! Access that ends on a date (SPEC S12). The person can work through the end date, in UTC; the
//! access is removed once that day is over, and they are warned a week before.

use chrono::{Datelike, Days, NaiveDate};

/// How long before the end date the person is told.
pub const WARNING_DAYS: u64 = 7;
/// Further ahead than this is a typing mistake (20207), not a plan.
const LONGEST_YEARS: i32 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndDateError {
    /// Not a date as year-month-day.
    Format,
    /// Before today: the access would end before it starts.
    Past,
    /// More than ten years ahead.
    TooFar,
}

/// The "Access ends on" field: empty means the access does not end.
pub fn parse_end_date(typed: &str, today: NaiveDate) -> Result<Option<NaiveDate>, EndDateError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    // Exactly what a date input sends: chrono alone would also take "+2027-3-1".
    let shaped = typed.len() == 10
        && typed.bytes().enumerate().all(|(i, byte)| match i {
            4 | 7 => byte == b'-',
            _ => byte.is_ascii_digit(),
        });
    if !shaped {
        return Err(EndDateError::Format);
    }
    let date = NaiveDate::parse_from_str(typed, "%Y-%m-%d").map_err(|_| EndDateError::Format)?;
    if date < today {
        return Err(EndDateError::Past);
    }
    if today
        .with_year(today.year() + LONGEST_YEARS)
        .is_some_and(|limit| date > limit)
    {
        return Err(EndDateError::TooFar);
    }
    Ok(Some(date))
}

/// The access is over once its last day has passed.
pub fn has_ended(ends_on: NaiveDate, today: NaiveDate) -> bool {
    today > ends_on
}

/// The last day on which a person whose access ends now is still to be warned: everyone whose
/// access ends on or before it is due their warning.
pub fn warn_until(today: NaiveDate) -> NaiveDate {
    today
        .checked_add_days(Days::new(WARNING_DAYS))
        .unwrap_or(today)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn an_end_date_is_today_or_later_and_within_ten_years() {
        let today = day("2026-11-26");
        assert_eq!(parse_end_date("", today), Ok(None));
        assert_eq!(parse_end_date("  ", today), Ok(None));
        assert_eq!(parse_end_date("2026-11-26", today), Ok(Some(today)));
        assert_eq!(
            parse_end_date(" 2027-03-31 ", today),
            Ok(Some(day("2027-03-31")))
        );
        assert_eq!(parse_end_date("2026-11-25", today), Err(EndDateError::Past));
        assert_eq!(
            parse_end_date("2036-11-27", today),
            Err(EndDateError::TooFar)
        );
        for typed in [
            "31/03/2027",
            "2027-02-30",
            "tomorrow",
            "2027-3-31",
            "+2027-03-31",
            "２０２７-03-31",
        ] {
            assert_eq!(
                parse_end_date(typed, today),
                Err(EndDateError::Format),
                "{typed}"
            );
        }
    }

    #[test]
    fn the_access_lasts_through_its_last_day_and_the_warning_comes_a_week_before() {
        let ends = day("2027-03-31");
        assert!(!has_ended(ends, day("2027-03-31")));
        assert!(has_ended(ends, day("2027-04-01")));
        assert!(warn_until(day("2027-03-24")) >= ends);
        assert!(warn_until(day("2027-03-23")) < ends);
    }
}
