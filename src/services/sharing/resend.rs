//! "Re-send invitation" (SPEC S9, R5): the old link stops working, the expiry starts again, and
//! only the new mail's link works.

use super::notices::queue_invitation;
use crate::{
    db::{self, members::Member},
    domain::{audit::Action, ids::MemberId},
    error::{AppError, AppResult},
    services::{
        audit::{self, Target},
        limits::{self, Limited},
        owner::{Owner, grants_of, owner_accounts},
    },
    state::AppState,
};

/// How long after queueing an invitation mail a "Re-send" is taken for a repeated click.
const RESEND_GUARD: chrono::Duration = chrono::Duration::seconds(30);

/// "Re-send invitation": the old link stops working now, the expiry starts again, and a new
/// mail is queued; only the link it carries will work (R5). The flag is false when the person
/// has accepted, and there is nothing to re-send.
pub async fn resend(
    state: &AppState,
    owner: &Owner,
    member_id: MemberId,
) -> AppResult<(Member, bool)> {
    owner.may_send_mail()?;
    let owner = owner.clone();
    let ttl = state.settings.invitation_link_ttl;
    let rates = state.settings.rates;
    let now = state.settings.clock.now();
    let resent = state
        .db
        .transaction(move |conn| {
            let account = db::members::lock_account(conn, owner.master())?;
            let master = account.master_id();
            let member = db::members::find(conn, master, member_id)?.ok_or(AppError::NotFound)?;
            // A double click, or a second click while the first mail is still on its way, sends
            // nothing more (UX.md rule 11: duplicate invitations from double clicks).
            let just_queued = now - RESEND_GUARD;
            if member.accepted_at.is_none()
                && db::outbox::has_fresh_pending_for_member(conn, member_id, just_queued)?
            {
                return Ok((member, true));
            }
            if member.accepted_at.is_none() {
                let person = member_id.to_string();
                limits::count(conn, &rates, Limited::ResendPerPerson, &person, now)?;
            }
            let Some(version) = db::members::retire_link(conn, master, member_id, now + ttl, now)?
            else {
                return Ok((member, false));
            };
            let member = Member {
                token_version: version,
                ..member
            };
            let grants = grants_of(conn, master, member_id)?;
            let accounts = owner_accounts(conn, master)?;
            queue_invitation(conn, &owner, &accounts, &member, &grants)?;
            audit::record(
                conn,
                master,
                &owner.actor(),
                Action::InvitationResent,
                Some(Target::member(&member)),
                None,
                None,
            )?;
            Ok((member, true))
        })
        .await?;
    state.outbox.wake();
    Ok(resent)
}
