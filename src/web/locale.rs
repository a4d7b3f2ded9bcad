//! Which language a request is answered in: the one the visitor chose with the footer's
//! switcher (a cookie, set again from their stored setting when they sign in), else the best
//! match for their browser's `Accept-Language`, else English. Reading it never writes anything.

use std::future::{Ready, ready};

use actix_web::{
    FromRequest, HttpMessage, HttpRequest,
    cookie::{Cookie, SameSite, time::Duration},
    dev::Payload,
    http::header,
    web,
};

use crate::{config::Environment, i18n::Locale, state::AppState};

pub const COOKIE: &str = "lang";

/// The request's language, as an extractor for handlers that word something themselves
/// (a flash message, a queued mail).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestLocale(pub Locale);

impl FromRequest for RequestLocale {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(RequestLocale(locale_of(req))))
    }
}

/// The language to answer `req` in, worked out once per request.
pub fn locale_of(req: &HttpRequest) -> Locale {
    if let Some(locale) = req.extensions().get::<RequestLocale>() {
        return locale.0;
    }
    let locale = chosen(req).unwrap_or_else(|| {
        let header = req
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default();
        Locale::negotiate(header)
    });
    req.extensions_mut().insert(RequestLocale(locale));
    locale
}

fn chosen(req: &HttpRequest) -> Option<Locale> {
    let locale = Locale::from_code(req.cookie(COOKIE)?.value())?;
    // The pseudo-locale is for the test suite and development, never for production.
    if locale == Locale::Pseudo && !pseudo_allowed(req) {
        return None;
    }
    Some(locale)
}

fn pseudo_allowed(req: &HttpRequest) -> bool {
    req.app_data::<web::Data<AppState>>()
        .is_some_and(|state| !matches!(state.settings.environment, Environment::Production))
}

/// The cookie that keeps a chosen language for a year.
pub fn cookie(locale: Locale, secure: bool) -> Cookie<'static> {
    Cookie::build(COOKIE, locale.code())
        .path("/")
        .max_age(Duration::days(365))
        .same_site(SameSite::Lax)
        .http_only(true)
        .secure(secure)
        .finish()
}

/// Sets the language cookie on a response, for the language a person just signed in with.
pub fn remember(response: &mut actix_web::HttpResponse, locale: Locale, secure: bool) {
    // Only fails for a header value that cannot be one, which a language code never is.
    let _ = response.add_cookie(&cookie(locale, secure));
}
