//! GET /dev/mailbox — mail kept while no SMTP relay is set. Registered only in that case.

use actix_web::{HttpResponse, http::StatusCode, web};
use askama::Template;

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
}

pub async fn index(state: web::Data<AppState>, layout: Layout) -> AppResult<HttpResponse> {
    let dir = state.dev_mailbox.clone().ok_or(AppError::NotFound)?;
    let messages = web::block(move || read_dev_mailbox(&dir))
        .await?
        .map_err(anyhow::Error::from)?;
    let l = layout.locale;
    let messages = messages
        .into_iter()
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
    let page = MailboxPage { layout, messages };
    Ok(render_page(StatusCode::OK, &page))
}
