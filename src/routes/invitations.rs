//! /invitations/accept — the link in an invitation mail (SPEC S8).
//!
//! GET with `?token=` moves the token (as a hash) into the session and redirects to the clean
//! URL (R11). The clean page names the owner and the access offered; accepting is always a POST
//! (R7), by the signed-in person with the invited address (R6), or with a new access-only login.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use askama::Template;
use serde::Deserialize;

use super::sessions::EmptyForm;
use crate::web::filters;
use crate::{
    db,
    domain::{name::DisplayName, password::NewPassword},
    error::AppResult,
    i18n::Locale,
    messages::{self, AccessDescription},
    secrets,
    services::{
        invitations::{self, AcceptRefusal, InvitationView},
        limits::{self, Limited},
    },
    state::AppState,
    web::{
        client_ip::ClientIp,
        current::CurrentPerson,
        form::{Form, FormErrors},
        layout::Layout,
        render::{render_page, see_other},
        session::{LinkKind, TypedSession},
    },
};

#[derive(Deserialize)]
pub struct LinkQuery {
    token: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewLoginForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
}

/// Who is looking at the invitation, which decides what the page offers.
pub enum Viewer {
    /// Signed in with the invited address: one click accepts.
    Invitee,
    /// Signed in with another address.
    SomeoneElse { email: String },
    /// Not signed in, and the address has a login: sign in first.
    HasLogin,
    /// Not signed in, and the address has no login: create an access-only one.
    NoLogin,
}

#[derive(Template)]
#[template(path = "invitations/show.html")]
struct InvitationPage {
    layout: Layout,
    errors: FormErrors,
    email: String,
    /// The invited address as "Sign in to accept" carries it to the sign-in form.
    email_in_link: String,
    owner_name: String,
    owner_email: String,
    accesses: Vec<AccessDescription>,
    expires_on: String,
    viewer: Viewer,
    name: String,
}

#[derive(Template)]
#[template(path = "invitations/dead.html")]
struct DeadLinkPage {
    layout: Layout,
}

#[derive(Template)]
#[template(path = "invitations/decline.html")]
struct DeclinePage {
    layout: Layout,
    owner_name: String,
    email: String,
}

fn dead_link(layout: Layout, session: &TypedSession) -> HttpResponse {
    session.forget_link_token(LinkKind::Invitation);
    let layout = layout.for_invitee();
    render_page(StatusCode::GONE, &DeadLinkPage { layout })
}

async fn signed_in_person(
    state: &AppState,
    session: &TypedSession,
) -> AppResult<Option<db::people::Person>> {
    let Some(id) = session.person_id() else {
        return Ok(None);
    };
    state
        .db
        .run(move |conn| Ok(db::people::find_by_id(conn, id.0)?))
        .await
}

fn invitation_page(
    layout: Layout,
    view: InvitationView,
    person: Option<&db::people::Person>,
    errors: FormErrors,
    name: String,
) -> HttpResponse {
    let viewer = match person {
        Some(person) if person.email == view.email => Viewer::Invitee,
        Some(person) => Viewer::SomeoneElse {
            email: person.email.clone(),
        },
        None if view.has_login => Viewer::HasLogin,
        None => Viewer::NoLogin,
    };
    let status = errors.status();
    let names = &view.sub_accounts;
    let l = layout.locale;
    let page = InvitationPage {
        layout: layout.for_invitee(),
        errors,
        accesses: messages::describe_accesses(
            l,
            &view.grants,
            |sub| {
                names
                    .iter()
                    .find(|(id, _)| *id == sub)
                    .map_or("", |(_, name)| name.as_str())
            },
            names.len(),
        ),
        expires_on: l.date_time(view.expires_at),
        email_in_link: super::query_value(&view.email),
        email: view.email,
        owner_name: view.owner_name,
        owner_email: view.owner_email,
        viewer,
        name,
    };
    render_page(status, &page)
}

pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: TypedSession,
    ip: ClientIp,
    query: web::Query<LinkQuery>,
) -> AppResult<HttpResponse> {
    if let Some(token) = &query.token {
        if !secrets::looks_like_a_token(token) {
            return Ok(dead_link(Layout::of(&req)?, &session));
        }
        let hash = secrets::token_hash(token);
        // A made-up token is answered without keeping anything: a crawler fills no table.
        if !invitations::note_opened_link(&state, hash, session.person_id(), ip.0).await? {
            return Ok(dead_link(Layout::of(&req)?, &session));
        }
        session.hold_link_token(LinkKind::Invitation, token)?;
        return Ok(see_other("/invitations/accept"));
    }
    let layout = Layout::of(&req)?;
    let Some(token_hash) = session.held_link_token_hash(LinkKind::Invitation)? else {
        return Ok(dead_link(layout, &session));
    };
    let Some(view) = invitations::find(&state, token_hash).await? else {
        return Ok(dead_link(layout, &session));
    };
    let person = signed_in_person(&state, &session).await?;
    Ok(invitation_page(
        layout,
        view,
        person.as_ref(),
        FormErrors::default(),
        String::new(),
    ))
}

pub async fn accept(
    state: web::Data<AppState>,
    session: TypedSession,
    current: CurrentPerson,
    layout: Layout,
    ip: ClientIp,
    Form(_): Form<EmptyForm>,
) -> AppResult<HttpResponse> {
    let Some(token_hash) = session.held_link_token_hash(LinkKind::Invitation)? else {
        return Ok(dead_link(layout, &session));
    };
    count_attempt(&state, &token_hash, ip).await?;
    match invitations::accept(&state, token_hash.clone(), &current.person, Some(ip.0)).await? {
        Ok(()) => {
            session.renew()?;
            accepted(&session, layout.locale)
        }
        Err(AcceptRefusal::WrongPerson | AcceptRefusal::HasLogin) => {
            // The page offers "Sign out and continue"; nothing was accepted.
            let Some(view) = invitations::find(&state, token_hash).await? else {
                return Ok(dead_link(layout, &session));
            };
            Ok(invitation_page(
                layout,
                view,
                Some(&current.person),
                FormErrors::default(),
                String::new(),
            ))
        }
        Err(AcceptRefusal::LinkDead) => Ok(dead_link(layout, &session)),
        Err(AcceptRefusal::AlreadyHasAccess) => already_has_access(&session, layout.locale),
    }
}

/// Counts an attempt to use the link in the session, per link and per IP (R23): a link or an
/// address that keeps trying is stopped for a while.
async fn count_attempt(state: &AppState, token_hash: &[u8], ip: ClientIp) -> AppResult<()> {
    let link: String = token_hash
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let attempts = vec![
        (Limited::AcceptPerLink, link),
        (Limited::AcceptPerIp, ip.key()),
    ];
    limits::count_all(state, attempts).await
}

/// Straight into the accounts: with one, the switcher goes on into it.
fn accepted(session: &TypedSession, l: Locale) -> AppResult<HttpResponse> {
    session.forget_link_token(LinkKind::Invitation);
    session.set_flash(&l.t(messages::FLASH_INVITATION_ACCEPTED))?;
    Ok(see_other("/accounts"))
}

/// Invited again at an address the login moved to: it already has its access, which stays as it
/// is; the invitation is used up.
fn already_has_access(session: &TypedSession, l: Locale) -> AppResult<HttpResponse> {
    session.forget_link_token(LinkKind::Invitation);
    session.set_flash(&l.t(messages::FLASH_ALREADY_HAS_ACCESS))?;
    Ok(see_other("/accounts"))
}

/// "Sign out and continue": the invitation stays in view for whoever signs in next.
pub async fn switch_person(
    session: TypedSession,
    Form(_): Form<EmptyForm>,
) -> AppResult<HttpResponse> {
    session.sign_out_keeping_invitation()?;
    Ok(see_other("/invitations/accept"))
}

pub async fn accept_with_new_login(
    state: web::Data<AppState>,
    layout: Layout,
    session: TypedSession,
    ip: ClientIp,
    Form(form): Form<NewLoginForm>,
) -> AppResult<HttpResponse> {
    let Some(token_hash) = session.held_link_token_hash(LinkKind::Invitation)? else {
        return Ok(dead_link(layout, &session));
    };
    let Some(view) = invitations::find(&state, token_hash.clone()).await? else {
        return Ok(dead_link(layout, &session));
    };
    let mut errors = FormErrors::default();
    let email = crate::domain::email::EmailAddress::parse(&view.email).ok();
    let name = errors.check("name", DisplayName::parse(&form.name), |e| {
        messages::display_name_error(layout.locale, e)
    });
    let password = errors.check(
        "password",
        NewPassword::parse(&form.password, email.as_ref()),
        |e| messages::password_error(layout.locale, e),
    );
    let (Some(name), Some(password)) = (name, password) else {
        return Ok(invitation_page(layout, view, None, errors, form.name));
    };
    // Counted once the form is valid: a mistyped form costs nothing and changes nothing.
    count_attempt(&state, &token_hash, ip).await?;
    let attempt =
        invitations::accept_with_new_login(&state, token_hash.clone(), name, password, Some(ip.0));
    match attempt.await? {
        Ok(person) => {
            session.sign_in(person.person_id(), false)?;
            accepted(&session, layout.locale)
        }
        Err(AcceptRefusal::HasLogin | AcceptRefusal::WrongPerson) => Ok(invitation_page(
            layout,
            InvitationView {
                has_login: true,
                ..view
            },
            None,
            FormErrors::default(),
            String::new(),
        )),
        Err(AcceptRefusal::LinkDead) => Ok(dead_link(layout, &session)),
        Err(AcceptRefusal::AlreadyHasAccess) => already_has_access(&session, layout.locale),
    }
}

/// "Decline" asks first (UX.md rule 12): the invitation is then deleted for good.
pub async fn confirm_decline(
    state: web::Data<AppState>,
    layout: Layout,
    session: TypedSession,
) -> AppResult<HttpResponse> {
    let Some(token_hash) = session.held_link_token_hash(LinkKind::Invitation)? else {
        return Ok(dead_link(layout, &session));
    };
    let Some(view) = invitations::find(&state, token_hash).await? else {
        return Ok(dead_link(layout, &session));
    };
    let page = DeclinePage {
        layout: layout.for_invitee(),
        owner_name: view.owner_name,
        email: view.email,
    };
    Ok(render_page(StatusCode::OK, &page))
}

/// Declining deletes the invitation, frees its seat, and tells the owner.
pub async fn decline(
    state: web::Data<AppState>,
    layout: Layout,
    session: TypedSession,
    ip: ClientIp,
    Form(_): Form<EmptyForm>,
) -> AppResult<HttpResponse> {
    let Some(token_hash) = session.held_link_token_hash(LinkKind::Invitation)? else {
        return Ok(dead_link(layout, &session));
    };
    count_attempt(&state, &token_hash, ip).await?;
    if !invitations::decline(&state, token_hash, Some(ip.0)).await? {
        return Ok(dead_link(layout, &session));
    }
    session.forget_link_token(LinkKind::Invitation);
    session.set_flash(&layout.t(messages::FLASH_INVITATION_DECLINED))?;
    Ok(see_other("/invitations/declined"))
}

#[derive(Template)]
#[template(path = "invitations/declined.html")]
struct DeclinedPage {
    layout: Layout,
}

/// Where declining lands: the flash says it is done; nothing else to do here.
pub async fn declined(layout: Layout) -> AppResult<HttpResponse> {
    Ok(render_page(
        StatusCode::OK,
        &DeclinedPage {
            layout: layout.for_invitee(),
        },
    ))
}
