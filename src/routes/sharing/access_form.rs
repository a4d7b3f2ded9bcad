//! The access part of the invite and edit forms (SPEC S7, S9, S13): a table with one row per
//! account, a role `<select>` in each, and the Custom boxes under a row whose role is Custom.
//! Every button sends an `action` the server applies before showing the form again exactly as
//! typed, so the form is complete without JavaScript (UX.md rules 5 and 6); `static/access-form.js`
//! only saves the round trips.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use actix_web::HttpResponse;
use askama::Template;

use super::QuotaView;
use crate::web::filters;
use crate::{
    domain::{
        access_draft::{AccessDraft, AddChoice, Change, DraftAction, DraftRow, Problem, roles_for},
        access_end,
        ids::AccountRef,
        permission::{Area, Restriction, RestrictionSet},
        quota::{PremiumRoles, QuotaError},
        role::Role,
    },
    error::AppError,
    i18n::Locale,
    messages::{self, AccessDescription},
    services::sharing::{AccessForm, Check, Decision, FormCommand, Refusal, Submission},
    web::{form::FormErrors, layout::Layout, render::render_page},
};

/// More rows than any owner has accounts is a forged form.
const MAX_ROWS: usize = 1000;

fn forged() -> AppError {
    AppError::BadRequest(messages::BAD_FORM)
}

fn parse_index(text: &str) -> Result<usize, AppError> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(forged());
    }
    text.parse::<usize>()
        .ok()
        .filter(|i| *i < MAX_ROWS)
        .ok_or_else(forged)
}

fn parse_account(value: &str) -> Result<AccountRef, AppError> {
    AccountRef::parse(value).ok_or_else(forged)
}

/// A button's `action`. Enter in a text field submits the form's first button, which is a send
/// button; a form with no action at all is taken the same way, never as a removal (UX.md rule 7).
fn parse_action(
    value: Option<&str>,
    add: Option<AddChoice>,
) -> Result<(DraftAction, Option<String>), AppError> {
    let Some(value) = value else {
        return Ok((DraftAction::Send, None));
    };
    let (name, argument) = value
        .split_once(':')
        .map_or((value, None), |(name, argument)| (name, Some(argument)));
    let action = match (name, argument) {
        ("send", None) => DraftAction::Send,
        ("update", None) => DraftAction::Update,
        ("add", None) => DraftAction::Add(add),
        ("remove", Some(i)) => DraftAction::Remove(parse_index(i)?),
        ("apply", Some(i)) => DraftAction::ApplySameAs(parse_index(i)?),
        ("uncheck", Some(i)) => DraftAction::UncheckAll(parse_index(i)?),
        ("confirm", Some(fingerprint))
            if fingerprint.len() == 16 && fingerprint.bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            return Ok((DraftAction::Send, Some(fingerprint.to_owned())));
        }
        _ => return Err(forged()),
    };
    Ok((action, None))
}

/// The row a field such as `role_3` or `area_3_contacts` belongs to, and what follows its index.
fn row_of<'a>(
    rows: &'a mut BTreeMap<usize, DraftRow>,
    rest: &str,
) -> Result<(&'a mut DraftRow, String), AppError> {
    let (index, name) = rest.split_once('_').unwrap_or((rest, ""));
    let row = rows.get_mut(&parse_index(index)?).ok_or_else(forged)?;
    Ok((row, name.to_owned()))
}

/// Parses the submitted fields. Any key the form never sends, an unknown role, area or
/// restriction, or a malformed id is a forged form: 400, nothing changes (R13, R14). Returns the
/// address field as typed (`email` on the invite form, `emails` on the batch form, none on the
/// edit form), the "Access ends on" field as typed, and the command.
pub fn parse(
    fields: &HashMap<String, String>,
    address_field: Option<&str>,
) -> Result<(String, String, FormCommand), AppError> {
    let mut rows: BTreeMap<usize, DraftRow> = BTreeMap::new();
    for (key, value) in fields {
        if let Some(index) = key.strip_prefix("account_") {
            rows.insert(parse_index(index)?, DraftRow::new(parse_account(value)?));
        }
    }
    let (mut email, mut access_ends_on) = (String::new(), String::new());
    let (mut add, mut action, mut copy_to_all_below) = (None, None, false);
    for (key, value) in fields {
        let role_code = |value: &str| -> Result<Option<Role>, AppError> {
            match value {
                "" => Ok(None),
                code => Role::from_code(code).map(Some).ok_or_else(forged),
            }
        };
        match key.as_str() {
            key if Some(key) == address_field => email = value.clone(),
            "access_ends_on" => access_ends_on = value.clone(),
            "action" => action = Some(value.as_str()),
            "copy_to_all_below" if value == "on" => copy_to_all_below = true,
            "add_account" => {
                add = match value.as_str() {
                    "" => None,
                    "all" => Some(AddChoice::AllSubAccounts),
                    account => Some(AddChoice::One(parse_account(account)?)),
                }
            }
            key if key.starts_with("account_") => {}
            key if key.starts_with("role_") => {
                let (row, rest) = row_of(&mut rows, &key["role_".len()..])?;
                if !rest.is_empty() {
                    return Err(forged());
                }
                row.role = role_code(value)?;
            }
            key if key.starts_with("same_as_") => {
                let (row, rest) = row_of(&mut rows, &key["same_as_".len()..])?;
                let same_as = role_code(value)?;
                if !rest.is_empty() || same_as == Some(Role::Custom) {
                    return Err(forged());
                }
                row.same_as = same_as;
            }
            key if key.starts_with("area_") && value == "on" => {
                let (row, code) = row_of(&mut rows, &key["area_".len()..])?;
                let area = Area::from_code(&code).ok_or_else(forged)?;
                row.areas = row.areas.with(area);
            }
            key if key.starts_with("restriction_") && value == "on" => {
                let (row, code) = row_of(&mut rows, &key["restriction_".len()..])?;
                let restriction = Restriction::from_code(&code).ok_or_else(forged)?;
                row.restrictions = row.restrictions.with(restriction);
            }
            _ => return Err(forged()),
        }
    }
    let (action, confirmation) = parse_action(action, add)?;
    let command = FormCommand {
        draft: AccessDraft {
            rows: rows.into_values().collect(),
            copy_to_all_below,
        },
        action,
        confirmation,
        confirmed_by_caller: false,
    };
    Ok((email, access_ends_on, command))
}

/// The "Access ends on" field: the date, or why not, beside the field. A date to correct keeps
/// the form from being sent: the press becomes "Update", which shows the form again as typed.
pub fn end_date(
    l: Locale,
    typed: &str,
    today: NaiveDate,
    command: &mut FormCommand,
    errors: &mut FormErrors,
) -> Option<NaiveDate> {
    match access_end::parse_end_date(typed, today) {
        Ok(date) => date,
        Err(error) => {
            errors.add("access_ends_on", messages::end_date_error(l, error));
            if command.action == DraftAction::Send {
                command.action = DraftAction::Update;
                command.confirmation = None;
            }
            None
        }
    }
}

// ---------------------------------------------------------------------------------------------
// What the template shows

pub struct RoleOption {
    pub code: &'static str,
    pub label: String,
    pub selected: bool,
    pub disabled: bool,
    /// The role can have advanced restrictions: the script shows them for it.
    pub restrictions: bool,
}

pub struct BoxView {
    pub id: String,
    pub name: String,
    pub label: String,
    pub checked: bool,
}

pub struct SameAsChoice {
    pub code: &'static str,
    pub name: String,
    pub selected: bool,
    /// The area codes the role opens on this kind of account, for the script.
    pub areas: String,
}

/// The Custom part of a row: its boxes and "Activate the same permissions as".
pub struct CustomView {
    pub areas: Vec<BoxView>,
    pub areas_error: Option<String>,
    pub same_as: Vec<SameAsChoice>,
    pub same_as_error: Option<String>,
    /// "Copy to all below": on the master account's row, when sub-account rows follow it.
    pub copy: Option<CopyView>,
}

pub struct CopyView {
    pub checked: bool,
    pub error: Option<String>,
}

pub struct RestrictionsView {
    pub boxes: Vec<BoxView>,
    /// Open when something is ticked, so nothing ticked is hidden.
    pub open: bool,
}

pub struct RowView {
    /// The row's index in the form's field names, or `__i__` in the script's templates.
    pub key: String,
    pub account_value: String,
    pub label: String,
    pub is_master: bool,
    pub roles: Vec<RoleOption>,
    pub role_error: Option<String>,
    /// Rendered when the role is Custom; otherwise the script adds it from a template.
    pub custom: Option<CustomView>,
    /// Rendered for a role that can have restrictions, on a plan that has them.
    pub restrictions: Option<RestrictionsView>,
    /// A sub-account row following the master account's boxes ("Copy to all below"): no boxes
    /// of its own, but what it follows, in words and as hidden fields, so that unticking the copy
    /// starts from what was copied.
    pub following: Option<FollowingView>,
}

pub struct FollowingView {
    pub note: String,
    /// The names of the boxes it carries ticked: `area_3_contacts`, `restriction_3_no_labels`.
    pub fields: Vec<String>,
}

/// Where a button landed, and what it changed (UX.md rule 8: the changed row is where the page
/// opens without JavaScript, and where the script moves focus).
pub struct NoticeView {
    /// Shown before the row with this index (after the last row when it is past the end).
    pub before: usize,
    pub message: String,
    /// The id of the control to focus.
    pub focus: String,
}

pub struct CheckView {
    pub heading: String,
    /// Who gets it, in words.
    pub recipients: String,
    pub accesses: Vec<AccessDescription>,
    pub copied: Option<String>,
    pub advanced: Option<String>,
    pub fingerprint: String,
}

pub struct RoleHelp {
    pub name: String,
    pub hint: String,
    /// What it opens, from the permission vocabulary the gate enforces.
    pub opens: String,
    pub advanced: bool,
}

/// Wording that differs between the invite and the edit form.
pub struct FormWords {
    pub heading: String,
    pub form_action: String,
    pub submit_label: String,
    pub check_heading: String,
    /// The invite form has an email field; the edit form is for a known person.
    pub email: Option<String>,
    /// The batch form's addresses, as pasted.
    pub emails: Option<String>,
    /// "Access ends on", as typed or stored (YYYY-MM-DD); empty when the access does not end.
    pub access_ends_on: String,
    /// The edit form's person, by address.
    pub person: Option<String>,
}

#[derive(Template)]
#[template(path = "sharing/access_form.html")]
pub struct AccessFormPage {
    pub layout: Layout,
    /// The master account the form is for (`routes::other_account`).
    pub for_account: i64,
    pub errors: FormErrors,
    pub words: FormWords,
    pub rows: Vec<RowView>,
    pub has_sub_accounts: bool,
    pub addable: Vec<(String, String)>,
    /// Sub-accounts not yet in the form, for "All sub-accounts".
    pub addable_sub_accounts: usize,
    pub quota: QuotaView,
    pub premium_note: Option<String>,
    pub premium_unavailable: bool,
    pub roles_help: Vec<RoleHelp>,
    pub notice: Option<NoticeView>,
    pub check: Option<CheckView>,
    /// The plan has advanced accesses: restrictions can be offered.
    pub advanced_plan: bool,
    /// The Custom part and the restrictions as the script inserts them: a master-account row's
    /// and a sub-account row's, with `__i__` for the row's index.
    pub template_rows: Vec<RowView>,
    /// While "Copy to all below" is ticked, the sub-account rows that follow the master account
    /// are folded into this one line, which says which they are.
    pub followers: Option<String>,
}

fn label(l: Locale, form: &AccessForm, account: AccountRef) -> String {
    match account.sub {
        None => messages::master_account(l),
        Some(sub) => form
            .context
            .accounts
            .sub_account_name(sub)
            .unwrap_or_default()
            .to_owned(),
    }
}

fn row_label(l: Locale, form: &AccessForm, index: usize) -> String {
    form.draft
        .rows
        .get(index)
        .map_or_else(String::new, |row| label(l, form, row.account))
}

/// Puts each problem beside the field it concerns, in the words of `messages`.
fn add_problems(l: Locale, errors: &mut FormErrors, problems: &[Problem], form: &AccessForm) {
    for problem in problems {
        match *problem {
            Problem::NothingToAdd => {
                errors.add("add_account", l.t(messages::SELECT_ACCOUNT_TO_ADD))
            }
            Problem::NoAccount => errors.add("add_account", l.t(messages::ADD_AN_ACCOUNT)),
            Problem::NoSameAsRole(i) => {
                errors.add(format!("same_as_{i}"), l.t(messages::SELECT_ROLE_TO_COPY))
            }
            Problem::NoRole(i) => errors.add(
                format!("role_{i}"),
                messages::select_role_for(l, &row_label(l, form, i)),
            ),
            Problem::NoArea(i) => errors.add(
                format!("area_{i}"),
                messages::select_areas_for(l, &row_label(l, form, i)),
            ),
            Problem::RoleNotHere(i, role) => errors.add(
                format!("role_{i}"),
                messages::role_empty_on(l, role, &row_label(l, form, i)),
            ),
            Problem::CopyNeedsCustom => {
                errors.add("copy_to_all_below", l.t(messages::COPY_NEEDS_CUSTOM))
            }
            Problem::CopyLeavesNothing => errors.add("area_0", l.t(messages::COPY_LEAVES_NOTHING)),
        }
    }
}

/// Puts a refusal from the service beside the field it concerns.
fn add_refusal(
    l: Locale,
    errors: &mut FormErrors,
    refusal: Refusal,
    form: &AccessForm,
    email: &str,
) {
    let row_with = |wanted: &dyn Fn(Role) -> bool| {
        form.draft
            .rows
            .iter()
            .position(|row| row.role.is_some_and(wanted))
            .unwrap_or(0)
    };
    match refusal {
        Refusal::OwnAddress => errors.add("email", l.t(messages::INVITING_YOURSELF)),
        Refusal::AlreadyHasAccess => errors.add("email", messages::already_has_access(l, email)),
        Refusal::Quota(refusal @ (QuotaError::NoSharingOnPlan | QuotaError::SeatsFull { .. })) => {
            errors.add("email", messages::quota_refusal(l, refusal))
        }
        Refusal::Quota(refusal @ QuotaError::RoleNeedsAdvancedPlan { role }) => errors.add(
            format!("role_{}", row_with(&|r| r == role)),
            messages::quota_refusal(l, refusal),
        ),
        Refusal::Quota(refusal @ QuotaError::AdvancedAccessesFull { .. }) => errors.add(
            format!("role_{}", row_with(&Role::is_premium)),
            messages::quota_refusal(l, refusal),
        ),
    }
}

fn boxes<T: Copy>(
    key: &str,
    prefix: &str,
    items: impl Iterator<Item = T>,
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> String,
    checked: impl Fn(T) -> bool,
) -> Vec<BoxView> {
    items
        .enumerate()
        .map(|(position, item)| {
            let name = format!("{prefix}_{key}_{}", code(item));
            BoxView {
                // The first box carries the plain id, which error messages link to.
                id: if position == 0 {
                    format!("{prefix}_{key}")
                } else {
                    name.clone()
                },
                name,
                label: label(item),
                checked: checked(item),
            }
        })
        .collect()
}

fn custom_view(
    l: Locale,
    key: &str,
    row: &DraftRow,
    errors: &FormErrors,
    copy: Option<CopyView>,
) -> CustomView {
    let kind = row.account.kind();
    CustomView {
        areas: boxes(
            key,
            "area",
            Area::ALL.into_iter().filter(|area| area.exists_on(kind)),
            Area::code,
            |area| messages::area_name(l, area),
            |area| row.areas.contains(area),
        ),
        areas_error: errors.get(&format!("area_{key}")).map(str::to_owned),
        same_as: Role::predefined()
            .map(|choice| SameAsChoice {
                code: choice.code(),
                name: messages::role_name(l, choice),
                selected: row.same_as == Some(choice),
                areas: choice
                    .areas_on(kind)
                    .iter()
                    .map(Area::code)
                    .collect::<Vec<_>>()
                    .join(" "),
            })
            .collect(),
        same_as_error: errors.get(&format!("same_as_{key}")).map(str::to_owned),
        copy,
    }
}

fn restrictions_view(l: Locale, key: &str, restrictions: RestrictionSet) -> RestrictionsView {
    RestrictionsView {
        boxes: boxes(
            key,
            "restriction",
            Restriction::ALL.into_iter(),
            Restriction::code,
            |restriction| messages::restriction_label(l, restriction),
            |r| restrictions.contains(r),
        ),
        open: !restrictions.is_empty(),
    }
}

fn role_options(l: Locale, form: &AccessForm, row: &DraftRow) -> Vec<RoleOption> {
    roles_for(row.account.kind())
        .map(|role| {
            let kept = form
                .kept
                .iter()
                .any(|(account, held)| *account == row.account && *held == role);
            let available = !role.is_premium() || kept || form.premium == PremiumRoles::Available;
            RoleOption {
                code: role.code(),
                label: messages::role_option(l, role, available, form.premium),
                selected: row.role == Some(role),
                disabled: !available,
                restrictions: role.allows_restrictions(),
            }
        })
        .collect()
}

fn row_view(
    l: Locale,
    form: &AccessForm,
    index: usize,
    row: &DraftRow,
    errors: &FormErrors,
) -> RowView {
    let key = index.to_string();
    let copying = form.draft.copies_to_all_below();
    let has_sub_rows = form.draft.rows.len() > 1;
    let copy_error = errors.get("copy_to_all_below").map(str::to_owned);
    let copy = (row.account.is_master() && has_sub_rows).then(|| CopyView {
        checked: form.draft.copy_to_all_below,
        error: copy_error.clone(),
    });
    // A ticked "Copy to all below" with a role that is not Custom shows the box with its
    // error, so it can be unticked.
    let following = (copying && !row.account.is_master()).then(|| FollowingView {
        note: messages::following_master(l, row.areas),
        fields: row
            .areas
            .iter()
            .map(|area| format!("area_{key}_{}", area.code()))
            .chain(
                row.restrictions
                    .iter()
                    .map(|r| format!("restriction_{key}_{}", r.code())),
            )
            .collect(),
    });
    let show_custom = following.is_none()
        && (row.role == Some(Role::Custom) || (row.account.is_master() && copy_error.is_some()));
    let advanced_plan = form.context.limits.advanced_accesses > 0;
    let restrictions_shown = following.is_none()
        && row.role.is_some_and(Role::allows_restrictions)
        && (advanced_plan || !row.restrictions.is_empty());
    RowView {
        account_value: row.account.value(),
        label: label(l, form, row.account),
        is_master: row.account.is_master(),
        roles: role_options(l, form, row),
        role_error: errors.get(&format!("role_{key}")).map(str::to_owned),
        custom: show_custom.then(|| custom_view(l, &key, row, errors, copy)),
        restrictions: restrictions_shown.then(|| restrictions_view(l, &key, row.restrictions)),
        following,
        key,
    }
}

/// The Custom part and restrictions of an empty row of each kind, as the script clones them.
/// The sub-account rows following the master account's boxes, by account.
fn page_rows_following(form: &AccessForm) -> impl Iterator<Item = AccountRef> + '_ {
    let copying = form.draft.copies_to_all_below();
    form.draft
        .rows
        .iter()
        .filter(move |row| copying && !row.account.is_master())
        .map(|row| row.account)
}

fn template_rows(l: Locale, form: &AccessForm) -> Vec<RowView> {
    let master = form.context.accounts.master;
    let kinds = [
        Some(AccountRef::master(master)),
        form.context
            .accounts
            .sub_accounts
            .first()
            .map(|(sub, _)| AccountRef::sub(master, *sub)),
    ];
    kinds
        .into_iter()
        .flatten()
        .map(|account| {
            let row = DraftRow::new(account);
            let key = "__i__";
            let no_errors = FormErrors::default();
            RowView {
                key: key.to_owned(),
                account_value: String::new(),
                label: String::new(),
                is_master: account.is_master(),
                roles: Vec::new(),
                role_error: None,
                custom: Some(custom_view(
                    l,
                    key,
                    &row,
                    &no_errors,
                    account.is_master().then_some(CopyView {
                        checked: false,
                        error: None,
                    }),
                )),
                restrictions: (form.context.limits.advanced_accesses > 0)
                    .then(|| restrictions_view(l, key, RestrictionSet::NONE)),
                following: None,
            }
        })
        .collect()
}

fn notice_view(l: Locale, change: Change, form: &AccessForm) -> NoticeView {
    let rows = &form.draft.rows;
    let focus_row = |at: usize| format!("role_{at}");
    match change {
        Change::Added { at, count } => NoticeView {
            before: at,
            message: if count == 1 {
                messages::account_added(l, &row_label(l, form, at))
            } else {
                messages::accounts_added(l, count)
            },
            focus: focus_row(at),
        },
        Change::Removed { at, account } => NoticeView {
            before: at,
            message: messages::account_removed(l, &label(l, form, account)),
            focus: if at < rows.len() {
                focus_row(at)
            } else {
                "add_account".to_owned()
            },
        },
        Change::Applied { at, role } => NoticeView {
            before: at,
            message: messages::same_as_applied(l, role, &row_label(l, form, at)),
            focus: format!("area_{at}"),
        },
        Change::Unchecked { at } => NoticeView {
            before: at,
            message: messages::areas_unchecked(l, &row_label(l, form, at)),
            focus: format!("area_{at}"),
        },
        Change::Updated => {
            let first_custom = rows.iter().position(|row| row.role == Some(Role::Custom));
            NoticeView {
                before: first_custom.unwrap_or(0),
                message: l.t(messages::ROLES_UPDATED),
                focus: first_custom.map_or_else(|| focus_row(0), |at| format!("area_{at}")),
            }
        }
    }
}

fn check_view(l: Locale, check: &Check, form: &AccessForm, heading: String) -> CheckView {
    let accounts = &form.context.accounts;
    CheckView {
        heading,
        recipients: l.tr2(
            "check-recipients",
            "count",
            check.recipients.len(),
            "who",
            check.recipients.join(", "),
        ),
        accesses: messages::describe_accesses(
            l,
            &check.grants,
            |sub| accounts.sub_account_name(sub).unwrap_or_default(),
            accounts.sub_accounts.len(),
        ),
        copied: check
            .copied
            .map(|(areas, restrictions, count)| messages::copied(l, areas, restrictions, count)),
        advanced: check.advanced.takes_a_new_one.then(|| {
            messages::advanced_access_check(l, check.advanced.remaining, check.advanced.limit)
        }),
        fingerprint: check.fingerprint.clone(),
    }
}

/// The form as the owner last left it, with what to fix, what changed, or the check step.
pub fn show(
    layout: Layout,
    words: FormWords,
    submission: Submission,
    mut errors: FormErrors,
) -> HttpResponse {
    let l = layout.locale;
    let Submission {
        form,
        change,
        problems,
        decision,
    } = submission;
    add_problems(l, &mut errors, &problems, &form);
    let mut check = None;
    match &decision {
        Decision::Refused(refusal) => add_refusal(
            l,
            &mut errors,
            *refusal,
            &form,
            words.email.as_deref().unwrap_or_default(),
        ),
        Decision::CheckFirst(found) => {
            check = Some(check_view(l, found, &form, words.check_heading.clone()))
        }
        Decision::Shown | Decision::Done => {}
    }
    let status = errors.status();
    let context = &form.context;
    let rows = form
        .draft
        .rows
        .iter()
        .enumerate()
        .map(|(index, row)| row_view(l, &form, index, row, &errors))
        .collect();
    let addable_sub_accounts = context
        .accounts
        .all()
        .skip(1)
        .filter(|account| form.draft.rows.iter().all(|row| row.account != *account))
        .count();
    let page = AccessFormPage {
        layout,
        for_account: context.accounts.master.0,
        rows,
        has_sub_accounts: !context.accounts.sub_accounts.is_empty(),
        addable: context
            .accounts
            .all()
            .filter(|account| form.draft.rows.iter().all(|row| row.account != *account))
            .map(|account| (account.value(), label(l, &form, account)))
            .collect(),
        addable_sub_accounts,
        quota: QuotaView {
            // The edit form's counts leave the person out: they may pick anything again.
            leaves_out: words
                .email
                .is_none()
                .then(|| words.person.clone())
                .flatten(),
            ..QuotaView::new(context.limits, context.usage)
        },
        premium_note: messages::premium_note(l, form.premium, context.limits, context.usage),
        premium_unavailable: form.premium != PremiumRoles::Available,
        roles_help: Role::all()
            .map(|role| RoleHelp {
                name: messages::role_name(l, role),
                hint: messages::role_hint(l, role),
                opens: messages::role_opens(l, role),
                advanced: role.is_premium(),
            })
            .collect(),
        notice: change
            .filter(|_| errors.is_empty())
            .map(|change| notice_view(l, change, &form)),
        check,
        advanced_plan: context.limits.advanced_accesses > 0,
        template_rows: template_rows(l, &form),
        followers: {
            let names: Vec<String> = page_rows_following(&form)
                .map(|account| label(l, &form, account))
                .collect();
            (!names.is_empty()).then(|| {
                l.tr2(
                    "followers-line",
                    "count",
                    names.len(),
                    "accounts",
                    messages::listed(l, &names),
                )
            })
        },
        errors,
        words,
    };
    render_page(status, &page)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn parses_rows_in_index_order_with_the_button_pressed() {
        let (email, _, command) = parse(
            &fields(&[
                ("email", "a@b.co"),
                ("account_1", "3:7"),
                ("account_0", "3"),
                ("role_0", "custom"),
                ("area_0_billing", "on"),
                ("restriction_0_no_labels", "on"),
                ("copy_to_all_below", "on"),
                ("role_1", ""),
                ("same_as_1", "designer"),
                ("add_account", "all"),
                ("action", "add"),
            ]),
            Some("email"),
        )
        .unwrap();
        assert_eq!(email, "a@b.co");
        let rows = &command.draft.rows;
        assert!(rows[0].account.is_master() && rows[1].account.sub.is_some());
        assert_eq!(rows[0].role, Some(Role::Custom));
        assert!(rows[0].areas.contains(Area::Billing));
        assert!(rows[0].restrictions.contains(Restriction::NoLabels));
        assert_eq!(
            (rows[1].role, rows[1].same_as),
            (None, Some(Role::Designer))
        );
        assert!(command.draft.copy_to_all_below);
        assert_eq!(
            command.action,
            DraftAction::Add(Some(AddChoice::AllSubAccounts))
        );
        let (_, _, confirmed) = parse(
            &fields(&[("account_0", "3"), ("action", "confirm:00ff00ff00ff00ff")]),
            Some("email"),
        )
        .unwrap();
        assert_eq!(confirmed.action, DraftAction::Send);
        assert_eq!(confirmed.confirmation.as_deref(), Some("00ff00ff00ff00ff"));
        let (_, _, enter) = parse(&fields(&[("account_0", "3")]), Some("email")).unwrap();
        assert_eq!(enter.action, DraftAction::Send);
    }

    #[test]
    fn refuses_forged_fields() {
        for forged in [
            vec![("account_0", "3"), ("role_0", "owner")],
            vec![("account_0", "3"), ("role_0", "Manager")],
            vec![("account_0", "3"), ("area_0_sharing", "on")],
            vec![("account_0", "3"), ("restriction_0_everything", "on")],
            vec![("account_0", "-1")],
            vec![("account_0", "abc")],
            vec![("account_0", "master")],
            vec![("account_0", "9223372036854775808")],
            vec![("role_3", "manager")],
            vec![("account_0", "3"), ("role_0_x", "manager")],
            vec![("account_0", "3"), ("account_id", "2")],
            vec![("account_0", "3"), ("action", "remove:x")],
            vec![("account_0", "3"), ("action", "remove:-1")],
            vec![("account_0", "3"), ("action", "confirm:not-hex")],
            vec![("account_0", "3"), ("action", "delete_everything")],
            vec![("account_5000", "3")],
            vec![("account_0", "3"), ("same_as_0", "custom")],
            vec![("account_0", "3"), ("add_account", "somewhere")],
            vec![("account_0", "3"), ("copy_to_all_below", "yes")],
        ] {
            assert!(
                matches!(
                    parse(&fields(&forged), Some("email")),
                    Err(AppError::BadRequest(_))
                ),
                "{forged:?}"
            );
        }
        // The email field belongs to the invite form only.
        assert!(parse(&fields(&[("email", "a@b.co")]), None).is_err());
    }
}
