//! POST /language — the footer's language switcher, which works without JavaScript: keeps the
//! choice in a cookie (and with the person, when signed in) and goes back to the same page.

use actix_web::{HttpResponse, http::header, web};
use serde::Deserialize;

use super::safe_next;
use crate::{
    db,
    error::{AppError, AppResult},
    i18n::Locale,
    messages,
    state::AppState,
    web::{form::Form, locale, session::TypedSession},
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageForm {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    back: String,
}

pub async fn switch(
    state: web::Data<AppState>,
    session: TypedSession,
    Form(form): Form<LanguageForm>,
) -> AppResult<HttpResponse> {
    let locale = Locale::LANGUAGES
        .into_iter()
        .find(|locale| Some(*locale) == Locale::from_code(&form.lang))
        .ok_or(AppError::BadRequest(messages::UNKNOWN_LANGUAGE))?;
    if let Some(person) = session.person_id() {
        state
            .db
            .run(move |conn| Ok(db::people::set_locale(conn, person.0, locale.code())?))
            .await?;
    }
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, safe_next(Some(&form.back), &[])))
        .cookie(locale::cookie(locale, state.settings.uses_https()))
        .finish())
}
