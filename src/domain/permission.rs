//! Permission areas and advanced restrictions (SPEC S3, S4).

/// A part of the email platform a person can be let into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Area {
    Campaigns,
    Transactional,
    EmailAutomation,
    Contacts,
    Statistics,
    /// Exists on the master account only.
    Billing,
    AccountManagement,
}

impl Area {
    /// In the order the product lists them.
    pub const ALL: [Area; 7] = [
        Area::Campaigns,
        Area::Transactional,
        Area::EmailAutomation,
        Area::Contacts,
        Area::Statistics,
        Area::Billing,
        Area::AccountManagement,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Area::Campaigns => "campaigns",
            Area::Transactional => "transactional",
            Area::EmailAutomation => "email_automation",
            Area::Contacts => "contacts",
            Area::Statistics => "statistics",
            Area::Billing => "billing",
            Area::AccountManagement => "account_management",
        }
    }

    pub fn from_code(code: &str) -> Option<Area> {
        Area::ALL.into_iter().find(|area| area.code() == code)
    }

    fn bit(self) -> u64 {
        1 << (self as u64)
    }

    /// Whether an account of this kind has the area at all.
    pub fn exists_on(self, account: AccountKind) -> bool {
        self != Area::Billing || account == AccountKind::Master
    }
}

/// The master account, or one of its sub-accounts: some rules differ between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountKind {
    Master,
    Sub,
}

/// A set of areas, stored as a 64-bit set (a BIGINT column): room for 64 areas, where the
/// product documents name 7. The permissions inside them are a set of strings
/// (`vocabulary::PermissionSet`), with no ceiling at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct AreaSet(u64);

// Each area is a bit of the set.
const _: () = assert!(Area::ALL.len() <= 64);

impl AreaSet {
    pub const EMPTY: AreaSet = AreaSet(0);

    pub fn of(areas: &[Area]) -> AreaSet {
        areas
            .iter()
            .fold(AreaSet::EMPTY, |set, area| set.with(*area))
    }

    pub fn all() -> AreaSet {
        AreaSet::of(&Area::ALL)
    }

    pub fn with(self, area: Area) -> AreaSet {
        AreaSet(self.0 | area.bit())
    }

    pub fn without(self, area: Area) -> AreaSet {
        AreaSet(self.0 & !area.bit())
    }

    pub fn contains(self, area: Area) -> bool {
        self.0 & area.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = Area> {
        Area::ALL
            .into_iter()
            .filter(move |area| self.contains(*area))
    }

    /// Only the areas an account of this kind has: a sub-account has no Billing.
    pub fn for_account(self, account: AccountKind) -> AreaSet {
        if account == AccountKind::Sub {
            self.without(Area::Billing)
        } else {
            self
        }
    }

    pub fn bits(self) -> i64 {
        self.0 as i64
    }

    /// From stored bits; bits that name no area are dropped.
    pub fn from_bits(bits: i64) -> AreaSet {
        AreaSet(bits as u64 & AreaSet::all().0)
    }
}

/// An extra limit on what someone may do with templates (S4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Restriction {
    /// Can only edit draft templates and not publish them to the gallery.
    DraftsOnly,
    /// Cannot create, edit or delete labels.
    NoLabels,
    /// Cannot lock or unlock template sections.
    NoSectionLocking,
}

impl Restriction {
    pub const ALL: [Restriction; 3] = [
        Restriction::DraftsOnly,
        Restriction::NoLabels,
        Restriction::NoSectionLocking,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Restriction::DraftsOnly => "drafts_only",
            Restriction::NoLabels => "no_labels",
            Restriction::NoSectionLocking => "no_section_locking",
        }
    }

    pub fn from_code(code: &str) -> Option<Restriction> {
        Restriction::ALL.into_iter().find(|r| r.code() == code)
    }

    fn bit(self) -> u64 {
        1 << (self as u64)
    }
}

/// A set of restrictions, stored as a 64-bit set like `AreaSet`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct RestrictionSet(u64);

const _: () = assert!(Restriction::ALL.len() <= 64);

impl RestrictionSet {
    pub const NONE: RestrictionSet = RestrictionSet(0);

    pub fn of(restrictions: &[Restriction]) -> RestrictionSet {
        RestrictionSet(restrictions.iter().fold(0, |bits, r| bits | r.bit()))
    }

    pub fn with(self, restriction: Restriction) -> RestrictionSet {
        RestrictionSet(self.0 | restriction.bit())
    }

    pub fn contains(self, restriction: Restriction) -> bool {
        self.0 & restriction.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = Restriction> {
        Restriction::ALL
            .into_iter()
            .filter(move |r| self.contains(*r))
    }

    pub fn bits(self) -> i64 {
        self.0 as i64
    }

    pub fn from_bits(bits: i64) -> RestrictionSet {
        let all = RestrictionSet::of(&Restriction::ALL).0;
        RestrictionSet(bits as u64 & all)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn area_codes_round_trip() {
        for area in Area::ALL {
            assert_eq!(Area::from_code(area.code()), Some(area));
        }
        assert_eq!(Area::from_code("sharing"), None);
        for restriction in Restriction::ALL {
            assert_eq!(
                Restriction::from_code(restriction.code()),
                Some(restriction)
            );
        }
        assert_eq!(Restriction::from_code("owner"), None);
    }

    #[test]
    fn billing_exists_on_the_master_account_only() {
        assert!(Area::Billing.exists_on(AccountKind::Master));
        assert!(!Area::Billing.exists_on(AccountKind::Sub));
        let all = AreaSet::all();
        assert!(all.for_account(AccountKind::Master).contains(Area::Billing));
        assert!(!all.for_account(AccountKind::Sub).contains(Area::Billing));
        assert_eq!(all.for_account(AccountKind::Sub).iter().count(), 6);
    }

    #[test]
    fn sets_round_trip_through_storage_and_ignore_unknown_bits() {
        let set = AreaSet::of(&[Area::Contacts, Area::Billing]);
        assert_eq!(AreaSet::from_bits(set.bits()), set);
        assert_eq!(AreaSet::from_bits(-1), AreaSet::all());
        let restrictions = RestrictionSet::of(&[Restriction::NoLabels]);
        assert_eq!(RestrictionSet::from_bits(restrictions.bits()), restrictions);
        assert_eq!(RestrictionSet::from_bits(0xff).iter().count(), 3);
        assert_eq!(
            set.iter().collect::<Vec<_>>(),
            [Area::Contacts, Area::Billing]
        );
    }
}
