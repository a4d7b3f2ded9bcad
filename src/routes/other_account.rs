//! A form sent for another account than the one being worked in. An owner of several master
//! accounts who switched in another tab would otherwise send the plan, transfer or invite form
//! they filled in for one account to the other: each such form carries the account it was shown
//! for, and a mismatch changes nothing and says so.

use actix_web::{HttpResponse, http::StatusCode};
use askama::Template;

use crate::{
    domain::ids::{AccountRef, MasterAccountId},
    error::{AppError, AppResult},
    messages,
    services::owner::Owner,
    web::{layout::Layout, render::render_page},
};

#[derive(Template)]
#[template(path = "other_account.html")]
struct OtherAccountPage {
    layout: Layout,
    form_account: String,
    form_account_value: String,
    current_account: String,
    back: &'static str,
}

/// `None` when the form was shown for the account the owner works in now (or says nothing, as a
/// script's might); else the page to show instead of acting. A value no form sends is forged.
pub fn refusal(
    layout: &Layout,
    owner: &Owner,
    sent: Option<&str>,
    back: &'static str,
) -> AppResult<Option<HttpResponse>> {
    let Some(sent) = sent else {
        return Ok(None);
    };
    let form_account = sent
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(MasterAccountId)
        .ok_or(AppError::BadRequest(messages::BAD_FORM))?;
    if form_account == owner.master() {
        return Ok(None);
    }
    let l = layout.locale;
    let page = OtherAccountPage {
        form_account: messages::numbered_master_account(l, form_account),
        form_account_value: AccountRef::master(form_account).value(),
        current_account: messages::numbered_master_account(l, owner.master()),
        back,
        layout: layout.clone(),
    };
    Ok(Some(render_page(StatusCode::CONFLICT, &page)))
}
