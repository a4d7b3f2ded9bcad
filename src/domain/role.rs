//! The role catalogue (SPEC S3) as data: a new role is a new entry here, not new code paths.

use super::permission::{AccountKind, Area, AreaSet, RestrictionSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Manager,
    Accountant,
    Developer,
    Marketer,
    Designer,
    Custom,
}

pub struct RoleDefinition {
    pub role: Role,
    pub code: &'static str,
    /// The areas the role opens; empty for Custom, whose areas are ticked one by one.
    pub areas: &'static [Area],
    /// Premium roles need a plan with advanced accesses, and use one per person (S3, S5).
    pub premium: bool,
}

pub const CATALOGUE: [RoleDefinition; 6] = [
    RoleDefinition {
        role: Role::Manager,
        code: "manager",
        areas: &Area::ALL,
        premium: false,
    },
    RoleDefinition {
        role: Role::Accountant,
        code: "accountant",
        areas: &[Area::Billing],
        premium: false,
    },
    RoleDefinition {
        role: Role::Developer,
        code: "developer",
        // Account Management for the API credentials only; the area pages say so (S3).
        areas: &[
            Area::Transactional,
            Area::Statistics,
            Area::AccountManagement,
        ],
        premium: true,
    },
    RoleDefinition {
        role: Role::Marketer,
        code: "marketer",
        areas: &[
            Area::Contacts,
            Area::Campaigns,
            Area::EmailAutomation,
            Area::Transactional,
        ],
        premium: true,
    },
    RoleDefinition {
        role: Role::Designer,
        code: "designer",
        areas: &[Area::Campaigns, Area::Transactional],
        premium: true,
    },
    RoleDefinition {
        role: Role::Custom,
        code: "custom",
        areas: &[],
        premium: true,
    },
];

impl Role {
    pub fn definition(self) -> &'static RoleDefinition {
        CATALOGUE
            .iter()
            .find(|definition| definition.role == self)
            .expect("every role is in the catalogue")
    }

    pub fn all() -> impl Iterator<Item = Role> {
        CATALOGUE.iter().map(|definition| definition.role)
    }

    /// The roles "Activate the same permissions as" offers: every role with fixed areas.
    pub fn predefined() -> impl Iterator<Item = Role> {
        Role::all().filter(|role| *role != Role::Custom)
    }

    pub fn code(self) -> &'static str {
        self.definition().code
    }

    pub fn from_code(code: &str) -> Option<Role> {
        CATALOGUE
            .iter()
            .find(|definition| definition.code == code)
            .map(|definition| definition.role)
    }

    pub fn is_premium(self) -> bool {
        self.definition().premium
    }

    /// Advanced restrictions apply to the premium roles only (S4).
    pub fn allows_restrictions(self) -> bool {
        self.is_premium()
    }

    /// The areas a predefined role opens on an account of this kind ("Activate the same
    /// permissions as"); for Custom, nothing until boxes are ticked.
    pub fn areas_on(self, account: AccountKind) -> AreaSet {
        AreaSet::of(self.definition().areas).for_account(account)
    }
}

/// One person's access to one account: a role, the areas it opens, and restrictions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant {
    pub role: Role,
    pub areas: AreaSet,
    pub restrictions: RestrictionSet,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum GrantError {
    #[error("Custom role with no area")]
    NoArea,
    #[error("Billing on a sub-account")]
    BillingOnSubAccount,
    #[error("the role opens no area on this kind of account")]
    RoleEmptyHere,
    #[error("restrictions on a role that cannot have them")]
    RestrictionsNotForRole,
}

impl Grant {
    /// Builds the access a form asked for on one account. `ticked` matters for Custom only: a
    /// predefined role always means exactly its catalogue areas.
    pub fn new(
        account: AccountKind,
        role: Role,
        ticked: AreaSet,
        restrictions: RestrictionSet,
    ) -> Result<Grant, GrantError> {
        let areas = match role {
            Role::Custom if ticked.contains(Area::Billing) && account == AccountKind::Sub => {
                return Err(GrantError::BillingOnSubAccount);
            }
            Role::Custom if ticked.is_empty() => return Err(GrantError::NoArea),
            Role::Custom => ticked,
            predefined => predefined.areas_on(account),
        };
        if areas.is_empty() {
            return Err(GrantError::RoleEmptyHere);
        }
        if !restrictions.is_empty() && !role.allows_restrictions() {
            return Err(GrantError::RestrictionsNotForRole);
        }
        Ok(Grant {
            role,
            areas,
            restrictions,
        })
    }
}

/// "Copy to all below": the master account's Custom boxes for a sub-account, without Billing,
/// which sub-accounts do not have.
pub fn copy_to_sub_account(master: AreaSet) -> AreaSet {
    master.for_account(AccountKind::Sub)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::permission::Restriction;

    #[test]
    fn catalogue_matches_the_spec() {
        let areas = |role: Role| {
            role.areas_on(AccountKind::Master)
                .iter()
                .collect::<Vec<_>>()
        };
        assert_eq!(areas(Role::Manager), Area::ALL);
        assert_eq!(areas(Role::Accountant), [Area::Billing]);
        assert_eq!(
            areas(Role::Developer),
            [
                Area::Transactional,
                Area::Statistics,
                Area::AccountManagement
            ]
        );
        assert_eq!(
            areas(Role::Marketer),
            [
                Area::Campaigns,
                Area::Transactional,
                Area::EmailAutomation,
                Area::Contacts
            ]
        );
        assert_eq!(
            areas(Role::Designer),
            [Area::Campaigns, Area::Transactional]
        );
        assert!(areas(Role::Custom).is_empty());
        let premium: Vec<Role> = Role::all().filter(|r| r.is_premium()).collect();
        assert_eq!(
            premium,
            [
                Role::Developer,
                Role::Marketer,
                Role::Designer,
                Role::Custom
            ]
        );
        assert_eq!(Role::predefined().count(), 5);
    }

    #[test]
    fn codes_round_trip_and_owner_is_not_a_role() {
        for role in Role::all() {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert_eq!(Role::from_code("owner"), None);
        assert_eq!(Role::from_code("Manager"), None);
    }

    #[test]
    fn predefined_roles_ignore_ticked_boxes() {
        let grant = Grant::new(
            AccountKind::Master,
            Role::Designer,
            AreaSet::all(),
            RestrictionSet::NONE,
        )
        .unwrap();
        assert_eq!(
            grant.areas,
            AreaSet::of(&[Area::Campaigns, Area::Transactional])
        );
        let manager_on_sub = Grant::new(
            AccountKind::Sub,
            Role::Manager,
            AreaSet::EMPTY,
            RestrictionSet::NONE,
        )
        .unwrap();
        assert!(!manager_on_sub.areas.contains(Area::Billing));
    }

    #[test]
    fn refuses_grants_that_make_no_sense() {
        let restrictions = RestrictionSet::of(&[Restriction::DraftsOnly]);
        let billing = AreaSet::of(&[Area::Billing]);
        assert_eq!(
            Grant::new(
                AccountKind::Master,
                Role::Custom,
                AreaSet::EMPTY,
                RestrictionSet::NONE
            ),
            Err(GrantError::NoArea)
        );
        assert_eq!(
            Grant::new(
                AccountKind::Sub,
                Role::Custom,
                billing,
                RestrictionSet::NONE
            ),
            Err(GrantError::BillingOnSubAccount)
        );
        assert_eq!(
            Grant::new(
                AccountKind::Sub,
                Role::Accountant,
                AreaSet::EMPTY,
                RestrictionSet::NONE
            ),
            Err(GrantError::RoleEmptyHere)
        );
        assert_eq!(
            Grant::new(
                AccountKind::Master,
                Role::Manager,
                AreaSet::EMPTY,
                restrictions
            ),
            Err(GrantError::RestrictionsNotForRole)
        );
        assert_eq!(
            Grant::new(
                AccountKind::Master,
                Role::Accountant,
                AreaSet::EMPTY,
                restrictions
            ),
            Err(GrantError::RestrictionsNotForRole)
        );
        let custom = Grant::new(AccountKind::Master, Role::Custom, billing, restrictions).unwrap();
        assert_eq!((custom.areas, custom.restrictions), (billing, restrictions));
    }

    #[test]
    fn copy_to_all_below_leaves_billing_behind() {
        let master = AreaSet::of(&[Area::Billing, Area::Contacts, Area::Statistics]);
        assert_eq!(
            copy_to_sub_account(master),
            AreaSet::of(&[Area::Contacts, Area::Statistics])
        );
        assert!(copy_to_sub_account(AreaSet::of(&[Area::Billing])).is_empty());
    }
}
