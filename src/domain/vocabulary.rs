//! The permission vocabulary (INTEGRATION.md S14): what the email platform asks about, as
//! strings. An area code opens the area (`campaigns`); `<area>:<action>` names what the product
//! documents name inside it (`campaigns:send`, `transactional:templates.publish`). Every role of
//! the catalogue, Custom's areas and the three advanced restrictions resolve to a set of these,
//! here and only here: the pages, forward auth, the check API and docs/permissions.md all read
//! `Standing::permissions`.

use std::{collections::BTreeSet, fmt};

use super::{
    access::Standing,
    permission::{AccountKind, Area, AreaSet, Restriction, RestrictionSet},
    role::{Grant, Role},
};

/// Something done inside an area, beyond opening it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    /// Send campaigns.
    Send,
    /// Publish templates to the gallery (an advanced restriction keeps a person to drafts).
    TemplatesPublish,
    /// Lock and unlock template sections.
    TemplatesLock,
    /// Create, edit and delete labels.
    Labels,
    /// Set up monitoring alerts (Real-Time Monitoring).
    Alerts,
    /// The current plan's details.
    PlanDetails,
    /// The prepaid account and deposits.
    Prepaid,
    /// Past invoices.
    Invoices,
    /// API credentials.
    ApiKeys,
    /// The account's other settings.
    Settings,
}

impl Action {
    pub const ALL: [Action; 10] = [
        Action::Send,
        Action::TemplatesPublish,
        Action::TemplatesLock,
        Action::Labels,
        Action::Alerts,
        Action::PlanDetails,
        Action::Prepaid,
        Action::Invoices,
        Action::ApiKeys,
        Action::Settings,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Action::Send => "send",
            Action::TemplatesPublish => "templates.publish",
            Action::TemplatesLock => "templates.lock",
            Action::Labels => "labels",
            Action::Alerts => "alerts",
            Action::PlanDetails => "plan",
            Action::Prepaid => "prepaid",
            Action::Invoices => "invoices",
            Action::ApiKeys => "api_keys",
            Action::Settings => "settings",
        }
    }

    /// The actions an area has, in the order the vocabulary lists them.
    pub fn of(area: Area) -> &'static [Action] {
        match area {
            Area::Campaigns => &[
                Action::Send,
                Action::TemplatesPublish,
                Action::TemplatesLock,
                Action::Labels,
            ],
            Area::Transactional | Area::EmailAutomation => &[
                Action::TemplatesPublish,
                Action::TemplatesLock,
                Action::Labels,
            ],
            Area::Contacts => &[],
            Area::Statistics => &[Action::Alerts],
            Area::Billing => &[Action::PlanDetails, Action::Prepaid, Action::Invoices],
            Area::AccountManagement => &[Action::ApiKeys, Action::Settings],
        }
    }

    /// The action an advanced restriction takes away, wherever templates are.
    fn restricted_by(restriction: Restriction) -> Action {
        match restriction {
            Restriction::DraftsOnly => Action::TemplatesPublish,
            Restriction::NoLabels => Action::Labels,
            Restriction::NoSectionLocking => Action::TemplatesLock,
        }
    }
}

/// One permission: an area, or an action inside one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Permission {
    pub area: Area,
    pub action: Option<Action>,
}

impl Permission {
    pub const fn area(area: Area) -> Permission {
        Permission { area, action: None }
    }

    pub const fn action(area: Area, action: Action) -> Permission {
        Permission {
            area,
            action: Some(action),
        }
    }

    /// Every permission of the vocabulary: each area, then its actions, in the product's order.
    pub fn all() -> impl Iterator<Item = Permission> {
        Area::ALL.into_iter().flat_map(|area| {
            std::iter::once(Permission::area(area)).chain(
                Action::of(area)
                    .iter()
                    .map(move |action| Permission::action(area, *action)),
            )
        })
    }

    /// `campaigns`, `campaigns:send`.
    pub fn parse(code: &str) -> Option<Permission> {
        let (area, action) = match code.split_once(':') {
            Some((area, action)) => (area, Some(action)),
            None => (code, None),
        };
        // Compared piece by piece, with nothing formatted: the check API parses every
        // permission of every check it is asked.
        Permission::all().find(|permission| {
            permission.area.code() == area && permission.action.map(Action::code) == action
        })
    }

    /// Appends the code, as `Display` writes it, without a formatter.
    fn push_code(self, out: &mut String) {
        out.push_str(self.area.code());
        if let Some(action) = self.action {
            out.push(':');
            out.push_str(action.code());
        }
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.area.code())?;
        match self.action {
            None => Ok(()),
            Some(action) => write!(f, ":{}", action.code()),
        }
    }
}

/// A set of permissions: as many as the vocabulary has, with no ceiling to outgrow.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PermissionSet(BTreeSet<Permission>);

impl PermissionSet {
    pub fn contains(&self, permission: Permission) -> bool {
        self.0.contains(&permission)
    }

    pub fn iter(&self) -> impl Iterator<Item = Permission> + '_ {
        self.0.iter().copied()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The codes, comma-separated, in the vocabulary's order: `Remote-Groups`.
    pub fn codes(&self) -> String {
        // Forward auth sends this on every request it lets through: one buffer, no per-code
        // string.
        let mut codes = String::with_capacity(self.0.len() * 20);
        for (i, permission) in self.iter().enumerate() {
            if i > 0 {
                codes.push(',');
            }
            permission.push_code(&mut codes);
        }
        codes
    }

    /// An area and every action in it.
    fn open(&mut self, area: Area) {
        self.0.insert(Permission::area(area));
        for action in Action::of(area) {
            self.0.insert(Permission::action(area, *action));
        }
    }

    fn open_with(&mut self, area: Area, actions: &[Action]) {
        self.0.insert(Permission::area(area));
        for action in actions {
            self.0.insert(Permission::action(area, *action));
        }
    }

    /// Takes away what the advanced restrictions take, in every area that has templates.
    fn restrict(&mut self, restrictions: RestrictionSet) {
        for restriction in restrictions.iter() {
            let action = Action::restricted_by(restriction);
            self.0
                .retain(|permission| permission.action != Some(action));
        }
    }
}

/// What a predefined role opens, as the product documents word it (seed 000, SPEC S3); Custom
/// opens each ticked area whole.
fn role_permissions(role: Role, areas: AreaSet) -> PermissionSet {
    use Action::*;
    let mut set = PermissionSet::default();
    match role {
        // "Has access to your entire account except account sharing."
        Role::Manager => Area::ALL.into_iter().for_each(|area| set.open(area)),
        // "Can access your Current Plan Details, Prepaid Account & Deposits, and Past Invoices."
        Role::Accountant => set.open(Area::Billing),
        // "Can manage API credentials, publish transactional templates, setup monitoring alerts
        // and lock transactional template sections to protect them."
        Role::Developer => {
            set.open_with(
                Area::Transactional,
                &[TemplatesPublish, TemplatesLock, Labels],
            );
            set.open_with(Area::Statistics, &[Alerts]);
            set.open_with(Area::AccountManagement, &[ApiKeys]);
        }
        // "Can manage contact lists, send campaigns and manage automation workflows. Can also
        // suggest modification to transactional templates but cannot publish them."
        Role::Marketer => {
            set.open(Area::Contacts);
            set.open(Area::Campaigns);
            set.open(Area::EmailAutomation);
            set.open_with(Area::Transactional, &[TemplatesLock, Labels]);
        }
        // "Can only access templates and suggest changes, without publishing them. Can also lock
        // sections to protect the template's design."
        Role::Designer => {
            set.open_with(Area::Campaigns, &[TemplatesLock, Labels]);
            set.open_with(Area::Transactional, &[TemplatesLock, Labels]);
        }
        // "Select which areas the user can access."
        Role::Custom => areas.iter().for_each(|area| set.open(area)),
    }
    set
}

impl Grant {
    /// What this access lets its person do on an account of this kind: its role's permissions,
    /// less what its advanced restrictions take away. A sub-account has no Billing.
    pub fn permissions(&self, account: AccountKind) -> PermissionSet {
        let mut set = role_permissions(self.role, self.areas);
        set.0
            .retain(|permission| permission.area.exists_on(account));
        set.restrict(self.restrictions);
        set
    }
}

impl Standing {
    /// A person's effective permissions on one account: the one function every gate asks. The
    /// owner holds every permission the account has (and sharing, which is not a permission of
    /// the platform's).
    pub fn permissions(&self, account: AccountKind) -> PermissionSet {
        match self {
            Standing::Owner => {
                let mut set = PermissionSet::default();
                Area::ALL
                    .into_iter()
                    .filter(|area| area.exists_on(account))
                    .for_each(|area| set.open(area));
                set
            }
            Standing::Member(grant) => grant.permissions(account),
        }
    }
}

/// The matrix docs/permissions.md shows, rendered from the functions above: a test keeps the
/// file equal to it.
pub fn matrix_markdown() -> String {
    let columns: [(&str, Option<Role>); 6] = [
        ("Owner", None),
        ("Manager", Some(Role::Manager)),
        ("Accountant", Some(Role::Accountant)),
        ("Developer", Some(Role::Developer)),
        ("Marketer", Some(Role::Marketer)),
        ("Designer", Some(Role::Designer)),
    ];
    let standing = |role: Option<Role>, account: AccountKind| -> Option<Standing> {
        match role {
            None => Some(Standing::Owner),
            Some(role) => Grant::new(account, role, AreaSet::EMPTY, RestrictionSet::NONE)
                .ok()
                .map(Standing::Member),
        }
    };
    let mut out = String::from(
        "# Permissions\n\n\
         The vocabulary an email platform asks about (`../shared/INTEGRATION.md`, S14), and what \
         each role holds. Generated from `src/domain/vocabulary.rs`; `tests/app/vocabulary.rs` \
         fails when this file differs (`UPDATE_DOCS=1 ./dev test --test app vocabulary` \
         rewrites it).\n\n\
         - A permission is an area code, which opens the area, or `<area>:<action>`.\n\
         - Custom holds each area ticked, with every action in it.\n\
         - The advanced restrictions take away, in every area: \"can only edit draft templates\" \
         `…:templates.publish`; \"cannot create, edit or delete labels\" `…:labels`; \"cannot \
         lock or unlock sections\" `…:templates.lock`.\n\
         - Sharing itself is the owner's alone and is not a permission of the platform's.\n",
    );
    for (account, title) in [
        (AccountKind::Master, "Master account"),
        (AccountKind::Sub, "Sub-account"),
    ] {
        out.push_str(&format!("\n## {title}\n\n| permission |"));
        for (name, _) in &columns {
            out.push_str(&format!(" {name} |"));
        }
        out.push_str("\n|---|");
        out.push_str(&"---|".repeat(columns.len()));
        out.push('\n');
        let held: Vec<Option<PermissionSet>> = columns
            .iter()
            .map(|(_, role)| standing(*role, account).map(|s| s.permissions(account)))
            .collect();
        for permission in Permission::all().filter(|p| p.area.exists_on(account)) {
            out.push_str(&format!("| `{permission}` |"));
            for set in &held {
                let mark = match set {
                    Some(set) if set.contains(permission) => "yes",
                    Some(_) => "",
                    None => "n/a",
                };
                out.push_str(&format!(" {mark} |"));
            }
            out.push('\n');
        }
    }
    out.push_str(
        "\n`n/a`: the role opens nothing on this kind of account (an Accountant has Billing, \
         which exists on the master account only).\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(role: Role, account: AccountKind, restrictions: &[Restriction]) -> PermissionSet {
        Grant::new(
            account,
            role,
            AreaSet::EMPTY,
            RestrictionSet::of(restrictions),
        )
        .unwrap()
        .permissions(account)
    }

    fn has(set: &PermissionSet, code: &str) -> bool {
        set.contains(
            Permission::parse(code).unwrap_or_else(|| panic!("{code} is in the vocabulary")),
        )
    }

    #[test]
    fn codes_are_the_ones_integration_md_names_and_round_trip() {
        for code in [
            "campaigns",
            "transactional",
            "email_automation",
            "contacts",
            "statistics",
            "billing",
            "account_management",
            "campaigns:templates.publish",
            "transactional:templates.publish",
            "email_automation:templates.publish",
            "campaigns:templates.lock",
            "transactional:templates.lock",
            "email_automation:templates.lock",
            "campaigns:labels",
            "transactional:labels",
            "email_automation:labels",
            "campaigns:send",
            "statistics:alerts",
            "account_management:api_keys",
        ] {
            let permission = Permission::parse(code).unwrap_or_else(|| panic!("{code}"));
            assert_eq!(permission.to_string(), code);
        }
        for not_one in [
            "",
            "sharing",
            "campaigns:",
            "campaigns:publish",
            "Campaigns",
            "billing:send",
            "campaigns:send:x",
            ":send",
            "campaigns send",
        ] {
            assert_eq!(Permission::parse(not_one), None, "{not_one:?}");
        }
        assert_eq!(Permission::all().count(), 23);
    }

    #[test]
    fn manager_has_the_entire_account_and_the_owner_too() {
        // "Manager: Has access to your entire account except account sharing."
        let manager = held(Role::Manager, AccountKind::Master, &[]);
        let owner = Standing::Owner.permissions(AccountKind::Master);
        assert_eq!(manager, owner);
        assert_eq!(manager.iter().count(), Permission::all().count());
        let on_sub = held(Role::Manager, AccountKind::Sub, &[]);
        assert!(!has(&on_sub, "billing") && !has(&on_sub, "billing:invoices"));
        assert_eq!(on_sub, Standing::Owner.permissions(AccountKind::Sub));
    }

    #[test]
    fn accountant_has_billing_on_the_master_account_only() {
        // "Accountant: Can access your Current Plan Details, Prepaid Account & Deposits, and
        // Past Invoices."
        let accountant = held(Role::Accountant, AccountKind::Master, &[]);
        assert_eq!(
            accountant.codes(),
            "billing,billing:plan,billing:prepaid,billing:invoices"
        );
        assert!(
            Grant::new(
                AccountKind::Sub,
                Role::Accountant,
                AreaSet::EMPTY,
                RestrictionSet::NONE
            )
            .is_err()
        );
    }

    #[test]
    fn developer_manages_api_keys_publishes_transactional_sets_alerts_and_locks() {
        // "Developer: Can manage API credentials, publish transactional templates, setup
        // monitoring alerts and lock transactional template sections to protect them."
        let developer = held(Role::Developer, AccountKind::Master, &[]);
        for code in [
            "account_management:api_keys",
            "transactional:templates.publish",
            "statistics:alerts",
            "transactional:templates.lock",
        ] {
            assert!(has(&developer, code), "{code}");
        }
        assert!(!has(&developer, "account_management:settings"));
        assert!(!has(&developer, "campaigns") && !has(&developer, "billing"));
        // "drafts only" turns the publishing off.
        let drafts = held(
            Role::Developer,
            AccountKind::Master,
            &[Restriction::DraftsOnly],
        );
        assert!(!has(&drafts, "transactional:templates.publish"));
        assert!(has(&drafts, "transactional:templates.lock"));
    }

    #[test]
    fn marketer_sends_and_suggests_transactional_changes_without_publishing() {
        // "Marketer: Can manage contact lists, send campaigns and manage automation workflows.
        // Can also suggest modification to transactional templates but cannot publish them."
        let marketer = held(Role::Marketer, AccountKind::Master, &[]);
        for code in [
            "contacts",
            "campaigns",
            "campaigns:send",
            "email_automation",
            "transactional",
        ] {
            assert!(has(&marketer, code), "{code}");
        }
        assert!(!has(&marketer, "transactional:templates.publish"));
        assert!(!has(&marketer, "billing") && !has(&marketer, "statistics"));
    }

    #[test]
    fn designer_reaches_templates_locks_sections_and_publishes_and_sends_nothing() {
        // "Designer: Can only access templates and suggest changes, without publishing them.
        // Can also lock sections to protect the template's design."
        let designer = held(Role::Designer, AccountKind::Sub, &[]);
        for code in [
            "campaigns",
            "transactional",
            "campaigns:templates.lock",
            "transactional:templates.lock",
        ] {
            assert!(has(&designer, code), "{code}");
        }
        for code in [
            "campaigns:send",
            "campaigns:templates.publish",
            "transactional:templates.publish",
            "contacts",
        ] {
            assert!(!has(&designer, code), "{code}");
        }
        let no_locking = held(
            Role::Designer,
            AccountKind::Sub,
            &[Restriction::NoSectionLocking, Restriction::NoLabels],
        );
        assert!(!has(&no_locking, "campaigns:templates.lock"));
        assert!(!has(&no_locking, "transactional:labels"));
        assert!(has(&no_locking, "campaigns"));
    }

    #[test]
    fn custom_opens_each_ticked_area_whole() {
        // "Custom: Select which areas the user can access."
        let custom = Grant::new(
            AccountKind::Master,
            Role::Custom,
            AreaSet::of(&[Area::Statistics, Area::Billing]),
            RestrictionSet::NONE,
        )
        .unwrap()
        .permissions(AccountKind::Master);
        assert_eq!(
            custom.codes(),
            "statistics,statistics:alerts,billing,billing:plan,billing:prepaid,billing:invoices"
        );
    }

    #[test]
    fn the_matrix_lists_every_permission_for_both_kinds_of_account() {
        let matrix = matrix_markdown();
        assert_eq!(
            matrix
                .lines()
                .filter(|line| line.starts_with("| `"))
                .count(),
            23 + 19
        );
        assert!(matrix.contains("| `campaigns:send` | yes | yes |  |  | yes |  |"));
    }
}
