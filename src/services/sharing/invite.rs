//! "Share your account": one person invited to one or more accounts (SPEC S5, S7). The form's
//! button is applied, and for "Send invitation" the whole decision is taken under the account's
//! lock: the member, their grants, the mail and the audit record are written together, or
//! nothing is.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::PgConnection;

use super::{
    form::{self, AccessForm, Decision, FormCommand, Opened, Refusal, Submission, check_for},
    notices::queue_invitation,
};
use crate::{
    config::{Rates, Settings},
    db::{self, members::NewMember},
    domain::{
        access_draft::{AccessDraft, DraftRow},
        audit::Action,
        email::EmailAddress,
        ids::AccountRef,
        quota::{self, AdvancedSummary},
        role::Grant,
    },
    error::AppResult,
    services::{
        audit::{self, Target},
        limits::{self, Limited},
        owner::{Grants, Owner, SharingContext, access_state, load_context, new_grants},
    },
    state::AppState,
};

/// The invite form as first shown: the account asked for (as "Share it" after creating a
/// sub-account asks) when it is one of the owner's; else the master account's row when there is
/// nothing else to share, an empty list to add accounts to otherwise.
pub async fn invite_form(
    state: &AppState,
    owner: &Owner,
    start_with: Option<AccountRef>,
) -> AppResult<AccessForm> {
    let account = owner.account.clone();
    state
        .db
        .read(move |conn| {
            let context = load_context(conn, &account, None)?;
            let asked = start_with.filter(|account| context.accounts.knows(*account));
            let rows = match asked {
                Some(account) => vec![DraftRow::new(account)],
                None if context.accounts.sub_accounts.is_empty() => {
                    vec![DraftRow::new(AccountRef::master(context.accounts.master))]
                }
                None => Vec::new(),
            };
            Ok(AccessForm {
                premium: quota::premium_roles(context.limits, context.usage, false),
                draft: AccessDraft {
                    rows,
                    copy_to_all_below: false,
                },
                context,
                kept: Vec::new(),
            })
        })
        .await
}

/// One submission of the invite form: the button applied, and for "Send invitation" the whole
/// decision taken under the account's lock. The member, their grants and the invitation mail are
/// written together, or nothing is.
pub async fn submit_invitation(
    state: &AppState,
    owner: &Owner,
    email: Option<EmailAddress>,
    access_ends_on: Option<NaiveDate>,
    mut command: FormCommand,
) -> AppResult<Submission> {
    let owner = owner.clone();
    let sending = Sending::new(&state.settings, access_ends_on);
    let submission = state
        .db
        .transaction(move |conn| {
            submit_within(conn, &owner, email.as_ref(), &mut command, &sending)
        })
        .await?;
    if matches!(submission.decision, Decision::Done) {
        state.outbox.wake();
    }
    Ok(submission)
}

/// One invitation decided inside a transaction the caller holds, for a use case that writes
/// its own record beside it (SCIM provisioning): as `submit_invitation`, and the caller wakes
/// the outbox once it has committed.
pub fn invite_within(
    conn: &mut PgConnection,
    owner: &Owner,
    settings: &Settings,
    email: &EmailAddress,
    mut command: FormCommand,
) -> AppResult<Submission> {
    let sending = Sending::new(settings, None);
    submit_within(conn, owner, Some(email), &mut command, &sending)
}

fn submit_within(
    conn: &mut PgConnection,
    owner: &Owner,
    email: Option<&EmailAddress>,
    command: &mut FormCommand,
    sending: &Sending,
) -> AppResult<Submission> {
    let Opened {
        context,
        change,
        problems,
        grants,
        ..
    } = form::open(conn, owner, command, None)?;
    let decision = match (grants, email) {
        (Some(grants), Some(email)) => {
            decide_invitation(conn, owner, &context, email, command, grants, sending)?
        }
        _ => Decision::Shown,
    };
    Ok(Submission::of_invite_form(
        context,
        std::mem::take(&mut command.draft),
        change,
        problems,
        decision,
    ))
}

/// What sending an invitation needs from the settings, with the clock read once for the
/// whole use case.
pub(super) struct Sending {
    pub(super) now: DateTime<Utc>,
    pub(super) ttl: std::time::Duration,
    pub(super) rates: Rates,
    pub(super) access_ends_on: Option<NaiveDate>,
}

impl Sending {
    pub(super) fn new(settings: &Settings, access_ends_on: Option<NaiveDate>) -> Sending {
        Sending {
            now: settings.clock.now(),
            ttl: settings.invitation_link_ttl,
            rates: settings.rates,
            access_ends_on,
        }
    }

    /// When the link of an invitation sent now stops working.
    pub(super) fn link_expires_at(&self) -> DateTime<Utc> {
        self.now + self.ttl
    }
}

fn decide_invitation(
    conn: &mut PgConnection,
    owner: &Owner,
    context: &SharingContext,
    email: &EmailAddress,
    command: &FormCommand,
    grants: Grants,
    sending: &Sending,
) -> AppResult<Decision> {
    let advanced = match refusal_for(conn, owner, context, email, &grants)? {
        Ok(advanced) => advanced,
        Err(refusal) => return Ok(Decision::Refused(refusal)),
    };
    let check = check_for(
        vec![email.as_str().to_owned()],
        &command.draft,
        grants,
        advanced,
    );
    if check.awaits(command) {
        return Ok(Decision::CheckFirst(check));
    }
    invite_one(conn, owner, context, email, &check.grants, sending)?;
    Ok(Decision::Done)
}

/// Why `email` cannot be invited with `grants` now, or what it takes of the advanced accesses.
fn refusal_for(
    conn: &mut PgConnection,
    owner: &Owner,
    context: &SharingContext,
    email: &EmailAddress,
    grants: &[(AccountRef, Grant)],
) -> AppResult<Result<AdvancedSummary, Refusal>> {
    if let Some(refusal) = refusal_of_address(conn, owner, email)? {
        return Ok(Err(refusal));
    }
    let just_grants: Vec<Grant> = grants.iter().map(|(_, grant)| *grant).collect();
    Ok(
        quota::check_invitation(context.limits, context.usage, &just_grants)
            .map_err(Refusal::Quota),
    )
}

/// Why `email` cannot be invited by this owner whatever the plan: it is their own, or its
/// person has access already.
fn refusal_of_address(
    conn: &mut PgConnection,
    owner: &Owner,
    email: &EmailAddress,
) -> AppResult<Option<Refusal>> {
    if email.as_str() == owner.email {
        return Ok(Some(Refusal::OwnAddress));
    }
    let known = db::members::find_by_address_or_login(conn, owner.master(), email.as_str())?;
    Ok(known.map(|_| Refusal::AlreadyHasAccess))
}

/// Writes one invitation: the member, their grants, the mail and the audit record, counted
/// against the owner's hourly limit. Nothing of it stays if anything fails.
pub(super) fn invite_one(
    conn: &mut PgConnection,
    owner: &Owner,
    context: &SharingContext,
    email: &EmailAddress,
    grants: &[(AccountRef, Grant)],
    sending: &Sending,
) -> AppResult<()> {
    // Counted in this transaction: an invitation refused for any reason is not counted.
    let owner_key = owner.person_id.to_string();
    limits::count(
        conn,
        &sending.rates,
        Limited::InvitationsPerOwner,
        &owner_key,
        sending.now,
    )?;
    let new = NewMember {
        master_account_id: owner.master().0,
        email: email.as_str(),
        invited_by: owner.person_id.0,
        invitation_expires_at: sending.link_expires_at(),
        locale: owner.locale.code(),
        access_ends_on: sending.access_ends_on,
    };
    let member = db::members::insert(conn, &new)?;
    db::members::insert_grants(conn, &new_grants(member.member_id(), grants))?;
    queue_invitation(conn, owner, &context.accounts, &member, grants)?;
    audit::record(
        conn,
        owner.master(),
        &owner.actor(),
        Action::InvitationSent,
        Some(Target::member(&member)),
        None,
        Some(access_state(
            &context.accounts,
            grants,
            sending.access_ends_on,
        )),
    )?;
    Ok(())
}
