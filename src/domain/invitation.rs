//! Where a person's access stands (SPEC S2): Pending until they accept, Active after, and Expired
//! when the invitation ran out before acceptance.

use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessStatus {
    Pending,
    Active,
    Expired,
}

impl AccessStatus {
    /// `accepted` from the stored row; expiry is a matter of time, decided at the moment asked.
    pub fn at(
        accepted: bool,
        invitation_expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> AccessStatus {
        match accepted {
            true => AccessStatus::Active,
            false if invitation_expires_at <= now => AccessStatus::Expired,
            false => AccessStatus::Pending,
        }
    }

    /// Only someone who has not accepted can be sent the invitation again (S9).
    pub fn can_resend(self) -> bool {
        self != AccessStatus::Active
    }
}

/// "Invite several people": at most this many addresses in one go (SPEC S12).
pub const MAX_ADDRESSES_AT_ONCE: usize = 50;

/// The addresses pasted into the batch form: one per line, or separated by commas or
/// semicolons, blanks around them and empty entries ignored. Each is still to be checked.
pub fn addresses_in(pasted: &str) -> Vec<&str> {
    pasted
        .split(['\n', '\r', ',', ';'])
        .map(str::trim)
        .filter(|address| !address.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn status_follows_acceptance_and_time() {
        let now = Utc::now();
        assert_eq!(
            AccessStatus::at(true, now - Duration::days(1), now),
            AccessStatus::Active
        );
        assert_eq!(
            AccessStatus::at(false, now + Duration::seconds(1), now),
            AccessStatus::Pending
        );
        assert_eq!(AccessStatus::at(false, now, now), AccessStatus::Expired);
        assert!(AccessStatus::Expired.can_resend() && AccessStatus::Pending.can_resend());
        assert!(!AccessStatus::Active.can_resend());
    }

    #[test]
    fn pasted_addresses_split_on_lines_commas_and_semicolons() {
        assert_eq!(
            addresses_in(
                "ann@example.com, bob@example.com;\r\ncy@example.com\n\n ;, dee@example.com "
            ),
            [
                "ann@example.com",
                "bob@example.com",
                "cy@example.com",
                "dee@example.com"
            ]
        );
        assert!(addresses_in(" \n ,;").is_empty());
        // A display name with a comma is split, and each half is then refused as an address.
        assert_eq!(addresses_in("\"Doe, Ann\" <ann@example.com>").len(), 2);
    }
}
