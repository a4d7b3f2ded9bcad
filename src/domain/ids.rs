//! Identifiers as types, so that an id of one kind cannot be passed where another is meant, and
//! an account is always named together with the master account it belongs to (R12).

use std::fmt;

use super::permission::AccountKind;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A login.
    PersonId
);
id_type!(
    /// An owner's master account.
    MasterAccountId
);
id_type!(
    /// A sub-account; meaningful only together with its master account (see `AccountRef`).
    SubAccountId
);
id_type!(
    /// One person's access to one owner's accounts, Pending or Active.
    MemberId
);

/// One account: a master account, or one of its sub-accounts. The master account is always part
/// of the reference, so a sub-account id can never be looked up without it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountRef {
    pub master: MasterAccountId,
    pub sub: Option<SubAccountId>,
}

impl AccountRef {
    pub fn master(master: MasterAccountId) -> AccountRef {
        AccountRef { master, sub: None }
    }

    pub fn sub(master: MasterAccountId, sub: SubAccountId) -> AccountRef {
        AccountRef {
            master,
            sub: Some(sub),
        }
    }

    pub fn kind(self) -> AccountKind {
        match self.sub {
            None => AccountKind::Master,
            Some(_) => AccountKind::Sub,
        }
    }

    pub fn is_master(self) -> bool {
        self.sub.is_none()
    }

    /// As forms send it: `12` for a master account, `12:34` for one of its sub-accounts.
    pub fn value(self) -> String {
        match self.sub {
            None => self.master.to_string(),
            Some(sub) => format!("{}:{sub}", self.master),
        }
    }

    /// As the email platform writes it (INTEGRATION.md S15, S16): `42`, or `42/7` for a
    /// sub-account.
    pub fn platform_code(self) -> String {
        match self.sub {
            None => self.master.to_string(),
            Some(sub) => format!("{}/{sub}", self.master),
        }
    }

    /// The inverse of `platform_code`, and only of it: `042` or `42/07` is not how an id is
    /// written, so it names nothing (a second spelling of one account would let a caller slip
    /// past anything that compares codes).
    pub fn parse_platform_code(code: &str) -> Option<AccountRef> {
        if code.contains(':') {
            return None;
        }
        AccountRef::parse(&code.replacen('/', ":", 1))
            .filter(|account| account.platform_code() == code)
    }

    /// A master account's number as a path or an API writes it: digits, no leading zero.
    pub fn parse_master_code(code: &str) -> Option<MasterAccountId> {
        AccountRef::parse_platform_code(code)
            .filter(|account| account.is_master())
            .map(|account| account.master)
    }

    /// The inverse of `value`; anything else (negative, zero, too large, extra parts) is `None`.
    pub fn parse(value: &str) -> Option<AccountRef> {
        let positive = |text: &str| {
            text.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| text.parse::<i64>().ok())
                .flatten()
                .filter(|id| *id > 0)
        };
        match value.split_once(':') {
            None => Some(AccountRef::master(MasterAccountId(positive(value)?))),
            Some((master, sub)) => Some(AccountRef::sub(
                MasterAccountId(positive(master)?),
                SubAccountId(positive(sub)?),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_refs_round_trip_and_refuse_garbage() {
        for account in [
            AccountRef::master(MasterAccountId(3)),
            AccountRef::sub(MasterAccountId(3), SubAccountId(9)),
        ] {
            assert_eq!(AccountRef::parse(&account.value()), Some(account));
            assert_eq!(
                AccountRef::parse_platform_code(&account.platform_code()),
                Some(account)
            );
        }
        assert_eq!(
            AccountRef::sub(MasterAccountId(42), SubAccountId(7)).platform_code(),
            "42/7"
        );
        for bad in ["42:7", "42/7/1", "42/", "/7", "42//7", "0/7"] {
            assert_eq!(AccountRef::parse_platform_code(bad), None, "{bad:?}");
        }
        for bad in [
            "",
            "x",
            "-1",
            "+1",
            "0",
            "3:",
            ":9",
            "3:9:1",
            "3:0",
            " 3",
            "master",
            "9223372036854775808",
        ] {
            assert_eq!(AccountRef::parse(bad), None, "{bad:?}");
        }
        assert_eq!(
            AccountRef::parse("3:9").map(AccountRef::kind),
            Some(AccountKind::Sub)
        );
    }
}
