//! The signed-in person, read from the database on every request (R15): nothing about what a
//! person may do is cached in the session.

use std::net::IpAddr;

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::Method, web};
use futures_util::future::LocalBoxFuture;

use crate::{
    db,
    db::{accounts::Account, people::Person},
    error::AppError,
    i18n::Locale,
    services::owner::Owner,
    state::AppState,
    web::session::TypedSession,
};

/// The signed-in person, with the master account they own (none for an access-only login): one
/// statement.
pub struct CurrentPerson {
    pub person: Person,
    pub account: Option<Account>,
}

impl FromRequest for CurrentPerson {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let session = TypedSession::of(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        // After signing in, a person comes back to the page they asked for; a form post cannot be
        // replayed, so it brings them to their account instead.
        let next = if req.method() == Method::GET {
            req.uri().to_string()
        } else {
            "/account".to_owned()
        };
        Box::pin(async move {
            let state =
                state.ok_or_else(|| AppError::Internal(anyhow::anyhow!("AppState missing")))?;
            session.readable()?;
            let person_id = session
                .person_id()
                .ok_or(AppError::SignInRequired { next: next.clone() })?;
            // Someone who owns several accounts acts on the one chosen in the switcher.
            let preferred = session.current_account().map(|account| account.master.0);
            // Read with the session, in its statement: no round trip of its own.
            if let Some(who) = session.who()
                && who.person.id == person_id.0
            {
                let mut accounts = who.accounts.into_iter();
                let first = accounts.next();
                let account = match preferred {
                    Some(preferred) if first.as_ref().is_some_and(|a| a.id != preferred) => {
                        accounts.find(|a| a.id == preferred).or(first)
                    }
                    _ => first,
                };
                return Ok(CurrentPerson {
                    person: who.person,
                    account,
                });
            }
            match state
                .db
                .read(move |conn| Ok(db::people::find_with_account(conn, person_id, preferred)?))
                .await?
            {
                Some((person, account)) => Ok(CurrentPerson { person, account }),
                None => {
                    session.sign_out();
                    Err(AppError::SignInRequired { next })
                }
            }
        })
    }
}

impl CurrentPerson {
    /// The person acting as the owner of their master account; 403 for an access-only login.
    pub fn as_owner(&self, locale: Locale, ip: IpAddr) -> Result<Owner, AppError> {
        let account = self.account.clone().ok_or(AppError::Forbidden)?;
        Ok(Owner::of(self.person.clone(), account, locale, Some(ip)))
    }
}

/// The signed-in person acting as the owner of their master account. Sharing is the owner's
/// alone (S3): anyone else, an access-only login included, gets 403.
pub struct CurrentOwner(pub Owner);

impl FromRequest for CurrentOwner {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let person = CurrentPerson::from_request(req, payload);
        let locale = crate::web::locale::locale_of(req);
        let ip = crate::web::client_ip::ClientIp::of(req).0;
        Box::pin(async move { Ok(CurrentOwner(person.await?.as_owner(locale, ip)?)) })
    }
}
