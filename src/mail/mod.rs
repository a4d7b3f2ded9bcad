//! Mail: what can be sent, how it is queued with the change that needs it, rendered, and
//! delivered by the outbox worker.

pub mod transport;
pub mod worker;

use askama::Template;
use diesel::PgConnection;
use serde::{Deserialize, Serialize};

use crate::{db, error::AppResult};

/// A message waiting in the outbox. It holds what the templates need except secrets: links are
/// minted by the worker when it sends, so a raw token is never stored anywhere (R2, R32).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Mail {
    /// Sent after sign-up and on request: a link that proves the person owns the address.
    VerifyEmail { person_id: i64, name: String },
    /// Someone signed up with an address that already has a login; the page they saw said the
    /// same as for a new address (R22), and this tells the real owner what happened.
    SignUpWithExistingAddress { name: String },
}

/// Queues `mail` inside the caller's transaction: it is sent if and only if the change commits.
pub fn enqueue(
    conn: &mut PgConnection,
    master_account_id: Option<i64>,
    recipient: &str,
    mail: &Mail,
) -> AppResult<()> {
    let message = serde_json::to_value(mail).map_err(anyhow::Error::from)?;
    db::outbox::insert(
        conn,
        &db::outbox::NewOutboxRow {
            master_account_id,
            recipient,
            message,
        },
    )?;
    Ok(())
}

/// A message ready for a transport.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RenderedMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Template)]
#[template(path = "email/verify_email.txt")]
struct VerifyEmailText<'a> {
    name: &'a str,
    link: &'a str,
    valid_hours: u64,
}

#[derive(Template)]
#[template(path = "email/verify_email.html")]
struct VerifyEmailHtml<'a> {
    name: &'a str,
    link: &'a str,
    valid_hours: u64,
}

#[derive(Template)]
#[template(path = "email/existing_address.txt")]
struct ExistingAddressText<'a> {
    name: &'a str,
    sign_in_link: &'a str,
}

#[derive(Template)]
#[template(path = "email/existing_address.html")]
struct ExistingAddressHtml<'a> {
    name: &'a str,
    sign_in_link: &'a str,
}

/// What the worker knows at send time that the queued message does not hold.
pub struct SendContext<'a> {
    pub base_url: &'a str,
    /// The freshly minted link, for messages that carry one.
    pub action_link: Option<&'a str>,
    pub link_valid_hours: u64,
}

pub fn render(to: &str, mail: &Mail, context: &SendContext) -> AppResult<RenderedMail> {
    let (subject, text, html) = match mail {
        Mail::VerifyEmail { name, .. } => {
            let link = context.action_link.unwrap_or_default();
            let valid_hours = context.link_valid_hours;
            (
                "Verify your email address".to_owned(),
                VerifyEmailText {
                    name,
                    link,
                    valid_hours,
                }
                .render()?,
                VerifyEmailHtml {
                    name,
                    link,
                    valid_hours,
                }
                .render()?,
            )
        }
        Mail::SignUpWithExistingAddress { name } => {
            let sign_in_link = format!("{}/sign-in", context.base_url);
            (
                "Someone tried to sign up with your email address".to_owned(),
                ExistingAddressText {
                    name,
                    sign_in_link: &sign_in_link,
                }
                .render()?,
                ExistingAddressHtml {
                    name,
                    sign_in_link: &sign_in_link,
                }
                .render()?,
            )
        }
    };
    Ok(RenderedMail {
        to: to.to_owned(),
        subject,
        text,
        html,
    })
}
