//! Accepting an invitation (SPEC S8): as a signed-in person with the invited address, or with a
//! new access-only login (S2).

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use diesel::PgConnection;

use super::{
    audit::{self, Target},
    owner::Actor,
};
use crate::{
    db::{self, members::Member, people::NewPerson, people::Person},
    domain::{
        audit::Action,
        ids::{AccountRef, MasterAccountId, PersonId, SubAccountId},
        name::DisplayName,
        password::NewPassword,
        role::Grant,
    },
    error::AppResult,
    i18n::Locale,
    mail::{self, Envelope, Mail},
    state::AppState,
};

/// What a live invitation offers, for the page the link opens.
pub struct InvitationView {
    pub email: String,
    pub owner_name: String,
    pub owner_email: String,
    /// Each account offered, with its access.
    pub grants: Vec<(AccountRef, Grant)>,
    /// The owner's sub-accounts by name: to name the accounts, and tell "all" from "some".
    pub sub_accounts: Vec<(SubAccountId, String)>,
    pub expires_at: DateTime<Utc>,
    /// Whether the invited address already has a login, which decides between "sign in" and
    /// "create a login".
    pub has_login: bool,
}

#[derive(Debug, PartialEq, Eq)]
pub enum AcceptRefusal {
    /// Used, expired, replaced by a re-send, deleted, or never existed.
    LinkDead,
    /// Signed in with another address than the one invited (R6).
    WrongPerson,
    /// Someone tried to create a login for an address that has one: they should sign in.
    HasLogin,
    /// The login already has access to this owner's accounts (invited again at an address it
    /// moved to): the invitation is used up, and nothing else changes (R8).
    AlreadyHasAccess,
}

pub async fn find(state: &AppState, token_hash: Vec<u8>) -> AppResult<Option<InvitationView>> {
    let now = state.settings.clock.now();
    state
        .db
        .run(move |conn| {
            let Some(member) = db::members::find_by_live_token(conn, &token_hash, now)? else {
                return Ok(None);
            };
            let account = db::accounts::find_by_id(conn, member.master_account_id)?;
            let owner = db::people::find_by_id(conn, account.owner_id)?
                .ok_or(diesel::result::Error::NotFound)?;
            let sub_accounts = db::sub_accounts::list(conn, account.master_id())?
                .into_iter()
                .map(|sub| (SubAccountId(sub.id), sub.name))
                .collect();
            let master = account.master_id();
            let grants = db::members::grants_of_member(conn, master, member.member_id())?
                .iter()
                .filter_map(|grant| grant.access(master))
                .collect();
            let has_login = db::people::find_by_email(conn, &member.email)?.is_some();
            Ok(Some(InvitationView {
                owner_name: owner.display_name,
                owner_email: owner.email,
                grants,
                sub_accounts,
                expires_at: member.invitation_expires_at,
                has_login,
                email: member.email,
            }))
        })
        .await
}

/// Accepts for the signed-in person, whose address must be the invited one. Following the link
/// proves they read that mailbox, so the address counts as verified from now on.
pub async fn accept(
    state: &AppState,
    token_hash: Vec<u8>,
    person: &Person,
    ip: Option<IpAddr>,
) -> AppResult<Result<(), AcceptRefusal>> {
    let now = state.settings.clock.now();
    let (person_id, email) = (person.id, person.email.clone());
    let actor = Actor::person(person.person_id(), &person.email, ip);
    let accepted = state
        .db
        .transaction(move |conn| {
            let Some(member) = db::members::find_by_live_token(conn, &token_hash, now)? else {
                record_dead_link(conn, &token_hash, &actor, now)?;
                return Ok(Err(AcceptRefusal::LinkDead));
            };
            if member.email != email {
                record(conn, &member, &actor, Action::AcceptRefusedWrongPerson)?;
                return Ok(Err(AcceptRefusal::WrongPerson));
            }
            let master = MasterAccountId(member.master_account_id);
            // Before this member's row, as every change to who has access does: an acceptance
            // may delete it below, and that recounts the account's usage under its lock.
            db::members::lock_account(conn, master)?;
            // Another member row of this login, not this invitation's (which, accepted by a
            // concurrent click, is this login's too, and answers below as a used link).
            let elsewhere = db::members::find_by_person(conn, master, person_id)?
                .is_some_and(|existing| existing.id != member.id);
            if elsewhere {
                db::members::delete(conn, master, member.member_id())?;
                return Ok(Err(AcceptRefusal::AlreadyHasAccess));
            }
            // In a savepoint: should the same login's access appear meanwhile, the unique index
            // refuses the second, and that is an answer, not a failure.
            let accepted = diesel::Connection::transaction(conn, |conn| {
                db::members::accept(conn, &token_hash, person_id, &email, now)
            });
            let accepted = match accepted {
                Err(diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _,
                )) => {
                    db::members::delete(conn, master, member.member_id())?;
                    return Ok(Err(AcceptRefusal::AlreadyHasAccess));
                }
                other => other?,
            };
            let Some(member) = accepted else {
                record_dead_link(conn, &token_hash, &actor, now)?;
                return Ok(Err(AcceptRefusal::LinkDead));
            };
            db::people::mark_verified(conn, person_id, now)?;
            tell_owner_accepted(conn, &member)?;
            record(conn, &member, &actor, Action::InvitationAccepted)?;
            Ok(Ok(()))
        })
        .await;
    state.outbox.wake();
    accepted
}

/// A record about one invitation, with no before or after.
fn record(
    conn: &mut PgConnection,
    member: &Member,
    actor: &Actor,
    action: Action,
) -> AppResult<()> {
    let master = MasterAccountId(member.master_account_id);
    audit::record(
        conn,
        master,
        actor,
        action,
        Some(Target::member(member)),
        None,
        None,
    )
}

/// A link replayed again and again is recorded once in this while.
const REFUSALS_RECORDED_EVERY: chrono::Duration = chrono::Duration::minutes(10);

/// A link that no longer works was used: recorded when it was once a real link (used or
/// expired). A link that never existed, or was replaced or deleted, names no account to record
/// it in; the limits per link and per address (R23) hold those back. Replaying one link is
/// recorded once per `REFUSALS_RECORDED_EVERY`.
/// Whether the token names an invitation at all, live or not.
fn record_dead_link(
    conn: &mut PgConnection,
    token_hash: &[u8],
    actor: &Actor,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let Some(member) = db::members::find_by_token(conn, token_hash)? else {
        return Ok(false);
    };
    let action = if member.accepted_at.is_some() {
        Action::AcceptRefusedUsed
    } else if member.invitation_expires_at <= now {
        Action::AcceptRefusedExpired
    } else {
        // Still live: nothing was refused.
        return Ok(true);
    };
    let since = now - REFUSALS_RECORDED_EVERY;
    if !db::audit::recorded_since(conn, member.id, action.code(), since)? {
        record(conn, &member, actor, action)?;
    }
    Ok(true)
}

/// Someone opened an invitation link: if it was a real one that no longer works, the owner's log
/// says so. A live link costs one read here and writes nothing more. False when the token names
/// no invitation at all (made up, or replaced by a re-send), which the caller then does not keep.
pub async fn note_opened_link(
    state: &AppState,
    token_hash: Vec<u8>,
    signed_in: Option<PersonId>,
    ip: IpAddr,
) -> AppResult<bool> {
    let now = state.settings.clock.now();
    // No transaction: a live link costs this one read; a dead one adds a lookup and one insert.
    state
        .db
        .run(move |conn| {
            let person = match signed_in {
                Some(id) => db::people::find_by_id(conn, id.0)?,
                None => None,
            };
            let actor = Actor {
                person: person.map(|person| (person.person_id(), person.email)),
                ip: Some(ip),
                token: None,
            };
            record_dead_link(conn, &token_hash, &actor, now)
        })
        .await
}

/// The owner hears that someone accepted, unless they switched that mail off.
fn tell_owner_accepted(
    conn: &mut diesel::PgConnection,
    member: &db::members::Member,
) -> AppResult<()> {
    let account = db::accounts::find_by_id(conn, member.master_account_id)?;
    let owner =
        db::people::find_by_id(conn, account.owner_id)?.ok_or(diesel::result::Error::NotFound)?;
    if !owner.notify_accepted {
        return Ok(());
    }
    let mail = Mail::InvitationAccepted {
        owner_name: owner.display_name,
        invitee_email: member.email.clone(),
    };
    let envelope = Envelope {
        recipient: &owner.email,
        master_account_id: Some(member.master_account_id),
        member_id: None,
        locale: Locale::En,
    };
    mail::enqueue(conn, &envelope, &mail)
}

/// Creates an access-only login (no account of its own) for the invited address and accepts,
/// in one transaction: either both happen or neither. Accepting this way is a sign-in, recorded
/// as one.
pub async fn accept_with_new_login(
    state: &AppState,
    token_hash: Vec<u8>,
    name: DisplayName,
    password: NewPassword,
    ip: Option<IpAddr>,
) -> AppResult<Result<Person, AcceptRefusal>> {
    let password_hash =
        crate::services::passwords::hash(state, password.expose().to_owned()).await?;
    accept_with_password_hash(state, token_hash, name, password_hash, ip).await
}

/// `accept_with_new_login` with the password already hashed: the scale seeds hash one password
/// for a thousand people.
pub async fn accept_with_password_hash(
    state: &AppState,
    token_hash: Vec<u8>,
    name: DisplayName,
    password_hash: String,
    ip: Option<IpAddr>,
) -> AppResult<Result<Person, AcceptRefusal>> {
    let now = state.settings.clock.now();
    let accepted = state
        .db
        .transaction(move |conn| {
            // Locked: once found, the invitation cannot be deleted or used before this commits.
            let Some(member) = db::members::lock_by_live_token(conn, &token_hash, now)? else {
                let nobody = Actor {
                    person: None,
                    ip,
                    token: None,
                };
                record_dead_link(conn, &token_hash, &nobody, now)?;
                return Ok(Err(AcceptRefusal::LinkDead));
            };
            let new = NewPerson {
                email: &member.email,
                display_name: name.as_str(),
                password_hash: &password_hash,
                locale: Some(&member.locale),
            };
            let Some(person) = db::people::insert_if_new(conn, &new)? else {
                return Ok(Err(AcceptRefusal::HasLogin));
            };
            db::people::mark_verified(conn, person.id, now)?;
            db::people::record_sign_in(conn, person.id, now)?;
            let member = db::members::accept(conn, &token_hash, person.id, &member.email, now)?
                .ok_or(diesel::result::Error::NotFound)?;
            tell_owner_accepted(conn, &member)?;
            let actor = Actor::person(person.person_id(), &person.email, ip);
            record(conn, &member, &actor, Action::InvitationAccepted)?;
            Ok(Ok(person))
        })
        .await;
    state.outbox.wake();
    accepted
}

/// Declines an invitation: it is deleted, which frees its seat, and the owner is told by mail, in
/// one transaction. `false` when the link no longer works.
pub async fn decline(state: &AppState, token_hash: Vec<u8>, ip: Option<IpAddr>) -> AppResult<bool> {
    let now = state.settings.clock.now();
    let declined = state
        .db
        .transaction(move |conn| {
            let nobody = Actor {
                person: None,
                ip,
                token: None,
            };
            // The account's lock before the member's row, in the order every change to who has
            // access takes them: declining deletes the member and recounts the account's usage.
            let live = db::members::find_by_live_token(conn, &token_hash, now)?;
            if let Some(member) = &live {
                db::members::lock_account(conn, MasterAccountId(member.master_account_id))?;
            }
            let locked = match live {
                Some(_) => db::members::lock_by_live_token(conn, &token_hash, now)?,
                None => None,
            };
            let Some(member) = locked else {
                record_dead_link(conn, &token_hash, &nobody, now)?;
                return Ok(false);
            };
            let master = MasterAccountId(member.master_account_id);
            db::members::delete(conn, master, member.member_id())?;
            record(conn, &member, &nobody, Action::InvitationDeclined)?;
            let account = db::accounts::find_by_id(conn, master.0)?;
            let owner = db::people::find_by_id(conn, account.owner_id)?
                .ok_or(diesel::result::Error::NotFound)?;
            if !owner.notify_declined {
                return Ok(true);
            }
            let mail = Mail::InvitationDeclined {
                owner_name: owner.display_name,
                invitee_email: member.email,
            };
            let envelope = Envelope {
                recipient: &owner.email,
                master_account_id: Some(master.0),
                member_id: None,
                locale: Locale::En,
            };
            mail::enqueue(conn, &envelope, &mail)?;
            Ok(true)
        })
        .await?;
    if declined {
        state.outbox.wake();
    }
    Ok(declined)
}
