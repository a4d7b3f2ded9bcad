//! The access an owner composes in the invite and edit forms (SPEC S7, S9, S13): one row per
//! account with a role, the Custom boxes and restrictions, "Activate the same permissions as",
//! "Copy to all below", and adding or removing accounts. Each button of the form is an action
//! applied here, so the form works as plain posts and the same rules hold with or without
//! JavaScript.

use super::{
    ids::{AccountRef, MasterAccountId, SubAccountId},
    permission::{AccountKind, AreaSet, RestrictionSet},
    role::{Grant, GrantError, Role, copy_to_sub_account},
};

/// The owner's accounts: what may be added to a draft, in the order the form offers them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerAccounts {
    pub master: MasterAccountId,
    /// Sub-accounts with their names, in display order.
    pub sub_accounts: Vec<(SubAccountId, String)>,
}

impl OwnerAccounts {
    pub fn knows(&self, account: AccountRef) -> bool {
        account.master == self.master
            && account
                .sub
                .is_none_or(|sub| self.sub_accounts.iter().any(|(id, _)| *id == sub))
    }

    /// The sub-account's name; `None` for the master account, whose name is the product's words.
    pub fn sub_account_name(&self, sub: SubAccountId) -> Option<&str> {
        self.sub_accounts
            .iter()
            .find(|(id, _)| *id == sub)
            .map(|(_, name)| name.as_str())
    }

    /// Every account, the master account first.
    pub fn all(&self) -> impl Iterator<Item = AccountRef> + '_ {
        std::iter::once(AccountRef::master(self.master)).chain(
            self.sub_accounts
                .iter()
                .map(|(id, _)| AccountRef::sub(self.master, *id)),
        )
    }
}

/// The roles a row can offer on an account of this kind: a role that opens nothing there
/// (Accountant on a sub-account, which has no Billing) is not offered at all.
pub fn roles_for(kind: AccountKind) -> impl Iterator<Item = Role> {
    Role::all().filter(move |role| *role == Role::Custom || !role.areas_on(kind).is_empty())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftRow {
    pub account: AccountRef,
    pub role: Option<Role>,
    pub areas: AreaSet,
    pub restrictions: RestrictionSet,
    /// The role picked in "Activate the same permissions as", not yet applied.
    pub same_as: Option<Role>,
}

impl DraftRow {
    pub fn new(account: AccountRef) -> DraftRow {
        DraftRow {
            account,
            role: None,
            areas: AreaSet::EMPTY,
            restrictions: RestrictionSet::NONE,
            same_as: None,
        }
    }

    pub fn from_grant(account: AccountRef, grant: Grant) -> DraftRow {
        DraftRow {
            role: Some(grant.role),
            areas: grant.areas,
            restrictions: grant.restrictions,
            ..DraftRow::new(account)
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessDraft {
    /// The master account's row, when present, is always first: "Copy to all below" copies it
    /// to the rows under it.
    pub rows: Vec<DraftRow>,
    /// "Copy to all below", ticked on the master account's row: while it is, every sub-account
    /// row follows the master account's boxes.
    pub copy_to_all_below: bool,
}

/// What "Add" was asked to add.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddChoice {
    One(AccountRef),
    /// Every sub-account not yet in the draft, in one go.
    AllSubAccounts,
}

/// A button of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftAction {
    Send,
    /// Shows the form again as typed; without JavaScript this is how a role changed to Custom
    /// shows its boxes.
    Update,
    Add(Option<AddChoice>),
    Remove(usize),
    ApplySameAs(usize),
    UncheckAll(usize),
}

impl DraftAction {
    /// Which row a button acts on, to check it exists.
    fn row(self) -> Option<usize> {
        match self {
            DraftAction::Remove(i) | DraftAction::ApplySameAs(i) | DraftAction::UncheckAll(i) => {
                Some(i)
            }
            _ => None,
        }
    }
}

/// What an action changed, for the notice shown where it happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Added { at: usize, count: usize },
    Removed { at: usize, account: AccountRef },
    Applied { at: usize, role: Role },
    Unchecked { at: usize },
    Updated,
}

/// A draft that no form of ours can send: an account that is not the owner's, a row that does
/// not exist. Nothing is shown again; the request is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forgery {
    /// Another owner's account, or one that does not exist: not found (R12).
    UnknownAccount,
    /// A row index, a repeated account, or a box the form never offers.
    Malformed,
}

/// Something the owner has to fix; each has words in `messages` and sits beside its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    NothingToAdd,
    NoSameAsRole(usize),
    NoAccount,
    NoRole(usize),
    NoArea(usize),
    RoleNotHere(usize, Role),
    /// "Copy to all below" is ticked while the master account's role is not Custom.
    CopyNeedsCustom,
    /// "Copy to all below" would give sub-accounts no area: only Billing is ticked.
    CopyLeavesNothing,
}

impl AccessDraft {
    fn master_row(&self) -> Option<&DraftRow> {
        self.rows.first().filter(|row| row.account.is_master())
    }

    /// Whether the sub-account rows follow the master account's boxes right now.
    pub fn copies_to_all_below(&self) -> bool {
        self.copy_to_all_below
            && self
                .master_row()
                .is_some_and(|row| row.role == Some(Role::Custom))
    }

    /// Whether every sub-account row holds exactly what "Copy to all below" would give it: a
    /// person invited that way is edited with the box ticked, as they were invited.
    pub fn looks_copied(&self) -> bool {
        let Some(master) = self
            .master_row()
            .filter(|row| row.role == Some(Role::Custom))
        else {
            return false;
        };
        self.rows.len() > 1
            && self.rows.iter().skip(1).all(|row| {
                row.role == Some(Role::Custom)
                    && row.areas == copy_to_sub_account(master.areas)
                    && row.restrictions == master.restrictions
            })
    }

    /// Checks the draft could have come from our form for this owner.
    pub fn check_origin(&self, accounts: &OwnerAccounts) -> Result<(), Forgery> {
        if self.rows.iter().any(|row| !accounts.knows(row.account)) {
            return Err(Forgery::UnknownAccount);
        }
        let mut seen = std::collections::HashSet::new();
        if !self.rows.iter().all(|row| seen.insert(row.account)) {
            return Err(Forgery::Malformed);
        }
        let misplaced_master = self.rows.iter().skip(1).any(|row| row.account.is_master());
        let offered = |row: &DraftRow| {
            row.role
                .is_none_or(|role| roles_for(row.account.kind()).any(|r| r == role))
                && row.areas.for_account(row.account.kind()) == row.areas
        };
        if misplaced_master || !self.rows.iter().all(offered) {
            return Err(Forgery::Malformed);
        }
        if self.copy_to_all_below && self.master_row().is_none() {
            return Err(Forgery::Malformed);
        }
        Ok(())
    }

    /// Applies a button: the draft changes as labelled, and what is missing for it is returned
    /// to be shown beside its field. "Copy to all below" is applied last, whatever the button.
    pub fn apply(
        &mut self,
        action: DraftAction,
        accounts: &OwnerAccounts,
    ) -> Result<(Option<Change>, Vec<Problem>), Forgery> {
        self.check_origin(accounts)?;
        if action.row().is_some_and(|index| index >= self.rows.len()) {
            return Err(Forgery::Malformed);
        }
        let mut problems = Vec::new();
        let change = match action {
            DraftAction::Send => None,
            DraftAction::Update => Some(Change::Updated),
            DraftAction::Add(None) => {
                problems.push(Problem::NothingToAdd);
                None
            }
            DraftAction::Add(Some(choice)) => self.add(choice, accounts)?,
            DraftAction::Remove(at) => {
                let removed = self.rows.remove(at);
                if removed.account.is_master() {
                    self.copy_to_all_below = false;
                }
                Some(Change::Removed {
                    at,
                    account: removed.account,
                })
            }
            DraftAction::ApplySameAs(at) => {
                let row = &mut self.rows[at];
                match row.same_as {
                    Some(role) => {
                        row.role = Some(Role::Custom);
                        row.areas = role.areas_on(row.account.kind());
                        Some(Change::Applied { at, role })
                    }
                    None => {
                        problems.push(Problem::NoSameAsRole(at));
                        None
                    }
                }
            }
            DraftAction::UncheckAll(at) => {
                let row = &mut self.rows[at];
                row.role = Some(Role::Custom);
                row.areas = AreaSet::EMPTY;
                Some(Change::Unchecked { at })
            }
        };
        if self.copy_to_all_below {
            if self.copies_to_all_below() {
                self.follow_master();
            } else {
                problems.push(Problem::CopyNeedsCustom);
            }
        }
        Ok((change, problems))
    }

    fn add(
        &mut self,
        choice: AddChoice,
        accounts: &OwnerAccounts,
    ) -> Result<Option<Change>, Forgery> {
        let present =
            |rows: &[DraftRow], account: AccountRef| rows.iter().any(|row| row.account == account);
        match choice {
            AddChoice::One(account) if !accounts.knows(account) => Err(Forgery::UnknownAccount),
            AddChoice::One(account) if present(&self.rows, account) => Ok(None),
            AddChoice::One(account) if account.is_master() => {
                self.rows.insert(0, DraftRow::new(account));
                Ok(Some(Change::Added { at: 0, count: 1 }))
            }
            AddChoice::One(account) => {
                self.rows.push(DraftRow::new(account));
                Ok(Some(Change::Added {
                    at: self.rows.len() - 1,
                    count: 1,
                }))
            }
            AddChoice::AllSubAccounts => {
                let at = self.rows.len();
                let missing: Vec<AccountRef> = accounts
                    .all()
                    .skip(1)
                    .filter(|account| !present(&self.rows, *account))
                    .collect();
                self.rows.extend(missing.iter().map(|a| DraftRow::new(*a)));
                Ok((!missing.is_empty()).then_some(Change::Added {
                    at,
                    count: missing.len(),
                }))
            }
        }
    }

    /// Every sub-account row takes the master account's Custom boxes, Billing excepted (S7).
    fn follow_master(&mut self) {
        let Some(master) = self.master_row().cloned() else {
            return;
        };
        for row in self.rows.iter_mut().skip(1) {
            row.role = Some(Role::Custom);
            row.areas = copy_to_sub_account(master.areas);
            row.restrictions = master.restrictions;
            row.same_as = None;
        }
    }

    /// The grants the draft asks for, or everything that must be fixed first.
    pub fn grants(&self) -> Result<Vec<(AccountRef, Grant)>, Vec<Problem>> {
        let mut problems = Vec::new();
        if self.rows.is_empty() {
            problems.push(Problem::NoAccount);
        }
        if self.copy_to_all_below && !self.copies_to_all_below() {
            problems.push(Problem::CopyNeedsCustom);
        }
        let copy_empties_sub_accounts = self.copies_to_all_below()
            && self.rows.len() > 1
            && self
                .master_row()
                .is_some_and(|master| copy_to_sub_account(master.areas).is_empty());
        if copy_empties_sub_accounts {
            problems.push(Problem::CopyLeavesNothing);
        }
        let mut grants = Vec::new();
        for (index, row) in self.rows.iter().enumerate() {
            let Some(role) = row.role else {
                problems.push(Problem::NoRole(index));
                continue;
            };
            // Restrictions left ticked under a role that cannot have them mean nothing: the box
            // was hidden when the role changed.
            let restrictions = if role.allows_restrictions() {
                row.restrictions
            } else {
                RestrictionSet::NONE
            };
            match Grant::new(row.account.kind(), role, row.areas, restrictions) {
                Ok(grant) => grants.push((row.account, grant)),
                Err(GrantError::NoArea | GrantError::BillingOnSubAccount)
                    if !(copy_empties_sub_accounts && index > 0) =>
                {
                    problems.push(Problem::NoArea(index))
                }
                Err(GrantError::NoArea | GrantError::BillingOnSubAccount) => {}
                Err(GrantError::RoleEmptyHere | GrantError::RestrictionsNotForRole) => {
                    problems.push(Problem::RoleNotHere(index, role))
                }
            }
        }
        if problems.is_empty() {
            Ok(grants)
        } else {
            Err(problems)
        }
    }
}

/// A digest of what a check step showed (S5, S13), carried by its "Send" button: the form can
/// still be changed between the check and the click, and then the check must be shown again
/// instead of sending something the owner did not see. FNV-1a, stable across builds.
pub fn fingerprint(email: &str, grants: &[(AccountRef, Grant)]) -> String {
    let mut text = email.to_owned();
    for (account, grant) in grants {
        text.push_str(&format!(
            "|{}={}/{}/{}",
            account.value(),
            grant.role.code(),
            grant.areas.bits(),
            grant.restrictions.bits()
        ));
    }
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::permission::{Area, Restriction};

    const M: MasterAccountId = MasterAccountId(1);

    fn accounts() -> OwnerAccounts {
        OwnerAccounts {
            master: M,
            sub_accounts: vec![
                (SubAccountId(7), "Shop".into()),
                (SubAccountId(9), "News".into()),
            ],
        }
    }

    fn master() -> AccountRef {
        AccountRef::master(M)
    }

    fn sub(id: i64) -> AccountRef {
        AccountRef::sub(M, SubAccountId(id))
    }

    fn draft(rows: &[AccountRef]) -> AccessDraft {
        AccessDraft {
            rows: rows.iter().map(|a| DraftRow::new(*a)).collect(),
            copy_to_all_below: false,
        }
    }

    #[test]
    fn add_puts_the_master_account_first_and_all_sub_accounts_in_one_go() {
        let mut d = draft(&[sub(9)]);
        let (change, problems) = d
            .apply(
                DraftAction::Add(Some(AddChoice::One(master()))),
                &accounts(),
            )
            .unwrap();
        assert!(problems.is_empty());
        assert_eq!(change, Some(Change::Added { at: 0, count: 1 }));
        let (change, _) = d
            .apply(
                DraftAction::Add(Some(AddChoice::AllSubAccounts)),
                &accounts(),
            )
            .unwrap();
        assert_eq!(change, Some(Change::Added { at: 2, count: 1 }));
        assert_eq!(
            d.rows.iter().map(|r| r.account).collect::<Vec<_>>(),
            [master(), sub(9), sub(7)]
        );
        // Nothing left to add, or the same account twice, changes nothing.
        let before = d.clone();
        let (change, _) = d
            .apply(
                DraftAction::Add(Some(AddChoice::AllSubAccounts)),
                &accounts(),
            )
            .unwrap();
        assert_eq!((change, &d), (None, &before));
        let (change, _) = d
            .apply(DraftAction::Add(Some(AddChoice::One(sub(7)))), &accounts())
            .unwrap();
        assert_eq!((change, &d), (None, &before));
        let (_, problems) = d.apply(DraftAction::Add(None), &accounts()).unwrap();
        assert_eq!(problems, [Problem::NothingToAdd]);
    }

    #[test]
    fn another_owners_or_forged_rows_are_refused() {
        let other = AccountRef::sub(MasterAccountId(2), SubAccountId(7));
        assert_eq!(
            draft(&[other]).apply(DraftAction::Send, &accounts()),
            Err(Forgery::UnknownAccount)
        );
        assert_eq!(
            draft(&[sub(1234)]).apply(DraftAction::Send, &accounts()),
            Err(Forgery::UnknownAccount)
        );
        assert_eq!(
            draft(&[master()]).apply(DraftAction::Add(Some(AddChoice::One(other))), &accounts()),
            Err(Forgery::UnknownAccount)
        );
        for forged in [
            draft(&[sub(7), sub(7)]),
            draft(&[sub(7), master()]),
            AccessDraft {
                copy_to_all_below: true,
                ..draft(&[sub(7)])
            },
            AccessDraft {
                rows: vec![DraftRow {
                    role: Some(Role::Accountant),
                    ..DraftRow::new(sub(7))
                }],
                copy_to_all_below: false,
            },
            AccessDraft {
                rows: vec![DraftRow {
                    role: Some(Role::Custom),
                    areas: AreaSet::of(&[Area::Billing]),
                    ..DraftRow::new(sub(7))
                }],
                copy_to_all_below: false,
            },
        ] {
            assert_eq!(
                forged.clone().apply(DraftAction::Send, &accounts()),
                Err(Forgery::Malformed),
                "{forged:?}"
            );
        }
        assert_eq!(
            draft(&[master()]).apply(DraftAction::Remove(1), &accounts()),
            Err(Forgery::Malformed)
        );
    }

    #[test]
    fn same_as_and_uncheck_all_make_the_row_custom() {
        let mut d = draft(&[master(), sub(7)]);
        d.rows[1].same_as = Some(Role::Manager);
        let (change, _) = d.apply(DraftAction::ApplySameAs(1), &accounts()).unwrap();
        assert_eq!(
            change,
            Some(Change::Applied {
                at: 1,
                role: Role::Manager
            })
        );
        assert_eq!(d.rows[1].role, Some(Role::Custom));
        assert!(
            !d.rows[1].areas.contains(Area::Billing),
            "a sub-account has no Billing"
        );
        assert_eq!(d.rows[1].areas.iter().count(), 6);
        d.apply(DraftAction::UncheckAll(1), &accounts()).unwrap();
        assert!(d.rows[1].areas.is_empty());
        let (_, problems) = d.apply(DraftAction::ApplySameAs(0), &accounts()).unwrap();
        assert_eq!(problems, [Problem::NoSameAsRole(0)]);
    }

    #[test]
    fn copy_to_all_below_keeps_sub_accounts_following_the_master_account() {
        let mut d = draft(&[master(), sub(7), sub(9)]);
        d.copy_to_all_below = true;
        d.rows[0].role = Some(Role::Custom);
        d.rows[0].areas = AreaSet::of(&[Area::Billing, Area::Contacts]);
        d.rows[0].restrictions = RestrictionSet::of(&[Restriction::NoLabels]);
        d.rows[2].role = Some(Role::Manager);
        d.apply(DraftAction::Send, &accounts()).unwrap();
        for row in &d.rows[1..] {
            assert_eq!(row.role, Some(Role::Custom));
            assert_eq!(row.areas, AreaSet::of(&[Area::Contacts]));
            assert_eq!(
                row.restrictions,
                RestrictionSet::of(&[Restriction::NoLabels])
            );
        }
        let grants = d.grants().unwrap();
        assert_eq!(grants.len(), 3);

        // Only Billing ticked: the copy would leave sub-accounts with nothing; said once.
        d.rows[0].areas = AreaSet::of(&[Area::Billing]);
        d.apply(DraftAction::Update, &accounts()).unwrap();
        assert_eq!(d.grants(), Err(vec![Problem::CopyLeavesNothing]));

        // Not Custom any more: the box means nothing and says so.
        d.rows[0].role = Some(Role::Manager);
        let (_, problems) = d.apply(DraftAction::Update, &accounts()).unwrap();
        assert_eq!(problems, [Problem::CopyNeedsCustom]);
        assert!(d.grants().unwrap_err().contains(&Problem::CopyNeedsCustom));

        // A draft whose sub-account rows hold what the copy gives them looks copied.
        d.rows[0].role = Some(Role::Custom);
        d.rows[0].areas = AreaSet::of(&[Area::Billing, Area::Contacts]);
        d.apply(DraftAction::Update, &accounts()).unwrap();
        assert!(d.looks_copied());
        d.rows[2].areas = AreaSet::of(&[Area::Statistics]);
        assert!(!d.looks_copied());

        // Removing the master account's row unticks it.
        d.apply(DraftAction::Remove(0), &accounts()).unwrap();
        assert!(!d.copy_to_all_below);
    }

    #[test]
    fn grants_say_what_is_missing_per_row() {
        let mut d = draft(&[master(), sub(7), sub(9)]);
        d.rows[1].role = Some(Role::Custom);
        d.rows[2].role = Some(Role::Designer);
        d.rows[2].restrictions = RestrictionSet::of(&[Restriction::DraftsOnly]);
        assert_eq!(
            d.grants(),
            Err(vec![Problem::NoRole(0), Problem::NoArea(1)])
        );
        d.rows[0].role = Some(Role::Manager);
        d.rows[0].restrictions = RestrictionSet::of(&[Restriction::NoLabels]);
        d.rows[1].areas = AreaSet::of(&[Area::Statistics]);
        let grants = d.grants().unwrap();
        assert!(
            grants[0].1.restrictions.is_empty(),
            "Manager cannot have restrictions"
        );
        assert_eq!(
            grants[2].1.restrictions,
            RestrictionSet::of(&[Restriction::DraftsOnly])
        );
        assert_eq!(
            AccessDraft::default().grants(),
            Err(vec![Problem::NoAccount])
        );
    }

    #[test]
    fn fingerprints_change_with_anything_shown() {
        let manager = |account: AccountRef| {
            (
                account,
                Grant::new(
                    account.kind(),
                    Role::Manager,
                    AreaSet::EMPTY,
                    RestrictionSet::NONE,
                )
                .unwrap(),
            )
        };
        let one = fingerprint("a@b.co", &[manager(master())]);
        assert_eq!(one, fingerprint("a@b.co", &[manager(master())]));
        assert_eq!(one.len(), 16);
        assert_ne!(one, fingerprint("c@b.co", &[manager(master())]));
        assert_ne!(
            one,
            fingerprint("a@b.co", &[manager(master()), manager(sub(7))])
        );
    }

    #[test]
    fn accountant_is_offered_on_the_master_account_only() {
        assert!(roles_for(AccountKind::Master).any(|r| r == Role::Accountant));
        assert!(!roles_for(AccountKind::Sub).any(|r| r == Role::Accountant));
        assert_eq!(roles_for(AccountKind::Sub).count(), 5);
    }
}
