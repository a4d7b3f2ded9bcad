//! Every sentence the service says to people, in one place, so the interface can be translated
//! (SPEC S12) without touching handlers or services.

use crate::domain::{email::EmailError, name::NameError, password::PasswordError};

pub fn email_error(error: EmailError) -> &'static str {
    match error {
        EmailError::Empty => "Enter an email address",
        EmailError::TooLong => "Email address must be 254 characters or fewer",
        EmailError::InvisibleCharacters => {
            "Email address must not contain spaces, line breaks or invisible characters"
        }
        EmailError::NotOneAt => {
            "Enter an email address in the correct format, like name@example.com"
        }
        EmailError::InvalidLocalPart => {
            "The part before the @ can only use letters a to z, numbers and the symbols . _ + - (64 characters at most)"
        }
        EmailError::IpDomain => {
            "Email address must end in a domain name, like example.com, not an IP address"
        }
        EmailError::InvalidDomain => "The part after the @ must be a domain name, like example.com",
    }
}

pub fn display_name_error(error: NameError) -> &'static str {
    match error {
        NameError::Empty => "Enter your name",
        NameError::TooLong => "Name must be 100 characters or fewer",
        NameError::InvisibleCharacters => {
            "Name must not contain line breaks or invisible characters"
        }
    }
}

pub fn sub_account_name_error(error: NameError) -> &'static str {
    match error {
        NameError::Empty => "Enter a name for the sub-account",
        NameError::TooLong => "Sub-account name must be 100 characters or fewer",
        NameError::InvisibleCharacters => {
            "Sub-account name must not contain line breaks or invisible characters"
        }
    }
}

pub fn password_error(error: PasswordError) -> &'static str {
    match error {
        PasswordError::TooShort => "Password must be 8 characters or more",
        PasswordError::TooLong => "Password must be 256 characters or fewer",
        PasswordError::Common => {
            "Choose a password that is harder to guess: this one is on lists of common passwords"
        }
        PasswordError::SameAsEmail => "Choose a password that is not your email address",
    }
}

pub const SUB_ACCOUNT_NAME_TAKEN: &str =
    "You already have a sub-account with this name: choose another name";
pub const CHOOSE_PLAN: &str = "Select a plan";
/// Words for the codes our validator derives use.
pub fn for_validation_code(code: &str) -> &'static str {
    match code {
        "email_missing" => "Enter an email address",
        "password_missing" => ENTER_PASSWORD,
        _ => "Check this answer",
    }
}

pub const SIGN_IN_FAILED: &str = "Email address or password is not right: check them and try again";
pub const ENTER_PASSWORD: &str = "Enter your password";

pub const FLASH_EMAIL_VERIFIED: &str = "Your email address is verified.";
pub const FLASH_VERIFICATION_SENT: &str =
    "We have sent a new verification link. Only the newest link works.";
pub const FLASH_SUB_ACCOUNT_RENAMED: &str = "The sub-account is renamed.";

pub const NOT_FOUND_TITLE: &str = "Page not found";
pub const NOT_FOUND: &str = "If you typed the web address, check it is correct. If you followed a link, it may belong to an account you cannot see.";
pub const FORBIDDEN_TITLE: &str = "You do not have access to this page";
pub const FORBIDDEN: &str =
    "Your access does not include this page. Ask the account owner if you need it.";
pub const NOT_VERIFIED_TITLE: &str = "Verify your email address first";
pub const NOT_VERIFIED: &str = "Sharing sends mail in your name, so it needs an address we know is yours. Open the link we sent you, or send a new one from My account; nothing was sent.";
pub const CSRF_TITLE: &str = "This form could not be accepted";
pub const CSRF: &str = "The form was sent from another site, or the page was open too long. Go back, reload the page and try again.";
pub const WRONG_METHOD_TITLE: &str = "This page cannot do that";
pub const WRONG_METHOD: &str = "The address is right, but it was asked for in a way it does not answer. Go back and use the page's links and buttons.";
pub const TOO_LARGE_TITLE: &str = "What you sent is too large";
pub const TOO_LARGE: &str =
    "The form held more text than we accept. Go back, shorten what you typed and try again.";
pub const TOO_MANY_TITLE: &str = "Too many attempts";
pub const TOO_MANY: &str = "This has been tried too often in a short time, so we have stopped it for a while, for your safety. Nothing was sent or changed. Wait a few minutes, then try again.";
pub const BAD_ADDRESS_TITLE: &str = "This web address could not be understood";
pub const BAD_ADDRESS: &str = "The part of the address after the question mark is not what this page expects. If you followed a link, copy it again in full from where you found it.";
pub const BAD_REQUEST_TITLE: &str = "This form could not be understood";
pub const BAD_FORM: &str = "The form had fields we did not expect, or a field twice. Go back, reload the page and try again.";
pub const FORM_NOT_TEXT: &str = "The form held characters that are not valid text. Go back, check what you typed or pasted, and try again.";
pub const NOT_A_WEB_FORM: &str =
    "The form was not sent the way a web page sends it. Go back, reload the page and try again.";
pub const UNAVAILABLE_TITLE: &str = "Sorry, the service is unavailable";
pub const UNAVAILABLE: &str = "We cannot reach our database right now. Nothing you sent was saved. Try again in a few minutes.";
pub const INTERNAL_TITLE: &str = "Sorry, there is a problem with the service";
pub const INTERNAL: &str =
    "Something went wrong on our side and nothing was changed. Try again later.";

pub fn plan_name(plan: crate::domain::plan::Plan) -> &'static str {
    use crate::domain::plan::Plan;
    match plan {
        Plan::Free => "Free",
        Plan::Essential => "Essential",
        Plan::BronzePremium => "Bronze Premium",
        Plan::CrystalPremium => "Crystal Premium",
        Plan::SilverPremium => "Silver Premium",
        Plan::GoldPremium => "Gold Premium",
        Plan::PlatinumPremium => "Platinum Premium",
        Plan::DiamondPremium => "Diamond Premium",
        Plan::Enterprise => "Enterprise",
    }
}

pub fn plan_summary(seats: u32, advanced_accesses: u32) -> String {
    let people = match seats {
        0 => "No shared users".to_owned(),
        1 => "Share with 1 person".to_owned(),
        n => format!("Share with up to {n} people"),
    };
    let advanced = match advanced_accesses {
        0 => "no advanced accesses".to_owned(),
        1 => "1 advanced access".to_owned(),
        n => format!("{n} advanced accesses"),
    };
    format!("{people}, {advanced}")
}
pub const BAD_REQUEST: &str =
    "We could not handle that request. Go back and try again, or start from the home page.";

pub const MASTER_ACCOUNT: &str = "Master account";

pub fn role_name(role: crate::domain::role::Role) -> &'static str {
    use crate::domain::role::Role;
    match role {
        Role::Manager => "Manager",
        Role::Accountant => "Accountant",
        Role::Developer => "Developer",
        Role::Marketer => "Marketer",
        Role::Designer => "Designer",
        Role::Custom => "Custom",
    }
}

/// What each role lets a person do, shown beside it on the invite form (S3).
pub fn role_hint(role: crate::domain::role::Role) -> &'static str {
    use crate::domain::role::Role;
    match role {
        Role::Manager => "Everything except account sharing",
        Role::Accountant => {
            "Plan details, prepaid account and deposits, past invoices (master account only)"
        }
        Role::Developer => {
            "API credentials, transactional templates and real-time monitoring; can publish transactional templates and lock their sections"
        }
        Role::Marketer => {
            "Contacts, campaigns and automation workflows; can suggest changes to transactional templates but not publish them"
        }
        Role::Designer => {
            "Templates only: can suggest changes without publishing them, and lock sections"
        }
        Role::Custom => "Choose the areas one by one",
    }
}

pub fn area_name(area: crate::domain::permission::Area) -> &'static str {
    use crate::domain::permission::Area;
    match area {
        Area::Campaigns => "Campaigns",
        Area::Transactional => "Transactional",
        Area::EmailAutomation => "Email Automation",
        Area::Contacts => "Contacts",
        Area::Statistics => "Statistics",
        Area::Billing => "Billing",
        Area::AccountManagement => "Account Management",
    }
}

pub fn restriction_label(restriction: crate::domain::permission::Restriction) -> &'static str {
    use crate::domain::permission::Restriction;
    match restriction {
        Restriction::DraftsOnly => "Can only edit draft templates, not publish them to the gallery",
        Restriction::NoLabels => "Cannot create, edit or delete labels",
        Restriction::NoSectionLocking => "Cannot lock or unlock sections in templates",
    }
}

pub const SELECT_ACCOUNT_TO_ADD: &str = "Select an account to add";
pub const SELECT_ROLE_TO_COPY: &str = "Select a role to copy the permissions from";
pub const ADD_AN_ACCOUNT: &str = "Add at least one account to share";
pub const INVITING_YOURSELF: &str = "This is your own address: you already own this account";
pub const NO_SHARING_ON_PLAN: &str =
    "Your plan does not include account sharing: upgrade your plan to invite people";

pub fn select_role_for(account: &str) -> String {
    if account == MASTER_ACCOUNT {
        "Select a role for the Master account".to_owned()
    } else {
        format!("Select a role for {account}")
    }
}

pub fn select_areas_for(account: &str) -> String {
    format!("Select at least one area for {account}")
}

pub fn role_empty_on(role: crate::domain::role::Role, account: &str) -> String {
    format!(
        "{} gives access to Billing, which only the master account has: choose another role for {account}",
        role_name(role)
    )
}

pub fn already_has_access(email: &str) -> String {
    format!(
        "{email} already has access to your account: use Manage, then Edit, on the sharing page to change it"
    )
}

pub fn seats_full(limit: u32) -> String {
    format!(
        "Your plan lets you share with {limit} people and every place is taken: delete an access or upgrade your plan"
    )
}

pub fn role_needs_advanced_plan(role: crate::domain::role::Role) -> String {
    format!(
        "The {} role needs a plan with advanced accesses (Crystal Premium or above)",
        role_name(role)
    )
}

pub fn advanced_accesses_full(limit: u32) -> String {
    format!(
        "All {limit} advanced accesses of your plan are in use: choose Manager or Accountant, free an advanced access, or upgrade your plan"
    )
}

pub const DELIVERY_QUEUED: &str = "Invitation email being sent";
pub const DELIVERY_SENT: &str = "Invitation email sent";
pub const DELIVERY_FAILED: &str =
    "Invitation email could not be delivered: check the address, then re-send";
pub const NEVER: &str = "Never";

pub const SEARCH_TOO_LONG: &str = "Search for at most 254 characters: no email address or name is longer. Go back and shorten it.";
pub const UNKNOWN_FILTER: &str = "That filter is not one the page offers. Go back to Share your account and choose from its lists.";
pub const NO_SUCH_PAGE: &str = "That page of the list does not exist. Go back to Share your account and start from its first page.";

pub fn status_filter_name(code: &str) -> &'static str {
    match code {
        "owner" => "Owner",
        "pending" => "Pending",
        "active" => "Active",
        "expired" => "Expired",
        _ => "",
    }
}

/// 1234 as "1,234".
pub fn count(number: u32) -> String {
    let digits = number.to_string();
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// Where the switcher's page stands in the accounts that match.
pub fn showing_accounts(first: usize, last: usize, matching: usize) -> String {
    match matching {
        0 => "No account matches.".to_owned(),
        1 => "Showing 1 account.".to_owned(),
        _ => format!(
            "Showing {} to {} of {} accounts.",
            count(first as u32),
            count(last as u32),
            count(matching as u32)
        ),
    }
}

/// Where the table's page stands in the people that match; the owner is listed above them.
pub fn showing_people(first: u32, last: u32, matching: u32, owner_shown: bool) -> String {
    let people = if matching == 1 { "person" } else { "people" };
    let owner = if owner_shown { ", besides you" } else { "" };
    match matching {
        0 if owner_shown => "Only you match.".to_owned(),
        0 => "Nobody matches.".to_owned(),
        _ => format!(
            "Showing {} to {} of {} {people}{owner}.",
            count(first),
            count(last),
            count(matching)
        ),
    }
}

pub fn flash_invited(email: &str) -> String {
    format!("Invitation sent to {email}.")
}

pub fn flash_updated(email: &str) -> String {
    format!("Access updated for {email}.")
}

pub fn flash_deleted(email: &str) -> String {
    format!("Access deleted for {email}.")
}

pub fn flash_resent(email: &str) -> String {
    format!("Invitation re-sent to {email}. Only the link in the new email works.")
}

pub fn flash_already_accepted(email: &str) -> String {
    format!("{email} has already accepted the invitation: there is nothing to re-send.")
}

pub const INVITE_USER: &str = "Invite user";
pub const SEND_INVITATION: &str = "Send invitation";
pub const UPDATE_ACCESS: &str = "Update access";
pub const CHECK_BEFORE_SENDING: &str = "Check before sending";
pub const CHECK_BEFORE_UPDATING: &str = "Check before updating";

pub fn edit_access_heading(email: &str) -> String {
    format!("Edit access for {email}")
}

pub const FLASH_INVITATION_ACCEPTED: &str = "You have accepted the invitation.";
pub const FLASH_INVITATION_DECLINED: &str =
    "You have declined the invitation. Its owner has been told, and the link no longer works.";

pub fn area_summary(area: crate::domain::permission::Area) -> &'static str {
    use crate::domain::permission::Area;
    match area {
        Area::Campaigns => {
            "Create, design and send marketing campaigns, and manage their templates."
        }
        Area::Transactional => "Templates and settings of the messages your applications send.",
        Area::EmailAutomation => "Automation workflows that send on a schedule or on events.",
        Area::Contacts => "Contact lists, their properties and segments.",
        Area::Statistics => "Delivery statistics, and real-time monitoring with alerts.",
        Area::Billing => "Current plan details, prepaid account and deposits, past invoices.",
        Area::AccountManagement => "Account settings, API keys and sub-accounts.",
    }
}

/// What this person may do in an area: the role's nuances (S3) and any advanced restrictions
/// (S4), so nobody finds out by trying.
pub fn area_guidance(
    role: Option<crate::domain::role::Role>,
    area: crate::domain::permission::Area,
    restrictions: crate::domain::permission::RestrictionSet,
) -> Vec<String> {
    use crate::domain::{permission::Area, role::Role};
    let templates = matches!(
        area,
        Area::Campaigns | Area::Transactional | Area::EmailAutomation
    );
    let mut lines = vec![match (role, area) {
        (None, _) => "As the owner you can do everything here, and share the account.".to_owned(),
        (Some(Role::Manager), _) => "You can do everything here; only account sharing stays with the owner.".to_owned(),
        (Some(Role::Developer), Area::Transactional) => "You can edit and publish transactional templates, and lock their sections.".to_owned(),
        (Some(Role::Developer), Area::Statistics) => "You can use real-time monitoring and set up alerts.".to_owned(),
        (Some(Role::Developer), Area::AccountManagement) => "You can manage API credentials; the other settings stay with the owner.".to_owned(),
        (Some(Role::Marketer), Area::Transactional) => "You can suggest changes to transactional templates, but not publish them.".to_owned(),
        (Some(Role::Marketer), _) => "You can manage contacts, send campaigns and run automation workflows.".to_owned(),
        (Some(Role::Designer), _) => "You can edit templates and suggest changes, but not publish them. You can lock template sections.".to_owned(),
        (Some(Role::Accountant), _) => "You can see the plan, the prepaid account and deposits, and past invoices.".to_owned(),
        // Custom, and a Developer elsewhere (only reachable through a Custom-like grant).
        (Some(Role::Custom | Role::Developer), _) => "You can use this area.".to_owned(),
    }];
    if templates {
        lines.extend(restrictions.iter().map(|restriction| {
            format!(
                "Restricted: {}.",
                restriction_label(restriction).to_lowercase()
            )
        }));
    }
    lines
}

pub fn missing_access(area: crate::domain::permission::Area, account: &str) -> String {
    format!(
        "Your access to {account} does not include {}.",
        area_name(area)
    )
}

pub const NO_LONGER_REACHABLE: &str =
    "You no longer have access to that account: its owner changed or removed your access.";

pub fn flash_plan_changed(plan: &str) -> String {
    format!("Your plan is now {plan}.")
}

/// What to reduce before moving to `plan` (S11).
pub fn reductions(
    plan: crate::domain::plan::Plan,
    people_over: u32,
    advanced_over: u32,
) -> Vec<String> {
    let limits = plan.limits(None);
    let name = plan_name(plan);
    let mut lines = Vec::new();
    if people_over > 0 {
        lines.push(format!(
            "Delete access for {people_over} {}: {name} lets you share with {} {}.",
            if people_over == 1 { "person" } else { "people" },
            limits.seats,
            if limits.seats == 1 {
                "person"
            } else {
                "people"
            }
        ));
    }
    if advanced_over > 0 {
        lines.push(format!(
            "Move {advanced_over} {} from Developer, Marketer, Designer or Custom to Manager or Accountant, or remove their access: {name} has {} advanced {}.",
            if advanced_over == 1 { "person" } else { "people" },
            limits.advanced_accesses,
            if limits.advanced_accesses == 1 { "access" } else { "accesses" }
        ));
    }
    lines
}

// ---------------------------------------------------------------------------------------------
// The access form (S7, S13)

pub const COPY_NEEDS_CUSTOM: &str = "Copy to all below copies the Master account's Custom areas: choose Custom for the Master account, or untick Copy to all below";
pub const COPY_LEAVES_NOTHING: &str = "Tick at least one area other than Billing to copy to all below (sub-accounts have no Billing), or untick Copy to all below";
pub const ROLES_UPDATED: &str = "Roles updated. Tick the areas of each account set to Custom.";

/// A role as the row's drop-down offers it: premium roles say what they use, or why they
/// cannot be chosen (S13: shown unavailable before sending, never refused after).
pub fn role_option(
    role: crate::domain::role::Role,
    available: bool,
    premium: crate::domain::quota::PremiumRoles,
) -> String {
    use crate::domain::quota::PremiumRoles;
    let name = role_name(role);
    match (role.is_premium(), available, premium) {
        (false, _, _) => name.to_owned(),
        (true, true, _) => format!("{name} (advanced access)"),
        (true, false, PremiumRoles::NoneLeft { .. }) => format!("{name} (no advanced access left)"),
        (true, false, _) => format!("{name} (not on your plan)"),
    }
}

/// Said once above the table: what the premium roles use, and what to do when they cannot.
pub fn premium_note(
    premium: crate::domain::quota::PremiumRoles,
    limits: crate::domain::plan::Limits,
    usage: crate::domain::quota::Usage,
) -> Option<String> {
    use crate::domain::quota::PremiumRoles;
    let what = "Developer, Marketer, Designer and Custom each use 1 advanced access per person, whatever the number of accounts.";
    Some(match premium {
        PremiumRoles::Available => format!(
            "{what} {} of your plan's {} in use.",
            count(usage.advanced_accesses.min(limits.advanced_accesses)),
            count(limits.advanced_accesses)
        ),
        PremiumRoles::NotOnPlan => {
            format!(
                "{what} Your plan has no advanced accesses: change your plan to use these roles."
            )
        }
        PremiumRoles::NoneLeft { limit } => format!(
            "{what} All {} advanced accesses of your plan are in use: free one, or change your plan.",
            count(limit)
        ),
    })
}

/// Shown on a sub-account row while "Copy to all below" is ticked.
pub fn following_master(areas: crate::domain::permission::AreaSet) -> String {
    let names: Vec<&str> = areas.iter().map(area_name).collect();
    format!(
        "Follows the Master account (Copy to all below): {}.",
        names.join(", ")
    )
}

pub fn account_added(account: &str) -> String {
    format!("{account} added: choose a role for it.")
}

pub fn accounts_added(count: usize) -> String {
    format!("{count} sub-accounts added: choose a role for each.")
}

pub fn account_removed(account: &str) -> String {
    format!("{account} removed from the list.")
}

pub fn same_as_applied(role: crate::domain::role::Role, account: &str) -> String {
    format!("The areas of {} are ticked for {account}.", role_name(role))
}

pub fn areas_unchecked(account: &str) -> String {
    format!("All areas are unticked for {account}.")
}

/// The check step's line about "Copy to all below".
pub fn copied(
    areas: crate::domain::permission::AreaSet,
    restrictions: crate::domain::permission::RestrictionSet,
    sub_accounts: usize,
) -> String {
    use crate::domain::permission::{AccountKind, Area};
    let copied: Vec<&str> = areas
        .for_account(AccountKind::Sub)
        .iter()
        .map(area_name)
        .collect();
    let mut line = format!(
        "Copied from the Master account to the {sub_accounts} sub-account{} below: {}.",
        if sub_accounts == 1 { "" } else { "s" },
        copied.join(", ")
    );
    if areas.contains(Area::Billing) {
        line.push_str(" Billing is not copied: sub-accounts do not have it.");
    }
    if !restrictions.is_empty() {
        let names: Vec<&str> = restrictions.iter().map(restriction_short).collect();
        line.push_str(&format!(" Restrictions copied too: {}.", names.join("; ")));
    }
    line
}

pub fn advanced_access_check(remaining: u32, limit: u32) -> String {
    format!(
        "This uses 1 advanced access. Afterwards, {remaining} of your plan's {limit} advanced accesses will be left."
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
    pub restrictions: Vec<&'static str>,
    /// Every account of the group by name, for the full list.
    pub accounts: Vec<String>,
    /// Whether `scope` already names every account, so a full list would add nothing.
    pub scope_names_all: bool,
}

pub fn restriction_short(restriction: crate::domain::permission::Restriction) -> &'static str {
    use crate::domain::permission::Restriction;
    match restriction {
        Restriction::DraftsOnly => "drafts only, no publishing",
        Restriction::NoLabels => "no labels",
        Restriction::NoSectionLocking => "no section locking",
    }
}

/// "Manager", or for Custom the areas ticked: "Custom (Campaigns, Statistics)".
pub fn access_name(
    role: crate::domain::role::Role,
    areas: crate::domain::permission::AreaSet,
) -> String {
    use crate::domain::role::Role;
    match role {
        Role::Custom => format!(
            "{} ({})",
            role_name(role),
            areas.iter().map(area_name).collect::<Vec<_>>().join(", ")
        ),
        role => role_name(role).to_owned(),
    }
}

fn names_in_words(names: &[String]) -> String {
    match names {
        [one] => one.clone(),
        [first, second] => format!("{first} and {second}"),
        _ => String::new(),
    }
}

fn scope_in_words(scope: &crate::domain::summary::Scope, names: &[String]) -> (String, bool) {
    use crate::domain::summary::Scope;
    match scope {
        Scope::AllAccounts(count) => (format!("on all {count} accounts"), false),
        Scope::Master => ("on the master account".to_owned(), true),
        Scope::MasterAnd(subs) if subs.len() <= 2 => (
            format!("on the master account and {}", names_in_words(&names[1..])),
            true,
        ),
        Scope::MasterAnd(subs) => (
            format!("on the master account and {} sub-accounts", subs.len()),
            false,
        ),
        Scope::AllSubAccounts(count) => (format!("on all {count} sub-accounts"), false),
        Scope::SubAccounts(subs) if subs.len() <= 2 => {
            (format!("on {}", names_in_words(names)), true)
        }
        Scope::SubAccounts(subs) => (format!("on {} sub-accounts", subs.len()), false),
    }
}

/// The grants grouped and worded. `sub_account_name` names a sub-account of the owner's;
/// `owner_sub_accounts` is how many the owner has, to tell "all" from "some".
pub fn describe_accesses(
    grants: &[(crate::domain::ids::AccountRef, crate::domain::role::Grant)],
    sub_account_name: impl Fn(crate::domain::ids::SubAccountId) -> String,
    owner_sub_accounts: usize,
) -> Vec<AccessDescription> {
    crate::domain::summary::group(grants)
        .into_iter()
        .map(|group| {
            let accounts: Vec<String> = group
                .includes_master
                .then(|| MASTER_ACCOUNT.to_owned())
                .into_iter()
                .chain(group.sub_accounts.iter().map(|sub| sub_account_name(*sub)))
                .collect();
            let (scope, scope_names_all) =
                scope_in_words(&group.scope(owner_sub_accounts), &accounts);
            AccessDescription {
                access: access_name(group.role, group.areas),
                scope,
                restrictions: group.restrictions.iter().map(restriction_short).collect(),
                accounts,
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
    pub button: &'static str,
    pub after: Vec<String>,
}

pub const PASSWORD_RESET_SUBJECT: &str = "Choose a new password";
pub const EMAIL_CHANGE_SUBJECT: &str = "Confirm your new email address";
pub const EMAIL_CHANGED_SUBJECT: &str = "Your login now uses another email address";

pub fn password_reset_mail(valid_until: &str) -> MailNotice {
    MailNotice {
        before: vec!["Someone, hopefully you, asked to choose a new password for the login with this address. To choose one, open this link:".to_owned()],
        button: "Choose a new password",
        after: vec![
            format!("The link works once, until {valid_until}. Choosing a new password signs you out everywhere else."),
            "If you did not ask for this, ignore this message: your password stays as it is.".to_owned(),
        ],
    }
}

pub fn email_change_mail(valid_until: &str) -> MailNotice {
    MailNotice {
        before: vec![
            "You asked to use this address for your login. To confirm it, open this link:"
                .to_owned(),
        ],
        button: "Confirm this address",
        after: vec![
            format!(
                "The link works once, until {valid_until}. Until then your login keeps its old address."
            ),
            "If you did not ask for this, ignore this message: nothing changes without the link."
                .to_owned(),
        ],
    }
}

pub fn email_changed_mail(new_email: &str, base_url: &str) -> MailNotice {
    MailNotice {
        before: vec![
            format!(
                "Your login now uses {new_email} instead of this address, as confirmed from a link sent to it."
            ),
            format!(
                "If you did not make this change, someone else may have your password: choose a new one at {base_url}/password-reset and contact whoever runs this service."
            ),
        ],
        button: "",
        after: Vec::new(),
    }
}

pub const FORGOT_TITLE: &str = "Choose a new password";
pub const FLASH_PASSWORD_RESET: &str =
    "Your new password is set. You are signed out everywhere else.";
pub const FLASH_PASSWORD_CHANGED: &str =
    "Your password is changed. You are signed out everywhere else.";
pub const FLASH_EMAIL_CHANGED: &str =
    "Your login now uses its new address. The old one has been told.";
pub const WRONG_CURRENT_PASSWORD: &str =
    "Your current password is not right: check it and try again";
pub const EMAIL_SAME_AS_NOW: &str = "This is already your address: enter the new one";
pub const EMAIL_TAKEN_MEANWHILE: &str = "Another login took this address in the meantime: ask for the change again with another address";

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
        describe_accesses(grants, |id| format!("Brand {}", id.0), owner_subs)
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
        let described = describe_accesses(&restricted, |_| String::new(), 0);
        assert_eq!(described[0].restrictions, ["no labels"]);
        assert!(described[0].scope_names_all);
        assert_eq!(described[0].accounts, ["Master account"]);
    }
}
