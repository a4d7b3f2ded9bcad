//! How often something may be done (R23): a number of times per window of time, and the verdict
//! on a count. The counts themselves live in the database, so several servers share them.

use std::{
    net::{IpAddr, Ipv6Addr},
    time::Duration,
};

use chrono::{DateTime, Utc};

/// At most `max` times per `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub max: u32,
    pub window: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RateError {
    #[error("write it as a number, a slash and a period: 10/15m, 3/1h or 200/1d")]
    Shape,
    #[error("the number must be 1 or more")]
    Zero,
}

impl Rate {
    pub const fn per_minutes(max: u32, minutes: u64) -> Rate {
        Rate {
            max,
            window: Duration::from_secs(minutes * 60),
        }
    }

    /// `10/15m`, `3/1h`, `200/1d`, `5/30s`.
    pub fn parse(text: &str) -> Result<Rate, RateError> {
        let (max, period) = text.trim().split_once('/').ok_or(RateError::Shape)?;
        let max: u32 = max.trim().parse().map_err(|_| RateError::Shape)?;
        if max == 0 {
            return Err(RateError::Zero);
        }
        let period = period.trim();
        let split = period.len().checked_sub(1).ok_or(RateError::Shape)?;
        let (count, unit) = period.split_at(split);
        let count: u64 = count.parse().map_err(|_| RateError::Shape)?;
        let seconds = match unit {
            "s" => 1,
            "m" => 60,
            "h" => 3600,
            "d" => 86_400,
            _ => return Err(RateError::Shape),
        };
        if count == 0 {
            return Err(RateError::Shape);
        }
        Ok(Rate {
            max,
            window: Duration::from_secs(count * seconds),
        })
    }
}

/// What a counted attempt may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// Over the limit until the current window ends.
    Refused {
        retry_after: Duration,
    },
}

/// The verdict on an attempt, `hits` being the count in the window ending at `window_end`, this
/// attempt included.
pub fn judge(rate: Rate, hits: u32, window_end: DateTime<Utc>, now: DateTime<Utc>) -> Verdict {
    if hits <= rate.max {
        return Verdict::Allowed;
    }
    let left = (window_end - now).to_std().unwrap_or_default();
    // At least a second: a client told "0" would try again at once.
    Verdict::Refused {
        retry_after: left.max(Duration::from_secs(1)),
    }
}

/// How a client is counted by the limits per IP: an IPv4 address as it is, an IPv6 client by its
/// /64, the smallest network a home or server is usually given, since one machine can take any
/// of its 2^64 addresses for each request.
pub fn client_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let network = u128::from(v6) & !((1u128 << 64) - 1);
                format!("{}/64", Ipv6Addr::from(network))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ipv6_client_counts_by_its_64() {
        let key = |text: &str| client_key(text.parse().unwrap());
        assert_eq!(key("203.0.113.9"), "203.0.113.9");
        assert_eq!(key("::ffff:203.0.113.9"), "203.0.113.9");
        assert_eq!(key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(key("2001:db8:1:2:ffff:ffff:ffff:ffff"), "2001:db8:1:2::/64");
        assert_ne!(key("2001:db8:1:3::1"), key("2001:db8:1:2::1"));
    }

    #[test]
    fn rates_read_as_written() {
        assert_eq!(Rate::parse("10/15m"), Ok(Rate::per_minutes(10, 15)));
        assert_eq!(Rate::parse(" 3/1h "), Ok(Rate::per_minutes(3, 60)));
        assert_eq!(Rate::parse("200/1d"), Ok(Rate::per_minutes(200, 1440)));
        assert_eq!(
            Rate::parse("5/30s").unwrap().window,
            Duration::from_secs(30)
        );
        for bad in [
            "", "10", "10/", "/1h", "x/1h", "10/1", "10/1w", "10/0h", "-1/1h", "10/h",
        ] {
            assert_eq!(Rate::parse(bad), Err(RateError::Shape), "{bad:?}");
        }
        assert_eq!(Rate::parse("0/1h"), Err(RateError::Zero));
    }

    #[test]
    fn the_attempt_past_the_limit_waits_for_the_window_to_end() {
        let rate = Rate::per_minutes(3, 60);
        let start = Utc::now();
        let end = start + chrono::Duration::minutes(60);
        assert_eq!(judge(rate, 3, end, start), Verdict::Allowed);
        assert_eq!(
            judge(rate, 4, end, start + chrono::Duration::minutes(45)),
            Verdict::Refused {
                retry_after: Duration::from_secs(15 * 60)
            }
        );
        assert_eq!(
            judge(rate, 9, end, start + chrono::Duration::minutes(61)),
            Verdict::Refused {
                retry_after: Duration::from_secs(1)
            }
        );
    }
}
