//! A person's accesses summed up (SPEC S13): identical grants are grouped, so twenty-one accounts
//! with one role read as one line ("Manager on all 21 accounts"), not twenty-one.

use super::{
    ids::{AccountRef, SubAccountId},
    permission::{AreaSet, RestrictionSet},
    role::{Grant, Role},
};

/// Accounts that share one access.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessGroup {
    pub role: Role,
    /// The areas ticked, for Custom; a predefined role's name says what it opens.
    pub areas: AreaSet,
    pub restrictions: RestrictionSet,
    pub includes_master: bool,
    /// In the order the grants came in.
    pub sub_accounts: Vec<SubAccountId>,
}

/// Where a group applies, relative to all of the owner's accounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The master account and every sub-account: their number, master included.
    AllAccounts(usize),
    /// The master account only.
    Master,
    /// The master account and some sub-accounts.
    MasterAnd(Vec<SubAccountId>),
    /// Every sub-account, not the master account: their number.
    AllSubAccounts(usize),
    /// Some sub-accounts.
    SubAccounts(Vec<SubAccountId>),
}

impl AccessGroup {
    /// `owner_sub_accounts` is how many sub-accounts the owner has in all. "All" is said of three
    /// accounts or more; two read better by name.
    pub fn scope(&self, owner_sub_accounts: usize) -> Scope {
        let all_subs = owner_sub_accounts > 0 && self.sub_accounts.len() >= owner_sub_accounts;
        match (self.includes_master, all_subs) {
            (true, true) if owner_sub_accounts >= 2 => Scope::AllAccounts(owner_sub_accounts + 1),
            (true, _) if self.sub_accounts.is_empty() => Scope::Master,
            (true, _) => Scope::MasterAnd(self.sub_accounts.clone()),
            (false, true) if owner_sub_accounts >= 3 => Scope::AllSubAccounts(owner_sub_accounts),
            (false, _) => Scope::SubAccounts(self.sub_accounts.clone()),
        }
    }

    pub fn account_count(&self) -> usize {
        self.sub_accounts.len() + usize::from(self.includes_master)
    }
}

/// What makes two grants "the same access" for the summary. A predefined role opens the same
/// thing everywhere (Billing only where it exists), so only its restrictions tell two apart;
/// Custom grants must also tick the same areas.
fn same_access(group: &AccessGroup, grant: &Grant) -> bool {
    group.role == grant.role
        && group.restrictions == grant.restrictions
        && (grant.role != Role::Custom || group.areas == grant.areas)
}

/// Groups grants with the same access, in the order each access first appears (the master
/// account's first when it leads).
pub fn group(grants: &[(AccountRef, Grant)]) -> Vec<AccessGroup> {
    let mut groups: Vec<AccessGroup> = Vec::new();
    for (account, grant) in grants {
        let index = match groups.iter().position(|group| same_access(group, grant)) {
            Some(index) => index,
            None => {
                groups.push(AccessGroup {
                    role: grant.role,
                    areas: if grant.role == Role::Custom {
                        grant.areas
                    } else {
                        AreaSet::EMPTY
                    },
                    restrictions: grant.restrictions,
                    includes_master: false,
                    sub_accounts: Vec::new(),
                });
                groups.len() - 1
            }
        };
        match account.sub {
            None => groups[index].includes_master = true,
            Some(sub) => groups[index].sub_accounts.push(sub),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        ids::MasterAccountId,
        permission::{AccountKind, Area, Restriction},
    };

    const M: MasterAccountId = MasterAccountId(1);

    fn grant(role: Role, account: AccountRef, areas: &[Area]) -> (AccountRef, Grant) {
        (
            account,
            Grant::new(
                account.kind(),
                role,
                AreaSet::of(areas),
                RestrictionSet::NONE,
            )
            .unwrap(),
        )
    }

    fn sub(id: i64) -> AccountRef {
        AccountRef::sub(M, SubAccountId(id))
    }

    #[test]
    fn one_role_everywhere_is_one_group_on_all_accounts() {
        let mut grants = vec![grant(Role::Manager, AccountRef::master(M), &[])];
        grants.extend((1..=20).map(|id| grant(Role::Manager, sub(id), &[])));
        let groups = group(&grants);
        assert_eq!(
            groups.len(),
            1,
            "Billing on the master account only is still the same access"
        );
        assert_eq!(groups[0].scope(20), Scope::AllAccounts(21));
        assert_eq!(groups[0].account_count(), 21);
        // With sub-accounts the person was not given, it is no longer "all".
        assert_eq!(
            groups[0].scope(25),
            Scope::MasterAnd((1..=20).map(SubAccountId).collect())
        );
    }

    #[test]
    fn custom_groups_by_the_areas_ticked() {
        let areas = [Area::Campaigns, Area::Statistics];
        let mut grants = vec![grant(Role::Custom, AccountRef::master(M), &areas)];
        grants.extend((1..=19).map(|id| grant(Role::Custom, sub(id), &areas)));
        grants.push(grant(Role::Custom, sub(20), &[Area::Contacts]));
        let groups = group(&grants);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].areas, AreaSet::of(&areas));
        assert_eq!(
            groups[0].scope(20),
            Scope::MasterAnd((1..=19).map(SubAccountId).collect())
        );
        assert_eq!(
            groups[1].scope(20),
            Scope::SubAccounts(vec![SubAccountId(20)])
        );
        // Billing ticked on the master account only makes the master account its own group.
        let with_billing = vec![
            grant(
                Role::Custom,
                AccountRef::master(M),
                &[Area::Campaigns, Area::Billing],
            ),
            grant(Role::Custom, sub(1), &[Area::Campaigns]),
        ];
        assert_eq!(group(&with_billing).len(), 2);
    }

    #[test]
    fn restrictions_tell_accesses_apart_and_scopes_cover_each_case() {
        let restricted = (
            sub(2),
            Grant::new(
                AccountKind::Sub,
                Role::Designer,
                AreaSet::EMPTY,
                RestrictionSet::of(&[Restriction::NoLabels]),
            )
            .unwrap(),
        );
        let grants = vec![
            grant(Role::Designer, sub(1), &[]),
            restricted,
            grant(Role::Designer, sub(3), &[]),
        ];
        let groups = group(&grants);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].sub_accounts, [SubAccountId(1), SubAccountId(3)]);
        assert_eq!(
            groups[0].scope(3),
            Scope::SubAccounts(vec![SubAccountId(1), SubAccountId(3)])
        );
        let everywhere: Vec<_> = (1..=3)
            .map(|id| grant(Role::Designer, sub(id), &[]))
            .collect();
        assert_eq!(group(&everywhere)[0].scope(3), Scope::AllSubAccounts(3));
        let master_only = vec![grant(Role::Accountant, AccountRef::master(M), &[])];
        assert_eq!(group(&master_only)[0].scope(0), Scope::Master);
        assert_eq!(group(&master_only)[0].scope(4), Scope::Master);
        assert!(group(&[]).is_empty());
    }
}
