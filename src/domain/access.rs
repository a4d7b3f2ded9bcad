//! Who may use which area of an account (SPEC S3, S10): the owner everything, anyone else what
//! their grant on that very account opens. A grant on a sub-account says nothing about the master
//! account or the other sub-accounts.

use super::{
    permission::{AccountKind, Area},
    role::Grant,
};

/// Where a person stands in one account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Owner,
    Member(Grant),
}

impl Standing {
    pub fn may_use(self, area: Area, account: AccountKind) -> bool {
        area.exists_on(account)
            && match self {
                Standing::Owner => true,
                Standing::Member(grant) => grant.areas.contains(area),
            }
    }

    /// The areas to show in navigation, in the product's order.
    pub fn areas(self, account: AccountKind) -> impl Iterator<Item = Area> {
        Area::ALL
            .into_iter()
            .filter(move |area| self.may_use(*area, account))
    }

    /// Sharing itself is the owner's alone, whatever a role opens (S3).
    pub fn manages_sharing(self) -> bool {
        self == Standing::Owner
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        permission::{AreaSet, RestrictionSet},
        role::Role,
    };

    fn member(role: Role, account: AccountKind, ticked: &[Area]) -> Standing {
        Standing::Member(
            Grant::new(account, role, AreaSet::of(ticked), RestrictionSet::NONE).unwrap(),
        )
    }

    #[test]
    fn the_owner_uses_every_area_the_account_has() {
        assert_eq!(Standing::Owner.areas(AccountKind::Master).count(), 7);
        assert!(!Standing::Owner.may_use(Area::Billing, AccountKind::Sub));
        assert!(Standing::Owner.manages_sharing());
    }

    #[test]
    fn members_use_exactly_what_their_role_opens() {
        let accountant = member(Role::Accountant, AccountKind::Master, &[]);
        assert_eq!(
            accountant.areas(AccountKind::Master).collect::<Vec<_>>(),
            [Area::Billing]
        );
        let manager = member(Role::Manager, AccountKind::Master, &[]);
        assert_eq!(manager.areas(AccountKind::Master).count(), 7);
        assert!(!manager.manages_sharing());
        let designer = member(Role::Designer, AccountKind::Sub, &[]);
        assert!(designer.may_use(Area::Campaigns, AccountKind::Sub));
        assert!(!designer.may_use(Area::Contacts, AccountKind::Sub));
        let custom = member(Role::Custom, AccountKind::Master, &[Area::Statistics]);
        assert_eq!(
            custom.areas(AccountKind::Master).collect::<Vec<_>>(),
            [Area::Statistics]
        );
    }
}
