//! What the audit log records (SPEC S12, R34): the actions, and the state before and after a
//! change as plain data. A state holds accesses and plan codes only, so a record can never carry
//! a token, password or session key.

use std::{borrow::Cow, ops::Deref};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{
    ids::{AccountRef, MasterAccountId, SubAccountId},
    permission::{Area, AreaSet, Restriction, RestrictionSet},
    role::{CATALOGUE, Grant, Role},
};

/// Everything the log can say happened; the codes are what the database stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    InvitationSent,
    InvitationResent,
    AccessEdited,
    AccessDeleted,
    InvitationAccepted,
    InvitationDeclined,
    /// Someone signed in with another address pressed Accept (R6).
    AcceptRefusedWrongPerson,
    /// A link past its expiry was used.
    AcceptRefusedExpired,
    /// A link already used to accept was used again.
    AcceptRefusedUsed,
    PlanChanged,
    /// Access that ended on the date the owner set.
    AccessExpired,
    OwnershipTransferred,
    /// The owner required two-factor authentication of everyone with access, or stopped.
    TwoFactorRequirementChanged,
}

impl Action {
    pub const ALL: [Action; 13] = [
        Action::InvitationSent,
        Action::InvitationResent,
        Action::AccessEdited,
        Action::AccessDeleted,
        Action::InvitationAccepted,
        Action::InvitationDeclined,
        Action::AcceptRefusedWrongPerson,
        Action::AcceptRefusedExpired,
        Action::AcceptRefusedUsed,
        Action::PlanChanged,
        Action::AccessExpired,
        Action::OwnershipTransferred,
        Action::TwoFactorRequirementChanged,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Action::InvitationSent => "invitation_sent",
            Action::InvitationResent => "invitation_resent",
            Action::AccessEdited => "access_edited",
            Action::AccessDeleted => "access_deleted",
            Action::InvitationAccepted => "invitation_accepted",
            Action::InvitationDeclined => "invitation_declined",
            Action::AcceptRefusedWrongPerson => "accept_refused_wrong_person",
            Action::AcceptRefusedExpired => "accept_refused_expired",
            Action::AcceptRefusedUsed => "accept_refused_used",
            Action::PlanChanged => "plan_changed",
            Action::AccessExpired => "access_expired",
            Action::OwnershipTransferred => "ownership_transferred",
            Action::TwoFactorRequirementChanged => "two_factor_requirement_changed",
        }
    }

    pub fn from_code(code: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|action| action.code() == code)
    }

    /// A refused attempt rather than a change.
    pub fn is_refusal(self) -> bool {
        matches!(
            self,
            Action::AcceptRefusedWrongPerson
                | Action::AcceptRefusedExpired
                | Action::AcceptRefusedUsed
        )
    }
}

/// A state recorded before or after a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// A person's accesses, one entry per account, and the last day of them if they end.
    Access {
        accounts: Vec<AccountAccess>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<NaiveDate>,
    },
    /// An account's plan, by code.
    Plan(String),
    /// Who owns the account, by address.
    Owner(String),
    /// Whether everyone with access needs a second factor.
    TwoFactorRequired(bool),
}

/// One account's access as recorded: readable by an operator without the code at hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountAccess {
    /// `None` for the master account.
    pub sub_account_id: Option<i64>,
    /// The sub-account's name at the time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_account_name: Option<String>,
    pub role: Code,
    pub areas: RecordedAreas,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub restrictions: Vec<Code>,
}

/// A role, area or restriction code as recorded, written and read as its string. A code of the
/// catalogue is borrowed from it rather than copied: a Manager's access to 101 accounts holds
/// some 800 codes, and the Activity page reads 50 such records, so copying them made allocation
/// the largest part of that page's time in the server. A code this version does not know (a
/// role since retired) is kept as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code(Cow<'static, str>);

impl Code {
    fn known(code: &str) -> Option<&'static str> {
        CATALOGUE
            .iter()
            .map(|definition| definition.code)
            .chain(Area::ALL.map(Area::code))
            .chain(Restriction::ALL.map(Restriction::code))
            .find(|known| *known == code)
    }

    /// A code as read: borrowed from the catalogue when it is one of its codes.
    fn read(code: &str) -> Code {
        Code(match Code::known(code) {
            Some(known) => Cow::Borrowed(known),
            None => Cow::Owned(code.to_owned()),
        })
    }
}

impl From<&'static str> for Code {
    fn from(code: &'static str) -> Code {
        Code(Cow::Borrowed(code))
    }
}

impl Deref for Code {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Code, D::Error> {
        struct CodeVisitor;

        impl serde::de::Visitor<'_> for CodeVisitor {
            type Value = Code;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a code")
            }

            fn visit_str<E: serde::de::Error>(self, code: &str) -> Result<Code, E> {
                Ok(Code::read(code))
            }
        }

        deserializer.deserialize_str(CodeVisitor)
    }
}

/// The areas of a recorded access. As this version writes them (areas of the catalogue, in its
/// order, each once) they are held as a set: one allocation fewer for each of up to 101
/// accounts of a record. Any other list (an area since retired, another order) is kept as
/// written, so every record reads back and serializes exactly as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordedAreas {
    Known(AreaSet),
    Written(Vec<Code>),
}

impl RecordedAreas {
    /// The areas of the catalogue among them.
    pub fn set(&self) -> AreaSet {
        match self {
            RecordedAreas::Known(set) => *set,
            RecordedAreas::Written(codes) => codes
                .iter()
                .filter_map(|code| Area::from_code(code))
                .fold(AreaSet::EMPTY, AreaSet::with),
        }
    }
}

impl Serialize for RecordedAreas {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            RecordedAreas::Known(set) => serializer.collect_seq(set.iter().map(Area::code)),
            RecordedAreas::Written(codes) => codes.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for RecordedAreas {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AreasVisitor;

        impl<'de> serde::de::Visitor<'de> for AreasVisitor {
            type Value = RecordedAreas;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of area codes")
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<RecordedAreas, A::Error> {
                let mut set = AreaSet::EMPTY;
                // The catalogue's position of the last area read: each must come after it.
                let mut last = None;
                while let Some(code) = seq.next_element::<Code>()? {
                    match Area::ALL.iter().position(|area| area.code() == &*code) {
                        Some(at) if last.is_none_or(|last| at > last) => {
                            set = set.with(Area::ALL[at]);
                            last = Some(at);
                        }
                        _ => {
                            let mut codes: Vec<Code> =
                                set.iter().map(|a| a.code().into()).collect();
                            codes.push(code);
                            while let Some(code) = seq.next_element::<Code>()? {
                                codes.push(code);
                            }
                            return Ok(RecordedAreas::Written(codes));
                        }
                    }
                }
                Ok(RecordedAreas::Known(set))
            }
        }

        deserializer.deserialize_seq(AreasVisitor)
    }
}

impl State {
    /// The accesses of `grants`, naming each sub-account with `name`.
    pub fn access(
        grants: &[(AccountRef, Grant)],
        name: impl Fn(SubAccountId) -> Option<String>,
        until: Option<NaiveDate>,
    ) -> State {
        State::Access {
            accounts: grants
                .iter()
                .map(|(account, grant)| AccountAccess {
                    sub_account_id: account.sub.map(|sub| sub.0),
                    sub_account_name: account.sub.and_then(&name),
                    role: grant.role.code().into(),
                    areas: RecordedAreas::Known(grant.areas),
                    restrictions: grant.restrictions.iter().map(|r| r.code().into()).collect(),
                })
                .collect(),
            until,
        }
    }

    /// The recorded accesses as grants of `master`, for describing them in words. An entry whose
    /// role is no longer in the catalogue is left out.
    pub fn grants(&self, master: MasterAccountId) -> Vec<(AccountRef, Grant)> {
        let State::Access {
            accounts: accesses, ..
        } = self
        else {
            return Vec::new();
        };
        accesses
            .iter()
            .filter_map(|access| {
                let account = AccountRef {
                    master,
                    sub: access.sub_account_id.map(SubAccountId),
                };
                let grant = Grant {
                    role: Role::from_code(&access.role)?,
                    areas: access.areas.set(),
                    restrictions: access
                        .restrictions
                        .iter()
                        .filter_map(|r| Restriction::from_code(r))
                        .fold(RestrictionSet::NONE, RestrictionSet::with),
                };
                Some((account, grant))
            })
            .collect()
    }

    /// The names the record gave its sub-accounts (they may since have been renamed), by id, for
    /// a binary search: a record of 101 accounts looked up one sub-account at a time, each by a
    /// walk of the record, made 5,000 comparisons.
    pub fn sub_account_names(&self) -> Vec<(SubAccountId, &str)> {
        let State::Access {
            accounts: accesses, ..
        } = self
        else {
            return Vec::new();
        };
        let mut names: Vec<(SubAccountId, &str)> = accesses
            .iter()
            .filter_map(|access| {
                Some((
                    SubAccountId(access.sub_account_id?),
                    access.sub_account_name.as_deref()?,
                ))
            })
            .collect();
        names.sort_unstable_by_key(|(id, _)| *id);
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grants() -> Vec<(AccountRef, Grant)> {
        let master = MasterAccountId(7);
        vec![
            (
                AccountRef::master(master),
                Grant {
                    role: Role::Manager,
                    areas: Role::Manager.areas_on(crate::domain::permission::AccountKind::Master),
                    restrictions: RestrictionSet::of(&[Restriction::ALL[0]]),
                },
            ),
            (
                AccountRef::sub(master, SubAccountId(3)),
                Grant {
                    role: Role::Custom,
                    areas: AreaSet::of(&[Area::ALL[0], Area::ALL[1]]),
                    restrictions: RestrictionSet::of(&[]),
                },
            ),
        ]
    }

    #[test]
    fn every_action_has_its_own_code() {
        for action in Action::ALL {
            assert_eq!(Action::from_code(action.code()), Some(action));
        }
        assert_eq!(Action::from_code("owner_deleted_everything"), None);
    }

    #[test]
    fn an_access_state_round_trips_through_json() {
        let until = NaiveDate::from_ymd_opt(2027, 3, 31);
        let state = State::access(&grants(), |sub| Some(format!("Shop {sub}")), until);
        let json = serde_json::to_value(&state).unwrap();
        assert_eq!(json["access"]["accounts"][1]["sub_account_name"], "Shop 3");
        assert_eq!(json["access"]["accounts"][0]["role"], "manager");
        assert_eq!(json["access"]["until"], "2027-03-31");
        let back: State = serde_json::from_value(json).unwrap();
        assert_eq!(back, state);
        assert_eq!(back.grants(MasterAccountId(7)), grants());
        assert_eq!(back.sub_account_names(), [(SubAccountId(3), "Shop 3")]);
    }

    #[test]
    fn a_role_gone_from_the_catalogue_is_left_out() {
        let state = State::Access {
            accounts: vec![AccountAccess {
                sub_account_id: None,
                sub_account_name: None,
                role: Code(Cow::Owned("emperor".to_owned())),
                areas: RecordedAreas::Known(AreaSet::of(&[Area::Campaigns])),
                restrictions: Vec::new(),
            }],
            until: None,
        };
        assert!(state.grants(MasterAccountId(1)).is_empty());
        assert!(
            State::Plan("free".into())
                .grants(MasterAccountId(1))
                .is_empty()
        );
    }

    #[test]
    fn codes_read_back_as_written_whether_known_or_not() {
        let json = r#"{"access": {"accounts": [{"sub_account_id": null, "role": "emperor",
            "areas": ["campaigns", "moon"], "restrictions": ["drafts_only"]}]}}"#;
        let state: State = serde_json::from_str(json).unwrap();
        let State::Access { accounts, .. } = &state else {
            panic!("an access: {state:?}")
        };
        // The catalogue's codes are borrowed, not copied; the others kept as written.
        let RecordedAreas::Written(areas) = &accounts[0].areas else {
            panic!("an area outside the catalogue keeps the list as written")
        };
        assert!(matches!(areas[0].0, Cow::Borrowed("campaigns")));
        assert_eq!(&*areas[1], "moon");
        assert!(matches!(
            accounts[0].restrictions[0].0,
            Cow::Borrowed("drafts_only")
        ));
        assert_eq!(&*accounts[0].role, "emperor");
        assert_eq!(
            serde_json::to_value(&state).unwrap(),
            serde_json::from_str::<serde_json::Value>(json).unwrap()
        );
    }

    #[test]
    fn areas_are_a_set_only_when_written_as_this_version_writes_them() {
        let read = |areas: &str| -> RecordedAreas { serde_json::from_str(areas).unwrap() };
        assert_eq!(
            read(r#"["campaigns", "statistics"]"#),
            RecordedAreas::Known(AreaSet::of(&[Area::Campaigns, Area::Statistics]))
        );
        assert_eq!(read("[]"), RecordedAreas::Known(AreaSet::EMPTY));
        // A code read through an escape is the same code.
        assert_eq!(
            read(r#"["campaigns","\u0063ontacts"]"#),
            RecordedAreas::Known(AreaSet::of(&[Area::Campaigns, Area::Contacts]))
        );
        // Another order, or twice the same: kept as written, and written back so.
        for written in [
            r#"["statistics","campaigns"]"#,
            r#"["campaigns","campaigns"]"#,
        ] {
            let areas = read(written);
            assert!(matches!(areas, RecordedAreas::Written(_)), "{written}");
            assert_eq!(
                serde_json::to_value(&areas).unwrap(),
                serde_json::from_str::<serde_json::Value>(written).unwrap()
            );
        }
        assert_eq!(
            read(r#"["statistics","campaigns","statistics"]"#).set(),
            AreaSet::of(&[Area::Campaigns, Area::Statistics])
        );
    }
}
