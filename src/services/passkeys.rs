//! Passkeys (issue 22): WebAuthn credentials as a second factor after the password, and as a
//! sign-in of their own for those who keep one. webauthn-rs does the cryptography and the
//! checks of WebAuthn Level 3 (challenge, origin, relying party, user verification, signature,
//! counter); this module keeps each ceremony's state between its two requests and says what the
//! product makes of the answer.
//!
//! Every ceremony is used once: its state waits in the server-side session and is taken by the
//! request that finishes it, so an answer signed for another challenge, or the same answer
//! again, finds nothing to match.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use webauthn_rs::prelude::{
    DiscoverableAuthentication, Passkey, PasskeyAuthentication, PasskeyRegistration,
    PublicKeyCredential, RegisterPublicKeyCredential, RequestChallengeResponse, Url, Uuid,
    Webauthn, WebauthnBuilder,
};

use super::{
    accounts::SigningIn,
    limits::{self, Limited, PasswordTry},
    login,
    two_factor::{self, SecondStep, new_recovery_codes},
};
use crate::{
    db::{self, passkeys::Listed, people::Person},
    domain::{
        email::EmailAddress,
        ids::PersonId,
        name::PasskeyName,
        passkey::{CEREMONY_SECONDS, MAX_PASSKEYS, can_be_relying_party},
    },
    error::{AppError, AppResult},
    mail::SecondFactorChange,
    state::AppState,
};

/// What authenticators show the passkey under, beside the person's address.
const RELYING_PARTY_NAME: &str = "Account sharing";

/// The relying party this service is, from BASE_URL: its host is the passkeys' scope and its
/// origin the only one whose answers count. `None` when the host is an IP address, which no
/// browser accepts for WebAuthn: passkeys are then not offered.
pub fn relying_party(base_url: &str) -> Option<Webauthn> {
    let origin = Url::parse(base_url).ok()?;
    let host = origin.host_str()?;
    if !can_be_relying_party(host) {
        return None;
    }
    WebauthnBuilder::new(host, &origin)
        .ok()?
        .rp_name(RELYING_PARTY_NAME)
        .build()
        .ok()
}

fn relying_party_of(state: &AppState) -> Option<&Webauthn> {
    state.passkeys.as_deref()
}

/// A ceremony begun and waiting for the browser's answer, in the session.
#[derive(Serialize, Deserialize)]
pub struct Pending {
    ceremony: Ceremony,
    started: DateTime<Utc>,
}

#[derive(Serialize, Deserialize)]
enum Ceremony {
    Registration {
        person: i64,
        user_handle: Vec<u8>,
        state: PasskeyRegistration,
    },
    SecondStep {
        person: i64,
        state: PasskeyAuthentication,
    },
    SignIn {
        state: DiscoverableAuthentication,
    },
}

impl Pending {
    fn new(state: &AppState, ceremony: Ceremony) -> Pending {
        Pending {
            ceremony,
            started: state.settings.clock.now(),
        }
    }

    /// The ceremony, if it is still waiting: a browser's answer after the timeout finds none.
    fn fresh(self, state: &AppState) -> Option<Ceremony> {
        let age = state.settings.clock.now() - self.started;
        (age.num_seconds() <= CEREMONY_SECONDS).then_some(self.ceremony)
    }
}

/// Why a passkey was not added, or did not sign anyone in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// BASE_URL's host is an IP address.
    Unavailable,
    /// No ceremony waits in this session for that answer: never begun, answered already, begun
    /// for something else, or timed out.
    NotWaiting,
    /// The answer does not hold: not a WebAuthn answer, signed for another challenge, origin or
    /// site, without user verification, or by a key that is not one of the person's.
    NotAccepted,
    /// The authenticator holds this passkey for a login already (this one or another).
    AlreadyRegistered,
    /// The person has [`MAX_PASSKEYS`].
    TooMany,
    /// The address signs in through its organisation's provider (single sign-on).
    ThroughProvider,
}

pub async fn find(state: &AppState, person: PersonId, id: i64) -> AppResult<Option<Listed>> {
    state
        .db
        .run(move |conn| Ok(db::passkeys::find(conn, person.0, id)?))
        .await
}

fn to_json<T: Serialize>(value: &T) -> AppResult<serde_json::Value> {
    serde_json::to_value(value)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("passkey JSON: {e}")))
}

fn stored_passkey(value: serde_json::Value) -> AppResult<Passkey> {
    serde_json::from_value(value)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("a stored passkey does not read: {e}")))
}

/// Begins adding a passkey: the options the browser's `navigator.credentials.create` takes,
/// and the ceremony to keep in the session.
pub async fn begin_registration(
    state: &AppState,
    person: &Person,
) -> AppResult<Result<(serde_json::Value, Pending), Refusal>> {
    let Some(webauthn) = relying_party_of(state) else {
        return Ok(Err(Refusal::Unavailable));
    };
    let person_id = person.id;
    let existing = state
        .db
        .run(move |conn| Ok(db::passkeys::stored_of(conn, person_id)?))
        .await?;
    if existing.len() as i64 >= MAX_PASSKEYS {
        return Ok(Err(Refusal::TooMany));
    }
    let user_handle = match existing.first() {
        Some(passkey) => passkey.user_handle.clone(),
        None => {
            let mut handle = [0u8; 16];
            getrandom::fill(&mut handle)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("random: {e}")))?;
            handle.to_vec()
        }
    };
    let exclude = existing
        .into_iter()
        .map(|stored| stored_passkey(stored.passkey).map(|p| p.cred_id().clone()))
        .collect::<AppResult<Vec<_>>>()?;
    let handle = Uuid::from_slice(&user_handle)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("user handle: {e}")))?;
    let (options, registration) = webauthn
        .start_passkey_registration(handle, &person.email, &person.display_name, Some(exclude))
        .map_err(|e| AppError::Internal(anyhow::anyhow!("passkey registration: {e}")))?;
    // Asked to be discoverable, so that it can sign in without the address being typed; an
    // authenticator that cannot keep one still registers (and serves as a second factor).
    let mut options = to_json(&options)?;
    options["publicKey"]["authenticatorSelection"]["residentKey"] = "preferred".into();
    let pending = Pending::new(
        state,
        Ceremony::Registration {
            person: person.id,
            user_handle,
            state: registration,
        },
    );
    Ok(Ok((options, pending)))
}

/// Adds the passkey the browser answered with. Gives the recovery codes, shown once, when it
/// is the person's first second factor: they are the way back in if the device is lost.
pub async fn finish_registration(
    state: &AppState,
    person: &Person,
    name: PasskeyName,
    answer: &str,
    pending: Option<Pending>,
) -> AppResult<Result<Option<Vec<String>>, Refusal>> {
    let Some(webauthn) = relying_party_of(state) else {
        return Ok(Err(Refusal::Unavailable));
    };
    let Some(Ceremony::Registration {
        person: started_by,
        user_handle,
        state: registration,
    }) = pending.and_then(|p| p.fresh(state))
    else {
        return Ok(Err(Refusal::NotWaiting));
    };
    if started_by != person.id {
        return Ok(Err(Refusal::NotWaiting));
    }
    let Ok(answer) = serde_json::from_str::<RegisterPublicKeyCredential>(answer) else {
        return Ok(Err(Refusal::NotAccepted));
    };
    let passkey = match webauthn.finish_passkey_registration(&answer, &registration) {
        Ok(passkey) => passkey,
        Err(error) => {
            tracing::info!(%error, "a passkey registration was not accepted");
            return Ok(Err(Refusal::NotAccepted));
        }
    };
    let credential_id = passkey.cred_id().to_vec();
    let stored = to_json(&passkey)?;
    let (shown, hashes) = new_recovery_codes()?;
    let now = state.settings.clock.now();
    let person_id = person.id;
    let told = person.clone();
    let added = state
        .db
        .transaction(move |conn| {
            if db::passkeys::lock_and_count(conn, person_id)? >= MAX_PASSKEYS {
                return Ok(Err(Refusal::TooMany));
            }
            let first_factor = !db::two_factor::is_on(conn, person_id)?;
            let inserted = db::passkeys::insert(
                conn,
                db::passkeys::NewPasskey {
                    person_id,
                    user_handle: &user_handle,
                    credential_id: &credential_id,
                    name: name.as_str(),
                    passkey: stored,
                    now,
                },
            )?;
            if !inserted {
                return Ok(Err(Refusal::AlreadyRegistered));
            }
            if first_factor {
                db::two_factor::replace_recovery_codes(conn, person_id, &hashes)?;
            }
            let passkey = name.as_str().to_owned();
            two_factor::tell(conn, &told, SecondFactorChange::PasskeyAdded { passkey })?;
            Ok(Ok(first_factor))
        })
        .await?;
    if added.is_ok() {
        state.outbox.wake();
    }
    Ok(added.map(|first_factor| first_factor.then_some(shown)))
}

/// Begins the second step of signing in with one of the person's passkeys; `None` when they
/// have none (or passkeys are not offered here).
pub async fn begin_second_step(
    state: &AppState,
    person: PersonId,
) -> AppResult<Option<(RequestChallengeResponse, Pending)>> {
    let Some(webauthn) = relying_party_of(state) else {
        return Ok(None);
    };
    let stored = state
        .db
        .run(move |conn| Ok(db::passkeys::stored_of(conn, person.0)?))
        .await?;
    if stored.is_empty() {
        return Ok(None);
    }
    let passkeys = stored
        .into_iter()
        .map(|s| stored_passkey(s.passkey))
        .collect::<AppResult<Vec<_>>>()?;
    let (options, authentication) = webauthn
        .start_passkey_authentication(&passkeys)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("passkey authentication: {e}")))?;
    let pending = Pending::new(
        state,
        Ceremony::SecondStep {
            person: person.0,
            state: authentication,
        },
    );
    Ok(Some((options, pending)))
}

/// Whether the person has a passkey, for the second step's page.
pub async fn has_any(state: &AppState, person: PersonId) -> AppResult<bool> {
    if relying_party_of(state).is_none() {
        return Ok(false);
    }
    state
        .db
        .run(move |conn| Ok(db::passkeys::user_handle(conn, person.0)?.is_some()))
        .await
}

/// Checks an assertion against the stored passkey it names, and records its use with the sign-in
/// in one transaction. `None` when it does not hold.
async fn verify_and_record(
    state: &AppState,
    stored: db::passkeys::Stored,
    verify: impl FnOnce(&Passkey) -> Option<webauthn_rs::prelude::AuthenticationResult>,
) -> AppResult<Option<SigningIn>> {
    let mut passkey = stored_passkey(stored.passkey)?;
    let Some(result) = verify(&passkey) else {
        return Ok(None);
    };
    passkey.update_credential(&result);
    let updated = to_json(&passkey)?;
    let now = state.settings.clock.now();
    let (id, person) = (stored.id, PersonId(stored.person_id));
    state
        .db
        .transaction(move |conn| {
            db::passkeys::record_use(conn, id, updated, now)?;
            super::accounts::record_sign_in(conn, person, now)
        })
        .await
        .map(Some)
}

/// The second step of signing in, with a passkey: as `two_factor::verify_second_factor` does
/// with a code, a failed answer counts as a failed password.
pub async fn finish_second_step(
    state: &AppState,
    person_id: PersonId,
    generation: i32,
    answer: &str,
    pending: Option<Pending>,
    ip: IpAddr,
) -> AppResult<SecondStep> {
    let Some(webauthn) = relying_party_of(state) else {
        return Ok(SecondStep::Wrong);
    };
    let ceremony = pending.and_then(|p| p.fresh(state));
    let id = person_id.0;
    let Some(person) = state
        .db
        .run(move |conn| Ok(db::people::find_by_id(conn, id)?))
        .await?
    else {
        return Ok(SecondStep::Expired);
    };
    if person.credential_generation != generation {
        return Ok(SecondStep::Expired);
    }
    let attempt = PasswordTry::new(&person.email, ip);
    attempt.begin(state).await?;
    let Some(Ceremony::SecondStep {
        person: started_for,
        state: authentication,
    }) = ceremony
    else {
        return Ok(SecondStep::Wrong);
    };
    let Ok(answer) = serde_json::from_str::<PublicKeyCredential>(answer) else {
        return Ok(SecondStep::Wrong);
    };
    let credential_id = answer.get_credential_id().to_vec();
    let Some(stored) = state
        .db
        .run(move |conn| Ok(db::passkeys::by_credential(conn, &credential_id)?))
        .await?
        .filter(|stored| stored.person_id == id && started_for == id)
    else {
        return Ok(SecondStep::Wrong);
    };
    let signed_in = verify_and_record(state, stored, |_| {
        webauthn
            .finish_passkey_authentication(&answer, &authentication)
            .inspect_err(|error| tracing::info!(%error, "a passkey answer was not accepted"))
            .ok()
    })
    .await?;
    match signed_in {
        Some(signed_in) => {
            attempt.succeeded(state).await?;
            Ok(SecondStep::SignedIn(signed_in))
        }
        None => Ok(SecondStep::Wrong),
    }
}

/// Begins a sign-in with a passkey alone: the browser offers the passkeys it holds for this
/// site, and the answer says whose it is. Counted per client, as each costs a session.
pub async fn begin_sign_in(
    state: &AppState,
    ip: IpAddr,
) -> AppResult<Result<(RequestChallengeResponse, Pending), Refusal>> {
    let Some(webauthn) = relying_party_of(state) else {
        return Ok(Err(Refusal::Unavailable));
    };
    limits::count_all(state, vec![(Limited::PasskeySignInsPerIp, ip.to_string())]).await?;
    let (mut options, authentication) = webauthn
        .start_discoverable_authentication()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("passkey sign-in: {e}")))?;
    // Started by a button, not offered in the address field's autofill.
    options.mediation = None;
    Ok(Ok((
        options,
        Pending::new(
            state,
            Ceremony::SignIn {
                state: authentication,
            },
        ),
    )))
}

/// Signs in whoever's passkey answered, when it holds. A passkey verifies its holder (a PIN
/// or a fingerprint) and is bound to this site, so no password is asked, nor a second factor.
pub async fn finish_sign_in(
    state: &AppState,
    answer: &str,
    pending: Option<Pending>,
    ip: IpAddr,
) -> AppResult<Result<SigningIn, Refusal>> {
    let Some(webauthn) = relying_party_of(state) else {
        return Ok(Err(Refusal::Unavailable));
    };
    let Some(Ceremony::SignIn {
        state: authentication,
    }) = pending.and_then(|p| p.fresh(state))
    else {
        return Ok(Err(Refusal::NotWaiting));
    };
    let Ok(answer) = serde_json::from_str::<PublicKeyCredential>(answer) else {
        return Ok(Err(Refusal::NotAccepted));
    };
    let Ok((handle, credential_id)) = webauthn.identify_discoverable_authentication(&answer) else {
        return Ok(Err(Refusal::NotAccepted));
    };
    let credential_id = credential_id.to_vec();
    let Some((stored, person)) = state
        .db
        .run(move |conn| {
            let Some(stored) = db::passkeys::by_credential(conn, &credential_id)? else {
                return Ok(None);
            };
            Ok(db::people::find_by_id(conn, stored.person_id)?.map(|person| (stored, person)))
        })
        .await?
        .filter(|(stored, _)| stored.user_handle == handle.as_bytes())
    else {
        return Ok(Err(Refusal::NotAccepted));
    };
    // Where the organisation signs its people in, its provider decides who gets in: a passkey
    // kept from before must not outlive an account the provider closed.
    if let Ok(address) = EmailAddress::parse(&person.email)
        && super::sso::route_for(state, &address).await?.is_some()
    {
        return Ok(Err(Refusal::ThroughProvider));
    }
    let attempt = PasswordTry::new(&person.email, ip);
    attempt.begin(state).await?;
    let signed_in = verify_and_record(state, stored, |passkey| {
        webauthn
            .finish_discoverable_authentication_v2(&answer, authentication, passkey)
            .inspect_err(|error| tracing::info!(%error, "a passkey sign-in was not accepted"))
            .ok()
    })
    .await?;
    match signed_in {
        Some(signed_in) => {
            attempt.succeeded(state).await?;
            Ok(Ok(signed_in))
        }
        None => Ok(Err(Refusal::NotAccepted)),
    }
}

/// How removing a passkey went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    Removed,
    WrongPassword,
    /// Not theirs, or removed already (from another tab).
    Gone,
}

/// Removes one of the person's passkeys, after their current password. Removing the last
/// second factor takes the recovery codes with it. An id that is not theirs is told apart
/// before the password is tried: it costs them no try.
pub async fn remove(
    state: &AppState,
    person: &Person,
    id: i64,
    password: String,
    ip: IpAddr,
) -> AppResult<Removal> {
    let Some(passkey) = find(state, person.person_id(), id).await? else {
        return Ok(Removal::Gone);
    };
    if !login::check_current_password(state, person, password, ip).await? {
        return Ok(Removal::WrongPassword);
    }
    let told = person.clone();
    let removal = state
        .db
        .transaction(move |conn| {
            if !db::passkeys::remove(conn, told.id, id)? {
                return Ok(Removal::Gone);
            }
            db::two_factor::forget_recovery_codes_if_unused(conn, told.id)?;
            let passkey = passkey.name;
            two_factor::tell(conn, &told, SecondFactorChange::PasskeyRemoved { passkey })?;
            Ok(Removal::Removed)
        })
        .await?;
    if removal == Removal::Removed {
        state.outbox.wake();
    }
    Ok(removal)
}
