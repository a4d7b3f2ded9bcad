//! The form token of a visitor who has no session yet (R20). Putting it in a session would write
//! a session row for every signed-out page view, so a crawler could fill the table; instead it
//! lives in a cookie of its own, and a form is accepted when its token matches that cookie (the
//! double-submit pattern). On HTTPS the cookie is `__Host-`, which no other host can set, and
//! `reject_cross_site` still refuses other sites' requests. Once a session holds anything, its
//! own token is used instead, as before.

use actix_web::{
    Error, HttpMessage, HttpRequest,
    body::MessageBody,
    cookie::{Cookie, SameSite},
    dev::{ServiceRequest, ServiceResponse},
    middleware::Next,
};

use crate::secrets;

const COOKIE: &str = "csrf";
const SECURE_COOKIE: &str = "__Host-csrf";

/// A token handed out on this request, for the middleware to set as the cookie.
#[derive(Clone)]
struct Issued {
    token: String,
    https: bool,
}

fn cookie_name(https: bool) -> &'static str {
    if https { SECURE_COOKIE } else { COOKIE }
}

/// The visitor's token as their browser sent it, if it is one of ours.
pub fn sent_token(req: &HttpRequest, https: bool) -> Option<String> {
    req.cookie(cookie_name(https))
        .map(|cookie| cookie.value().to_owned())
        .filter(|token| secrets::looks_like_a_token(token))
}

/// The visitor's token for the page being built: the one their browser holds, or a new one that
/// the response then sets.
pub fn token_for_page(req: &HttpRequest, https: bool) -> String {
    if let Some(token) = sent_token(req, https) {
        return token;
    }
    if let Some(issued) = req.extensions().get::<Issued>() {
        return issued.token.clone();
    }
    let token = secrets::random_token();
    req.extensions_mut().insert(Issued {
        token: token.clone(),
        https,
    });
    token
}

/// Sets the cookie of a token handed out while the request was answered.
pub async fn set_issued_token(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let mut response = next.call(req).await?;
    let issued = response.request().extensions().get::<Issued>().cloned();
    if let Some(Issued { token, https }) = issued {
        let cookie = Cookie::build(cookie_name(https), token)
            .path("/")
            .http_only(true)
            .secure(https)
            .same_site(SameSite::Lax)
            .finish();
        response.response_mut().add_cookie(&cookie)?;
    }
    Ok(response)
}
