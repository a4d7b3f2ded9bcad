//! Two-factor authentication (issue 22): setting up an authenticator app, the recovery codes,
//! and the second step of signing in. Every code typed counts in the same limits as passwords
//! (`limits::PasswordTry`): the second factor guards the same door.

use std::net::IpAddr;

use chrono::{DateTime, Utc};

use super::{accounts::SigningIn, audit, limits::PasswordTry, login, owner::Owner};
use crate::{
    db::{self, people::Person},
    domain::{
        audit::{Action, State},
        ids::PersonId,
        two_factor::{self, RECOVERY_CODE_BYTES, RECOVERY_CODES, SEED_BYTES, SecondFactor},
    },
    error::{AppError, AppResult},
    mail::{self, Mail, SecondFactorChange},
    secrets,
    state::AppState,
};

/// The name authenticator apps list the codes under.
pub const ISSUER: &str = "Account sharing";

/// Where a person's authenticator app stands, for My account.
pub enum Status {
    Off,
    /// Being set up: what the app needs, shown until a code from it confirms it.
    SettingUp(Enrolment),
    On {
        since: DateTime<Utc>,
    },
}

/// A person's second factors, for My account.
pub struct Overview {
    pub app: Status,
    pub recovery_codes_left: i64,
    pub passkeys: Vec<db::passkeys::Listed>,
}

impl Overview {
    /// Whether signing in asks for a second factor: the app, or a passkey.
    pub fn is_on(&self) -> bool {
        matches!(self.app, Status::On { .. }) || !self.passkeys.is_empty()
    }
}

/// What an authenticator app is given: the `otpauth://` URI (the QR code) and the same seed
/// as text, for those who cannot scan.
pub struct Enrolment {
    pub uri: String,
    pub secret: String,
}

/// The seed is sealed with the person's id as context: a row copied to another person does not
/// open there.
fn context(person_id: i64) -> [u8; 8] {
    person_id.to_be_bytes()
}

/// The seed, or `None` when it does not open: sealed under another SESSION_KEY (the key was
/// changed, or a backup restored beside another one). Logged, and then treated as no code
/// matching; a recovery code still works, and the person can set the app up again.
fn open_seed(state: &AppState, person_id: i64, sealed: &[u8]) -> Option<Vec<u8>> {
    let seed = state.sealer.open(sealed, &context(person_id));
    if seed.is_none() {
        tracing::error!(
            person_id,
            "a TOTP key does not open: SESSION_KEY changed since it was sealed"
        );
    }
    seed
}

pub async fn overview(state: &AppState, person: &Person) -> AppResult<Overview> {
    let person_id = person.id;
    let (found, recovery_codes_left, passkeys) = state
        .db
        .run(move |conn| Ok(db::two_factor::overview(conn, person_id)?))
        .await?;
    let app = match found {
        None => Status::Off,
        Some(a) => match a.confirmed_at {
            Some(since) => Status::On { since },
            None => match open_seed(state, person_id, &a.sealed_secret) {
                // Begun under another key: shown as off, and setting up starts afresh.
                None => Status::Off,
                Some(seed) => {
                    let totp = two_factor::authenticator(seed, ISSUER, &person.email);
                    Status::SettingUp(Enrolment {
                        uri: totp
                            .to_url()
                            .map_err(|e| AppError::Internal(anyhow::anyhow!("otpauth URI: {e}")))?,
                        secret: totp.secret().to_base32(),
                    })
                }
            },
        },
    };
    Ok(Overview {
        app,
        recovery_codes_left,
        passkeys,
    })
}

/// A new seed for the person's app; false when two-factor authentication is already on.
pub async fn begin_setup(state: &AppState, person: PersonId) -> AppResult<bool> {
    let mut seed = [0u8; SEED_BYTES];
    getrandom::fill(&mut seed).map_err(|e| AppError::Internal(anyhow::anyhow!("random: {e}")))?;
    let sealed = state.sealer.seal(&seed, &context(person.0));
    let now = state.settings.clock.now();
    state
        .db
        .run(move |conn| Ok(db::two_factor::begin(conn, person.0, &sealed, now)?))
        .await
}

/// Ten new recovery codes, as shown once, and the hashes that are stored.
pub(super) fn new_recovery_codes() -> AppResult<(Vec<String>, Vec<Vec<u8>>)> {
    let mut shown = Vec::with_capacity(RECOVERY_CODES);
    let mut hashes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let mut random = [0u8; RECOVERY_CODE_BYTES];
        getrandom::fill(&mut random)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("random: {e}")))?;
        let code = two_factor::recovery_code(&random);
        hashes.push(secrets::token_hash(&two_factor::recovery_code_key(&code)));
        shown.push(code);
    }
    Ok((shown, hashes))
}

/// Tells the person, inside the transaction that makes the change, that their second factors
/// changed: mailed if and only if it commits.
pub(super) fn tell(
    conn: &mut diesel::PgConnection,
    person: &Person,
    change: SecondFactorChange,
) -> AppResult<()> {
    let envelope = mail::Envelope {
        recipient: &person.email,
        master_account_id: None,
        member_id: None,
        locale: crate::i18n::Locale::default(),
    };
    let told = Mail::SecondFactorChanged {
        name: person.display_name.clone(),
        change,
    };
    mail::enqueue(conn, &envelope, &told)
}

/// The unix time the codes are checked at: the service's clock, which tests move.
fn unix_now(state: &AppState) -> u64 {
    state.settings.clock.now().timestamp().max(0) as u64
}

/// Why a code did not turn two-factor authentication on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetupRefusal {
    /// Not the app's code now.
    WrongCode,
    /// Nothing is being set up (finished in another tab, or never started).
    NotSettingUp,
}

/// Turns two-factor authentication on with a code from the app, which proves the app has the
/// seed; gives the recovery codes, shown once. Wrong codes count as failed sign-ins.
pub async fn confirm_setup(
    state: &AppState,
    person: &Person,
    code: &str,
    ip: IpAddr,
) -> AppResult<Result<Vec<String>, SetupRefusal>> {
    let attempt = PasswordTry::new(&person.email, ip);
    attempt.begin(state).await?;
    let person_id = person.id;
    let Some(authenticator) = state
        .db
        .run(move |conn| Ok(db::two_factor::find(conn, person_id)?))
        .await?
        .filter(|a| a.confirmed_at.is_none())
    else {
        attempt.succeeded(state).await?;
        return Ok(Err(SetupRefusal::NotSettingUp));
    };
    let Some(seed) = open_seed(state, person_id, &authenticator.sealed_secret) else {
        attempt.succeeded(state).await?;
        return Ok(Err(SetupRefusal::NotSettingUp));
    };
    let totp = two_factor::authenticator(seed, ISSUER, &person.email);
    let Some(step) = two_factor::accepted_step(&totp, code, unix_now(state), 0) else {
        return Ok(Err(SetupRefusal::WrongCode));
    };
    attempt.succeeded(state).await?;
    let (shown, hashes) = new_recovery_codes()?;
    let now = state.settings.clock.now();
    let told = person.clone();
    let confirmed = state
        .db
        .transaction(move |conn| {
            let confirmed = db::two_factor::confirm(conn, person_id, step as i64, &hashes, now)?;
            if confirmed {
                tell(conn, &told, SecondFactorChange::AppTurnedOn)?;
            }
            Ok(confirmed)
        })
        .await?;
    if confirmed {
        state.outbox.wake();
    }
    Ok(if confirmed {
        Ok(shown)
    } else {
        Err(SetupRefusal::NotSettingUp)
    })
}

/// How the second step of signing in went.
pub enum SecondStep {
    SignedIn(SigningIn),
    /// Not the app's code now, used already, or not a recovery code of theirs.
    Wrong,
    /// Their password changed, or they signed out everywhere, since the first step; or they
    /// no longer exist.
    Expired,
}

/// The second step of signing in: whether `factor` is the person's authenticator code, unused,
/// or one of their recovery codes, which it then uses up. When it is, the sign-in is recorded
/// and the person is who the session now holds.
pub async fn verify_second_factor(
    state: &AppState,
    person_id: PersonId,
    generation: i32,
    factor: &SecondFactor,
    ip: IpAddr,
) -> AppResult<SecondStep> {
    let id = person_id.0;
    let Some((person, authenticator)) = state
        .db
        .run(move |conn| {
            let Some(person) = db::people::find_by_id(conn, id)? else {
                return Ok(None);
            };
            Ok(Some((person, db::two_factor::find(conn, id)?)))
        })
        .await?
    else {
        return Ok(SecondStep::Expired);
    };
    if person.credential_generation != generation {
        return Ok(SecondStep::Expired);
    }
    let attempt = PasswordTry::new(&person.email, ip);
    attempt.begin(state).await?;
    let now = state.settings.clock.now();
    let right = match factor {
        SecondFactor::Code(code) => {
            // Only an app turned on gives codes; someone with passkeys alone has none.
            let authenticator = authenticator.filter(|a| a.confirmed_at.is_some());
            let step = authenticator.and_then(|authenticator| {
                let seed = open_seed(state, id, &authenticator.sealed_secret)?;
                let totp = two_factor::authenticator(seed, ISSUER, &person.email);
                two_factor::accepted_step(
                    &totp,
                    code,
                    unix_now(state),
                    authenticator.last_step.max(0) as u64,
                )
            });
            match step {
                Some(step) => {
                    state
                        .db
                        .run(move |conn| Ok(db::two_factor::use_step(conn, id, step as i64)?))
                        .await?
                }
                None => false,
            }
        }
        SecondFactor::RecoveryCode(key) => {
            let hash = secrets::token_hash(key);
            state
                .db
                .run(move |conn| Ok(db::two_factor::use_recovery_code(conn, id, &hash, now)?))
                .await?
        }
    };
    if !right {
        return Ok(SecondStep::Wrong);
    }
    attempt.succeeded(state).await?;
    state
        .db
        .run(move |conn| super::accounts::record_sign_in(conn, person_id, now))
        .await
        .map(SecondStep::SignedIn)
}

/// Turns two-factor authentication off, after the current password: the authenticator and the
/// recovery codes go. False when the password is wrong.
pub async fn turn_off(
    state: &AppState,
    person: &Person,
    password: String,
    ip: IpAddr,
) -> AppResult<bool> {
    if !login::check_current_password(state, person, password, ip).await? {
        return Ok(false);
    }
    let told = person.clone();
    let removed = state
        .db
        .transaction(move |conn| {
            let removed = db::two_factor::remove(conn, told.id)?;
            if removed {
                tell(conn, &told, SecondFactorChange::AppTurnedOff)?;
            }
            Ok(removed)
        })
        .await?;
    if removed {
        state.outbox.wake();
    }
    Ok(true)
}

/// Ten new recovery codes in place of the old ones, after the current password. `None` when the
/// password is wrong or two-factor authentication is off.
pub async fn replace_recovery_codes(
    state: &AppState,
    person: &Person,
    password: String,
    ip: IpAddr,
) -> AppResult<Option<Vec<String>>> {
    if !login::check_current_password(state, person, password, ip).await? {
        return Ok(None);
    }
    let (shown, hashes) = new_recovery_codes()?;
    let person_id = person.id;
    let replaced = state
        .db
        .transaction(move |conn| {
            if !db::two_factor::is_on(conn, person_id)? {
                return Ok(false);
            }
            db::two_factor::replace_recovery_codes(conn, person_id, &hashes)?;
            Ok(true)
        })
        .await?;
    Ok(replaced.then_some(shown))
}

/// The owner's "Require two-factor authentication" setting, with who it would hold back.
pub struct Requirement {
    pub since: Option<DateTime<Utc>>,
    /// People who accepted an access.
    pub members: i64,
    /// Of those, how many have no second factor: asked to set one up, and shut out until then.
    pub members_without: i64,
    /// Whether the owner has one: they must before requiring it of others.
    pub owner_has_one: bool,
}

pub async fn requirement(state: &AppState, owner: &Owner) -> AppResult<Requirement> {
    let (master, person) = (owner.master().0, owner.person_id.0);
    let since = owner.account.require_two_factor_since;
    let (members, members_without, owner_has_one) = state
        .db
        .run(move |conn| Ok(db::two_factor::members_without(conn, master, person)?))
        .await?;
    Ok(Requirement {
        since,
        members,
        members_without,
        owner_has_one,
    })
}

/// Why the requirement was not turned on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequireRefusal {
    /// The owner has no second factor of their own yet.
    OwnerHasNone,
}

/// Requires a second factor of everyone with access to the owner's accounts, or stops; a
/// change is recorded in the audit log in the same transaction.
pub async fn set_requirement(
    state: &AppState,
    owner: &Owner,
    required: bool,
) -> AppResult<Result<(), RequireRefusal>> {
    let (master, person) = (owner.master(), owner.person_id.0);
    let actor = owner.actor();
    let now = state.settings.clock.now();
    state
        .db
        .transaction(move |conn| {
            if required && !db::two_factor::is_on(conn, person)? {
                return Ok(Err(RequireRefusal::OwnerHasNone));
            }
            if db::two_factor::set_requirement(conn, master.0, required, now)? {
                audit::record(
                    conn,
                    master,
                    &actor,
                    Action::TwoFactorRequirementChanged,
                    None,
                    Some(State::TwoFactorRequired(!required)),
                    Some(State::TwoFactorRequired(required)),
                )?;
            }
            Ok(Ok(()))
        })
        .await
}
