//! The signed-in person, read from the database on every request (R15): nothing about what a
//! person may do is cached in the session.

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::Method, web};
use futures_util::future::LocalBoxFuture;

use crate::{db, db::people::Person, error::AppError, state::AppState, web::session::TypedSession};

pub struct CurrentPerson(pub Person);

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
            let person_id = session
                .person_id()
                .ok_or(AppError::SignInRequired { next: next.clone() })?;
            match state
                .db
                .run(move |conn| Ok(db::people::find_by_id(conn, person_id)?))
                .await?
            {
                Some(person) => Ok(CurrentPerson(person)),
                None => {
                    session.sign_out();
                    Err(AppError::SignInRequired { next })
                }
            }
        })
    }
}

/// The signed-in person acting as the owner of their master account. Sharing is the owner's
/// alone (S3): anyone else, an access-only login included, gets 403.
pub struct CurrentOwner(pub crate::services::sharing::Owner);

impl FromRequest for CurrentOwner {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let person = CurrentPerson::from_request(req, payload);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let CurrentPerson(person) = person.await?;
            let state =
                state.ok_or_else(|| AppError::Internal(anyhow::anyhow!("AppState missing")))?;
            let owner_id = person.id;
            let account = state
                .db
                .run(move |conn| Ok(db::accounts::find_by_owner(conn, owner_id)?))
                .await?;
            let account = account.ok_or(AppError::Forbidden)?;
            Ok(CurrentOwner(crate::services::sharing::Owner {
                person_id: person.id,
                email: person.email,
                name: person.display_name,
                account,
            }))
        })
    }
}
