//! Where rendered mail goes: an SMTP relay through lettre, or in development a mailbox folder
//! that /dev/mailbox lists.

use std::path::{Path, PathBuf};

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{
        Mailbox, MultiPart,
        header::{HeaderName, HeaderValue},
    },
};
use serde::{Deserialize, Serialize};

use super::RenderedMail;
use crate::config::{MailTransportSettings, Settings};

pub enum Transport {
    Smtp {
        relay: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    DevMailbox {
        dir: PathBuf,
    },
}

#[derive(Debug)]
pub struct DeliveryError {
    /// The receiving server refused for good (a 5xx answer, an unusable address): retrying would
    /// only repeat the refusal.
    pub permanent: bool,
    pub message: String,
}

/// A message as kept in the development mailbox.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DevMessage {
    pub sent_at: chrono::DateTime<chrono::Utc>,
    #[serde(flatten)]
    pub mail: RenderedMail,
}

impl Transport {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Transport> {
        Ok(match &settings.mail_transport {
            MailTransportSettings::Smtp { url } => Transport::Smtp {
                relay: AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| anyhow::anyhow!("SMTP_URL is not usable: {e}"))?
                    .build(),
                from: settings
                    .mail_from
                    .parse()
                    .map_err(|e| anyhow::anyhow!("MAIL_FROM is not a usable address: {e}"))?,
            },
            MailTransportSettings::DevMailbox { dir } => {
                std::fs::create_dir_all(dir)?;
                Transport::DevMailbox { dir: dir.clone() }
            }
        })
    }

    pub fn dev_mailbox_dir(&self) -> Option<&Path> {
        match self {
            Transport::DevMailbox { dir } => Some(dir),
            Transport::Smtp { .. } => None,
        }
    }

    pub async fn send(&self, mail: &RenderedMail) -> Result<(), DeliveryError> {
        match self {
            Transport::Smtp { relay, from } => {
                let to: Mailbox = mail.to.parse().map_err(|e| DeliveryError {
                    permanent: true,
                    message: format!("unusable recipient: {e}"),
                })?;
                let mut builder = Message::builder()
                    .from(from.clone())
                    .to(to)
                    // Big mailbox providers refuse mail without one (Gmail: 550-5.7.1); on the
                    // sender's own domain, as they expect.
                    .message_id(Some(format!(
                        "<{}@{}>",
                        crate::secrets::random_token(),
                        from.email.domain()
                    )))
                    .subject(&mail.subject);
                if let Some(reply_to) = &mail.reply_to {
                    // A question about an invitation goes to the person who sent it. An address
                    // that does not parse only loses the Reply-To, not the mail.
                    if let Ok(reply_to) = reply_to.parse::<Mailbox>() {
                        builder = builder.reply_to(reply_to);
                    }
                }
                let mut message = builder
                    .multipart(MultiPart::alternative_plain_html(
                        mail.text.clone(),
                        mail.html.clone(),
                    ))
                    .map_err(|e| DeliveryError {
                        permanent: true,
                        message: format!("message could not be built: {e}"),
                    })?;
                // RFC 3834: sent by a machine, so auto-responders do not answer it.
                message.headers_mut().insert_raw(HeaderValue::new(
                    HeaderName::new_from_ascii_str("Auto-Submitted"),
                    "auto-generated".to_owned(),
                ));
                relay
                    .send(message)
                    .await
                    .map(drop)
                    .map_err(|e| DeliveryError {
                        permanent: e.is_permanent(),
                        message: e.to_string(),
                    })
            }
            Transport::DevMailbox { dir } => {
                let message = DevMessage {
                    sent_at: chrono::Utc::now(),
                    mail: mail.clone(),
                };
                let dir = dir.clone();
                tokio::task::spawn_blocking(move || write_dev_message(&dir, &message))
                    .await
                    .map_err(|e| e.to_string())
                    .and_then(|written| written.map_err(|e| e.to_string()))
                    .map_err(|message| DeliveryError {
                        permanent: false,
                        message,
                    })
            }
        }
    }
}

fn write_dev_message(dir: &Path, message: &DevMessage) -> std::io::Result<()> {
    let name = format!(
        "{}-{}",
        message.sent_at.timestamp_nanos_opt().unwrap_or_default(),
        crate::secrets::random_token()
    );
    let partial = dir.join(format!(".{name}.tmp"));
    std::fs::write(&partial, serde_json::to_vec_pretty(message)?)?;
    // Renamed into place so the mailbox page never reads half a message.
    std::fs::rename(partial, dir.join(format!("{name}.json")))
}

/// The development mailbox, newest first.
pub fn read_dev_mailbox(dir: &Path) -> std::io::Result<Vec<DevMessage>> {
    let mut messages = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|ext| ext == "json") {
            match serde_json::from_slice::<DevMessage>(&std::fs::read(&path)?) {
                Ok(message) => messages.push(message),
                Err(e) => {
                    tracing::warn!(path = %path.display(), error = %e, "skipping unreadable dev mailbox file")
                }
            }
        }
    }
    messages.sort_by_key(|message| std::cmp::Reverse(message.sent_at));
    Ok(messages)
}
