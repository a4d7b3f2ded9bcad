//! What the page frame (templates/base.html) shows around every page, read from the request:
//! handlers take a `Layout` argument and put it in their page, instead of building it each.

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use futures_util::future::LocalBoxFuture;

use crate::{
    error::AppError,
    i18n::{Arg, Locale},
    state::AppState,
    web::{locale::locale_of, session::TypedSession, visitor},
};

fn uses_https(req: &HttpRequest) -> bool {
    req.app_data::<web::Data<AppState>>()
        .is_some_and(|state| state.settings.uses_https())
}

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
    /// The language the page is in: every word of it comes from here.
    pub locale: Locale,
    /// This page's path and query, where the language switcher brings the visitor back to.
    pub here: String,
}

impl Layout {
    /// The frame for a page about to be shown: takes the flash message, so it shows once. A
    /// visitor with an empty session gets the form token of a cookie, so showing them a page
    /// stores nothing (`web::visitor`).
    pub fn of(req: &HttpRequest) -> Result<Layout, AppError> {
        let session = TypedSession::of(req);
        let csrf_token = match session.existing_csrf_token() {
            Some(token) => token,
            None if session.is_empty() => visitor::token_for_page(req, uses_https(req)),
            None => session.csrf_token()?,
        };
        Ok(Layout {
            csrf_token,
            flash: session.take_flash(),
            ..Layout::peek(req)
        })
    }

    /// The frame as the session stands, changing nothing in it: for error pages, which may be
    /// shown after the session was saved or when it could not be.
    pub fn peek(req: &HttpRequest) -> Layout {
        let session = TypedSession::of(req);
        Layout {
            csrf_token: session
                .existing_csrf_token()
                .or_else(|| visitor::sent_token(req, uses_https(req)))
                .unwrap_or_default(),
            signed_in: session.person_id().is_some(),
            owner: session.owns_account(),
            flash: None,
            dev_mailbox: req
                .app_data::<web::Data<AppState>>()
                .is_some_and(|state| state.dev_mailbox.is_some()),
            invitee_page: false,
            locale: locale_of(req),
            here: req
                .uri()
                .path_and_query()
                .map_or_else(|| "/".to_owned(), |path| path.as_str().to_owned()),
        }
    }

    pub fn t(&self, id: &str) -> String {
        self.locale.t(id)
    }

    pub fn tr1<'a>(&self, id: &str, name: &str, value: impl Into<Arg<'a>>) -> String {
        self.locale.tr1(id, name, value)
    }

    pub fn tr2<'a, 'b>(
        &self,
        id: &str,
        first: &str,
        first_value: impl Into<Arg<'a>>,
        second: &str,
        second_value: impl Into<Arg<'b>>,
    ) -> String {
        self.locale
            .tr2(id, first, first_value, second, second_value)
    }

    pub fn number(&self, number: impl Into<i64>) -> String {
        self.locale.number(number.into())
    }

    /// The footer's switcher: each language by its own name, and whether it is this page's.
    pub fn languages(&self) -> Vec<(&'static str, String, bool)> {
        Locale::LANGUAGES
            .into_iter()
            .map(|locale| {
                (
                    locale.code(),
                    locale.t("language-name"),
                    locale == self.locale,
                )
            })
            .collect()
    }

    /// The frame of a page shown once the session has ended: nobody signed in, no form, in the
    /// request's language.
    pub fn signed_out(req: &HttpRequest) -> Layout {
        Layout {
            locale: locale_of(req),
            ..Layout::default()
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
