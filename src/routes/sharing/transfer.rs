//! /sharing/transfer — "Transfer ownership" (SPEC S12): the owner chooses an Active person with
//! an account of their own and confirms with their password; the offer can be cancelled until
//! it is accepted.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::web::filters;
use crate::{
    domain::email::EmailAddress,
    error::AppResult,
    i18n::Locale,
    messages,
    routes::other_account,
    services::{
        login,
        owner::Owner,
        ownership::{self, OfferRefusal},
    },
    state::AppState,
    web::{
        client_ip::ClientIp,
        current::{CurrentOwner, CurrentPerson},
        form::{Form, FormErrors},
        layout::Layout,
        locale::locale_of,
        render::{render_page, see_other},
        session::TypedSession,
    },
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    current_password: String,
    /// The master account the form was shown for.
    #[serde(default)]
    for_account: Option<String>,
}

/// Cancelling an offer: only the account it was shown for.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CancelForm {
    #[serde(default)]
    for_account: Option<String>,
}

#[derive(Template)]
#[template(path = "sharing/transfer.html")]
struct TransferPage {
    layout: Layout,
    for_account: i64,
    errors: FormErrors,
    email: String,
    /// The offer waiting to be accepted: to whom, until when.
    pending: Option<(String, String)>,
}

async fn page(
    state: &AppState,
    owner: &Owner,
    layout: Layout,
    errors: FormErrors,
    email: String,
) -> AppResult<HttpResponse> {
    let l = layout.locale;
    let pending = ownership::pending(state, owner)
        .await?
        .map(|(to, until)| (to, l.date_time(until)));
    let status = errors.status();
    let page = TransferPage {
        layout,
        for_account: owner.master().0,
        errors,
        email,
        pending,
    };
    Ok(render_page(status, &page))
}

pub async fn show(
    state: web::Data<AppState>,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
) -> AppResult<HttpResponse> {
    page(&state, &owner, layout, FormErrors::default(), String::new()).await
}

fn refusal_words(l: Locale, refusal: OfferRefusal, email: &str) -> String {
    match refusal {
        OfferRefusal::NotAMember => l.tr1("transfer-not-a-member", "email", email),
        OfferRefusal::NotActive => l.tr1("transfer-not-active", "email", email),
        OfferRefusal::AccessOnly => l.tr1("transfer-access-only", "email", email),
    }
}

pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: TypedSession,
    current: CurrentPerson,
    layout: Layout,
    ip: ClientIp,
    Form(form): Form<TransferForm>,
) -> AppResult<HttpResponse> {
    let owner = current.as_owner(locale_of(&req), ip.0)?;
    let back = "/sharing/transfer";
    if let Some(page) = other_account::refusal(&layout, &owner, form.for_account.as_deref(), back)?
    {
        return Ok(page);
    }
    let l = layout.locale;
    let mut errors = FormErrors::default();
    let email = errors.check("email", EmailAddress::parse(&form.email), |e| {
        messages::email_error(l, e)
    });
    if form.current_password.is_empty() {
        errors.add("current_password", l.t(messages::ENTER_PASSWORD));
    }
    if let (Some(email), true) = (email, errors.is_empty()) {
        if !login::check_current_password(&state, &current.person, form.current_password, ip.0)
            .await?
        {
            errors.add("current_password", l.t(messages::WRONG_CURRENT_PASSWORD));
        } else {
            match ownership::offer(&state, &owner, email.as_str().to_owned()).await? {
                Ok(()) => {
                    session.set_flash(&l.tr1("flash-transfer-offered", "email", email.as_str()))?;
                    return Ok(see_other("/sharing/transfer"));
                }
                Err(refusal) => errors.add("email", refusal_words(l, refusal, email.as_str())),
            }
        }
    }
    page(&state, &owner, layout, errors, form.email).await
}

pub async fn cancel(
    state: web::Data<AppState>,
    session: TypedSession,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
    Form(form): Form<CancelForm>,
) -> AppResult<HttpResponse> {
    let back = "/sharing/transfer";
    if let Some(page) = other_account::refusal(&layout, &owner, form.for_account.as_deref(), back)?
    {
        return Ok(page);
    }
    if ownership::cancel(&state, &owner).await? {
        session.set_flash(&layout.t("flash-transfer-cancelled"))?;
    }
    Ok(see_other("/sharing/transfer"))
}
