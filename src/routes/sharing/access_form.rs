//! The access part of the invite and edit forms: one row per account with a role, Custom boxes
//! and restrictions. It works as plain form posts: each button sends an `action` that the server
//! applies before showing the form again, exactly as typed (UX.md rules 5 and 6).

use std::collections::HashMap;

use crate::{
    db::sub_accounts::SubAccount,
    domain::{
        permission::{Area, AreaSet, Restriction, RestrictionSet},
        plan::Limits,
        quota::QuotaError,
        role::{Grant, GrantError, Role, copy_to_sub_account},
    },
    error::AppError,
    messages,
    services::sharing::{AccountRef, Refusal},
    web::form::FormErrors,
};

/// More rows than any owner has accounts is a forged form.
const MAX_ROWS: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowInput {
    pub account: AccountRef,
    pub role: Option<Role>,
    pub areas: AreaSet,
    pub restrictions: RestrictionSet,
    /// The role picked in "Activate the same permissions as".
    pub same_as: Option<Role>,
}

impl RowInput {
    pub fn new(account: AccountRef) -> RowInput {
        RowInput {
            account,
            role: None,
            areas: AreaSet::EMPTY,
            restrictions: RestrictionSet::NONE,
            same_as: None,
        }
    }

    pub fn from_grant(account: AccountRef, grant: Grant) -> RowInput {
        RowInput {
            account,
            role: Some(grant.role),
            areas: grant.areas,
            restrictions: grant.restrictions,
            same_as: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormAction {
    Send,
    Add,
    Remove(usize),
    ApplySameAs(usize),
    UncheckAll(usize),
    CopyToAllBelow,
}

/// Everything the form sent, parsed but not yet judged.
#[derive(Debug)]
pub struct AccessInput {
    pub email: String,
    pub rows: Vec<RowInput>,
    pub add_account: Option<AccountRef>,
    pub action: FormAction,
    /// Set by the check step shown before an invitation that uses an advanced access.
    pub confirmed: bool,
}

impl AccessInput {
    /// The form as first shown: these rows, nothing typed yet.
    pub fn blank(rows: Vec<RowInput>) -> AccessInput {
        AccessInput {
            email: String::new(),
            rows,
            add_account: None,
            action: FormAction::Send,
            confirmed: false,
        }
    }
}

fn forged() -> AppError {
    AppError::BadRequest(messages::BAD_FORM)
}

fn parse_account(value: &str) -> Result<AccountRef, AppError> {
    match value {
        "master" => Ok(AccountRef::Master),
        id => id
            .parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .map(AccountRef::Sub)
            .ok_or_else(forged),
    }
}

pub fn account_value(account: AccountRef) -> String {
    match account {
        AccountRef::Master => "master".to_owned(),
        AccountRef::Sub(id) => id.to_string(),
    }
}

fn parse_index(text: &str) -> Result<usize, AppError> {
    text.parse::<usize>()
        .ok()
        .filter(|i| *i < MAX_ROWS)
        .ok_or_else(forged)
}

fn parse_action(value: Option<&str>) -> Result<FormAction, AppError> {
    let Some(value) = value else {
        // Enter in a text field submits with the form's first button, which is a send button;
        // a form with no action at all is treated the same, never as a removal.
        return Ok(FormAction::Send);
    };
    let (name, index) = value
        .split_once(':')
        .map_or((value, None), |(name, index)| (name, Some(index)));
    Ok(match (name, index) {
        ("send", None) => FormAction::Send,
        ("add", None) => FormAction::Add,
        ("copy_to_all_below", None) => FormAction::CopyToAllBelow,
        ("remove", Some(i)) => FormAction::Remove(parse_index(i)?),
        ("apply", Some(i)) => FormAction::ApplySameAs(parse_index(i)?),
        ("uncheck", Some(i)) => FormAction::UncheckAll(parse_index(i)?),
        _ => return Err(forged()),
    })
}

/// Parses the submitted fields. Any key the form never sends, an unknown role, area or
/// restriction, or a malformed id is a forged form: 400, nothing changes (R13, R14).
pub fn parse(fields: &HashMap<String, String>, with_email: bool) -> Result<AccessInput, AppError> {
    let mut rows: std::collections::BTreeMap<usize, RowInput> = std::collections::BTreeMap::new();
    for (key, value) in fields {
        if let Some(index) = key.strip_prefix("account_") {
            rows.insert(parse_index(index)?, RowInput::new(parse_account(value)?));
        }
    }
    let mut email = String::new();
    let (mut add_account, mut action, mut confirmed) = (None, None, false);
    for (key, value) in fields {
        let row = |rest: &str| -> Result<(usize, String), AppError> {
            let (index, name) = rest.split_once('_').map_or((rest, ""), |(i, n)| (i, n));
            let index = parse_index(index)?;
            if !rows.contains_key(&index) {
                return Err(forged());
            }
            Ok((index, name.to_owned()))
        };
        match key.as_str() {
            "email" if with_email => email = value.clone(),
            "action" => action = Some(value.as_str()),
            "confirmed" => confirmed = value == "yes",
            "add_account" if value.is_empty() => {}
            "add_account" => add_account = Some(parse_account(value)?),
            key if key.starts_with("account_") => {}
            key if key.starts_with("role_") => {
                let (index, rest) = row(&key["role_".len()..])?;
                if !rest.is_empty() {
                    return Err(forged());
                }
                rows.get_mut(&index).ok_or_else(forged)?.role =
                    Some(Role::from_code(value).ok_or_else(forged)?);
            }
            key if key.starts_with("same_as_") => {
                let (index, rest) = row(&key["same_as_".len()..])?;
                if !rest.is_empty() {
                    return Err(forged());
                }
                let same_as = if value.is_empty() {
                    None
                } else {
                    Some(
                        Role::from_code(value)
                            .filter(|r| *r != Role::Custom)
                            .ok_or_else(forged)?,
                    )
                };
                rows.get_mut(&index).ok_or_else(forged)?.same_as = same_as;
            }
            key if key.starts_with("area_") => {
                let (index, code) = row(&key["area_".len()..])?;
                let area = Area::from_code(&code).ok_or_else(forged)?;
                let row = rows.get_mut(&index).ok_or_else(forged)?;
                row.areas = row.areas.with(area);
            }
            key if key.starts_with("restriction_") => {
                let (index, code) = row(&key["restriction_".len()..])?;
                let restriction = Restriction::from_code(&code).ok_or_else(forged)?;
                let row = rows.get_mut(&index).ok_or_else(forged)?;
                row.restrictions = row.restrictions.with(restriction);
            }
            _ => return Err(forged()),
        }
    }
    let rows: Vec<RowInput> = rows.into_values().collect();
    let mut seen = std::collections::HashSet::new();
    if !rows.iter().all(|row| seen.insert(row.account)) {
        return Err(forged());
    }
    let action = parse_action(action)?;
    Ok(AccessInput {
        email,
        rows,
        add_account,
        action,
        confirmed,
    })
}

/// Applies a button other than send; the errors are for a button pressed without what it needs.
pub fn apply(input: &mut AccessInput, names: &AccountNames) -> Result<FormErrors, AppError> {
    // Another owner's sub-account is not found, whichever field names it (R12).
    if input.rows.iter().any(|row| !names.knows(row.account)) {
        return Err(AppError::NotFound);
    }
    let mut errors = FormErrors::default();
    match input.action {
        FormAction::Send => {}
        FormAction::Add => match input.add_account {
            Some(account) if !names.knows(account) => return Err(AppError::NotFound),
            Some(account) if input.rows.iter().all(|row| row.account != account) => {
                input.rows.push(RowInput::new(account))
            }
            Some(_) => {}
            None => errors.add("add_account", messages::SELECT_ACCOUNT_TO_ADD),
        },
        FormAction::Remove(index) => {
            if index >= input.rows.len() {
                return Err(forged());
            }
            input.rows.remove(index);
        }
        FormAction::ApplySameAs(index) => {
            let row = input.rows.get_mut(index).ok_or_else(forged)?;
            match row.same_as {
                Some(role) => {
                    row.role = Some(Role::Custom);
                    row.areas = role.areas_on(row.account.kind());
                }
                None => errors.add(format!("same_as_{index}"), messages::SELECT_ROLE_TO_COPY),
            }
        }
        FormAction::UncheckAll(index) => {
            let row = input.rows.get_mut(index).ok_or_else(forged)?;
            row.role = Some(Role::Custom);
            row.areas = AreaSet::EMPTY;
        }
        FormAction::CopyToAllBelow => {
            let master = input
                .rows
                .iter()
                .find(|row| row.account == AccountRef::Master)
                .ok_or_else(forged)?
                .clone();
            if master.role != Some(Role::Custom) {
                return Err(forged());
            }
            for row in input
                .rows
                .iter_mut()
                .filter(|row| row.account != AccountRef::Master)
            {
                row.role = Some(Role::Custom);
                row.areas = copy_to_sub_account(master.areas);
                row.restrictions = master.restrictions;
            }
        }
    }
    Ok(errors)
}

/// Turns the rows into grants, or says what to fix beside each field.
pub fn grants(
    rows: &[RowInput],
    names: &AccountNames,
    errors: &mut FormErrors,
) -> Vec<(AccountRef, Grant)> {
    if rows.is_empty() {
        errors.add("add_account", messages::ADD_AN_ACCOUNT);
    }
    let mut grants = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        let label = names.label(row.account);
        let Some(role) = row.role else {
            errors.add(format!("role_{index}"), messages::select_role_for(&label));
            continue;
        };
        // Boxes and restrictions hidden for this role (left ticked from an earlier choice) mean
        // nothing: a predefined role always means its catalogue areas.
        let restrictions = if role.allows_restrictions() {
            row.restrictions
        } else {
            RestrictionSet::NONE
        };
        match Grant::new(row.account.kind(), role, row.areas, restrictions) {
            Ok(grant) => grants.push((row.account, grant)),
            Err(GrantError::NoArea | GrantError::BillingOnSubAccount) => {
                errors.add(format!("area_{index}"), messages::select_areas_for(&label));
            }
            Err(GrantError::RoleEmptyHere) => errors.add(
                format!("role_{index}"),
                messages::role_empty_on(role, &label),
            ),
            Err(GrantError::RestrictionsNotForRole) => {
                errors.add(format!("role_{index}"), messages::select_role_for(&label))
            }
        }
    }
    grants
}

/// Puts a refusal from the service beside the field it concerns.
pub fn add_refusal(
    errors: &mut FormErrors,
    refusal: Refusal,
    rows: &[RowInput],
    limits: Limits,
    email: &str,
) {
    match refusal {
        Refusal::OwnAddress => errors.add("email", messages::INVITING_YOURSELF),
        Refusal::AlreadyHasAccess => errors.add("email", messages::already_has_access(email)),
        Refusal::UnknownAccount => errors.add("add_account", messages::ADD_AN_ACCOUNT),
        Refusal::Quota(QuotaError::NoSharingOnPlan) => {
            errors.add("email", messages::NO_SHARING_ON_PLAN)
        }
        Refusal::Quota(QuotaError::SeatsFull { limit }) => {
            errors.add("email", messages::seats_full(limit))
        }
        Refusal::Quota(QuotaError::RoleNeedsAdvancedPlan { role }) => {
            let index = rows
                .iter()
                .position(|row| row.role == Some(role))
                .unwrap_or(0);
            errors.add(
                format!("role_{index}"),
                messages::role_needs_advanced_plan(role),
            );
        }
        Refusal::Quota(QuotaError::AdvancedAccessesFull { limit: _ }) => {
            let index = rows
                .iter()
                .position(|row| row.role.is_some_and(Role::is_premium))
                .unwrap_or(0);
            errors.add(
                format!("role_{index}"),
                messages::advanced_accesses_full(limits.advanced_accesses),
            );
        }
    }
}

/// The owner's accounts by name, to label rows and check that an id is theirs.
pub struct AccountNames {
    sub_accounts: Vec<(i64, String)>,
}

impl AccountNames {
    pub fn new(sub_accounts: &[SubAccount]) -> AccountNames {
        AccountNames {
            sub_accounts: sub_accounts
                .iter()
                .map(|sub| (sub.id, sub.name.clone()))
                .collect(),
        }
    }

    pub fn knows(&self, account: AccountRef) -> bool {
        account
            .sub_account_id()
            .is_none_or(|id| self.sub_accounts.iter().any(|(sub, _)| *sub == id))
    }

    pub fn label(&self, account: AccountRef) -> String {
        match account {
            AccountRef::Master => messages::MASTER_ACCOUNT.to_owned(),
            AccountRef::Sub(id) => self
                .sub_accounts
                .iter()
                .find(|(sub, _)| *sub == id)
                .map(|(_, name)| name.clone())
                .unwrap_or_default(),
        }
    }

    pub fn has_sub_accounts(&self) -> bool {
        !self.sub_accounts.is_empty()
    }

    /// Accounts not yet in the form, for the "Add" list: the master account first.
    pub fn addable(&self, rows: &[RowInput]) -> Vec<(String, String)> {
        std::iter::once(AccountRef::Master)
            .chain(self.sub_accounts.iter().map(|(id, _)| AccountRef::Sub(*id)))
            .filter(|account| rows.iter().all(|row| row.account != *account))
            .map(|account| (account_value(account), self.label(account)))
            .collect()
    }
}

/// A row of the form as the template shows it.
pub struct RowView {
    pub index: usize,
    pub account_value: String,
    pub label: String,
    pub is_master: bool,
    pub roles: Vec<RoleChoice>,
    pub role_error: Option<String>,
    pub is_custom: bool,
    pub areas: Vec<BoxView>,
    pub areas_error: Option<String>,
    pub same_as: Vec<SameAsChoice>,
    pub same_as_error: Option<String>,
    /// The plan has advanced accesses, so restrictions can be offered at all.
    pub restrictions_available: bool,
    /// The chosen role can have restrictions.
    pub restrictions_shown: bool,
    pub restrictions: Vec<BoxView>,
    pub can_copy_to_all_below: bool,
}

pub struct RoleChoice {
    pub id: String,
    pub code: &'static str,
    pub name: &'static str,
    pub hint: &'static str,
    pub checked: bool,
    pub premium: bool,
}

pub struct BoxView {
    pub id: String,
    pub name: String,
    pub label: &'static str,
    pub checked: bool,
}

pub struct SameAsChoice {
    pub code: &'static str,
    pub name: &'static str,
    pub selected: bool,
    /// The area codes the role opens on this row's account, for the script that applies them.
    pub areas: String,
}

pub fn row_views(
    rows: &[RowInput],
    names: &AccountNames,
    errors: &FormErrors,
    limits: Limits,
) -> Vec<RowView> {
    let has_sub_rows = rows.iter().any(|row| row.account != AccountRef::Master);
    rows.iter()
        .enumerate()
        .map(|(index, row)| {
            let kind = row.account.kind();
            let role = row.role;
            RowView {
                index,
                account_value: account_value(row.account),
                label: names.label(row.account),
                is_master: row.account == AccountRef::Master,
                roles: Role::all()
                    .enumerate()
                    .map(|(position, choice)| RoleChoice {
                        id: if position == 0 {
                            format!("role_{index}")
                        } else {
                            format!("role_{index}_{}", choice.code())
                        },
                        code: choice.code(),
                        name: messages::role_name(choice),
                        hint: messages::role_hint(choice),
                        checked: role == Some(choice),
                        premium: choice.is_premium(),
                    })
                    .collect(),
                role_error: errors.get(&format!("role_{index}")).map(str::to_owned),
                is_custom: role == Some(Role::Custom),
                areas: Area::ALL
                    .into_iter()
                    .filter(|area| area.exists_on(kind))
                    .enumerate()
                    .map(|(position, area)| BoxView {
                        id: if position == 0 {
                            format!("area_{index}")
                        } else {
                            format!("area_{index}_{}", area.code())
                        },
                        name: format!("area_{index}_{}", area.code()),
                        label: messages::area_name(area),
                        checked: row.areas.contains(area),
                    })
                    .collect(),
                areas_error: errors.get(&format!("area_{index}")).map(str::to_owned),
                same_as: Role::predefined()
                    .map(|choice| SameAsChoice {
                        code: choice.code(),
                        name: messages::role_name(choice),
                        selected: row.same_as == Some(choice),
                        areas: choice
                            .areas_on(kind)
                            .iter()
                            .map(Area::code)
                            .collect::<Vec<_>>()
                            .join(" "),
                    })
                    .collect(),
                same_as_error: errors.get(&format!("same_as_{index}")).map(str::to_owned),
                restrictions_available: limits.advanced_accesses > 0,
                restrictions_shown: role.is_some_and(Role::allows_restrictions),
                restrictions: Restriction::ALL
                    .into_iter()
                    .map(|restriction| BoxView {
                        id: format!("restriction_{index}_{}", restriction.code()),
                        name: format!("restriction_{index}_{}", restriction.code()),
                        label: messages::restriction_label(restriction),
                        checked: row.restrictions.contains(restriction),
                    })
                    .collect(),
                can_copy_to_all_below: row.account == AccountRef::Master && has_sub_rows,
            }
        })
        .collect()
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

    fn names() -> AccountNames {
        AccountNames {
            sub_accounts: vec![(7, "Shop".into()), (9, "News".into())],
        }
    }

    #[test]
    fn parses_rows_in_index_order() {
        let input = parse(
            &fields(&[
                ("email", "a@b.co"),
                ("account_1", "7"),
                ("account_0", "master"),
                ("role_0", "custom"),
                ("area_0_billing", "on"),
                ("restriction_0_no_labels", "on"),
                ("role_1", "designer"),
                ("same_as_1", ""),
                ("action", "send"),
            ]),
            true,
        )
        .unwrap();
        assert_eq!(input.email, "a@b.co");
        assert_eq!(input.rows[0].account, AccountRef::Master);
        assert_eq!(input.rows[0].areas, AreaSet::of(&[Area::Billing]));
        assert_eq!(
            input.rows[0].restrictions,
            RestrictionSet::of(&[Restriction::NoLabels])
        );
        assert_eq!(
            input.rows[1],
            RowInput {
                role: Some(Role::Designer),
                ..RowInput::new(AccountRef::Sub(7))
            }
        );
        assert_eq!(input.action, FormAction::Send);
    }

    #[test]
    fn refuses_forged_fields() {
        for forged in [
            vec![("role_0", "owner"), ("account_0", "master")],
            vec![("account_0", "master"), ("area_0_sharing", "on")],
            vec![("account_0", "master"), ("restriction_0_everything", "on")],
            vec![("account_0", "-1")],
            vec![("account_0", "abc")],
            vec![("account_0", "9223372036854775808")],
            vec![("account_0", "master"), ("account_1", "master")],
            vec![("role_3", "manager")],
            vec![("account_0", "master"), ("account_id", "2")],
            vec![("account_0", "master"), ("action", "remove:x")],
            vec![("account_0", "master"), ("action", "delete_everything")],
            vec![("account_5000", "master")],
            vec![("account_0", "master"), ("same_as_0", "custom")],
        ] {
            assert!(
                matches!(parse(&fields(&forged), true), Err(AppError::BadRequest(_))),
                "{forged:?}"
            );
        }
        // The email field belongs to the invite form only.
        assert!(parse(&fields(&[("email", "a@b.co")]), false).is_err());
    }

    #[test]
    fn buttons_change_the_rows_as_labelled() {
        let mut input = parse(
            &fields(&[
                ("account_0", "master"),
                ("add_account", "9"),
                ("action", "add"),
            ]),
            true,
        )
        .unwrap();
        assert!(apply(&mut input, &names()).unwrap().is_empty());
        assert_eq!(
            input.rows.iter().map(|r| r.account).collect::<Vec<_>>(),
            [AccountRef::Master, AccountRef::Sub(9)]
        );

        input.rows[0].same_as = Some(Role::Marketer);
        input.action = FormAction::ApplySameAs(0);
        apply(&mut input, &names()).unwrap();
        assert_eq!(input.rows[0].role, Some(Role::Custom));
        assert_eq!(
            input.rows[0].areas,
            Role::Marketer.areas_on(crate::domain::permission::AccountKind::Master)
        );

        input.rows[0].areas = AreaSet::of(&[Area::Billing, Area::Contacts]);
        input.action = FormAction::CopyToAllBelow;
        apply(&mut input, &names()).unwrap();
        assert_eq!(
            (input.rows[1].role, input.rows[1].areas),
            (Some(Role::Custom), AreaSet::of(&[Area::Contacts]))
        );

        input.action = FormAction::UncheckAll(1);
        apply(&mut input, &names()).unwrap();
        assert!(input.rows[1].areas.is_empty());

        input.action = FormAction::Remove(0);
        apply(&mut input, &names()).unwrap();
        assert_eq!(input.rows.len(), 1);
        input.action = FormAction::Remove(4);
        assert!(apply(&mut input, &names()).is_err());

        // Another owner's sub-account cannot be added.
        input.add_account = Some(AccountRef::Sub(1234));
        input.action = FormAction::Add;
        assert!(matches!(
            apply(&mut input, &names()),
            Err(AppError::NotFound)
        ));
    }

    #[test]
    fn grants_say_what_is_missing_per_account() {
        let rows = vec![
            RowInput::new(AccountRef::Master),
            RowInput {
                role: Some(Role::Custom),
                ..RowInput::new(AccountRef::Sub(7))
            },
            RowInput {
                role: Some(Role::Accountant),
                ..RowInput::new(AccountRef::Sub(9))
            },
        ];
        let mut errors = FormErrors::default();
        assert!(grants(&rows, &names(), &mut errors).is_empty());
        assert_eq!(
            errors.get("role_0"),
            Some("Select a role for the Master account")
        );
        assert_eq!(
            errors.get("area_1"),
            Some("Select at least one area for Shop")
        );
        assert!(errors.get("role_2").unwrap().contains("Billing"));

        let mut errors = FormErrors::default();
        grants(&[], &names(), &mut errors);
        assert!(errors.get("add_account").is_some());
    }
}
