//! What this service keeps in a session, behind named methods instead of string keys.

use actix_session::{Session, SessionExt};
use actix_web::{FromRequest, HttpRequest, dev::Payload};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use crate::{
    domain::ids::{AccountRef, PersonId},
    error::AppError,
    secrets,
};

const PERSON_ID: &str = "person_id";
/// Whether the person owns an account, for the header's "Share your account" link only: what
/// they may do is read from the database on every request (R15).
const OWNS_ACCOUNT: &str = "owns_account";
/// The account chosen in the switcher: only which one, never what may be done there (R15).
const CURRENT_ACCOUNT: &str = "current_account";
const CSRF_TOKEN: &str = "csrf_token";
/// The signed-in person and the accounts they own, read in the same statement as the session
/// (`db::sessions::load_and_extend`) and never stored with it.
pub(crate) const WHO: &str = "__who";
/// Set by the store instead of the state when the database could not be asked for it (a
/// primary switching over): the request cannot know who is signed in, so what needs to know
/// answers 503 "try again" rather than "sign in", and nothing is written back.
pub(crate) const UNAVAILABLE: &str = "__unavailable";
/// Set with a change that is the request's whole work (a link's token taken into the session):
/// if it cannot be saved the answer is 503, not the usual warning, since otherwise the next page
/// would call a good link dead. Never written.
pub(crate) const MUST_SAVE: &str = "__must_save";
const FLASH: &str = "flash";
/// A sign-in waiting for its second factor: who gave the right password (or followed the
/// link), when, and where they were going. Nobody is signed in meanwhile.
const SECOND_FACTOR_PERSON: &str = "second_factor_person";
const SECOND_FACTOR_SINCE: &str = "second_factor_since";
const SECOND_FACTOR_NEXT: &str = "second_factor_next";
const SECOND_FACTOR_GENERATION: &str = "second_factor_generation";
/// A sign-in sent to the owner's OpenID Connect provider, until it comes back (issue 22).
const SSO_PENDING: &str = "sso_pending";
/// A passkey ceremony waiting for the browser's answer (issue 22).
const PASSKEY_PENDING: &str = "passkey_pending";
/// Which emailed link a token held in the session came from.
#[derive(Debug, Clone, Copy)]
pub enum LinkKind {
    Verification,
    Invitation,
    PasswordReset,
    EmailChange,
}

impl LinkKind {
    fn session_key(self) -> &'static str {
        match self {
            LinkKind::Verification => "verification_token_hash",
            LinkKind::Invitation => "invitation_token_hash",
            LinkKind::PasswordReset => "password_reset_token_hash",
            LinkKind::EmailChange => "email_change_token_hash",
        }
    }
}

pub struct TypedSession(Session);

/// A sign-in waiting for its second factor: who, on which generation of their credentials
/// (a password change meanwhile ends the wait), and where they were going.
pub struct SecondFactorDue {
    pub person: PersonId,
    pub generation: i32,
    pub next: String,
}

/// A person as read with their session.
#[derive(serde::Deserialize)]
pub struct Who {
    pub person: crate::db::people::Person,
    /// By id.
    pub accounts: Vec<crate::db::accounts::Account>,
}

impl TypedSession {
    pub fn of(req: &HttpRequest) -> TypedSession {
        TypedSession(req.get_session())
    }

    /// The session's state could not be read: see [`UNAVAILABLE`].
    pub fn unavailable(&self) -> bool {
        self.0.contains_key(UNAVAILABLE)
    }

    pub fn person_id(&self) -> Option<PersonId> {
        self.0.get::<i64>(PERSON_ID).ok().flatten().map(PersonId)
    }

    /// The person and the accounts they own, as read with this request's session: `None` when
    /// the session was made during this request, or its person is gone.
    pub fn who(&self) -> Option<Who> {
        self.0.get::<Who>(WHO).ok().flatten()
    }

    pub fn owns_account(&self) -> bool {
        self.0
            .get::<bool>(OWNS_ACCOUNT)
            .ok()
            .flatten()
            .unwrap_or(false)
    }

    /// A new session key on sign-in, so a key planted before sign-in is worthless after (R18),
    /// and a new CSRF token with it.
    pub fn sign_in(&self, person_id: PersonId, owns_account: bool) -> Result<(), AppError> {
        self.0.renew();
        self.0.remove(SECOND_FACTOR_PERSON);
        self.0.remove(SECOND_FACTOR_SINCE);
        self.0.remove(SECOND_FACTOR_NEXT);
        self.0.remove(SECOND_FACTOR_GENERATION);
        self.insert(PERSON_ID, person_id.0)?;
        self.insert(OWNS_ACCOUNT, owns_account)?;
        self.insert(CSRF_TOKEN, secrets::random_token())
    }

    /// The first step of signing in is done and the second factor is due: a new session key, as
    /// for a sign-in, holding who is signing in but nobody signed in.
    pub fn await_second_factor(
        &self,
        due: &SecondFactorDue,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), AppError> {
        self.0.renew();
        self.0.remove(PERSON_ID);
        self.0.remove(OWNS_ACCOUNT);
        self.insert(SECOND_FACTOR_PERSON, due.person.0)?;
        self.insert(SECOND_FACTOR_GENERATION, due.generation)?;
        let next = due.next.as_str();
        self.insert(SECOND_FACTOR_SINCE, now.timestamp())?;
        self.insert(SECOND_FACTOR_NEXT, next)?;
        self.insert(CSRF_TOKEN, secrets::random_token())
    }

    /// Who is signing in and where they were going, while their second factor is due and
    /// the wait has not run out (`two_factor::SECOND_STEP_MINUTES`).
    pub fn second_factor_due(&self, now: chrono::DateTime<chrono::Utc>) -> Option<SecondFactorDue> {
        let person = self.0.get::<i64>(SECOND_FACTOR_PERSON).ok().flatten()?;
        let generation = self.0.get::<i32>(SECOND_FACTOR_GENERATION).ok().flatten()?;
        let since = self.0.get::<i64>(SECOND_FACTOR_SINCE).ok().flatten()?;
        let limit = crate::domain::two_factor::SECOND_STEP_MINUTES * 60;
        if now.timestamp() - since > limit {
            return None;
        }
        let next = self.0.get::<String>(SECOND_FACTOR_NEXT).ok().flatten()?;
        Some(SecondFactorDue {
            person: PersonId(person),
            generation,
            next,
        })
    }

    /// A new session key when the person's privileges grow (accepting an invitation), so a key
    /// planted before is worthless after (R18); a new CSRF token with it.
    pub fn renew(&self) -> Result<(), AppError> {
        self.0.renew();
        self.insert(CSRF_TOKEN, secrets::random_token())
    }

    /// Deletes the session server-side: the cookie, even if copied, no longer works (R17).
    pub fn sign_out(&self) {
        self.0.purge();
    }

    /// The per-session synchronizer token every form carries (R20), created on first use.
    pub fn csrf_token(&self) -> Result<String, AppError> {
        if let Some(token) = self.0.get::<String>(CSRF_TOKEN).ok().flatten() {
            return Ok(token);
        }
        let token = secrets::random_token();
        self.insert(CSRF_TOKEN, &token)?;
        Ok(token)
    }

    pub fn existing_csrf_token(&self) -> Option<String> {
        self.0.get::<String>(CSRF_TOKEN).ok().flatten()
    }

    /// Whether the session holds nothing at all: then nothing is stored for it, and a visitor's
    /// form token lives in a cookie instead (`web::visitor`).
    pub fn is_empty(&self) -> bool {
        self.0.entries().is_empty()
    }

    /// A one-line success message shown on the next page only (post/redirect/get).
    pub fn set_flash(&self, message: &str) -> Result<(), AppError> {
        self.insert(FLASH, message)
    }

    pub fn take_flash(&self) -> Option<String> {
        self.remove(FLASH)
    }

    /// The hash of a token taken out of a link's URL, so the page the person then sees has a
    /// clean address that leaks no token through history or Referer (R11). Only the hash: the
    /// session table must not hold a working token either (R2).
    ///
    /// A session whose state could not be read is never written back, so the token would be
    /// lost and the next page would call a good link dead: such a request answers 503 instead.
    pub fn hold_link_token(&self, kind: LinkKind, token: &str) -> Result<(), AppError> {
        self.readable()?;
        self.insert(MUST_SAVE, true)?;
        self.insert(
            kind.session_key(),
            URL_SAFE_NO_PAD.encode(secrets::token_hash(token)),
        )
    }

    /// The held token's hash; an error (503) when the session could not be read, since the
    /// token may well be in it: "this link is no longer valid" would be untrue.
    pub fn held_link_token_hash(&self, kind: LinkKind) -> Result<Option<Vec<u8>>, AppError> {
        self.readable()?;
        let encoded = self.0.get::<String>(kind.session_key()).ok().flatten();
        Ok(encoded.and_then(|encoded| URL_SAFE_NO_PAD.decode(encoded).ok()))
    }

    /// An error (503) when the session's state could not be read: see [`UNAVAILABLE`].
    pub fn readable(&self) -> Result<(), AppError> {
        if self.unavailable() {
            return Err(AppError::Unavailable(anyhow::anyhow!(
                "the session could not be read"
            )));
        }
        Ok(())
    }

    pub fn forget_link_token(&self, kind: LinkKind) {
        self.remove(kind.session_key());
    }

    /// Signs out but keeps the invitation being looked at, for "Sign out and continue" (R6):
    /// a new session key, no person, a new CSRF token.
    pub fn sign_out_keeping_invitation(&self) -> Result<(), AppError> {
        self.0.renew();
        self.0.remove(PERSON_ID);
        self.0.remove(OWNS_ACCOUNT);
        self.insert(CSRF_TOKEN, secrets::random_token())
    }

    pub fn current_account(&self) -> Option<AccountRef> {
        let value = self.0.get::<String>(CURRENT_ACCOUNT).ok().flatten()?;
        AccountRef::parse(&value)
    }

    pub fn set_current_account(&self, account: AccountRef) -> Result<(), AppError> {
        self.insert(CURRENT_ACCOUNT, account.value())
    }

    pub fn forget_current_account(&self) {
        self.remove(CURRENT_ACCOUNT);
    }

    /// Removes `key` when the session holds it. actix-session counts any removal as a change and
    /// writes the state back, so a page that merely looks for a flash would write on every view.
    fn remove(&self, key: &str) -> Option<String> {
        let held = self.0.get::<String>(key).ok().flatten()?;
        self.0.remove(key);
        Some(held)
    }

    /// Keeps what the provider's answer is checked against; a new key, as for a sign-in.
    pub fn await_provider(&self, pending: &crate::services::sso::Pending) -> Result<(), AppError> {
        self.0.renew();
        self.insert(SSO_PENDING, pending)
    }

    /// The sign-in waiting for the provider, taken: each answer is checked once.
    pub fn take_provider_pending(&self) -> Option<crate::services::sso::Pending> {
        // Removing marks the session changed even when nothing was there: a stray callback must
        // not cost a write.
        if !self.0.contains_key(SSO_PENDING) {
            return None;
        }
        let pending = self.0.get(SSO_PENDING).ok().flatten();
        self.0.remove(SSO_PENDING);
        pending
    }

    /// Keeps a passkey ceremony's challenge until the browser answers; a new one replaces it.
    pub fn await_passkey(
        &self,
        pending: &crate::services::passkeys::Pending,
    ) -> Result<(), AppError> {
        self.insert(PASSKEY_PENDING, pending)
    }

    /// The passkey ceremony waiting, taken: each challenge is answered once.
    pub fn take_passkey_pending(&self) -> Option<crate::services::passkeys::Pending> {
        // As for the provider's answer: nothing there costs no write.
        if !self.0.contains_key(PASSKEY_PENDING) {
            return None;
        }
        let pending = self.0.get(PASSKEY_PENDING).ok().flatten();
        self.0.remove(PASSKEY_PENDING);
        pending
    }

    fn insert(&self, key: &str, value: impl serde::Serialize) -> Result<(), AppError> {
        self.0
            .insert(key, value)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("session insert failed: {e}")))
    }
}

impl FromRequest for TypedSession {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        std::future::ready(Ok(TypedSession::of(req)))
    }
}
