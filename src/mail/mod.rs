//! Mail: what can be sent, how it is queued with the change that needs it, rendered, and
//! delivered by the outbox worker.

pub mod transport;
pub mod worker;

use askama::Template;
use diesel::PgConnection;
use serde::{Deserialize, Serialize};

use crate::{db, error::AppResult, i18n::Locale, messages};

/// A message waiting in the outbox. It holds what the templates need except secrets: links are
/// minted by the worker when it sends, so a raw token is never stored anywhere (R2, R32).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Mail {
    /// Proves an owner's claim of an email domain for single sign-on (issue 22): a link to an
    /// address at that domain, which whoever holds that mailbox confirms.
    DomainProof {
        master_account_id: i64,
        domain: String,
        owner_name: String,
        owner_email: String,
    },
    /// Sent after sign-up and on request: a link that proves the person owns the address.
    VerifyEmail {
        person_id: i64,
        name: String,
        /// The person's credential generation when queued: a later change of password or
        /// address, or "Sign out everywhere", keeps the link from being minted.
        #[serde(default)]
        generation: i32,
    },
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
    /// Tells the owner that someone accepted their invitation.
    InvitationAccepted {
        owner_name: String,
        invitee_email: String,
    },
    /// Tells a person that an owner changed their access: what it was, what it is, and when it
    /// ends. Messages queued by earlier versions have none of these and say only that it changed.
    AccessChanged {
        name: String,
        owner_name: String,
        owner_email: String,
        #[serde(default)]
        before: Vec<OfferedAccess>,
        #[serde(default)]
        after: Vec<OfferedAccess>,
        #[serde(default)]
        ends_on: Option<chrono::NaiveDate>,
        #[serde(default)]
        owner_sub_accounts: u32,
    },
    /// Tells a person that an owner deleted their access.
    AccessRemoved {
        name: String,
        owner_name: String,
        owner_email: String,
    },
    /// Tells a person, a week before, that their access ends on a date the owner set.
    AccessEndingSoon {
        name: String,
        owner_name: String,
        owner_email: String,
        last_day: chrono::NaiveDate,
    },
    /// Tells a person that their access ended on the date the owner set.
    AccessEnded {
        name: String,
        owner_name: String,
        owner_email: String,
    },
    /// Offers a person the ownership of an account, to accept within 72 hours.
    OwnershipOffered {
        name: String,
        owner_name: String,
        owner_email: String,
        expires_at: chrono::DateTime<chrono::Utc>,
    },
    /// Tells both sides that an account changed owner. `received` for the new owner.
    OwnershipTransferred {
        name: String,
        received: bool,
        other_name: String,
        other_email: String,
    },
    /// A link to choose a new password, asked for on the sign-in page: works once, for an hour.
    /// Queued by `db::person_links::request_reset`, which writes this shape in SQL.
    PasswordReset {
        person_id: i64,
        name: String,
        #[serde(default)]
        generation: i32,
    },
    /// Sent to a new address: the link that moves the login to it.
    EmailChange {
        person_id: i64,
        name: String,
        #[serde(default)]
        generation: i32,
    },
    /// Sent to the old address once the login has moved, so a change nobody asked for is seen.
    EmailChanged { name: String, new_email: String },
    /// Tells a person that a way of proving it is them changed (issue 22): a passkey added or
    /// removed, the authenticator app turned on or off. Whoever holds their password alone could
    /// otherwise add a passkey of their own unseen.
    SecondFactorChanged {
        name: String,
        change: SecondFactorChange,
    },
}

/// What changed in a person's second factors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum SecondFactorChange {
    PasskeyAdded { passkey: String },
    PasskeyRemoved { passkey: String },
    AppTurnedOn,
    AppTurnedOff,
}

/// One account offered in an invitation, as queued: the role by code and the boxes as stored,
/// so the mail can say what the access opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferedAccess {
    /// The sub-account's id and name; `None` for the master account.
    pub sub_account: Option<(i64, String)>,
    pub role: String,
    pub areas: i64,
    pub restrictions: i64,
}

/// A line of an invitation queued by an earlier version: an account by name and a role name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitedAccess {
    pub account: String,
    pub role: String,
}

/// The accesses of an invitation, grouped and worded the same way as on the sharing page.
fn describe_offered(
    l: Locale,
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
                Some((id, name)) if *id == sub.0 => Some(name.as_str()),
                _ => None,
            })
            .unwrap_or_default()
    };
    let mut described =
        messages::describe_accesses(l, &grants, name_of, owner_sub_accounts as usize);
    described.extend(legacy.iter().map(|line| messages::AccessDescription {
        access: line.role.clone(),
        scope: l.tr1("scope-names", "names", &line.account),
        restrictions: Vec::new(),
        accounts: line.account.clone(),
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
    /// The language to write in when the recipient has no login that chose one.
    pub locale: Locale,
}

/// Queues `mail` inside the caller's transaction: it is sent if and only if the change commits.
/// It goes out in the language the recipient chose, if the address has a login that chose one,
/// else in the envelope's.
pub fn enqueue(conn: &mut PgConnection, envelope: &Envelope, mail: &Mail) -> AppResult<()> {
    let message = serde_json::to_value(mail).map_err(anyhow::Error::from)?;
    let chosen = db::people::locale_of_address(conn, envelope.recipient)?;
    let locale = chosen
        .as_deref()
        .and_then(Locale::from_code)
        .unwrap_or(envelope.locale);
    let row = db::outbox::NewOutboxRow {
        master_account_id: envelope.master_account_id,
        member_id: envelope.member_id,
        recipient: envelope.recipient,
        message,
        locale: locale.code(),
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

/// Every mail is a greeting, paragraphs, perhaps the accesses offered, perhaps one link, and
/// more paragraphs, in the recipient's language.
#[derive(Template)]
#[template(path = "email/notice.txt")]
struct NoticeText<'a> {
    l: Locale,
    greeting: &'a str,
    before: &'a [String],
    accesses: &'a [messages::AccessDescription],
    link: Option<(&'a str, &'a str)>,
    after: &'a [String],
}

#[derive(Template)]
#[template(path = "email/notice.html")]
struct NoticeHtml<'a> {
    l: Locale,
    subject: &'a str,
    greeting: &'a str,
    before: &'a [String],
    accesses: &'a [messages::AccessDescription],
    link: Option<(&'a str, &'a str)>,
    after: &'a [String],
}

/// What a mail says, before it is put in its two templates.
struct Words {
    subject: String,
    greeting: String,
    before: Vec<String>,
    accesses: Vec<messages::AccessDescription>,
    link: Option<(String, String)>,
    after: Vec<String>,
}

impl Words {
    fn greeting(l: Locale, name: &str) -> String {
        l.tr1("mail-hello-name", "name", name)
    }

    fn from_notice(
        l: Locale,
        subject: String,
        name: &str,
        notice: messages::MailNotice,
        link: Option<&str>,
    ) -> Words {
        Words {
            subject,
            greeting: Words::greeting(l, name),
            before: notice.before,
            accesses: Vec::new(),
            link: link.map(|url| (notice.button, url.to_owned())),
            after: notice.after,
        }
    }

    fn render(self, l: Locale) -> AppResult<(String, String, String)> {
        let link = self
            .link
            .as_ref()
            .map(|(label, url)| (label.as_str(), url.as_str()));
        let text = NoticeText {
            l,
            greeting: &self.greeting,
            before: &self.before,
            accesses: &self.accesses,
            link,
            after: &self.after,
        }
        .render()?;
        let html = NoticeHtml {
            l,
            subject: &self.subject,
            greeting: &self.greeting,
            before: &self.before,
            accesses: &self.accesses,
            link,
            after: &self.after,
        }
        .render()?;
        Ok((self.subject, text, html))
    }
}

/// What the worker knows at send time that the queued message does not hold.
pub struct SendContext<'a> {
    pub base_url: &'a str,
    /// The freshly minted link, for messages that carry one.
    pub action_link: Option<&'a str>,
    pub link_valid_hours: u64,
    /// When the minted link stops working.
    pub link_valid_until: chrono::DateTime<chrono::Utc>,
}

pub fn render(to: &str, mail: &Mail, context: &SendContext, l: Locale) -> AppResult<RenderedMail> {
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
    let link = context.action_link.unwrap_or_default().to_owned();
    let until = l.date_time(context.link_valid_until);
    let words = match mail {
        Mail::DomainProof {
            domain,
            owner_name,
            owner_email,
            ..
        } => Words {
            subject: l.tr1("domain-proof-subject", "domain", domain.as_str()),
            greeting: l.t("mail-hello"),
            before: vec![l.tr(
                "domain-proof-before",
                &[
                    ("name", owner_name.as_str().into()),
                    ("email", owner_email.as_str().into()),
                    ("domain", domain.as_str().into()),
                ],
            )],
            accesses: Vec::new(),
            link: Some((l.t("domain-proof-button"), link)),
            after: vec![
                l.tr1("domain-proof-valid", "hours", context.link_valid_hours),
                l.t("domain-proof-ignore"),
            ],
        },
        Mail::VerifyEmail { name, .. } => Words {
            subject: l.t("verify-subject"),
            greeting: Words::greeting(l, name),
            before: vec![l.t("verify-before")],
            accesses: Vec::new(),
            link: Some((l.t("verify-button"), link)),
            after: vec![
                l.tr1("verify-valid", "hours", context.link_valid_hours),
                l.t("verify-ignore"),
            ],
        },
        Mail::SignUpWithExistingAddress { name } => Words {
            subject: l.t("existing-subject"),
            greeting: Words::greeting(l, name),
            before: vec![l.t("existing-before"), l.t("existing-if-you")],
            accesses: Vec::new(),
            link: Some((
                l.t("existing-button"),
                format!("{}/sign-in", context.base_url),
            )),
            after: vec![l.t("existing-ignore")],
        },
        Mail::Invitation {
            inviter_name,
            inviter_email,
            offered,
            owner_sub_accounts,
            accesses,
            ..
        } => Words {
            subject: l.tr1("invitation-subject", "inviter", inviter_name),
            greeting: l.t("mail-hello"),
            before: vec![l.tr2(
                "invitation-before",
                "inviter",
                inviter_name,
                "email",
                inviter_email,
            )],
            accesses: describe_offered(l, offered, *owner_sub_accounts, accesses),
            link: Some((l.t("invitation-button"), link)),
            after: vec![
                l.tr1("invitation-valid", "until", until),
                l.t("invitation-ignore"),
            ],
        },
        Mail::InvitationDeclined {
            owner_name,
            invitee_email,
        } => Words {
            subject: l.tr1("declined-subject", "email", invitee_email),
            greeting: Words::greeting(l, owner_name),
            before: vec![
                l.tr1("declined-body", "email", invitee_email),
                l.t("declined-link"),
            ],
            accesses: Vec::new(),
            link: Some((
                l.t("declined-button"),
                format!("{}/sharing", context.base_url),
            )),
            after: Vec::new(),
        },
        Mail::InvitationAccepted {
            owner_name,
            invitee_email,
        } => Words {
            subject: l.tr1("accepted-subject", "email", invitee_email),
            greeting: Words::greeting(l, owner_name),
            before: vec![
                l.tr1("accepted-body", "email", invitee_email),
                l.t("declined-link"),
            ],
            accesses: Vec::new(),
            link: Some((
                l.t("declined-button"),
                format!("{}/sharing", context.base_url),
            )),
            after: vec![l.t("notify-switch-off")],
        },
        Mail::AccessChanged {
            name,
            owner_name,
            owner_email,
            before,
            after,
            ends_on,
            owner_sub_accounts,
        } => Words {
            subject: l.tr1("changed-subject", "owner", owner_name),
            greeting: Words::greeting(l, name),
            before: {
                let mut lines =
                    vec![l.tr2("changed-body", "owner", owner_name, "email", owner_email)];
                // One line each for what it was and what it is, in the sharing page's words.
                let in_words = |accesses: &[OfferedAccess]| {
                    describe_offered(l, accesses, *owner_sub_accounts, &[])
                        .into_iter()
                        .map(|access| format!("{} {}", access.access, access.scope))
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                if !after.is_empty() {
                    lines.push(l.tr1("changed-before", "accesses", in_words(before)));
                    lines.push(l.tr1("changed-after", "accesses", in_words(after)));
                    lines.push(match ends_on {
                        Some(day) => l.tr1("changed-ends-on", "day", l.day(*day)),
                        None => l.t("changed-no-end"),
                    });
                }
                lines
            },
            accesses: Vec::new(),
            link: Some((
                l.t("changed-button"),
                format!("{}/accounts", context.base_url),
            )),
            after: vec![l.t("notify-switch-off")],
        },
        Mail::AccessRemoved {
            name,
            owner_name,
            owner_email,
        } => Words {
            subject: l.tr1("removed-subject", "owner", owner_name),
            greeting: Words::greeting(l, name),
            before: vec![l.tr2("removed-body", "owner", owner_name, "email", owner_email)],
            accesses: Vec::new(),
            link: None,
            after: vec![l.t("notify-switch-off")],
        },
        Mail::AccessEndingSoon {
            name,
            owner_name,
            owner_email,
            last_day,
        } => Words {
            subject: l.tr1("ending-subject", "owner", owner_name),
            greeting: Words::greeting(l, name),
            before: vec![l.tr(
                "ending-body",
                &[
                    ("owner", owner_name.as_str().into()),
                    ("email", owner_email.as_str().into()),
                    ("date", l.day(*last_day).into()),
                ],
            )],
            accesses: Vec::new(),
            link: Some((
                l.t("changed-button"),
                format!("{}/accounts", context.base_url),
            )),
            after: Vec::new(),
        },
        Mail::AccessEnded {
            name,
            owner_name,
            owner_email,
        } => Words {
            subject: l.tr1("ended-subject", "owner", owner_name),
            greeting: Words::greeting(l, name),
            before: vec![l.tr2("ended-body", "owner", owner_name, "email", owner_email)],
            accesses: Vec::new(),
            link: None,
            after: vec![l.t("notify-switch-off")],
        },
        Mail::OwnershipOffered {
            name,
            owner_name,
            owner_email,
            expires_at,
        } => Words {
            subject: l.tr1("ownership-offer-subject", "owner", owner_name),
            greeting: Words::greeting(l, name),
            before: vec![l.tr(
                "ownership-offer-body",
                &[
                    ("owner", owner_name.as_str().into()),
                    ("email", owner_email.as_str().into()),
                    ("until", l.date_time(*expires_at).into()),
                ],
            )],
            accesses: Vec::new(),
            link: Some((
                l.t("ownership-offer-button"),
                format!("{}/ownership", context.base_url),
            )),
            after: vec![l.t("ownership-offer-ignore")],
        },
        Mail::OwnershipTransferred {
            name,
            received,
            other_name,
            other_email,
        } => {
            let (subject, body) = if *received {
                ("ownership-received-subject", "ownership-received-body")
            } else {
                ("ownership-handed-subject", "ownership-handed-body")
            };
            Words {
                subject: l.tr1(subject, "other", other_name),
                greeting: Words::greeting(l, name),
                before: vec![l.tr2(body, "other", other_name, "email", other_email)],
                accesses: Vec::new(),
                link: Some((
                    l.t("changed-button"),
                    format!("{}/accounts", context.base_url),
                )),
                after: Vec::new(),
            }
        }
        Mail::PasswordReset { name, .. } => Words::from_notice(
            l,
            l.t("password-reset-subject"),
            name,
            messages::password_reset_mail(l, &until),
            context.action_link,
        ),
        Mail::EmailChange { name, .. } => Words::from_notice(
            l,
            l.t("email-change-subject"),
            name,
            messages::email_change_mail(l, &until),
            context.action_link,
        ),
        Mail::EmailChanged { name, new_email } => Words::from_notice(
            l,
            l.t("email-changed-subject"),
            name,
            messages::email_changed_mail(l, new_email, context.base_url),
            None,
        ),
        Mail::SecondFactorChanged { name, change } => {
            let (subject, body) = match change {
                SecondFactorChange::PasskeyAdded { passkey } => (
                    l.t("factor-passkey-added-subject"),
                    l.tr1("factor-passkey-added", "passkey", passkey),
                ),
                SecondFactorChange::PasskeyRemoved { passkey } => (
                    l.t("factor-passkey-removed-subject"),
                    l.tr1("factor-passkey-removed", "passkey", passkey),
                ),
                SecondFactorChange::AppTurnedOn => {
                    (l.t("factor-app-on-subject"), l.t("factor-app-on"))
                }
                SecondFactorChange::AppTurnedOff => {
                    (l.t("factor-app-off-subject"), l.t("factor-app-off"))
                }
            };
            let reset = format!("{}/password-reset", context.base_url);
            Words {
                subject,
                greeting: Words::greeting(l, name),
                before: vec![body, l.tr1("factor-not-you", "link", reset.as_str())],
                accesses: Vec::new(),
                link: Some((
                    l.t("factor-button"),
                    format!("{}/account/two-factor", context.base_url),
                )),
                after: Vec::new(),
            }
        }
    };
    let (subject, text, html) = words.render(l)?;
    Ok(RenderedMail {
        to: to.to_owned(),
        reply_to,
        subject,
        text,
        html,
    })
}
