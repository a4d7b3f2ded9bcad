//! "Delete access" (SPEC S9, R9, R15): the member and their grants go, a Pending link dies with
//! them, and the person's next request no longer reaches the account.

use diesel::PgConnection;

use super::notices::{Notice, tell_member};
use crate::{
    db::{self, members::Member},
    domain::{audit::Action, ids::MemberId},
    error::{AppError, AppResult},
    services::{
        audit::{self, Target},
        owner::{Owner, access_state, grants_of, owner_accounts},
    },
    state::AppState,
};

/// A member of the owner's, for pages about one person (Delete access asks first).
pub async fn member(state: &AppState, owner: &Owner, member_id: MemberId) -> AppResult<Member> {
    let master = owner.master();
    state
        .db
        .run(move |conn| db::members::find(conn, master, member_id)?.ok_or(AppError::NotFound))
        .await
}

/// "Delete access": the member and their grants go; a Pending link dies with them (R9), and the
/// person's next request no longer reaches the account (R15).
pub async fn delete(state: &AppState, owner: &Owner, member_id: MemberId) -> AppResult<Member> {
    let owner = owner.clone();
    let deleted = state
        .db
        .transaction(move |conn| delete_within(conn, &owner, member_id))
        .await;
    state.outbox.wake();
    deleted
}

/// "Delete access" inside a transaction the caller holds (SCIM deprovisioning); the caller
/// wakes the outbox once it has committed.
pub fn delete_within(
    conn: &mut PgConnection,
    owner: &Owner,
    member_id: MemberId,
) -> AppResult<Member> {
    let master = owner.master();
    db::members::lock_account(conn, master)?;
    let grants = grants_of(conn, master, member_id)?;
    let member = db::members::delete(conn, master, member_id)?.ok_or(AppError::NotFound)?;
    tell_member(conn, owner, &member, Notice::Removed)?;
    let accounts = owner_accounts(conn, master)?;
    audit::record(
        conn,
        master,
        &owner.actor(),
        Action::AccessDeleted,
        Some(Target::member(&member)),
        Some(access_state(&accounts, &grants, member.access_ends_on)),
        None,
    )?;
    Ok(member)
}
