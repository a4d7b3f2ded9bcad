//! /invitations/accept — the link in an invitation mail (SPEC S8).
//!
//! GET with `?token=` moves the token (as a hash) into the session and redirects to the clean
//! URL (R11). The clean page names the owner and the access offered; accepting is always a POST
//! (R7), by the signed-in person with the invited address (R6), or with a new access-only login.

use actix_web::{HttpResponse, http::StatusCode, web};
use askama::Template;
use serde::Deserialize;

use super::sessions::EmptyForm;
use crate::{
    db,
    domain::{name::DisplayName, password::NewPassword},
    error::AppResult,
    messages, secrets,
    services::invitations::{self, AcceptRefusal, InvitationView},
    state::AppState,
    web::{
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

pub struct AccessOffered {
    account: String,
    role: &'static str,
}

#[derive(Template)]
#[template(path = "invitations/show.html")]
struct InvitationPage {
    layout: Layout,
    errors: FormErrors,
    email: String,
    owner_name: String,
    owner_email: String,
    accesses: Vec<AccessOffered>,
    expires_on: String,
    viewer: Viewer,
    name: String,
}

#[derive(Template)]
#[template(path = "invitations/dead.html")]
struct DeadLinkPage {
    layout: Layout,
}

fn dead_link(state: &AppState, session: &TypedSession) -> AppResult<HttpResponse> {
    session.forget_link_token(LinkKind::Invitation);
    let page = DeadLinkPage {
        layout: Layout::new(session, None, state.dev_mailbox.is_some())?,
    };
    Ok(render_page(StatusCode::GONE, &page))
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
        .run(move |conn| Ok(db::people::find_by_id(conn, id)?))
        .await
}

fn invitation_page(
    state: &AppState,
    session: &TypedSession,
    view: InvitationView,
    person: Option<&db::people::Person>,
    errors: FormErrors,
    name: String,
) -> AppResult<HttpResponse> {
    let viewer = match person {
        Some(person) if person.email == view.email => Viewer::Invitee,
        Some(person) => Viewer::SomeoneElse {
            email: person.email.clone(),
        },
        None if view.has_login => Viewer::HasLogin,
        None => Viewer::NoLogin,
    };
    let status = errors.status();
    let page = InvitationPage {
        layout: Layout::new(
            session,
            person.map(|p| p.display_name.as_str()),
            state.dev_mailbox.is_some(),
        )?,
        errors,
        accesses: view
            .accesses
            .into_iter()
            .map(|(account, role)| AccessOffered {
                account,
                role: messages::role_name(role),
            })
            .collect(),
        expires_on: view.expires_at.format("%-d %B %Y").to_string(),
        email: view.email,
        owner_name: view.owner_name,
        owner_email: view.owner_email,
        viewer,
        name,
    };
    Ok(render_page(status, &page))
}

pub async fn show(
    state: web::Data<AppState>,
    session: TypedSession,
    query: web::Query<LinkQuery>,
) -> AppResult<HttpResponse> {
    if let Some(token) = &query.token {
        if !secrets::looks_like_a_token(token) {
            return dead_link(&state, &session);
        }
        session.hold_link_token(LinkKind::Invitation, token)?;
        return Ok(see_other("/invitations/accept"));
    }
    let Some(token_hash) = session.held_link_token_hash(LinkKind::Invitation) else {
        return dead_link(&state, &session);
    };
    let Some(view) = invitations::find(&state, token_hash).await? else {
        return dead_link(&state, &session);
    };
    let person = signed_in_person(&state, &session).await?;
    invitation_page(
        &state,
        &session,
        view,
        person.as_ref(),
        FormErrors::default(),
        String::new(),
    )
}

pub async fn accept(
    state: web::Data<AppState>,
    session: TypedSession,
    person: CurrentPerson,
    Form(_): Form<EmptyForm>,
) -> AppResult<HttpResponse> {
    let Some(token_hash) = session.held_link_token_hash(LinkKind::Invitation) else {
        return dead_link(&state, &session);
    };
    match invitations::accept(&state, token_hash.clone(), &person.0).await? {
        Ok(()) => accepted(&session),
        Err(AcceptRefusal::WrongPerson | AcceptRefusal::HasLogin) => {
            // The page offers "Sign out and continue"; nothing was accepted.
            let Some(view) = invitations::find(&state, token_hash).await? else {
                return dead_link(&state, &session);
            };
            invitation_page(
                &state,
                &session,
                view,
                Some(&person.0),
                FormErrors::default(),
                String::new(),
            )
        }
        Err(AcceptRefusal::LinkDead) => dead_link(&state, &session),
    }
}

fn accepted(session: &TypedSession) -> AppResult<HttpResponse> {
    session.forget_link_token(LinkKind::Invitation);
    session.set_flash(messages::FLASH_INVITATION_ACCEPTED)?;
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
    session: TypedSession,
    Form(form): Form<NewLoginForm>,
) -> AppResult<HttpResponse> {
    let Some(token_hash) = session.held_link_token_hash(LinkKind::Invitation) else {
        return dead_link(&state, &session);
    };
    let Some(view) = invitations::find(&state, token_hash.clone()).await? else {
        return dead_link(&state, &session);
    };
    let mut errors = FormErrors::default();
    let email = crate::domain::email::EmailAddress::parse(&view.email).ok();
    let name = errors.check(
        "name",
        DisplayName::parse(&form.name),
        messages::display_name_error,
    );
    let password = errors.check(
        "password",
        NewPassword::parse(&form.password, email.as_ref()),
        messages::password_error,
    );
    let (Some(name), Some(password)) = (name, password) else {
        return invitation_page(&state, &session, view, None, errors, form.name);
    };
    match invitations::accept_with_new_login(&state, token_hash.clone(), name, password).await? {
        Ok(person) => {
            session.sign_in(person.id)?;
            accepted(&session)
        }
        Err(AcceptRefusal::HasLogin | AcceptRefusal::WrongPerson) => invitation_page(
            &state,
            &session,
            InvitationView {
                has_login: true,
                ..view
            },
            None,
            FormErrors::default(),
            String::new(),
        ),
        Err(AcceptRefusal::LinkDead) => dead_link(&state, &session),
    }
}
