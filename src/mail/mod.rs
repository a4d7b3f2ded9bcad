//! Mail: what can be sent, how it is queued with the change that needs it, rendered, and
//! delivered by the outbox worker.

pub mod transport;
pub mod worker;

use askama::Template;
use diesel::PgConnection;
use serde::{Deserialize, Serialize};

use crate::{db, error::AppResult, messages};

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
    /// An invitation to an owner's accounts. `token_version` ties the mail to one generation of
    /// the link: after a re-send, an older mail still queued is not sent (R32).
    Invitation {
        member_id: i64,
        token_version: i32,
        inviter_name: String,
        inviter_email: String,
        /// Each account offered with its access, grouped and worded when the mail is rendered.
        #[serde(default)]
        offered: Vec<OfferedAccess>,
        /// How many sub-accounts the owner had, to tell "all of them" from "some".
        #[serde(default)]
        owner_sub_accounts: u32,
        /// Lines queued by earlier versions ("Account: Role"), still sent as they are.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        accesses: Vec<InvitedAccess>,
    },
    /// Tells the owner that someone declined their invitation, and that the seat is free again.
    InvitationDeclined {
        owner_name: String,
        invitee_email: String,
    },
    /// A link to choose a new password, asked for on the sign-in page: works once, for an hour.
    PasswordReset { person_id: i64, name: String },
    /// Sent to a new address: the link that moves the login to it.
    EmailChange { person_id: i64, name: String },
    /// Sent to the old address once the login has moved, so a change nobody asked for is seen.
    EmailChanged { name: String, new_email: String },
}

/// One account offered in an invitation, as queued: the role by code and the boxes as stored,
/// so the mail can say what the access opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferedAccess {
    /// The sub-account's id and name; `None` for the master account.
    pub sub_account: Option<(i64, String)>,
    pub role: String,
    pub areas: i16,
    pub restrictions: i16,
}

/// A line of an invitation queued by an earlier version: an account by name and a role name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitedAccess {
    pub account: String,
    pub role: String,
}

/// The accesses of an invitation, grouped and worded the same way as on the sharing page.
fn describe_offered(
    offered: &[OfferedAccess],
    owner_sub_accounts: u32,
    legacy: &[InvitedAccess],
) -> Vec<messages::AccessDescription> {
    use crate::domain::{
        ids::{AccountRef, MasterAccountId, SubAccountId},
        permission::{AreaSet, RestrictionSet},
        role::{Grant, Role},
    };
    // Only which sub-account matters for grouping; the master account's id is not needed here.
    let master = MasterAccountId(0);
    let grants: Vec<(AccountRef, Grant)> = offered
        .iter()
        .filter_map(|access| {
            let account = match &access.sub_account {
                None => AccountRef::master(master),
                Some((id, _)) => AccountRef::sub(master, SubAccountId(*id)),
            };
            let grant = Grant {
                role: Role::from_code(&access.role)?,
                areas: AreaSet::from_bits(access.areas),
                restrictions: RestrictionSet::from_bits(access.restrictions),
            };
            Some((account, grant))
        })
        .collect();
    let name_of = |sub: SubAccountId| {
        offered
            .iter()
            .find_map(|access| match &access.sub_account {
                Some((id, name)) if *id == sub.0 => Some(name.clone()),
                _ => None,
            })
            .unwrap_or_default()
    };
    let mut described = messages::describe_accesses(&grants, name_of, owner_sub_accounts as usize);
    described.extend(legacy.iter().map(|line| messages::AccessDescription {
        access: line.role.clone(),
        scope: format!("on {}", line.account),
        restrictions: Vec::new(),
        accounts: vec![line.account.clone()],
        scope_names_all: true,
    }));
    described
}

/// Who a queued message goes to, and whose sharing it belongs to.
pub struct Envelope<'a> {
    pub recipient: &'a str,
    pub master_account_id: Option<i64>,
    /// For invitations: the member it invites, so the sharing page can show its delivery.
    pub member_id: Option<i64>,
}

/// Queues `mail` inside the caller's transaction: it is sent if and only if the change commits.
pub fn enqueue(conn: &mut PgConnection, envelope: &Envelope, mail: &Mail) -> AppResult<()> {
    let message = serde_json::to_value(mail).map_err(anyhow::Error::from)?;
    let row = db::outbox::NewOutboxRow {
        master_account_id: envelope.master_account_id,
        member_id: envelope.member_id,
        recipient: envelope.recipient,
        message,
    };
    db::outbox::insert(conn, &row)?;
    Ok(())
}

/// A message ready for a transport.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RenderedMail {
    pub to: String,
    /// Where replies go, when it is a person (the inviting owner) rather than no-reply.
    #[serde(default)]
    pub reply_to: Option<String>,
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

#[derive(Template)]
#[template(path = "email/invitation.txt")]
struct InvitationText<'a> {
    inviter_name: &'a str,
    inviter_email: &'a str,
    accesses: &'a [messages::AccessDescription],
    link: &'a str,
    valid_until: &'a str,
}

#[derive(Template)]
#[template(path = "email/invitation.html")]
struct InvitationHtml<'a> {
    inviter_name: &'a str,
    inviter_email: &'a str,
    accesses: &'a [messages::AccessDescription],
    link: &'a str,
    valid_until: &'a str,
}

/// The mails that are a greeting, a few paragraphs and perhaps one link: their words are in
/// `messages`, one template pair serves them all.
#[derive(Template)]
#[template(path = "email/notice.txt")]
struct NoticeText<'a> {
    name: &'a str,
    before: &'a [String],
    link: Option<(&'a str, &'a str)>,
    after: &'a [String],
}

#[derive(Template)]
#[template(path = "email/notice.html")]
struct NoticeHtml<'a> {
    subject: &'a str,
    name: &'a str,
    before: &'a [String],
    link: Option<(&'a str, &'a str)>,
    after: &'a [String],
}

fn notice(
    subject: String,
    name: &str,
    notice: messages::MailNotice,
    link: Option<&str>,
) -> AppResult<(String, String, String)> {
    let link = link.map(|url| (notice.button, url));
    let text = NoticeText {
        name,
        before: &notice.before,
        link,
        after: &notice.after,
    }
    .render()?;
    let html = NoticeHtml {
        subject: &subject,
        name,
        before: &notice.before,
        link,
        after: &notice.after,
    }
    .render()?;
    Ok((subject, text, html))
}

#[derive(Template)]
#[template(path = "email/invitation_declined.txt")]
struct DeclinedText<'a> {
    owner_name: &'a str,
    invitee_email: &'a str,
    sharing_link: &'a str,
}

#[derive(Template)]
#[template(path = "email/invitation_declined.html")]
struct DeclinedHtml<'a> {
    owner_name: &'a str,
    invitee_email: &'a str,
    sharing_link: &'a str,
}

/// What the worker knows at send time that the queued message does not hold.
pub struct SendContext<'a> {
    pub base_url: &'a str,
    /// The freshly minted link, for messages that carry one.
    pub action_link: Option<&'a str>,
    pub link_valid_hours: u64,
    /// When the minted link stops working, as shown to people.
    pub link_valid_until: String,
}

pub fn render(to: &str, mail: &Mail, context: &SendContext) -> AppResult<RenderedMail> {
    let reply_to = match mail {
        Mail::Invitation {
            inviter_name,
            inviter_email,
            ..
        } => Some(format!(
            "\"{}\" <{inviter_email}>",
            inviter_name.replace('"', "'")
        )),
        _ => None,
    };
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
        Mail::Invitation {
            inviter_name,
            inviter_email,
            offered,
            owner_sub_accounts,
            accesses,
            ..
        } => {
            let link = context.action_link.unwrap_or_default();
            let valid_until = context.link_valid_until.as_str();
            let accesses = &describe_offered(offered, *owner_sub_accounts, accesses);
            (
                format!("{inviter_name} invited you to their email account"),
                InvitationText {
                    inviter_name,
                    inviter_email,
                    accesses,
                    link,
                    valid_until,
                }
                .render()?,
                InvitationHtml {
                    inviter_name,
                    inviter_email,
                    accesses,
                    link,
                    valid_until,
                }
                .render()?,
            )
        }
        Mail::InvitationDeclined {
            owner_name,
            invitee_email,
        } => {
            let sharing_link = &format!("{}/sharing", context.base_url);
            (
                format!("{invitee_email} declined your invitation"),
                DeclinedText {
                    owner_name,
                    invitee_email,
                    sharing_link,
                }
                .render()?,
                DeclinedHtml {
                    owner_name,
                    invitee_email,
                    sharing_link,
                }
                .render()?,
            )
        }
        Mail::PasswordReset { name, .. } => notice(
            messages::PASSWORD_RESET_SUBJECT.to_owned(),
            name,
            messages::password_reset_mail(&context.link_valid_until),
            context.action_link,
        )?,
        Mail::EmailChange { name, .. } => notice(
            messages::EMAIL_CHANGE_SUBJECT.to_owned(),
            name,
            messages::email_change_mail(&context.link_valid_until),
            context.action_link,
        )?,
        Mail::EmailChanged { name, new_email } => notice(
            messages::EMAIL_CHANGED_SUBJECT.to_owned(),
            name,
            messages::email_changed_mail(new_email, context.base_url),
            None,
        )?,
    };
    Ok(RenderedMail {
        to: to.to_owned(),
        reply_to,
        subject,
        text,
        html,
    })
}
