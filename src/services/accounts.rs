//! Sign-up, sign-in and email verification.

use crate::{
    db,
    db::people::{NewPerson, Person},
    domain::{
        email::EmailAddress, ids::PersonId, name::DisplayName, password::NewPassword, plan::Plan,
    },
    error::AppResult,
    i18n::Locale,
    mail::{self, Envelope, Mail},
    services::{limits::PasswordTry, passwords},
    state::AppState,
};
use std::net::IpAddr;

pub struct SignUp {
    pub email: EmailAddress,
    pub name: DisplayName,
    pub password: NewPassword,
    pub plan: Plan,
    /// The language they signed up in: theirs from now on.
    pub locale: Locale,
}

/// Creates the person, their master account and a pending verification, and queues the link.
/// An address that already has a login gets a warning mail instead and nothing else changes; the
/// caller shows the same page either way (R22), and the password is hashed either way so that
/// both take the same time.
pub async fn sign_up(state: &AppState, command: SignUp) -> AppResult<()> {
    let password_hash = passwords::hash(state, command.password.expose().to_owned()).await?;
    state
        .db
        .transaction(move |conn| {
            let new_person = NewPerson {
                email: command.email.as_str(),
                display_name: command.name.as_str(),
                password_hash: &password_hash,
                locale: Some(command.locale.code()),
            };
            match db::people::insert_if_new(conn, &new_person)? {
                Some(person) => {
                    let account = db::accounts::insert(
                        conn,
                        &db::accounts::NewAccount {
                            owner_id: person.id,
                            plan: command.plan.code(),
                        },
                    )?;
                    db::verifications::upsert_pending(conn, person.id)?;
                    let mail = Mail::VerifyEmail {
                        person_id: person.id,
                        name: person.display_name.clone(),
                        generation: person.credential_generation,
                    };
                    let envelope = Envelope {
                        recipient: &person.email,
                        master_account_id: Some(account.id),
                        member_id: None,
                        locale: command.locale,
                    };
                    mail::enqueue(conn, &envelope, &mail)?;
                }
                None => {
                    let existing = db::people::find_by_email(conn, command.email.as_str())?
                        .ok_or(diesel::result::Error::NotFound)?;
                    let account_id =
                        db::accounts::find_by_owner(conn, existing.id)?.map(|account| account.id);
                    let mail = Mail::SignUpWithExistingAddress {
                        name: existing.display_name,
                    };
                    let envelope = Envelope {
                        recipient: &existing.email,
                        master_account_id: account_id,
                        member_id: None,
                        locale: command.locale,
                    };
                    mail::enqueue(conn, &envelope, &mail)?;
                }
            }
            Ok(())
        })
        .await?;
    state.outbox.wake();
    Ok(())
}

/// Who is signing in, for the session.
#[derive(Debug, Clone, Copy)]
pub struct SigningIn {
    pub person: PersonId,
    pub owns_account: bool,
    /// The language they chose, which their pages take from now on.
    pub locale: Option<Locale>,
    /// They have two-factor authentication on: the password (or the link) was only the first
    /// step, and the session holds nobody until the second (`services::two_factor`). Holds their
    /// credential generation now: a password change or "Sign out everywhere" before the second
    /// step ends it.
    pub second_factor_due: Option<i32>,
}

/// The language a person signing in sees from now on: the one they chose, else the one they
/// signed in with, which is then kept as theirs (for their mail, too).
pub async fn language_after_sign_in(
    state: &AppState,
    signed_in: &SigningIn,
    current: Locale,
) -> AppResult<Locale> {
    if let Some(chosen) = signed_in.locale {
        return Ok(chosen);
    }
    let person = signed_in.person.0;
    state
        .db
        .run(move |conn| {
            Ok(db::people::set_locale_if_unset(
                conn,
                person,
                current.code(),
            )?)
        })
        .await?;
    Ok(current)
}

/// Who is signing in, and whether a second factor is due first; a sign-in that needs none is
/// recorded now.
pub(super) fn signing_in(
    conn: &mut diesel::PgConnection,
    person: PersonId,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<SigningIn> {
    if db::two_factor::is_on(conn, person.0)? {
        return Ok(SigningIn {
            person,
            owns_account: false,
            locale: None,
            second_factor_due: Some(db::people::credential_generation(conn, person.0)?),
        });
    }
    record_sign_in(conn, person, now)
}

/// Records the sign-in, and says whether the person owns an account.
pub(crate) fn record_sign_in(
    conn: &mut diesel::PgConnection,
    person: PersonId,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<SigningIn> {
    let locale = db::people::record_sign_in(conn, person.0, now)?;
    Ok(SigningIn {
        person,
        owns_account: db::accounts::find_by_owner(conn, person.0)?.is_some(),
        locale: locale.as_deref().and_then(Locale::from_code),
        second_factor_due: None,
    })
}

/// The person whose password this is, or `None` for a wrong password and an unknown address
/// alike, after the same amount of work (R22). Failed tries count against the address and the
/// client (`limits::PasswordTry`): past the limit, a 429.
pub async fn authenticate(
    state: &AppState,
    email: &EmailAddress,
    password: String,
    ip: IpAddr,
) -> AppResult<Option<SigningIn>> {
    let attempt = PasswordTry::new(email.as_str(), ip);
    attempt.begin(state).await?;
    let address = email.as_str().to_owned();
    let person = state
        .db
        .run(move |conn| Ok(db::people::find_by_email(conn, &address)?))
        .await?;
    let stored = person.as_ref().map(|person| person.password_hash.clone());
    if !passwords::verify(state, password, stored).await? {
        return Ok(None);
    }
    let Some(person) = person else {
        return Ok(None);
    };
    attempt.succeeded(state).await?;
    let id = person.person_id();
    let now = state.settings.clock.now();
    Ok(Some(
        state.db.run(move |conn| signing_in(conn, id, now)).await?,
    ))
}

/// Uses up a verification link and signs its person in: following the link proved the address
/// is theirs, so the sign-up finishes in their account. `None` for a used, expired, superseded or
/// made-up link.
pub async fn verify_email(state: &AppState, token_hash: Vec<u8>) -> AppResult<Option<SigningIn>> {
    let now = state.settings.clock.now();
    state
        .db
        .transaction(move |conn| {
            let Some(person_id) = db::verifications::consume(conn, &token_hash, now)? else {
                return Ok(None);
            };
            db::people::mark_verified(conn, person_id, now)?;
            signing_in(conn, PersonId(person_id), now).map(Some)
        })
        .await
}

/// Whether a verification link still works, without using it up.
pub async fn verification_link_is_live(state: &AppState, token_hash: Vec<u8>) -> AppResult<bool> {
    let now = state.settings.clock.now();
    state
        .db
        .run(move |conn| Ok(db::verifications::is_live(conn, &token_hash, now)?))
        .await
}

/// Queues a fresh link; the worker's new token replaces the old one, so only the newest works.
pub async fn resend_verification(state: &AppState, person: &Person) -> AppResult<()> {
    if person.email_verified_at.is_some() {
        return Ok(());
    }
    let (person_id, email, name, generation) = (
        person.id,
        person.email.clone(),
        person.display_name.clone(),
        person.credential_generation,
    );
    state
        .db
        .transaction(move |conn| {
            db::verifications::upsert_pending(conn, person_id)?;
            let account_id =
                db::accounts::find_by_owner(conn, person_id)?.map(|account| account.id);
            let envelope = Envelope {
                recipient: &email,
                master_account_id: account_id,
                member_id: None,
                locale: Locale::En,
            };
            let mail = Mail::VerifyEmail {
                person_id,
                name,
                generation,
            };
            mail::enqueue(conn, &envelope, &mail)
        })
        .await?;
    state.outbox.wake();
    Ok(())
}
