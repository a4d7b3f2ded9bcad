//! GET /dev/mailbox — mail kept while no SMTP relay is set. Registered only in that case.

use actix_web::{HttpResponse, http::StatusCode, web};
use askama::Template;
use serde::Deserialize;

use crate::{
    error::{AppError, AppResult},
    mail::transport::read_dev_mailbox,
    state::AppState,
    web::{layout::Layout, render::render_page},
};

pub struct MessageView {
    to: String,
    subject: String,
    sent_at: String,
    text: String,
    links: Vec<String>,
}

#[derive(Template)]
#[template(path = "dev/mailbox.html")]
struct MailboxPage {
    layout: Layout,
    messages: Vec<MessageView>,
    /// The recipient filter as typed.
    to: String,
    /// How many messages match, of which the newest `SHOWN` are on the page.
    matching: usize,
}

/// The newest messages shown: a seed sends thousands, and one page of them all was unusable.
const SHOWN: usize = 50;

#[derive(Deserialize)]
pub struct MailboxQuery {
    /// Part of the recipient's address.
    to: Option<String>,
}

/// The newest mail first, to whoever matches `?to=`.
pub async fn index(
    state: web::Data<AppState>,
    layout: Layout,
    query: web::Query<MailboxQuery>,
) -> AppResult<HttpResponse> {
    let dir = state.dev_mailbox.clone().ok_or(AppError::NotFound)?;
    let messages = web::block(move || read_dev_mailbox(&dir))
        .await?
        .map_err(anyhow::Error::from)?;
    let l = layout.locale;
    let to = query.to.clone().unwrap_or_default();
    let wanted = to.trim().to_lowercase();
    let matching: Vec<_> = messages
        .into_iter()
        .filter(|message| message.mail.to.to_lowercase().contains(&wanted))
        .collect();
    let count = matching.len();
    let messages = matching
        .into_iter()
        .take(SHOWN)
        .map(|message| MessageView {
            links: message
                .mail
                .text
                .split_whitespace()
                .filter(|word| word.starts_with("http://") || word.starts_with("https://"))
                .map(str::to_owned)
                .collect(),
            to: message.mail.to,
            subject: message.mail.subject,
            sent_at: l.date_time(message.sent_at),
            text: message.mail.text,
        })
        .collect();
    let page = MailboxPage {
        layout,
        messages,
        to,
        matching: count,
    };
    Ok(render_page(StatusCode::OK, &page))
}
