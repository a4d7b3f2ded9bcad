//! The plan table (SPEC S5): how many people an owner may share with, and how many may hold
//! advanced accesses.

/// Limits on sharing, not counting the owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub seats: u32,
    pub advanced_accesses: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    Free,
    Essential,
    BronzePremium,
    CrystalPremium,
    SilverPremium,
    GoldPremium,
    PlatinumPremium,
    DiamondPremium,
    /// Limits are set per account by the operator.
    Enterprise,
}

impl Plan {
    /// Every plan, smallest first.
    pub const ALL: [Plan; 9] = [
        Plan::Free,
        Plan::Essential,
        Plan::BronzePremium,
        Plan::CrystalPremium,
        Plan::SilverPremium,
        Plan::GoldPremium,
        Plan::PlatinumPremium,
        Plan::DiamondPremium,
        Plan::Enterprise,
    ];

    /// What is stored in the database and sent by forms; never changes once released.
    pub fn code(self) -> &'static str {
        match self {
            Plan::Free => "free",
            Plan::Essential => "essential",
            Plan::BronzePremium => "bronze-premium",
            Plan::CrystalPremium => "crystal-premium",
            Plan::SilverPremium => "silver-premium",
            Plan::GoldPremium => "gold-premium",
            Plan::PlatinumPremium => "platinum-premium",
            Plan::DiamondPremium => "diamond-premium",
            Plan::Enterprise => "enterprise",
        }
    }

    pub fn from_code(code: &str) -> Option<Plan> {
        Plan::ALL.into_iter().find(|plan| plan.code() == code)
    }

    /// Plans a person can choose by themselves; Enterprise is arranged with the operator.
    pub fn self_serve() -> impl Iterator<Item = Plan> {
        Plan::ALL
            .into_iter()
            .filter(|plan| *plan != Plan::Enterprise)
    }

    pub fn is_premium(self) -> bool {
        !matches!(self, Plan::Free | Plan::Essential)
    }

    /// The plan's limits; an Enterprise account's come from its own row, and without them it
    /// shares nothing rather than everything.
    pub fn limits(self, enterprise: Option<Limits>) -> Limits {
        let (seats, advanced_accesses) = match self {
            Plan::Free => (0, 0),
            Plan::Essential | Plan::BronzePremium => (5, 0),
            Plan::CrystalPremium => (5, 2),
            Plan::SilverPremium => (10, 2),
            Plan::GoldPremium => (15, 2),
            Plan::PlatinumPremium | Plan::DiamondPremium => (15, 3),
            Plan::Enterprise => {
                return enterprise.unwrap_or(Limits {
                    seats: 0,
                    advanced_accesses: 0,
                });
            }
        };
        Limits {
            seats,
            advanced_accesses,
        }
    }
}

/// Sub-accounts an Enterprise account may have unless the operator sets another number.
pub const ENTERPRISE_SUB_ACCOUNTS: u32 = 1000;

impl Plan {
    /// How many sub-accounts an account on this plan may have: one per brand, country or use
    /// (SPEC S13's agency has 20). A cap, so that a free sign-up cannot fill the database.
    pub fn sub_account_limit(self, enterprise: Option<u32>) -> u32 {
        match self {
            Plan::Free => 3,
            Plan::Essential => 10,
            Plan::BronzePremium | Plan::CrystalPremium | Plan::SilverPremium => 25,
            Plan::GoldPremium => 50,
            Plan::PlatinumPremium => 100,
            Plan::DiamondPremium => 250,
            Plan::Enterprise => enterprise.unwrap_or(ENTERPRISE_SUB_ACCOUNTS),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_match_the_plan_table() {
        let expected = [
            (Plan::Free, 0, 0),
            (Plan::Essential, 5, 0),
            (Plan::BronzePremium, 5, 0),
            (Plan::CrystalPremium, 5, 2),
            (Plan::SilverPremium, 10, 2),
            (Plan::GoldPremium, 15, 2),
            (Plan::PlatinumPremium, 15, 3),
            (Plan::DiamondPremium, 15, 3),
        ];
        for (plan, seats, advanced_accesses) in expected {
            assert_eq!(
                plan.limits(None),
                Limits {
                    seats,
                    advanced_accesses
                },
                "{plan:?}"
            );
        }
    }

    #[test]
    fn enterprise_limits_come_from_the_account() {
        let custom = Limits {
            seats: 40,
            advanced_accesses: 12,
        };
        assert_eq!(Plan::Enterprise.limits(Some(custom)), custom);
        assert_eq!(
            Plan::Enterprise.limits(None),
            Limits {
                seats: 0,
                advanced_accesses: 0
            }
        );
        assert!(Plan::self_serve().all(|plan| plan != Plan::Enterprise));
    }

    #[test]
    fn every_plan_caps_sub_accounts_and_larger_plans_allow_more() {
        let caps: Vec<u32> = Plan::ALL
            .into_iter()
            .map(|plan| plan.sub_account_limit(None))
            .collect();
        assert_eq!(caps, [3, 10, 25, 25, 25, 50, 100, 250, 1000]);
        assert_eq!(Plan::Enterprise.sub_account_limit(Some(7)), 7);
        assert_eq!(Plan::GoldPremium.sub_account_limit(Some(7)), 50);
        // Plans with the same sharing limits differ in what else they give.
        for (a, b) in [
            (Plan::Essential, Plan::BronzePremium),
            (Plan::PlatinumPremium, Plan::DiamondPremium),
        ] {
            assert_eq!(a.limits(None), b.limits(None));
            assert_ne!(a.sub_account_limit(None), b.sub_account_limit(None));
        }
    }

    #[test]
    fn codes_round_trip_and_are_unique() {
        for plan in Plan::ALL {
            assert_eq!(Plan::from_code(plan.code()), Some(plan));
        }
        assert_eq!(Plan::from_code("owner"), None);
        assert_eq!(Plan::from_code(""), None);
    }

    #[test]
    fn only_free_and_essential_are_basic() {
        let basic: Vec<Plan> = Plan::ALL
            .into_iter()
            .filter(|plan| !plan.is_premium())
            .collect();
        assert_eq!(basic, vec![Plan::Free, Plan::Essential]);
    }
}
