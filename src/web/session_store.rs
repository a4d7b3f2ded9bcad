//! actix-session's `SessionStore` on PostgreSQL. Server-side state means sign-out and expiry take
//! effect on the very next request, which a cookie store cannot do (R17). The cookie carries a
//! random key; only its hash is stored, so a copy of the table signs nobody in.

use std::{collections::HashMap, time::Duration};

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration as TtlDuration;
use chrono::Utc;

use crate::{
    clock::Clock,
    db,
    db::Db,
    error::AppError,
    secrets,
    services::sharing::{self, PageRead},
    web::{
        read_with_session,
        session::{MUST_SAVE, UNAVAILABLE, WHO},
    },
};

/// An idle limit is moved out at most once a minute: a minute more or less of a 30-minute limit
/// matters to nobody, and page views then write nothing.
const EXTEND_GRANULARITY: chrono::Duration = chrono::Duration::seconds(60);

type State = HashMap<String, String>;

/// Whose session this is, from the state as `TypedSession` writes it: stored beside the state so
/// that all of a person's sessions can be ended at once.
fn person_of(state: &State) -> Option<i64> {
    state.get("person_id").and_then(|id| id.parse().ok())
}

/// The state as stored: without the person read with it, kept in the request's state only (the
/// row changes, and what a person may do is read on every request, R15), and without the
/// request's markers.
fn as_stored(mut state: State) -> State {
    state.remove(WHO);
    state.remove(UNAVAILABLE);
    state.remove(MUST_SAVE);
    state
}

#[derive(Clone)]
pub struct PgSessionStore {
    db: Db,
    /// Sessions end this long after sign-in however active they are (R19).
    absolute_timeout: Duration,
    /// The idle timeout, also actix-session's state TTL: loading a session moves its limit out.
    idle_timeout: Duration,
    clock: Clock,
    /// Counts sessions that start signed in (`/metrics`).
    signed_in: prometheus::IntCounter,
}

impl PgSessionStore {
    pub fn new(
        db: Db,
        idle_timeout: Duration,
        absolute_timeout: Duration,
        clock: Clock,
        signed_in: prometheus::IntCounter,
    ) -> Self {
        PgSessionStore {
            db,
            absolute_timeout,
            idle_timeout,
            clock,
            signed_in,
        }
    }

    fn expiry(&self, ttl: &TtlDuration) -> chrono::DateTime<Utc> {
        self.clock.now() + chrono::Duration::seconds(ttl.whole_seconds())
    }

    async fn insert(&self, state: State, ttl: &TtlDuration) -> anyhow::Result<SessionKey> {
        let key = secrets::random_token();
        let key_hash = secrets::token_hash(&key);
        let person = person_of(&state);
        let state = serde_json::to_value(state)?;
        let now = self.clock.now();
        let expires_at = self.expiry(ttl);
        self.db
            .run(move |conn| {
                Ok(db::sessions::insert(
                    conn, &key_hash, &state, person, now, expires_at,
                )?)
            })
            .await?;
        if person.is_some() {
            self.signed_in.inc();
        }
        SessionKey::try_from(key).map_err(anyhow::Error::from)
    }
}

impl SessionStore for PgSessionStore {
    async fn load(&self, session_key: &SessionKey) -> Result<Option<State>, LoadError> {
        let key_hash = secrets::token_hash(session_key.as_ref());
        let now = self.clock.now();
        let born_after = now - self.absolute_timeout;
        let extend_to = now + chrono::Duration::from_std(self.idle_timeout).unwrap_or_default();
        let extend_before = extend_to - EXTEND_GRANULARITY;
        // The page's statement rides on the session's when the page asks (`read_with_session`).
        let asked = read_with_session::asked_sharing_page();
        // Failing closed: when the state cannot be read the request goes on without a session, so
        // it reaches nothing that needs one, and the page it gets explains the outage.
        let state = match self
            .db
            .read(move |conn| {
                let Some(filter) = asked else {
                    let live = db::sessions::load_and_extend(
                        conn,
                        &key_hash,
                        now,
                        born_after,
                        extend_to,
                        extend_before,
                    )?;
                    return Ok(live.map(|(state, who)| (state, who, None)));
                };
                let live = db::sessions::load_with_sharing_page(
                    conn,
                    &key_hash,
                    now,
                    born_after,
                    extend_to,
                    extend_before,
                    &sharing::page_query(&filter),
                )?;
                Ok(live.map(|live| {
                    let read = live.page.map(|(master, page)| PageRead {
                        filter,
                        master,
                        page,
                    });
                    (live.state, live.who, read)
                }))
            })
            .await
        {
            Ok(state) => state,
            Err(e) => {
                // Failing closed, and saying so: the request goes on knowing nobody, and what
                // needs to know who is signed in answers 503 rather than "sign in" (a failover
                // must not look like a sign-out, nor lose a form).
                tracing::error!(error = %e, "session state could not be read");
                let mut unavailable = State::new();
                unavailable.insert(UNAVAILABLE.to_owned(), "true".to_owned());
                return Ok(Some(unavailable));
            }
        };
        let Some((state, who, read)) = state else {
            return Ok(None);
        };
        if let Some(read) = read {
            read_with_session::deliver(read);
        }
        let mut state: State =
            serde_json::from_value(state).map_err(|e| LoadError::Deserialization(e.into()))?;
        // Read with the state, for `CurrentPerson`; never written back (`as_stored`).
        if let Some(who) = who {
            state.insert(WHO.to_owned(), who);
        }
        Ok(Some(state))
    }

    async fn save(&self, session_state: State, ttl: &TtlDuration) -> Result<SessionKey, SaveError> {
        self.insert(as_stored(session_state), ttl)
            .await
            .map_err(SaveError::Other)
    }

    async fn update(
        &self,
        session_key: SessionKey,
        session_state: State,
        ttl: &TtlDuration,
    ) -> Result<SessionKey, UpdateError> {
        // A state that could not be read is not known: writing over it would lose the real one.
        if session_state.contains_key(UNAVAILABLE) {
            return Ok(session_key);
        }
        let key_hash = secrets::token_hash(session_key.as_ref());
        let must_save = session_state.contains_key(MUST_SAVE);
        let session_state = as_stored(session_state);
        let person = person_of(&session_state);
        let state = serde_json::to_value(&session_state)
            .map_err(|e| UpdateError::Serialization(e.into()))?;
        let now = self.clock.now();
        let expires_at = self.expiry(ttl);
        let updated = match self
            .db
            .run(move |conn| {
                Ok(db::sessions::update(
                    conn, &key_hash, &state, person, now, expires_at,
                )?)
            })
            .await
        {
            Ok(updated) => updated,
            // The database went away after the request's own work (a failover): what that work
            // did stands, and its answer with it. Only the session's change (a notice, a new
            // form token, the account chosen) is lost; failing here would turn a done change
            // into an error page. Unless the change was the request's work (`MUST_SAVE`): a
            // stale pooled connection after a failover fails this write while the next request
            // reads the session well, and would find the link's token gone.
            Err(AppError::Unavailable(e)) if !must_save => {
                tracing::warn!(error = %e, "the session's changes could not be saved");
                return Ok(session_key);
            }
            Err(e) => return Err(UpdateError::Other(anyhow::anyhow!(e))),
        };
        if updated {
            return Ok(session_key);
        }
        // The session ended while this request ran (signed out in another tab). Its state must not
        // come back to life, so the request continues in a fresh, empty session.
        self.insert(State::new(), ttl)
            .await
            .map_err(UpdateError::Other)
    }

    async fn update_ttl(
        &self,
        session_key: &SessionKey,
        ttl: &TtlDuration,
    ) -> Result<(), anyhow::Error> {
        let key_hash = secrets::token_hash(session_key.as_ref());
        let now = self.clock.now();
        let expires_at = self.expiry(ttl);
        let granularity = EXTEND_GRANULARITY;
        self.db
            .run(move |conn| {
                Ok(db::sessions::extend(
                    conn,
                    &key_hash,
                    now,
                    expires_at,
                    granularity,
                )?)
            })
            .await?;
        Ok(())
    }

    async fn delete(&self, session_key: &SessionKey) -> Result<(), anyhow::Error> {
        let key_hash = secrets::token_hash(session_key.as_ref());
        self.db
            .run(move |conn| Ok(db::sessions::delete(conn, &key_hash)?))
            .await?;
        Ok(())
    }
}

/// The stored hash of the session a cookie's value names, decrypted as the session middleware
/// encrypted it (the cookie's name is part of what is authenticated); `None` for a value that
/// is not one of ours. For forward auth and the check API, which read a session without the
/// middleware.
pub fn key_hash_of_cookie(
    value: &str,
    cookie_name: &'static str,
    key: &actix_web::cookie::Key,
) -> Option<Vec<u8>> {
    use actix_web::cookie::{Cookie, CookieJar};
    // Anything longer is no cookie of ours; don't spend a decryption on it.
    if value.len() > 512 {
        return None;
    }
    // As the browser sends it, percent-encoded (actix encodes the cookie's `+`, `/` and `=`);
    // base64 has no `%`, so an already decoded value is left as it is.
    let value = percent_encoding::percent_decode_str(value)
        .decode_utf8()
        .ok()?
        .into_owned();
    let mut jar = CookieJar::new();
    jar.add_original(Cookie::new(cookie_name, value));
    let session_key = jar.private(key).get(cookie_name)?;
    Some(secrets::token_hash(session_key.value()))
}
