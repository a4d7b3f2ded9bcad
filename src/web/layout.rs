//! What the page frame (templates/base.html) shows around every page, read from the request:
//! handlers take a `Layout` argument and put it in their page, instead of building it each.

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use futures_util::future::LocalBoxFuture;

use crate::{error::AppError, state::AppState, web::session::TypedSession};

#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// For the forms of the page and the header's "Sign out".
    pub csrf_token: String,
    pub signed_in: bool,
    /// Shows "Share your account" in the header: the feature's entry point, for owners.
    pub owner: bool,
    /// A success message from the previous request, shown once.
    pub flash: Option<String>,
    pub dev_mailbox: bool,
    /// A page an invitee arrives on from their inbox: the header does not offer "Create an
    /// account", which is how owners start, not how invitees join.
    pub invitee_page: bool,
}

impl Layout {
    /// The frame for a page about to be shown: takes the flash message, so it shows once.
    pub fn of(req: &HttpRequest) -> Result<Layout, AppError> {
        let session = TypedSession::of(req);
        Ok(Layout {
            csrf_token: session.csrf_token()?,
            flash: session.take_flash(),
            ..Layout::peek(req)
        })
    }

    /// The frame as the session stands, changing nothing in it: for error pages, which may be
    /// shown after the session was saved or when it could not be.
    pub fn peek(req: &HttpRequest) -> Layout {
        let session = TypedSession::of(req);
        Layout {
            csrf_token: session.existing_csrf_token().unwrap_or_default(),
            signed_in: session.person_id().is_some(),
            owner: session.owns_account(),
            flash: None,
            dev_mailbox: req
                .app_data::<web::Data<AppState>>()
                .is_some_and(|state| state.dev_mailbox.is_some()),
            invitee_page: false,
        }
    }

    pub fn for_invitee(self) -> Layout {
        Layout {
            invitee_page: true,
            ..self
        }
    }
}

/// Built when polled, not when the handler's arguments are first set up: put after
/// `CurrentPerson` in a handler's arguments, it is never built for a visitor who is sent to sign
/// in, so their session gets no token and is not written.
impl FromRequest for Layout {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Layout, AppError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Layout::of(&req) })
    }
}
