//! GET /account — My account: the person, their plan and sub-accounts; POST
//! /account/verification-email sends a new verification link.

use actix_web::{HttpResponse, web};
use askama::Template;

use super::{
    sessions::EmptyForm,
    sharing::activity::{EventRow, event_row},
};
use crate::web::filters;
use crate::{
    db,
    db::{accounts::Account, sub_accounts::SubAccount},
    domain::{
        audit::Action,
        ids::{AccountRef, SubAccountId},
    },
    error::AppResult,
    i18n::Locale,
    messages,
    services::{
        accounts,
        limits::{self, Limited},
        workspace,
        workspace::SharedAccount,
    },
    state::AppState,
    web::locale::RequestLocale,
    web::{
        client_ip::ClientIp,
        current::CurrentPerson,
        form::{Form, FormErrors},
        layout::Layout,
        render::{render_page, see_other},
        session::TypedSession,
    },
};

pub struct AccountView {
    pub plan_name: String,
    pub seats: u32,
    pub advanced_accesses: u32,
    pub sub_accounts: Vec<SubAccountRow>,
}

pub struct SubAccountRow {
    pub id: i64,
    /// How the invite form names it, for its "Share" link.
    pub share_value: String,
    pub name: String,
    pub key_hint: String,
    pub created_on: String,
}

#[derive(Template)]
#[template(path = "account/show.html")]
pub struct AccountPage {
    layout: Layout,
    person_name: String,
    email: String,
    verified: bool,
    account: Option<AccountView>,
    new_sub_account_name: String,
    errors: FormErrors,
    shared_with_me: Vec<SharedAccountView>,
    notifications: db::people::Notifications,
    /// The audit log's records about this person's own access, with every owner.
    own_records: Vec<EventRow>,
}

/// An owner's accounts shared with the signed-in person.
pub struct SharedAccountView {
    pub owner_name: String,
    pub owner_email: String,
    pub accesses: Vec<(String, String)>,
}

/// The accounts shared with the person, under their owners, in the order they were shared.
fn by_owner(l: Locale, shared: Vec<SharedAccount>) -> Vec<SharedAccountView> {
    let mut owners: Vec<SharedAccountView> = Vec::new();
    for access in shared {
        let line = (
            access
                .sub_account_name
                .unwrap_or_else(|| messages::master_account(l)),
            messages::role_name(l, access.role),
        );
        match owners.last_mut() {
            Some(owner) if owner.owner_email == access.owner_email => owner.accesses.push(line),
            _ => owners.push(SharedAccountView {
                owner_name: access.owner_name,
                owner_email: access.owner_email,
                accesses: vec![line],
            }),
        }
    }
    owners
}

fn account_view(l: Locale, account: &Account, sub_accounts: Vec<SubAccount>) -> AccountView {
    let (plan, limits) = crate::services::owner::plan_of(account);
    AccountView {
        plan_name: messages::plan_name(l, plan),
        seats: limits.seats,
        advanced_accesses: limits.advanced_accesses,
        sub_accounts: sub_accounts
            .into_iter()
            .map(|sub| SubAccountRow {
                share_value: AccountRef::sub(account.master_id(), SubAccountId(sub.id)).value(),
                id: sub.id,
                name: sub.name,
                key_hint: sub.api_key_hint,
                created_on: l.date(sub.created_at),
            })
            .collect(),
    }
}

/// The page, with the create-sub-account form as typed and its errors when it was refused.
pub async fn account_page(
    state: &AppState,
    layout: Layout,
    current: &CurrentPerson,
    new_sub_account_name: String,
    errors: FormErrors,
) -> AppResult<HttpResponse> {
    let person = &current.person;
    let workspace::MyAccount {
        sub_accounts,
        shared,
        own_records,
    } = workspace::my_account(state, person, current.account.as_ref()).await?;
    let status = errors.status();
    let l = layout.locale;
    let page = AccountPage {
        layout,
        person_name: person.display_name.clone(),
        email: person.email.clone(),
        verified: person.email_verified_at.is_some(),
        account: current
            .account
            .as_ref()
            .map(|account| account_view(l, account, sub_accounts)),
        new_sub_account_name,
        errors,
        shared_with_me: by_owner(l, shared),
        notifications: notifications_of(person),
        own_records: own_records
            .into_iter()
            .map(|entry| {
                // Who else tried their link is the owner's to know, as is where anyone was.
                let refusal = entry.action.is_some_and(Action::is_refusal);
                let row = event_row(l, &entry, &[]);
                EventRow {
                    ip: String::new(),
                    actor: if refusal {
                        l.t("activity-by-link")
                    } else {
                        row.actor.clone()
                    },
                    ..row
                }
            })
            .collect(),
    };
    Ok(render_page(status, &page))
}

pub async fn show(
    state: web::Data<AppState>,
    person: CurrentPerson,
    layout: Layout,
) -> AppResult<HttpResponse> {
    account_page(
        &state,
        layout,
        &person,
        String::new(),
        FormErrors::default(),
    )
    .await
}

pub async fn resend_verification(
    state: web::Data<AppState>,
    RequestLocale(l): RequestLocale,
    session: TypedSession,
    person: CurrentPerson,
    ClientIp(ip): ClientIp,
    Form(_): Form<EmptyForm>,
) -> AppResult<HttpResponse> {
    if person.person.email_verified_at.is_none() {
        let attempts = vec![
            (Limited::VerificationPerAddress, person.person.email.clone()),
            (Limited::VerificationPerIp, ClientIp(ip).key()),
        ];
        limits::count_all(&state, attempts).await?;
    }
    accounts::resend_verification(&state, &person.person).await?;
    if person.person.email_verified_at.is_none() {
        session.set_flash(&l.t(messages::FLASH_VERIFICATION_SENT))?;
    }
    Ok(see_other("/account"))
}

fn notifications_of(person: &db::people::Person) -> db::people::Notifications {
    db::people::Notifications {
        notify_accepted: person.notify_accepted,
        notify_declined: person.notify_declined,
        notify_access_changed: person.notify_access_changed,
        notify_access_removed: person.notify_access_removed,
    }
}

/// The boxes of My account's Notifications form: a box left unticked is not sent at all.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotificationsForm {
    #[serde(default)]
    notify_accepted: Option<String>,
    #[serde(default)]
    notify_declined: Option<String>,
    #[serde(default)]
    notify_access_changed: Option<String>,
    #[serde(default)]
    notify_access_removed: Option<String>,
}

/// POST /account/notifications. The owner's two boxes are only on the form of someone who owns
/// an account: for anyone else they keep their value.
pub async fn update_notifications(
    state: web::Data<AppState>,
    RequestLocale(l): RequestLocale,
    session: TypedSession,
    current: CurrentPerson,
    Form(form): Form<NotificationsForm>,
) -> AppResult<HttpResponse> {
    let before = notifications_of(&current.person);
    let owns = current.account.is_some();
    let ticked = |field: &Option<String>| field.is_some();
    let notifications = db::people::Notifications {
        notify_accepted: if owns {
            ticked(&form.notify_accepted)
        } else {
            before.notify_accepted
        },
        notify_declined: if owns {
            ticked(&form.notify_declined)
        } else {
            before.notify_declined
        },
        notify_access_changed: ticked(&form.notify_access_changed),
        notify_access_removed: ticked(&form.notify_access_removed),
    };
    let person = current.person.id;
    state
        .db
        .run(move |conn| Ok(db::people::set_notifications(conn, person, &notifications)?))
        .await?;
    session.set_flash(&l.t("notify-saved"))?;
    Ok(see_other("/account#notifications"))
}

/// POST /account/own-account — "Set up an account of your own", for an access-only login: a
/// master account on the Free plan, theirs to use, and what lets them receive an account's
/// ownership.
pub async fn set_up_own_account(
    state: web::Data<AppState>,
    RequestLocale(l): RequestLocale,
    session: TypedSession,
    person: CurrentPerson,
    Form(_): Form<EmptyForm>,
) -> AppResult<HttpResponse> {
    if crate::services::ownership::set_up_own_account(&state, &person.person).await? {
        session.set_flash(&l.t("flash-own-account"))?;
    }
    Ok(see_other("/account"))
}
