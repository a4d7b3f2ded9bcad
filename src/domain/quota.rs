//! Plan limits applied to sharing (SPEC S5, S7, S9, S11): seats, advanced accesses, and which
//! roles a plan allows. Callers count usage under a lock on the account, so these answers hold
//! under concurrent requests.

use super::{plan::Limits, role::Grant, role::Role};

/// What the account uses now, not counting the person being invited or edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    /// People with access, Pending or Active: a person counts once whatever their accounts.
    pub seats: u32,
    /// People holding at least one premium role.
    pub advanced_accesses: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum QuotaError {
    #[error("the plan shares with nobody")]
    NoSharingOnPlan,
    #[error("all {limit} seats are taken")]
    SeatsFull { limit: u32 },
    #[error("{role:?} needs a plan with advanced accesses")]
    RoleNeedsAdvancedPlan { role: Role },
    #[error("all {limit} advanced accesses are taken")]
    AdvancedAccessesFull { limit: u32 },
}

/// What an accepted invitation or edit does to the advanced-access quota; shown before sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdvancedSummary {
    pub uses_advanced_access: bool,
    /// The person did not hold an advanced access before: this change takes one more.
    pub takes_a_new_one: bool,
    pub limit: u32,
    /// Left after this change.
    pub remaining: u32,
}

fn uses_advanced_access<'a>(grants: impl IntoIterator<Item = &'a Grant>) -> bool {
    grants.into_iter().any(|grant| grant.role.is_premium())
}

fn plan_allows(limits: Limits, grant: &Grant) -> Result<(), QuotaError> {
    if grant.role.is_premium() && limits.advanced_accesses == 0 {
        return Err(QuotaError::RoleNeedsAdvancedPlan { role: grant.role });
    }
    Ok(())
}

fn summary(limits: Limits, others: Usage, uses: bool, had: bool) -> AdvancedSummary {
    AdvancedSummary {
        uses_advanced_access: uses,
        takes_a_new_one: uses && !had,
        limit: limits.advanced_accesses,
        remaining: limits
            .advanced_accesses
            .saturating_sub(others.advanced_accesses + u32::from(uses)),
    }
}

/// A new person takes a seat, and one advanced access if any of their roles is premium.
pub fn check_invitation(
    limits: Limits,
    usage: Usage,
    grants: &[Grant],
) -> Result<AdvancedSummary, QuotaError> {
    if limits.seats == 0 {
        return Err(QuotaError::NoSharingOnPlan);
    }
    if usage.seats >= limits.seats {
        return Err(QuotaError::SeatsFull {
            limit: limits.seats,
        });
    }
    grants
        .iter()
        .try_for_each(|grant| plan_allows(limits, grant))?;
    let uses = uses_advanced_access(grants);
    if uses && usage.advanced_accesses >= limits.advanced_accesses {
        return Err(QuotaError::AdvancedAccessesFull {
            limit: limits.advanced_accesses,
        });
    }
    Ok(summary(limits, usage, uses, false))
}

/// How many more people a batch can invite with the same `grants`, counted once for the whole
/// batch; past them, each is refused for `then`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Room {
    pub people: u32,
    pub then: QuotaError,
}

/// The room `check_invitation` would find person after person, worked out at once: the seats
/// left, and when the grants take an advanced access, the advanced accesses left too.
pub fn room_for(limits: Limits, usage: Usage, grants: &[Grant]) -> Room {
    if let Err(then) = check_invitation(limits, usage, grants) {
        return Room { people: 0, then };
    }
    let seats_left = limits.seats - usage.seats;
    let advanced_left = limits.advanced_accesses - usage.advanced_accesses;
    // When both run out together, the seats are what `check_invitation` names.
    if uses_advanced_access(grants) && advanced_left < seats_left {
        Room {
            people: advanced_left,
            then: QuotaError::AdvancedAccessesFull {
                limit: limits.advanced_accesses,
            },
        }
    } else {
        Room {
            people: seats_left,
            then: QuotaError::SeatsFull {
                limit: limits.seats,
            },
        }
    }
}

/// An edit keeps the person's seat. A grant kept exactly as it was stays allowed even when the
/// plan no longer would allow it (after "Downgrade anyway", S11); anything new is checked like an
/// invitation, and a person who had no advanced access needs a free one to get one.
pub fn check_edit<K: PartialEq>(
    limits: Limits,
    others: Usage,
    before: &[(K, Grant)],
    after: &[(K, Grant)],
) -> Result<AdvancedSummary, QuotaError> {
    for (key, grant) in after {
        let kept = before
            .iter()
            .any(|(old_key, old)| old_key == key && old == grant);
        if !kept {
            plan_allows(limits, grant)?;
        }
    }
    let had = uses_advanced_access(before.iter().map(|(_, grant)| grant));
    let uses = uses_advanced_access(after.iter().map(|(_, grant)| grant));
    if uses && !had && others.advanced_accesses >= limits.advanced_accesses {
        return Err(QuotaError::AdvancedAccessesFull {
            limit: limits.advanced_accesses,
        });
    }
    Ok(summary(limits, others, uses, had))
}

/// Whether a form may offer the premium roles to a person, and if not why: a role the plan
/// cannot use is shown unavailable before anything is sent, never offered and then refused (S13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PremiumRoles {
    Available,
    /// The plan has no advanced accesses at all.
    NotOnPlan,
    /// Every advanced access of the plan is held by someone else.
    NoneLeft {
        limit: u32,
    },
}

/// `others` leaves out the person being edited; `holds_one` says whether they already hold an
/// advanced access, which they keep whatever their premium roles become.
pub fn premium_roles(limits: Limits, others: Usage, holds_one: bool) -> PremiumRoles {
    if limits.advanced_accesses == 0 {
        PremiumRoles::NotOnPlan
    } else if holds_one || others.advanced_accesses < limits.advanced_accesses {
        PremiumRoles::Available
    } else {
        PremiumRoles::NoneLeft {
            limit: limits.advanced_accesses,
        }
    }
}

/// Whether any of these grants holds a premium role, so uses an advanced access.
pub fn holds_advanced_access<'a>(grants: impl IntoIterator<Item = &'a Grant>) -> bool {
    uses_advanced_access(grants)
}

/// What a change of plan would do (S11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanChangeVerdict {
    /// An upgrade, or a downgrade everything already fits in.
    Allowed,
    /// Refused until this much is reduced.
    ReduceFirst {
        people_over: u32,
        advanced_accesses_over: u32,
    },
    /// From premium to a basic plan while some people have advanced restrictions: the owner
    /// chooses "Downgrade anyway" (restrictions removed) or "Review permissions".
    RemovesRestrictions { people: u32 },
}

/// Judges moving to a plan with `target` limits. Roles people already hold stay after a move to a
/// basic plan; only the seats must fit. A smaller premium plan must fit the advanced accesses too.
pub fn judge_plan_change(
    target: Limits,
    target_is_premium: bool,
    from_premium: bool,
    usage: Usage,
    people_with_restrictions: u32,
) -> PlanChangeVerdict {
    let people_over = usage.seats.saturating_sub(target.seats);
    let advanced_accesses_over = if target_is_premium {
        usage
            .advanced_accesses
            .saturating_sub(target.advanced_accesses)
    } else {
        0
    };
    if people_over > 0 || advanced_accesses_over > 0 {
        return PlanChangeVerdict::ReduceFirst {
            people_over,
            advanced_accesses_over,
        };
    }
    if from_premium && !target_is_premium && people_with_restrictions > 0 {
        return PlanChangeVerdict::RemovesRestrictions {
            people: people_with_restrictions,
        };
    }
    PlanChangeVerdict::Allowed
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `room_for` agrees with inviting one person after another, for every plan size, usage
    /// and kind of grant up to a few people.
    #[test]
    fn room_for_a_batch_is_what_one_invitation_after_another_finds() {
        let plain = grant(Role::Manager);
        let premium = grant(Role::Developer);
        for seats in 0..5 {
            for advanced in 0..4 {
                let limits = Limits {
                    seats,
                    advanced_accesses: advanced,
                };
                for used_seats in 0..=seats {
                    for used_advanced in 0..=advanced.min(used_seats) {
                        for grant in [plain, premium] {
                            let mut usage = Usage {
                                seats: used_seats,
                                advanced_accesses: used_advanced,
                            };
                            let room = room_for(limits, usage, &[grant]);
                            let before = usage;
                            let mut people = 0;
                            let then = loop {
                                match check_invitation(limits, usage, &[grant]) {
                                    Ok(summary) => {
                                        people += 1;
                                        usage.seats += 1;
                                        usage.advanced_accesses +=
                                            u32::from(summary.uses_advanced_access);
                                    }
                                    Err(then) => break then,
                                }
                            };
                            assert_eq!(room, Room { people, then }, "{limits:?} {before:?}");
                        }
                    }
                }
            }
        }
    }
    use crate::domain::permission::{AccountKind, Area, AreaSet, Restriction, RestrictionSet};

    fn grant(role: Role) -> Grant {
        Grant::new(
            AccountKind::Master,
            role,
            AreaSet::of(&[Area::Contacts]),
            RestrictionSet::NONE,
        )
        .unwrap()
    }

    const CRYSTAL: Limits = Limits {
        seats: 5,
        advanced_accesses: 2,
    };
    const ESSENTIAL: Limits = Limits {
        seats: 5,
        advanced_accesses: 0,
    };
    const FREE: Limits = Limits {
        seats: 0,
        advanced_accesses: 0,
    };

    fn usage(seats: u32, advanced_accesses: u32) -> Usage {
        Usage {
            seats,
            advanced_accesses,
        }
    }

    #[test]
    fn invitations_take_a_seat_until_none_is_left() {
        assert!(check_invitation(CRYSTAL, usage(4, 0), &[grant(Role::Manager)]).is_ok());
        assert_eq!(
            check_invitation(CRYSTAL, usage(5, 0), &[grant(Role::Manager)]),
            Err(QuotaError::SeatsFull { limit: 5 })
        );
        assert_eq!(
            check_invitation(FREE, usage(0, 0), &[grant(Role::Manager)]),
            Err(QuotaError::NoSharingOnPlan)
        );
    }

    #[test]
    fn premium_roles_need_a_plan_with_advanced_accesses_and_a_free_one() {
        for role in [
            Role::Developer,
            Role::Marketer,
            Role::Designer,
            Role::Custom,
        ] {
            assert_eq!(
                check_invitation(ESSENTIAL, usage(0, 0), &[grant(role)]),
                Err(QuotaError::RoleNeedsAdvancedPlan { role })
            );
        }
        let summary = check_invitation(CRYSTAL, usage(1, 1), &[grant(Role::Designer)]).unwrap();
        assert_eq!(
            summary,
            AdvancedSummary {
                uses_advanced_access: true,
                takes_a_new_one: true,
                limit: 2,
                remaining: 0
            }
        );
        assert_eq!(
            check_invitation(CRYSTAL, usage(2, 2), &[grant(Role::Designer)]),
            Err(QuotaError::AdvancedAccessesFull { limit: 2 })
        );
        // Non-premium roles never touch the advanced quota, even when it is full.
        let summary = check_invitation(
            CRYSTAL,
            usage(2, 2),
            &[grant(Role::Manager), grant(Role::Accountant)],
        )
        .unwrap();
        assert!(!summary.uses_advanced_access);
    }

    #[test]
    fn a_person_uses_one_advanced_access_however_many_premium_accounts() {
        let summary = check_invitation(
            CRYSTAL,
            usage(0, 1),
            &[
                grant(Role::Designer),
                grant(Role::Developer),
                grant(Role::Custom),
            ],
        )
        .unwrap();
        assert_eq!(summary.remaining, 0);
    }

    #[test]
    fn premium_roles_are_offered_only_where_they_can_be_used() {
        assert_eq!(
            premium_roles(ESSENTIAL, usage(1, 0), false),
            PremiumRoles::NotOnPlan
        );
        assert_eq!(
            premium_roles(ESSENTIAL, usage(1, 0), true),
            PremiumRoles::NotOnPlan
        );
        assert_eq!(
            premium_roles(CRYSTAL, usage(1, 1), false),
            PremiumRoles::Available
        );
        assert_eq!(
            premium_roles(CRYSTAL, usage(2, 2), false),
            PremiumRoles::NoneLeft { limit: 2 }
        );
        assert_eq!(
            premium_roles(CRYSTAL, usage(2, 2), true),
            PremiumRoles::Available
        );
    }

    #[test]
    fn plan_changes_follow_s11() {
        use PlanChangeVerdict::*;
        let silver = Limits {
            seats: 10,
            advanced_accesses: 2,
        };
        // Upgrades always fit.
        assert_eq!(
            judge_plan_change(silver, true, true, usage(5, 2), 1),
            Allowed
        );
        // A smaller premium plan: people and advanced accesses must fit.
        assert_eq!(
            judge_plan_change(CRYSTAL, true, true, usage(7, 1), 0),
            ReduceFirst {
                people_over: 2,
                advanced_accesses_over: 0
            }
        );
        let bronze = Limits {
            seats: 5,
            advanced_accesses: 0,
        };
        assert_eq!(
            judge_plan_change(bronze, true, true, usage(3, 2), 0),
            ReduceFirst {
                people_over: 0,
                advanced_accesses_over: 2
            }
        );
        // To a basic plan: seats must fit; restrictions ask for a choice; premium roles may stay.
        assert_eq!(
            judge_plan_change(ESSENTIAL, false, true, usage(6, 0), 0),
            ReduceFirst {
                people_over: 1,
                advanced_accesses_over: 0
            }
        );
        assert_eq!(
            judge_plan_change(ESSENTIAL, false, true, usage(4, 2), 2),
            RemovesRestrictions { people: 2 }
        );
        assert_eq!(
            judge_plan_change(ESSENTIAL, false, true, usage(4, 2), 0),
            Allowed
        );
        assert_eq!(
            judge_plan_change(FREE, false, false, usage(1, 0), 0),
            ReduceFirst {
                people_over: 1,
                advanced_accesses_over: 0
            }
        );
        assert_eq!(
            judge_plan_change(FREE, false, false, usage(0, 0), 0),
            Allowed
        );
    }

    #[test]
    fn edits_keep_what_was_there_but_check_anything_new() {
        let restricted = Grant {
            restrictions: RestrictionSet::of(&[Restriction::NoLabels]),
            ..grant(Role::Custom)
        };
        let before = [("master", restricted)];
        // After a downgrade to a basic plan: unchanged is fine, changed boxes are not.
        assert!(check_edit(ESSENTIAL, usage(3, 0), &before, &before).is_ok());
        let changed = Grant {
            areas: AreaSet::of(&[Area::Statistics]),
            ..restricted
        };
        assert_eq!(
            check_edit(ESSENTIAL, usage(3, 0), &before, &[("master", changed)]),
            Err(QuotaError::RoleNeedsAdvancedPlan { role: Role::Custom })
        );
        // Anyone can always be moved to a non-premium role.
        assert!(
            check_edit(
                ESSENTIAL,
                usage(3, 0),
                &before,
                &[("master", grant(Role::Manager))]
            )
            .is_ok()
        );
        // Someone who held no advanced access needs a free one.
        let manager = [("master", grant(Role::Manager))];
        assert_eq!(
            check_edit(
                CRYSTAL,
                usage(3, 2),
                &manager,
                &[("master", grant(Role::Marketer))]
            ),
            Err(QuotaError::AdvancedAccessesFull { limit: 2 })
        );
        // Someone who already held one keeps theirs when their premium roles change.
        assert!(
            check_edit(
                CRYSTAL,
                usage(3, 2),
                &before,
                &[("master", grant(Role::Marketer))]
            )
            .is_ok()
        );
    }
}
