//! /ownership — accounts offered to the signed-in person (SPEC S12): accept within 72 hours to
//! become the owner, or decline. The offer is bound to the person, so no link token is needed:
//! whoever is signed in sees only what was offered to them.

use actix_web::{HttpResponse, http::StatusCode, web};
use askama::Template;

use super::sessions::EmptyForm;
use crate::web::filters;
use crate::{
    domain::ids::{AccountRef, MasterAccountId},
    error::AppResult,
    services::ownership::{self, AcceptRefusal},
    state::AppState,
    web::{
        client_ip::ClientIp,
        current::CurrentPerson,
        form::Form,
        layout::Layout,
        render::{render_page, see_other},
        session::TypedSession,
    },
};

pub struct OfferView {
    pub account_id: i64,
    pub owner_name: String,
    pub owner_email: String,
    pub until: String,
}

#[derive(Template)]
#[template(path = "ownership/index.html")]
struct OwnershipPage {
    layout: Layout,
    offers: Vec<OfferView>,
    /// The person has no account of their own: they must set one up before accepting.
    access_only: bool,
    /// Why the last press did not work, if it did not.
    problem: Option<String>,
}

async fn page(
    state: &AppState,
    current: &CurrentPerson,
    layout: Layout,
    problem: Option<String>,
) -> AppResult<HttpResponse> {
    let l = layout.locale;
    let offers = ownership::offers_to(state, &current.person)
        .await?
        .into_iter()
        .map(|(account_id, owner_name, owner_email, until)| OfferView {
            account_id,
            owner_name,
            owner_email,
            until: l.date_time(until),
        })
        .collect();
    let status = if problem.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    let page = OwnershipPage {
        layout,
        offers,
        access_only: current.account.is_none(),
        problem,
    };
    Ok(render_page(status, &page))
}

pub async fn index(
    state: web::Data<AppState>,
    current: CurrentPerson,
    layout: Layout,
) -> AppResult<HttpResponse> {
    page(&state, &current, layout, None).await
}

pub async fn accept(
    state: web::Data<AppState>,
    session: TypedSession,
    current: CurrentPerson,
    layout: Layout,
    ip: ClientIp,
    aid: web::Path<i64>,
    Form(_): Form<EmptyForm>,
) -> AppResult<HttpResponse> {
    let master = MasterAccountId(*aid);
    let l = layout.locale;
    match ownership::accept(&state, &current.person, master, Some(ip.0)).await? {
        Ok(()) => {
            // Their privileges grew: a new session key, as on sign-in and accepting an invitation,
            // so a key planted before is worth nothing now (R18). Then straight into the account
            // they now own.
            session.renew()?;
            session.set_current_account(AccountRef::master(master))?;
            session.set_flash(&l.t("flash-ownership-accepted"))?;
            Ok(see_other("/sharing"))
        }
        Err(refusal) => {
            let problem = l.t(match refusal {
                AcceptRefusal::NoLongerActive => "ownership-no-longer-active",
                AcceptRefusal::AccessOnly => "ownership-access-only",
            });
            page(&state, &current, layout, Some(problem)).await
        }
    }
}

pub async fn decline(
    state: web::Data<AppState>,
    session: TypedSession,
    current: CurrentPerson,
    layout: Layout,
    aid: web::Path<i64>,
    Form(_): Form<EmptyForm>,
) -> AppResult<HttpResponse> {
    ownership::decline(&state, &current.person, MasterAccountId(*aid)).await?;
    session.set_flash(&layout.t("flash-ownership-declined"))?;
    Ok(see_other("/ownership"))
}
