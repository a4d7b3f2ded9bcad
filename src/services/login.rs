//! A person's own login: choosing a new password from a mailed link, changing password or
//! address from My account, ending sessions, and removing sign-ups never verified.

use super::accounts::{SigningIn, signing_in};
use crate::{
    db::{self, people::Person, person_links::Purpose},
    domain::{email::EmailAddress, ids::PersonId, name::DisplayName, password::NewPassword},
    error::AppResult,
    i18n::Locale,
    mail::{self, Envelope, Mail},
    services::{
        limits::{self, PasswordTry},
        passwords,
    },
    state::AppState,
};
use std::net::IpAddr;

/// A sign-up never verified within this long is removed, and its address is free again.
pub const UNVERIFIED_KEPT_FOR: chrono::Duration = chrono::Duration::days(7);

/// To a login's address, which has the login's language; English if it never chose one.
fn envelope(recipient: &str) -> Envelope<'_> {
    Envelope {
        recipient,
        master_account_id: None,
        member_id: None,
        locale: Locale::En,
    }
}

/// "Forgot your password?": queues a reset link to the address if it has a login, and nothing
/// otherwise, with the same statement either way: the caller shows the same page, after the
/// same work (R22).
pub async fn request_password_reset(state: &AppState, email: &EmailAddress) -> AppResult<()> {
    let email = email.as_str().to_owned();
    let now = state.settings.clock.now();
    state
        .db
        .run(move |conn| Ok(db::person_links::request_reset(conn, &email, now)?))
        .await?;
    state.outbox.wake();
    Ok(())
}

/// The person a live link of this purpose belongs to, without using it up.
pub async fn link_owner(
    state: &AppState,
    purpose: Purpose,
    token_hash: Vec<u8>,
) -> AppResult<Option<(Person, Option<String>)>> {
    let now = state.settings.clock.now();
    state
        .db
        .run(move |conn| {
            let Some((person_id, new_email)) =
                db::person_links::find_live(conn, purpose, &token_hash, now)?
            else {
                return Ok(None);
            };
            Ok(db::people::find_by_id(conn, person_id)?.map(|person| (person, new_email)))
        })
        .await
}

/// Sets a new password from a reset link, in one transaction: the link used up, the password
/// stored, every session of the person ended; the browser that did it is then signed in afresh.
/// Following the link also proves the address. `None` when the link no longer works.
pub async fn reset_password(
    state: &AppState,
    token_hash: Vec<u8>,
    password: NewPassword,
) -> AppResult<Option<SigningIn>> {
    let now = state.settings.clock.now();
    let password_hash = passwords::hash(state, password.expose().to_owned()).await?;
    state
        .db
        .transaction(move |conn| {
            let Some((person_id, _)) =
                db::person_links::consume(conn, Purpose::PasswordReset, &token_hash, now)?
            else {
                return Ok(None);
            };
            let person =
                db::people::find_by_id(conn, person_id)?.ok_or(diesel::result::Error::NotFound)?;
            // Whoever just proved the mailbox is the rightful person: the failed tries of
            // whoever guessed at the address no longer hold them back.
            limits::forget_password_failures(conn, &person.email)?;
            db::people::set_password(conn, person_id, &password_hash)?;
            db::people::end_links(conn, person_id)?;
            db::sessions::delete_of_person(conn, person_id)?;
            db::people::mark_verified(conn, person_id, now)?;
            signing_in(conn, PersonId(person_id), now).map(Some)
        })
        .await
}

/// Whether `password` is the person's, asked before a change only they may make. Wrong tries
/// count as failed sign-ins: the same limits guard the same secret.
pub async fn check_current_password(
    state: &AppState,
    person: &Person,
    password: String,
    ip: IpAddr,
) -> AppResult<bool> {
    let attempt = PasswordTry::new(&person.email, ip);
    attempt.begin(state).await?;
    let right = passwords::verify(state, password, Some(person.password_hash.clone())).await?;
    if right {
        attempt.succeeded(state).await?;
    }
    Ok(right)
}

/// Changes the password from My account; the current one must be given. Every session of the
/// person ends: the caller renews its own, which then survives as the only one. False when the
/// current password is wrong.
pub async fn change_password(
    state: &AppState,
    person: &Person,
    current: String,
    new: NewPassword,
    ip: IpAddr,
) -> AppResult<bool> {
    if !check_current_password(state, person, current, ip).await? {
        return Ok(false);
    }
    let password_hash = passwords::hash(state, new.expose().to_owned()).await?;
    let person_id = person.id;
    state
        .db
        .transaction(move |conn| {
            db::people::set_password(conn, person_id, &password_hash)?;
            db::people::end_links(conn, person_id)?;
            db::sessions::delete_of_person(conn, person_id)?;
            Ok(true)
        })
        .await
}

/// Why an email change was not started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailChangeRefusal {
    WrongPassword,
    SameAddress,
}

/// Starts moving the login to `new`: a link goes to the new address, and nothing changes until it
/// is followed. An address that already has a login gets no mail, and the page says the same as
/// for any other, so it tells nobody which addresses have logins.
pub async fn request_email_change(
    state: &AppState,
    person: &Person,
    new: &EmailAddress,
    password: String,
    ip: IpAddr,
) -> AppResult<Result<(), EmailChangeRefusal>> {
    let now = state.settings.clock.now();
    if !check_current_password(state, person, password, ip).await? {
        return Ok(Err(EmailChangeRefusal::WrongPassword));
    }
    if new.as_str() == person.email {
        return Ok(Err(EmailChangeRefusal::SameAddress));
    }
    let (person_id, name, new, generation) = (
        person.id,
        person.display_name.clone(),
        new.as_str().to_owned(),
        person.credential_generation,
    );
    let queued = state
        .db
        .transaction(move |conn| {
            if db::people::find_by_email(conn, &new)?.is_some() {
                return Ok(false);
            }
            db::person_links::upsert_pending(
                conn,
                person_id,
                Purpose::EmailChange,
                Some(&new),
                now,
            )?;
            mail::enqueue(
                conn,
                &envelope(&new),
                &Mail::EmailChange {
                    person_id,
                    name,
                    generation,
                },
            )?;
            Ok(true)
        })
        .await?;
    if queued {
        state.outbox.wake();
    }
    Ok(Ok(()))
}

pub enum EmailChangeOutcome {
    Moved,
    LinkDead,
    /// Another login took the address between the request and the link.
    Taken,
}

/// Follows an email change link: the login moves to the new address, verified, and the old
/// address is told, in one transaction.
pub async fn confirm_email_change(
    state: &AppState,
    token_hash: Vec<u8>,
) -> AppResult<EmailChangeOutcome> {
    let now = state.settings.clock.now();
    let outcome = state
        .db
        .transaction(move |conn| {
            let Some((person_id, Some(new_email))) =
                db::person_links::consume(conn, Purpose::EmailChange, &token_hash, now)?
            else {
                return Ok(EmailChangeOutcome::LinkDead);
            };
            let person =
                db::people::find_by_id(conn, person_id)?.ok_or(diesel::result::Error::NotFound)?;
            // In a savepoint: a unique-index refusal must not end the whole transaction.
            let moved = diesel::Connection::transaction(conn, |conn| {
                db::people::set_email(conn, person_id, &new_email, now)
            })?;
            if !moved {
                return Ok(EmailChangeOutcome::Taken);
            }
            // Links sent to the old address, or for an earlier change, die with it.
            db::people::end_links(conn, person_id)?;
            let mail = Mail::EmailChanged {
                name: person.display_name,
                new_email,
            };
            mail::enqueue(conn, &envelope(&person.email), &mail)?;
            Ok(EmailChangeOutcome::Moved)
        })
        .await?;
    if matches!(outcome, EmailChangeOutcome::Moved) {
        state.outbox.wake();
    }
    Ok(outcome)
}

/// "Sign out everywhere": every session of the person ends, this one included, and every link
/// mailed to them dies, since whoever made them sign out may hold one.
pub async fn sign_out_everywhere(state: &AppState, person: PersonId) -> AppResult<()> {
    state
        .db
        .transaction(move |conn| {
            db::people::end_links(conn, person.0)?;
            db::sessions::delete_of_person(conn, person.0)?;
            Ok(())
        })
        .await
}

/// Removes sign-ups never verified for `UNVERIFIED_KEPT_FOR`: an address someone typed and never
/// proved is not kept from its real owner for good.
/// Each is removed in a transaction of its own: one that cannot be (its account has audit
/// records, which nothing deletes) is kept and logged, and the others go.
pub fn remove_never_verified(
    conn: &mut diesel::PgConnection,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<usize> {
    let mut removed = 0;
    for person_id in db::people::never_verified(conn, now - UNVERIFIED_KEPT_FOR)? {
        match diesel::Connection::transaction(conn, |conn| {
            db::people::delete_unverified(conn, person_id)
        }) {
            Ok(rows) => removed += rows,
            Err(e) => tracing::warn!(
                person_id,
                error = %e,
                "a sign-up never verified could not be removed; kept"
            ),
        }
    }
    Ok(removed)
}

/// The name the person goes by, as owners and the people they share with see it.
pub async fn change_name(state: &AppState, person: PersonId, name: &DisplayName) -> AppResult<()> {
    let name = name.as_str().to_owned();
    state
        .db
        .run(move |conn| Ok(db::people::set_display_name(conn, person.0, &name)?))
        .await
        .map(drop)
}
