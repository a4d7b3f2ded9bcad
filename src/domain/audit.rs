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
    summary::{self, AccessGroup},
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

impl Default for RecordedAreas {
    fn default() -> Self {
        RecordedAreas::Known(AreaSet::EMPTY)
    }
}

impl RecordedAreas {
    pub fn is_empty(&self) -> bool {
        match self {
            RecordedAreas::Known(set) => set.is_empty(),
            RecordedAreas::Written(codes) => codes.is_empty(),
        }
    }

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

    /// The state as the Activity page describes it: its accesses grouped as `summary::group`
    /// groups them (the master account's id only places them). An access whose role is no
    /// longer in the catalogue is left out, as `grants` leaves it out.
    pub fn grouped(&self, master: MasterAccountId) -> GroupedState {
        let (accounts, until) = match self {
            State::Access { accounts, until } => (accounts, *until),
            State::Plan(code) => return GroupedState::Plan(code.clone()),
            State::Owner(email) => return GroupedState::Owner(email.clone()),
            State::TwoFactorRequired(required) => {
                return GroupedState::TwoFactorRequired(*required);
            }
        };
        // By id, for a binary search: 101 accounts each found by a walk of the record made
        // 5,000 comparisons.
        let mut names: Vec<(i64, &str)> = (accounts.iter())
            .filter_map(|access| {
                Some((access.sub_account_id?, access.sub_account_name.as_deref()?))
            })
            .collect();
        names.sort_unstable_by_key(|(id, _)| *id);
        let name = |sub: SubAccountId| {
            let found = names.binary_search_by_key(&sub.0, |(id, _)| *id).ok()?;
            Some(names[found].1.to_owned())
        };
        let groups = summary::group(&self.grants(master))
            .into_iter()
            .map(|group| RecordedGroup {
                role: group.role.code().into(),
                areas: RecordedAreas::Known(group.areas),
                restrictions: group.restrictions.iter().map(|r| r.code().into()).collect(),
                master: group.includes_master,
                sub_accounts: (group.sub_accounts.iter())
                    .map(|sub| (sub.0, name(*sub)))
                    .collect(),
            })
            .collect();
        GroupedState::Access { groups, until }
    }
}

/// A recorded state as the Activity page describes it: identical accesses already grouped, each
/// sub-account with the name the record gave it. Written beside the states with each record
/// (`audit_events.grouped_states`): a Manager's access to 101 accounts is one group of 101 ids
/// and names, where its state holds 101 accounts of some 80 bytes each, and the page read,
/// parsed and grouped 50 such states per view. Records written before it was have none; the
/// page groups their states as it reads them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupedState {
    Access {
        groups: Vec<RecordedGroup>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<NaiveDate>,
    },
    Plan(String),
    Owner(String),
    TwoFactorRequired(bool),
}

/// Accounts that had one access (`summary::AccessGroup`), as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedGroup {
    pub role: Code,
    /// The areas ticked, for Custom.
    #[serde(default, skip_serializing_if = "RecordedAreas::is_empty")]
    pub areas: RecordedAreas,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub restrictions: Vec<Code>,
    /// Whether the master account is one of them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub master: bool,
    /// The sub-accounts in the order they were granted, each with its name at the time.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sub_accounts: Vec<(i64, Option<String>)>,
}

impl RecordedGroup {
    /// The group in the domain's terms; `None` when its role is no longer in the catalogue.
    pub fn access_group(&self) -> Option<AccessGroup> {
        Some(AccessGroup {
            role: Role::from_code(&self.role)?,
            areas: self.areas.set(),
            restrictions: (self.restrictions.iter())
                .filter_map(|r| Restriction::from_code(r))
                .fold(RestrictionSet::NONE, RestrictionSet::with),
            includes_master: self.master,
            sub_accounts: (self.sub_accounts.iter())
                .map(|(id, _)| SubAccountId(*id))
                .collect(),
        })
    }
}

impl GroupedState {
    /// The names the record gave its sub-accounts (they may since have been renamed), by id, for
    /// a binary search: 101 sub-accounts each looked up by a walk of the record made 5,000
    /// comparisons.
    pub fn sub_account_names(&self) -> Vec<(SubAccountId, &str)> {
        let GroupedState::Access { groups, .. } = self else {
            return Vec::new();
        };
        let mut names: Vec<(SubAccountId, &str)> = (groups.iter())
            .flat_map(|group| &group.sub_accounts)
            .filter_map(|(id, name)| Some((SubAccountId(*id), name.as_deref()?)))
            .collect();
        names.sort_unstable_by_key(|(id, _)| *id);
        names
    }
}

/// Both states of a record, grouped: the column's value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupedStates {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<GroupedState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<GroupedState>,
}

impl GroupedStates {
    pub fn of(before: Option<&State>, after: Option<&State>, master: MasterAccountId) -> Self {
        GroupedStates {
            before: before.map(|state| state.grouped(master)),
            after: after.map(|state| state.grouped(master)),
        }
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
        let grouped = back.grouped(MasterAccountId(7));
        assert_eq!(grouped.sub_account_names(), [(SubAccountId(3), "Shop 3")]);
    }

    #[test]
    fn a_state_is_grouped_as_the_page_describes_it() {
        let master = MasterAccountId(7);
        let manager = |sub: Option<i64>| {
            let account = AccountRef {
                master,
                sub: sub.map(SubAccountId),
            };
            let grant = Grant {
                role: Role::Manager,
                areas: Role::Manager.areas_on(account.kind()),
                restrictions: RestrictionSet::NONE,
            };
            (account, grant)
        };
        let mut grants = vec![manager(None), manager(Some(2)), manager(Some(1))];
        grants.push(super::tests::grants()[1]);
        let state = State::access(&grants, |sub| Some(format!("Shop {sub}")), None);
        let grouped = state.grouped(master);
        // One group per access, in the order each first appears; the sub-accounts as granted,
        // each with its recorded name; only what differs from the default is written.
        let json = serde_json::to_value(&grouped).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"access": {"groups": [
                {"role": "manager", "master": true,
                 "sub_accounts": [[2, "Shop 2"], [1, "Shop 1"]]},
                {"role": "custom", "areas": ["campaigns", "transactional"],
                 "sub_accounts": [[3, "Shop 3"]]},
            ]}})
        );
        let back: GroupedState = serde_json::from_value(json).unwrap();
        assert_eq!(back, grouped);
        let GroupedState::Access { groups, .. } = &back else {
            panic!("an access: {back:?}")
        };
        let as_read: Vec<_> = groups
            .iter()
            .filter_map(RecordedGroup::access_group)
            .collect();
        assert_eq!(as_read, summary::group(&state.grants(master)));
        assert_eq!(
            back.sub_account_names(),
            [
                (SubAccountId(1), "Shop 1"),
                (SubAccountId(2), "Shop 2"),
                (SubAccountId(3), "Shop 3")
            ]
        );
        // Other states are kept as they are.
        assert_eq!(
            State::Plan("pro".into()).grouped(master),
            GroupedState::Plan("pro".into())
        );
    }

    #[test]
    fn a_group_whose_role_left_the_catalogue_is_not_described() {
        let json = r#"{"role": "emperor", "areas": ["moon"], "sub_accounts": [[3, null]]}"#;
        let group: RecordedGroup = serde_json::from_str(json).unwrap();
        assert_eq!(group.access_group(), None);
        let json = r#"{"role": "custom", "areas": ["campaigns", "moon"],
            "restrictions": ["drafts_only", "curfew"], "master": true}"#;
        let group: RecordedGroup = serde_json::from_str(json).unwrap();
        let read = group.access_group().unwrap();
        assert_eq!(read.areas, AreaSet::of(&[Area::Campaigns]));
        assert_eq!(
            read.restrictions,
            RestrictionSet::of(&[Restriction::DraftsOnly])
        );
        assert!(read.includes_master && read.sub_accounts.is_empty());
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
