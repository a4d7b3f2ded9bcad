//! Every sentence the service says to people that code words, so the interface reads the same
//! in each language (SPEC S12): each function picks a message from `locales/` in the given
//! language. Templates ask `Layout` for their own words.

use crate::{
    domain::{
        access_end::EndDateError,
        api_scope::{Lifetime, Scope as TokenScope},
        audit::Action,
        email::EmailError,
        ids::{AccountRef, MasterAccountId, SubAccountId},
        name::NameError,
        password::PasswordError,
        permission::{AccountKind, Area, AreaSet, Restriction, RestrictionSet},
        plan::{Limits, Plan},
        quota::{PremiumRoles, QuotaError, Usage},
        role::{Grant, Role},
        summary::{AccessGroup, Scope},
        vocabulary::{Action as PermissionAction, Permission},
    },
    i18n::Locale,
};

pub fn email_error(l: Locale, error: EmailError) -> String {
    l.t(match error {
        EmailError::Empty => "email-empty",
        EmailError::TooLong => "email-too-long",
        EmailError::InvisibleCharacters => "email-invisible",
        EmailError::NotOneAt => "email-not-one-at",
        EmailError::InvalidLocalPart => "email-local-part",
        EmailError::IpDomain => "email-ip-domain",
        EmailError::InvalidDomain => "email-domain",
    })
}

pub fn display_name_error(l: Locale, error: NameError) -> String {
    l.t(match error {
        NameError::Empty => "name-empty",
        NameError::TooLong => "name-too-long",
        NameError::InvisibleCharacters => "name-invisible",
    })
}

pub fn passkey_name_error(l: Locale, error: NameError) -> String {
    l.t(match error {
        NameError::Empty => "passkeys-name-empty",
        NameError::TooLong => "passkeys-name-too-long",
        NameError::InvisibleCharacters => "passkeys-name-invisible",
    })
}

pub fn token_name_error(l: Locale, error: NameError) -> String {
    l.t(match error {
        NameError::Empty => "tokens-name-empty",
        NameError::TooLong => "tokens-name-too-long",
        NameError::InvisibleCharacters => "tokens-name-invisible",
    })
}

/// What a token's scope lets it do, as the token form offers it.
pub fn scope_description(l: Locale, scope: TokenScope) -> String {
    l.t(match scope {
        TokenScope::PeopleRead => "token-scope-people-read",
        TokenScope::PeopleWrite => "token-scope-people-write",
        TokenScope::ActivityRead => "token-scope-activity-read",
    })
}

pub fn lifetime_name(l: Locale, lifetime: Lifetime) -> String {
    match lifetime {
        Lifetime::Days(days) => l.tr1("lifetime-days", "days", days),
        Lifetime::NoExpiry => l.t("lifetime-never"),
    }
}

pub fn sub_account_name_error(l: Locale, error: NameError) -> String {
    l.t(match error {
        NameError::Empty => "sub-account-name-empty",
        NameError::TooLong => "sub-account-name-too-long",
        NameError::InvisibleCharacters => "sub-account-name-invisible",
    })
}

pub fn password_error(l: Locale, error: PasswordError) -> String {
    l.t(match error {
        PasswordError::TooShort => "password-too-short",
        PasswordError::TooLong => "password-too-long",
        PasswordError::Common => "password-common",
        PasswordError::SameAsEmail => "password-same-as-email",
    })
}

/// Words for the codes our validator derives use.
pub fn for_validation_code(l: Locale, code: &str) -> String {
    l.t(match code {
        "email_missing" => "email-empty",
        "password_missing" => "enter-password",
        _ => "check-this-answer",
    })
}

// Message ids for sentences without variables, worded where they are shown (`Layout::t`, or
// `Locale::t` in code).
pub const SUB_ACCOUNT_NAME_TAKEN: &str = "sub-account-name-taken";
pub const CHOOSE_PLAN: &str = "choose-plan";
pub const SIGN_IN_FAILED: &str = "sign-in-failed";
pub const ENTER_PASSWORD: &str = "enter-password";
pub const ENTER_SECOND_FACTOR: &str = "tfa-enter-code";
pub const SECOND_FACTOR_FORMAT: &str = "tfa-code-format";
pub const SECOND_FACTOR_WRONG: &str = "tfa-code-wrong";
pub const SECOND_STEP_EXPIRED: &str = "tfa-second-step-expired";
pub const TWO_FACTOR_ALREADY_ON: &str = "tfa-already-on";
pub const SETUP_CODE_EMPTY: &str = "tfa-setup-code-empty";
pub const SETUP_CODE_FORMAT: &str = "tfa-setup-code-format";
pub const SETUP_CODE_WRONG: &str = "tfa-setup-code-wrong";
pub const FLASH_TWO_FACTOR_OFF: &str = "flash-tfa-off";
pub const PASSKEYS_UNAVAILABLE: &str = "passkeys-unavailable";
pub const PASSKEY_NOT_WAITING: &str = "passkeys-not-waiting";
pub const PASSKEY_NOT_ACCEPTED: &str = "passkeys-not-accepted";
pub const PASSKEY_ALREADY_REGISTERED: &str = "passkeys-already-registered";
pub const PASSKEYS_TOO_MANY: &str = "passkeys-too-many";
pub const PASSKEY_THROUGH_PROVIDER: &str = "passkeys-through-provider";
pub const PASSKEY_NEEDS_SCRIPT: &str = "passkeys-needs-script";
pub const PASSKEY_NONE_FOR_LOGIN: &str = "passkeys-none-for-login";
pub const FLASH_PASSKEY_ADDED: &str = "flash-passkey-added";
pub const FLASH_PASSKEY_REMOVED: &str = "flash-passkey-removed";
pub const FLASH_TWO_FACTOR_REQUIRED: &str = "flash-tfa-required";
pub const FLASH_TWO_FACTOR_NOT_REQUIRED: &str = "flash-tfa-not-required";
pub const REQUIRE_OWN_FIRST: &str = "tfa-require-own-first";
pub const FLASH_EMAIL_VERIFIED: &str = "flash-email-verified";
pub const FLASH_VERIFICATION_SENT: &str = "flash-verification-sent";
pub const FLASH_SUB_ACCOUNT_RENAMED: &str = "flash-sub-account-renamed";

// Error pages (locales/*/common.ftl).
pub const NOT_FOUND_TITLE: &str = "error-not-found-title";
pub const NOT_FOUND: &str = "error-not-found";
pub const FORBIDDEN_TITLE: &str = "error-forbidden-title";
pub const FORBIDDEN: &str = "error-forbidden";
pub const NOT_VERIFIED_TITLE: &str = "error-not-verified-title";
pub const NOT_VERIFIED: &str = "error-not-verified";
pub const CSRF_TITLE: &str = "error-csrf-title";
pub const CSRF: &str = "error-csrf";
pub const WRONG_METHOD_TITLE: &str = "error-wrong-method-title";
pub const WRONG_METHOD: &str = "error-wrong-method";
pub const TOO_LARGE_TITLE: &str = "error-too-large-title";
pub const TOO_LARGE: &str = "error-too-large";
pub const TOO_MANY_TITLE: &str = "error-too-many-title";
pub const TOO_MANY: &str = "error-too-many";
pub const BAD_ADDRESS_TITLE: &str = "error-bad-address-title";
pub const BAD_ADDRESS: &str = "error-bad-address";
pub const BAD_REQUEST_TITLE: &str = "error-bad-request-title";
pub const BAD_REQUEST: &str = "error-bad-request";
pub const BAD_FORM: &str = "error-bad-form";
pub const FORM_NOT_TEXT: &str = "error-form-not-text";
pub const NOT_A_WEB_FORM: &str = "error-not-a-web-form";
pub const BUSY_TITLE: &str = "error-busy-title";
pub const BUSY: &str = "error-busy";
pub const UNAVAILABLE_TITLE: &str = "error-unavailable-title";
pub const UNAVAILABLE: &str = "error-unavailable";
pub const INTERNAL_TITLE: &str = "error-internal-title";
pub const INTERNAL: &str = "error-internal";
pub const UNKNOWN_LANGUAGE: &str = "error-unknown-language";
pub const SEARCH_TOO_LONG: &str = "error-search-too-long";
pub const UNKNOWN_FILTER: &str = "error-unknown-filter";
pub const NO_SUCH_PAGE: &str = "error-no-such-page";
pub const DATE_FORMAT: &str = "error-date-format";
pub const DATES_REVERSED: &str = "error-dates-reversed";

pub fn plan_name(l: Locale, plan: Plan) -> String {
    l.t(match plan {
        Plan::Free => "plan-free",
        Plan::Essential => "plan-essential",
        Plan::BronzePremium => "plan-bronze-premium",
        Plan::CrystalPremium => "plan-crystal-premium",
        Plan::SilverPremium => "plan-silver-premium",
        Plan::GoldPremium => "plan-gold-premium",
        Plan::PlatinumPremium => "plan-platinum-premium",
        Plan::DiamondPremium => "plan-diamond-premium",
        Plan::Enterprise => "plan-enterprise",
    })
}

/// What a plan gives, so that two plans never read alike: sharing, advanced accesses, and the
/// sub-accounts it allows.
pub fn plan_summary(l: Locale, plan: Plan) -> String {
    let limits = plan.limits(None);
    l.tr(
        "plan-summary",
        &[
            ("seats", limits.seats.into()),
            ("advanced", limits.advanced_accesses.into()),
            ("sub_accounts", plan.sub_account_limit(None).into()),
        ],
    )
}

/// A master account of the person's own, when they own more than one: "Master account no. 42".
pub fn numbered_master_account(l: Locale, master: MasterAccountId) -> String {
    l.tr1("own-master-numbered", "id", master.0.to_string())
}

pub fn master_account(l: Locale) -> String {
    l.t("master-account")
}

pub fn role_name(l: Locale, role: Role) -> String {
    l.t(match role {
        Role::Manager => "role-manager",
        Role::Accountant => "role-accountant",
        Role::Developer => "role-developer",
        Role::Marketer => "role-marketer",
        Role::Designer => "role-designer",
        Role::Custom => "role-custom",
    })
}

/// Why the plan refuses an invitation, in a sentence.
pub fn quota_refusal(l: Locale, refusal: QuotaError) -> String {
    match refusal {
        QuotaError::NoSharingOnPlan => l.t(NO_SHARING_ON_PLAN),
        QuotaError::SeatsFull { limit } => seats_full(l, limit),
        QuotaError::RoleNeedsAdvancedPlan { role } => role_needs_advanced_plan(l, role),
        QuotaError::AdvancedAccessesFull { limit } => advanced_accesses_full(l, limit),
    }
}

/// Why an "Access ends on" date was refused.
pub fn end_date_error(l: Locale, error: EndDateError) -> String {
    l.t(match error {
        EndDateError::Format => "error-date-format",
        EndDateError::Past => "error-end-date-past",
        EndDateError::TooFar => "error-end-date-too-far",
    })
}

/// What an audit record says happened (SPEC S12).
pub fn action_name(l: Locale, action: Action) -> String {
    l.t(match action {
        Action::InvitationSent => "action-invitation-sent",
        Action::InvitationResent => "action-invitation-resent",
        Action::AccessEdited => "action-access-edited",
        Action::AccessDeleted => "action-access-deleted",
        Action::InvitationAccepted => "action-invitation-accepted",
        Action::InvitationDeclined => "action-invitation-declined",
        Action::AcceptRefusedWrongPerson => "action-accept-refused-wrong-person",
        Action::AcceptRefusedExpired => "action-accept-refused-expired",
        Action::AcceptRefusedUsed => "action-accept-refused-used",
        Action::PlanChanged => "action-plan-changed",
        Action::AccessExpired => "action-access-expired",
        Action::OwnershipTransferred => "action-ownership-transferred",
        Action::TwoFactorRequirementChanged => "action-two-factor-requirement-changed",
    })
}

/// What each role lets a person do, shown beside it on the invite form (S3).
pub fn role_hint(l: Locale, role: Role) -> String {
    l.t(match role {
        Role::Manager => "role-hint-manager",
        Role::Accountant => "role-hint-accountant",
        Role::Developer => "role-hint-developer",
        Role::Marketer => "role-hint-marketer",
        Role::Designer => "role-hint-designer",
        Role::Custom => "role-hint-custom",
    })
}

fn area_id(area: Area) -> &'static str {
    match area {
        Area::Campaigns => "campaigns",
        Area::Transactional => "transactional",
        Area::EmailAutomation => "email-automation",
        Area::Contacts => "contacts",
        Area::Statistics => "statistics",
        Area::Billing => "billing",
        Area::AccountManagement => "account-management",
    }
}

pub fn area_name(l: Locale, area: Area) -> String {
    l.t(&format!("area-{}", area_id(area)))
}

pub fn area_summary(l: Locale, area: Area) -> String {
    l.t(&format!("area-summary-{}", area_id(area)))
}

fn restriction_id(restriction: Restriction) -> &'static str {
    match restriction {
        Restriction::DraftsOnly => "drafts-only",
        Restriction::NoLabels => "no-labels",
        Restriction::NoSectionLocking => "no-section-locking",
    }
}

pub fn restriction_label(l: Locale, restriction: Restriction) -> String {
    l.t(&format!("restriction-{}", restriction_id(restriction)))
}

pub fn restriction_short(l: Locale, restriction: Restriction) -> String {
    l.t(&format!(
        "restriction-short-{}",
        restriction_id(restriction)
    ))
}

/// Names in a list, as the language separates them: "Campaigns, Statistics".
pub fn listed(l: Locale, names: &[String]) -> String {
    names.join(&l.t("list-separator"))
}

pub const SELECT_ACCOUNT_TO_ADD: &str = "select-account-to-add";
pub const SELECT_ROLE_TO_COPY: &str = "select-role-to-copy";
pub const ADD_AN_ACCOUNT: &str = "add-an-account";
pub const INVITING_YOURSELF: &str = "inviting-yourself";
pub const NO_SHARING_ON_PLAN: &str = "no-sharing-on-plan";
pub const COPY_NEEDS_CUSTOM: &str = "copy-needs-custom";
pub const COPY_LEAVES_NOTHING: &str = "copy-leaves-nothing";
pub const ROLES_UPDATED: &str = "roles-updated";

/// `account` is a row's label: the master account's is `master_account(l)`.
pub fn select_role_for(l: Locale, account: &str) -> String {
    if account == master_account(l) {
        l.t("select-role-for-master")
    } else {
        l.tr("select-role-for", &[("account", account.into())])
    }
}

pub fn select_areas_for(l: Locale, account: &str) -> String {
    l.tr("select-areas-for", &[("account", account.into())])
}

pub fn role_empty_on(l: Locale, role: Role, account: &str) -> String {
    l.tr(
        "role-empty-on",
        &[
            ("role", role_name(l, role).into()),
            ("account", account.into()),
        ],
    )
}

pub fn already_has_access(l: Locale, email: &str) -> String {
    l.tr("already-has-access", &[("email", email.into())])
}

pub fn seats_full(l: Locale, limit: u32) -> String {
    l.tr("seats-full", &[("limit", limit.into())])
}

pub fn role_needs_advanced_plan(l: Locale, role: Role) -> String {
    l.tr(
        "role-needs-advanced-plan",
        &[("role", role_name(l, role).into())],
    )
}

pub fn advanced_accesses_full(l: Locale, limit: u32) -> String {
    l.tr("advanced-accesses-full", &[("limit", limit.into())])
}

pub const DELIVERY_QUEUED: &str = "delivery-queued";
pub const DELIVERY_SENT: &str = "delivery-sent";
pub const DELIVERY_FAILED: &str = "delivery-failed";
pub const NEVER: &str = "never";

pub fn status_filter_name(l: Locale, code: &str) -> String {
    match code {
        "owner" | "pending" | "active" | "expired" => l.t(&format!("status-{code}")),
        _ => String::new(),
    }
}

/// Where the switcher's page stands in the accounts that match.
pub fn showing_accounts(l: Locale, first: usize, last: usize, matching: usize) -> String {
    match matching {
        0 => l.t("showing-no-account"),
        1 => l.t("showing-one-account"),
        _ => l.tr(
            "showing-accounts",
            &[
                ("first", first.into()),
                ("last", last.into()),
                ("matching", matching.into()),
            ],
        ),
    }
}

/// Where the table's page stands in the people that match; the owner is listed above them.
pub fn showing_people(
    l: Locale,
    first: u32,
    last: u32,
    matching: u32,
    owner_shown: bool,
) -> String {
    match matching {
        0 if owner_shown => l.t("showing-only-you"),
        0 => l.t("showing-nobody"),
        _ => l.tr(
            if owner_shown {
                "showing-people-besides-you"
            } else {
                "showing-people"
            },
            &[
                ("first", first.into()),
                ("last", last.into()),
                ("matching", matching.into()),
            ],
        ),
    }
}

pub fn flash_invited(l: Locale, email: &str) -> String {
    l.tr("flash-invited", &[("email", email.into())])
}

pub fn flash_updated(l: Locale, email: &str) -> String {
    l.tr("flash-updated", &[("email", email.into())])
}

pub fn flash_deleted(l: Locale, email: &str) -> String {
    l.tr("flash-deleted", &[("email", email.into())])
}

pub fn flash_resent(l: Locale, email: &str) -> String {
    l.tr("flash-resent", &[("email", email.into())])
}

pub fn flash_already_accepted(l: Locale, email: &str) -> String {
    l.tr("flash-already-accepted", &[("email", email.into())])
}

pub const INVITE_USER: &str = "invite-user";
pub const SEND_INVITATION: &str = "send-invitation";
pub const UPDATE_ACCESS: &str = "update-access";
pub const CHECK_BEFORE_SENDING: &str = "check-before-sending";
pub const CHECK_BEFORE_UPDATING: &str = "check-before-updating";

pub fn edit_access_heading(l: Locale, email: &str) -> String {
    l.tr("edit-access-heading", &[("email", email.into())])
}

pub const FLASH_INVITATION_ACCEPTED: &str = "flash-invitation-accepted";
pub const FLASH_ALREADY_HAS_ACCESS: &str = "flash-already-has-access";
pub const FLASH_INVITATION_DECLINED: &str = "flash-invitation-declined";

/// What this person may do in an area: the role's nuances (S3) and any advanced restrictions
/// (S4), so nobody finds out by trying.
pub fn area_guidance(
    l: Locale,
    role: Option<Role>,
    area: Area,
    restrictions: RestrictionSet,
) -> Vec<String> {
    let templates = matches!(
        area,
        Area::Campaigns | Area::Transactional | Area::EmailAutomation
    );
    let mut lines = vec![l.t(match (role, area) {
        (None, _) => "guidance-owner",
        (Some(Role::Manager), _) => "guidance-manager",
        (Some(Role::Developer), Area::Transactional) => "guidance-developer-transactional",
        (Some(Role::Developer), Area::Statistics) => "guidance-developer-statistics",
        (Some(Role::Developer), Area::AccountManagement) => "guidance-developer-account-management",
        (Some(Role::Marketer), Area::Transactional) => "guidance-marketer-transactional",
        (Some(Role::Marketer), _) => "guidance-marketer",
        (Some(Role::Designer), _) => "guidance-designer",
        (Some(Role::Accountant), _) => "guidance-accountant",
        // Custom, and a Developer elsewhere (only reachable through a Custom-like grant).
        (Some(Role::Custom | Role::Developer), _) => "guidance-custom",
    })];
    if templates {
        lines.extend(restrictions.iter().map(|restriction| {
            l.tr(
                "guidance-restricted",
                &[(
                    "restriction",
                    restriction_label(l, restriction).to_lowercase().into(),
                )],
            )
        }));
    }
    lines
}

pub fn missing_access(l: Locale, area: Area, account: &str) -> String {
    l.tr(
        "missing-access",
        &[
            ("account", account.into()),
            ("area", area_name(l, area).into()),
        ],
    )
}

pub const NO_LONGER_REACHABLE: &str = "no-longer-reachable";

pub fn flash_plan_changed(l: Locale, plan: &str) -> String {
    l.tr("flash-plan-changed", &[("plan", plan.into())])
}

/// What to reduce before moving to `plan` (S11).
pub fn reductions(l: Locale, plan: Plan, people_over: u32, advanced_over: u32) -> Vec<String> {
    let limits = plan.limits(None);
    let name = plan_name(l, plan);
    let mut lines = Vec::new();
    if people_over > 0 {
        lines.push(l.tr(
            "reduce-people",
            &[
                ("over", people_over.into()),
                ("plan", name.as_str().into()),
                ("seats", limits.seats.into()),
            ],
        ));
    }
    if advanced_over > 0 {
        lines.push(l.tr(
            "reduce-advanced",
            &[
                ("over", advanced_over.into()),
                ("plan", name.as_str().into()),
                ("advanced", limits.advanced_accesses.into()),
            ],
        ));
    }
    lines
}

// ---------------------------------------------------------------------------------------------
// The access form (S7, S13)

/// A role as the row's drop-down offers it: premium roles say what they use, or why they
/// cannot be chosen (S13: shown unavailable before sending, never refused after).
pub fn role_option(l: Locale, role: Role, available: bool, premium: PremiumRoles) -> String {
    let name = role_name(l, role);
    let id = match (role.is_premium(), available, premium) {
        (false, _, _) => return name,
        (true, true, _) => "role-option-advanced",
        (true, false, PremiumRoles::NoneLeft { .. }) => "role-option-none-left",
        (true, false, _) => "role-option-not-on-plan",
    };
    l.tr(id, &[("role", name.into())])
}

/// Said once above the table: what the premium roles use, and what to do when they cannot.
pub fn premium_note(
    l: Locale,
    premium: PremiumRoles,
    limits: Limits,
    usage: Usage,
) -> Option<String> {
    Some(match premium {
        PremiumRoles::Available => l.tr(
            "premium-available",
            &[
                (
                    "used",
                    usage.advanced_accesses.min(limits.advanced_accesses).into(),
                ),
                ("limit", limits.advanced_accesses.into()),
            ],
        ),
        PremiumRoles::NotOnPlan => l.t("premium-not-on-plan"),
        PremiumRoles::NoneLeft { limit } => l.tr("premium-none-left", &[("limit", limit.into())]),
    })
}

/// Shown on a sub-account row while "Copy to all below" is ticked.
pub fn following_master(l: Locale, areas: AreaSet) -> String {
    let names: Vec<String> = areas.iter().map(|area| area_name(l, area)).collect();
    l.tr("following-master", &[("areas", listed(l, &names).into())])
}

pub fn account_added(l: Locale, account: &str) -> String {
    l.tr("account-added", &[("account", account.into())])
}

pub fn accounts_added(l: Locale, count: usize) -> String {
    l.tr("accounts-added", &[("count", count.into())])
}

pub fn account_removed(l: Locale, account: &str) -> String {
    l.tr("account-removed", &[("account", account.into())])
}

pub fn same_as_applied(l: Locale, role: Role, account: &str) -> String {
    l.tr(
        "same-as-applied",
        &[
            ("role", role_name(l, role).into()),
            ("account", account.into()),
        ],
    )
}

pub fn areas_unchecked(l: Locale, account: &str) -> String {
    l.tr("areas-unchecked", &[("account", account.into())])
}

/// The check step's line about "Copy to all below".
pub fn copied(
    l: Locale,
    areas: AreaSet,
    restrictions: RestrictionSet,
    sub_accounts: usize,
) -> String {
    let copied: Vec<String> = areas
        .for_account(AccountKind::Sub)
        .iter()
        .map(|area| area_name(l, area))
        .collect();
    let mut line = l.tr(
        "copied",
        &[
            ("count", sub_accounts.into()),
            ("areas", listed(l, &copied).into()),
        ],
    );
    if areas.contains(Area::Billing) {
        line.push(' ');
        line.push_str(&l.t("copied-no-billing"));
    }
    if !restrictions.is_empty() {
        let names: Vec<String> = restrictions
            .iter()
            .map(|restriction| restriction_short(l, restriction))
            .collect();
        line.push(' ');
        line.push_str(&l.tr(
            "copied-restrictions",
            &[("restrictions", names.join("; ").into())],
        ));
    }
    line
}

pub fn advanced_access_check(l: Locale, remaining: u32, limit: u32) -> String {
    l.tr(
        "advanced-access-check",
        &[("remaining", remaining.into()), ("limit", limit.into())],
    )
}

// ---------------------------------------------------------------------------------------------
// A person's accesses summed up (S13), for the sharing table, the invitation mail and page, and
// the check step.

/// One group of identical accesses, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessDescription {
    /// "Manager", or "Custom (Campaigns, Statistics)".
    pub access: String,
    /// "on all 21 accounts", "on the master account and 19 sub-accounts".
    pub scope: String,
    /// Short names of the advanced restrictions, if any.
    pub restrictions: Vec<String>,
    /// Every account of the group by name, the master account first: "Master account, Brand A".
    pub accounts: String,
    /// Whether `scope` already names every account, so a full list would add nothing.
    pub scope_names_all: bool,
}

/// "Manager", or for Custom the areas ticked: "Custom (Campaigns, Statistics)".
pub fn access_name(l: Locale, role: Role, areas: AreaSet) -> String {
    match role {
        Role::Custom => {
            let names: Vec<String> = areas.iter().map(|area| area_name(l, area)).collect();
            l.tr(
                "access-custom",
                &[
                    ("role", role_name(l, role).into()),
                    ("areas", listed(l, &names).into()),
                ],
            )
        }
        role => role_name(l, role),
    }
}

fn names_in_words(l: Locale, names: &[&str]) -> String {
    match names {
        [one] => (*one).to_owned(),
        [first, second] => l.tr(
            "list-two",
            &[("first", first.into()), ("second", second.into())],
        ),
        _ => String::new(),
    }
}

/// `sub_names` are the names of the scope's sub-accounts, in its order.
fn scope_in_words(l: Locale, scope: &Scope, sub_names: &[&str]) -> (String, bool) {
    let count = |id: &str, count: usize| l.tr(id, &[("count", count.into())]);
    let named = |id: &str, names: &[&str]| l.tr(id, &[("names", names_in_words(l, names).into())]);
    match scope {
        Scope::AllAccounts(n) => (count("scope-all-accounts", *n), false),
        Scope::Master => (l.t("scope-master"), true),
        Scope::MasterAnd(subs) if subs.len() <= 2 => {
            (named("scope-master-and-names", sub_names), true)
        }
        Scope::MasterAnd(subs) => (count("scope-master-and-subs", subs.len()), false),
        Scope::AllSubAccounts(n) => (count("scope-all-subs", *n), false),
        Scope::SubAccounts(subs) if subs.len() <= 2 => (named("scope-names", sub_names), true),
        Scope::SubAccounts(subs) => (count("scope-subs", subs.len()), false),
    }
}

/// The grants grouped and worded. `sub_account_name` names a sub-account of the owner's;
/// `owner_sub_accounts` is how many the owner has, to tell "all" from "some".
///
/// A person with one access on a hundred accounts is one group: the names are borrowed where the
/// caller can lend them and joined into one line, not kept as a hundred strings.
pub fn describe_accesses<N: AsRef<str>>(
    l: Locale,
    grants: &[(AccountRef, Grant)],
    sub_account_name: impl Fn(SubAccountId) -> N,
    owner_sub_accounts: usize,
) -> Vec<AccessDescription> {
    let groups = crate::domain::summary::group(grants);
    describe_groups(l, &groups, sub_account_name, owner_sub_accounts)
}

/// Accesses already grouped (`summary::group`), in words.
pub fn describe_groups<N: AsRef<str>>(
    l: Locale,
    groups: &[AccessGroup],
    sub_account_name: impl Fn(SubAccountId) -> N,
    owner_sub_accounts: usize,
) -> Vec<AccessDescription> {
    groups
        .iter()
        .map(|group| {
            let names: Vec<N> = group
                .sub_accounts
                .iter()
                .map(|sub| sub_account_name(*sub))
                .collect();
            let names: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
            let (scope, scope_names_all) =
                scope_in_words(l, &group.scope(owner_sub_accounts), &names);
            let master = group.includes_master.then(|| master_account(l));
            AccessDescription {
                access: access_name(l, group.role, group.areas),
                scope,
                restrictions: group
                    .restrictions
                    .iter()
                    .map(|restriction| restriction_short(l, restriction))
                    .collect(),
                accounts: master
                    .iter()
                    .map(String::as_str)
                    .chain(names)
                    .collect::<Vec<_>>()
                    .join(", "),
                scope_names_all,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Account recovery and security (My account)

/// The words of a mail made of paragraphs around one link.
pub struct MailNotice {
    pub before: Vec<String>,
    pub button: String,
    pub after: Vec<String>,
}

pub fn password_reset_mail(l: Locale, valid_until: &str) -> MailNotice {
    MailNotice {
        before: vec![l.t("password-reset-before")],
        button: l.t("password-reset-button"),
        after: vec![
            l.tr("password-reset-valid", &[("until", valid_until.into())]),
            l.t("password-reset-ignore"),
        ],
    }
}

pub fn email_change_mail(l: Locale, valid_until: &str) -> MailNotice {
    MailNotice {
        before: vec![l.t("email-change-before")],
        button: l.t("email-change-button"),
        after: vec![
            l.tr("email-change-valid", &[("until", valid_until.into())]),
            l.t("email-change-ignore"),
        ],
    }
}

pub fn email_changed_mail(l: Locale, new_email: &str, base_url: &str) -> MailNotice {
    let link = format!("{base_url}/password-reset");
    MailNotice {
        before: vec![
            l.tr("email-changed-moved", &[("email", new_email.into())]),
            l.tr("email-changed-warning", &[("link", link.into())]),
        ],
        button: String::new(),
        after: Vec::new(),
    }
}

pub const FORGOT_TITLE: &str = "forgot-title";
pub const FLASH_PASSWORD_RESET: &str = "flash-password-reset";
pub const FLASH_PASSWORD_CHANGED: &str = "flash-password-changed";
pub const FLASH_EMAIL_CHANGED: &str = "flash-email-changed";
pub const WRONG_CURRENT_PASSWORD: &str = "wrong-current-password";
pub const EMAIL_SAME_AS_NOW: &str = "email-same-as-now";
pub const EMAIL_TAKEN_MEANWHILE: &str = "email-taken-meanwhile";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        ids::{AccountRef, MasterAccountId, SubAccountId},
        permission::{Area, AreaSet, Restriction, RestrictionSet},
        role::{Grant, Role},
    };

    fn grants(role: Role, areas: &[Area], master: bool, subs: &[i64]) -> Vec<(AccountRef, Grant)> {
        let m = MasterAccountId(1);
        master
            .then(|| AccountRef::master(m))
            .into_iter()
            .chain(subs.iter().map(|id| AccountRef::sub(m, SubAccountId(*id))))
            .map(|account| {
                let grant = Grant::new(
                    account.kind(),
                    role,
                    AreaSet::of(areas),
                    RestrictionSet::NONE,
                )
                .unwrap();
                (account, grant)
            })
            .collect()
    }

    fn lines(grants: &[(AccountRef, Grant)], owner_subs: usize) -> Vec<String> {
        describe_accesses(
            Locale::En,
            grants,
            |id| format!("Brand {}", id.0),
            owner_subs,
        )
        .into_iter()
        .map(|d| format!("{} {}", d.access, d.scope))
        .collect()
    }

    #[test]
    fn accesses_read_as_the_issue_words_them() {
        assert_eq!(
            lines(
                &grants(Role::Manager, &[], true, &(1..=20).collect::<Vec<_>>()),
                20
            ),
            ["Manager on all 21 accounts"]
        );
        assert_eq!(
            lines(
                &grants(
                    Role::Custom,
                    &[Area::Campaigns, Area::Statistics],
                    true,
                    &(1..=19).collect::<Vec<_>>()
                ),
                20
            ),
            ["Custom (Campaigns, Statistics) on the master account and 19 sub-accounts"]
        );
        assert_eq!(
            lines(&grants(Role::Accountant, &[], true, &[]), 0),
            ["Accountant on the master account"]
        );
        assert_eq!(
            lines(
                &grants(Role::Designer, &[], false, &(1..=2).collect::<Vec<_>>()),
                20
            ),
            ["Designer on Brand 1 and Brand 2"]
        );
        assert_eq!(
            lines(
                &grants(Role::Designer, &[], true, &(3..=3).collect::<Vec<_>>()),
                20
            ),
            ["Designer on the master account and Brand 3"]
        );
        assert_eq!(
            lines(
                &grants(Role::Marketer, &[], false, &(1..=5).collect::<Vec<_>>()),
                5
            ),
            ["Marketer on all 5 sub-accounts"]
        );
        assert_eq!(
            lines(
                &grants(Role::Marketer, &[], false, &(1..=5).collect::<Vec<_>>()),
                9
            ),
            ["Marketer on 5 sub-accounts"]
        );
        let restricted = vec![(
            AccountRef::master(MasterAccountId(1)),
            Grant::new(
                crate::domain::permission::AccountKind::Master,
                Role::Developer,
                AreaSet::EMPTY,
                RestrictionSet::of(&[Restriction::NoLabels]),
            )
            .unwrap(),
        )];
        let described = describe_accesses(Locale::En, &restricted, |_| String::new(), 0);
        assert_eq!(described[0].restrictions, ["no labels"]);
        assert!(described[0].scope_names_all);
        assert_eq!(described[0].accounts, "Master account");
    }
}

#[cfg(test)]
mod in_other_languages {
    use super::*;
    use crate::domain::{
        ids::{AccountRef, MasterAccountId, SubAccountId},
        permission::{AreaSet, RestrictionSet},
        role::{Grant, Role},
    };

    #[test]
    fn accesses_and_counts_read_naturally_in_french_and_german() {
        let m = MasterAccountId(1);
        let grants: Vec<(AccountRef, Grant)> = std::iter::once(AccountRef::master(m))
            .chain((1..=20).map(|id| AccountRef::sub(m, SubAccountId(id))))
            .map(|account| {
                let grant = Grant::new(
                    account.kind(),
                    Role::Manager,
                    AreaSet::EMPTY,
                    RestrictionSet::NONE,
                )
                .unwrap();
                (account, grant)
            })
            .collect();
        let line = |l: Locale| {
            let d = &describe_accesses(l, &grants, |id| id.0.to_string(), 20)[0];
            format!("{} {}", d.access, d.scope)
        };
        assert_eq!(line(Locale::Fr), "Administrateur sur les 21 comptes");
        assert_eq!(line(Locale::De), "Manager für alle 21 Konten");
        assert_eq!(
            showing_people(Locale::De, 1, 50, 1000, true),
            "1 bis 50 von 1.000 Personen, außer Ihnen."
        );
        assert_eq!(
            showing_people(Locale::Fr, 1, 1, 1, false),
            "1 à 1 sur 1 personne."
        );
    }
}

/// Every message the code and the templates ask for exists: a missing one would show its id.
#[cfg(test)]
mod every_id_exists {
    use super::*;
    use crate::domain::{permission::Restriction, plan::Plan};

    fn exists(id: &str) -> bool {
        Locale::En.t(id) != id
    }

    /// The literal ids in calls to `.t`, `.tr`, `.tr1` and `.tr2`, and with `constants`, in
    /// this module's constants.
    fn literal_ids(source: &str, constants: bool) -> Vec<String> {
        let mut ids = Vec::new();
        let openers: &[&str] = if constants {
            &[": &str = \""]
        } else {
            &[".t(\"", ".tr(\"", ".tr1(\"", ".tr2(\""]
        };
        for opener in openers {
            for (at, _) in source.match_indices(opener) {
                let rest = &source[at + opener.len()..];
                let id: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
                    .collect();
                if !id.is_empty() && rest[id.len()..].starts_with('"') && id.contains('-') {
                    ids.push(id);
                }
            }
        }
        ids
    }

    fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                files(&path, out);
            } else if path
                .extension()
                .is_some_and(|e| e == "rs" || e == "html" || e == "txt")
            {
                out.push(path);
            }
        }
    }

    #[test]
    fn every_id_in_the_code_and_templates_has_an_english_message() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut paths = Vec::new();
        files(&root.join("src"), &mut paths);
        files(&root.join("templates"), &mut paths);
        let mut missing = Vec::new();
        let mut seen = 0;
        for path in paths {
            let source = std::fs::read_to_string(&path).unwrap();
            let mut ids = literal_ids(&source, false);
            if path.ends_with("src/messages.rs") {
                ids.extend(literal_ids(&source, true));
            }
            for id in ids {
                seen += 1;
                if !exists(&id) {
                    missing.push(format!("{}: {id}", path.display()));
                }
            }
        }
        assert!(seen > 300, "only {seen} ids found: the scan is broken");
        assert!(missing.is_empty(), "no such message: {missing:#?}");
    }

    #[test]
    fn every_role_area_restriction_and_plan_has_its_words() {
        let l = Locale::En;
        for role in Role::all() {
            assert!(!role_name(l, role).contains('-'), "{role:?}");
            assert!(!role_hint(l, role).starts_with("role-hint"), "{role:?}");
        }
        for area in Area::ALL {
            assert!(!area_name(l, area).starts_with("area-"), "{area:?}");
            assert!(!area_summary(l, area).starts_with("area-"), "{area:?}");
        }
        for restriction in Restriction::ALL {
            assert!(!restriction_label(l, restriction).starts_with("restriction-"));
            assert!(!restriction_short(l, restriction).starts_with("restriction-"));
        }
        for plan in Plan::ALL {
            assert!(!plan_name(l, plan).starts_with("plan-"), "{plan:?}");
        }
        for code in ["owner", "pending", "active", "expired"] {
            assert!(!status_filter_name(l, code).starts_with("status-"));
        }
    }
}

fn action_id(action: PermissionAction) -> &'static str {
    match action {
        PermissionAction::Send => "action-send",
        PermissionAction::TemplatesPublish => "action-templates-publish",
        PermissionAction::TemplatesLock => "action-templates-lock",
        PermissionAction::Labels => "action-labels",
        PermissionAction::Alerts => "action-alerts",
        PermissionAction::PlanDetails => "action-plan",
        PermissionAction::Prepaid => "action-prepaid",
        PermissionAction::Invoices => "action-invoices",
        PermissionAction::ApiKeys => "action-api-keys",
        PermissionAction::Settings => "action-settings",
    }
}

/// What a role opens on the master account, from the permission vocabulary itself (one source
/// for the pages and the gate): each area, with what can be done in it. Custom opens what is
/// ticked.
pub fn role_opens(l: Locale, role: Role) -> String {
    let Ok(grant) = Grant::new(
        AccountKind::Master,
        role,
        AreaSet::EMPTY,
        RestrictionSet::NONE,
    ) else {
        return l.t("opens-ticked");
    };
    let held = grant.permissions(AccountKind::Master);
    let areas: Vec<String> = Area::ALL
        .into_iter()
        .filter(|area| held.contains(Permission::area(*area)))
        .map(|area| {
            let actions: Vec<String> = PermissionAction::of(area)
                .iter()
                .filter(|action| held.contains(Permission::action(area, **action)))
                .map(|action| l.t(action_id(*action)))
                .collect();
            if actions.is_empty() {
                area_name(l, area)
            } else {
                l.tr2(
                    "opens-area-with",
                    "area",
                    area_name(l, area),
                    "actions",
                    listed(l, &actions),
                )
            }
        })
        .collect();
    l.tr1("opens", "areas", areas.join("; "))
}
