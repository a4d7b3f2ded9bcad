//! Edit: a person's accesses changed with the same form and checks as inviting (SPEC S9). Their
//! own seat and advanced access do not count against them; a role the plan no longer offers is
//! kept when left as it was (S11).

use chrono::NaiveDate;
use diesel::PgConnection;

use super::{
    form::{self, AccessForm, Decision, FormCommand, Opened, Refusal, Submission, check_for},
    notices::{Notice, offered, tell_member},
};
use crate::{
    db::{self, members::Member},
    domain::{
        access_draft::{AccessDraft, DraftRow, OwnerAccounts},
        audit::Action,
        ids::{AccountRef, MasterAccountId, MemberId, SubAccountId},
        quota,
        role::Grant,
    },
    error::{AppError, AppResult},
    services::{
        audit::{self, Target},
        owner::{
            Grants, Owner, SharingContext, access_state, grants_of, kept_usage_without, new_grants,
            plan_of,
        },
    },
    state::AppState,
};

/// A member of this owner with their grants; another owner's member is not found (R12).
fn member_of(
    conn: &mut PgConnection,
    master: MasterAccountId,
    member_id: MemberId,
) -> AppResult<(Member, Grants)> {
    let member = db::members::find(conn, master, member_id)?.ok_or(AppError::NotFound)?;
    let grants = grants_of(conn, master, member_id)?;
    Ok((member, grants))
}

fn edit_form_of(
    context: SharingContext,
    draft: AccessDraft,
    before: &[(AccountRef, Grant)],
) -> AccessForm {
    let holds_one = quota::holds_advanced_access(before.iter().map(|(_, grant)| grant));
    AccessForm {
        premium: quota::premium_roles(context.limits, context.usage, holds_one),
        kept: before
            .iter()
            .map(|(account, grant)| (*account, grant.role))
            .collect(),
        draft,
        context,
    }
}

/// The edit form as first shown: the member's grants, one row each. One statement: the usage
/// without them is the account's kept usage less their own seat and advanced access.
pub async fn edit_form(
    state: &AppState,
    owner: &Owner,
    member_id: MemberId,
) -> AppResult<(Member, AccessForm)> {
    let master = owner.master();
    let found = state
        .db
        .read(move |conn| Ok(db::members::find_to_edit(conn, master, member_id)?))
        .await?
        .ok_or(AppError::NotFound)?;
    let before: Grants = found
        .grants
        .iter()
        .filter_map(|row| row.access(master))
        .collect();
    let (plan, limits) = plan_of(&owner.account);
    let context = SharingContext {
        accounts: OwnerAccounts {
            master,
            sub_accounts: (found.sub_accounts.into_iter())
                .map(|(id, name)| (SubAccountId(id), name))
                .collect(),
        },
        plan,
        limits,
        usage: kept_usage_without(&owner.account, &before),
    };
    let mut draft = AccessDraft {
        rows: before
            .iter()
            .map(|(account, grant)| DraftRow::from_grant(*account, *grant))
            .collect(),
        copy_to_all_below: false,
    };
    draft.copy_to_all_below = draft.looks_copied();
    Ok((found.member, edit_form_of(context, draft, &before)))
}

/// One submission of the edit form ("Update access"), with the same checks as inviting.
/// The usage in the returned form leaves the member out: their own seat and grants do not count
/// against them.
pub async fn submit_edit(
    state: &AppState,
    owner: &Owner,
    member_id: MemberId,
    access_ends_on: Option<NaiveDate>,
    command: FormCommand,
) -> AppResult<(Member, Submission)> {
    let now = state.settings.clock.now();
    let owner = owner.clone();
    let edited = state
        .db
        .transaction(move |conn| edit_within(conn, &owner, member_id, access_ends_on, command, now))
        .await;
    state.outbox.wake();
    edited
}

/// One edit inside a transaction the caller holds (SCIM Groups change accesses beside their own
/// rows): as `submit_edit`, and the caller wakes the outbox once it has committed.
pub fn edit_within(
    conn: &mut PgConnection,
    owner: &Owner,
    member_id: MemberId,
    access_ends_on: Option<NaiveDate>,
    mut command: FormCommand,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<(Member, Submission)> {
    let Opened {
        account,
        context,
        change,
        problems,
        grants,
    } = form::open(conn, owner, &mut command, Some(member_id))?;
    let (member, before) = member_of(conn, account.master_id(), member_id)?;
    let decision = match grants {
        Some(grants) => match quota::check_edit(context.limits, context.usage, &before, &grants) {
            Err(refusal) => Decision::Refused(Refusal::Quota(refusal)),
            Ok(advanced) => {
                let check = check_for(vec![member.email.clone()], &command.draft, grants, advanced);
                if check.awaits(&command) {
                    Decision::CheckFirst(check)
                } else {
                    db::members::replace_grants(
                        conn,
                        account.master_id(),
                        member_id,
                        &new_grants(member_id, &check.grants),
                        now,
                    )?;
                    db::members::set_access_end(
                        conn,
                        account.master_id(),
                        member_id,
                        access_ends_on,
                        now,
                    )?;
                    let notice = Notice::Changed {
                        before: offered(&context.accounts, &before),
                        after: offered(&context.accounts, &check.grants),
                        ends_on: access_ends_on,
                        sub_accounts: context.accounts.sub_accounts.len() as u32,
                    };
                    tell_member(conn, owner, &member, notice)?;
                    audit::record(
                        conn,
                        owner.master(),
                        &owner.actor(),
                        Action::AccessEdited,
                        Some(Target::member(&member)),
                        Some(access_state(
                            &context.accounts,
                            &before,
                            member.access_ends_on,
                        )),
                        Some(access_state(
                            &context.accounts,
                            &check.grants,
                            access_ends_on,
                        )),
                    )?;
                    Decision::Done
                }
            }
        },
        None => Decision::Shown,
    };
    let submission = Submission {
        form: edit_form_of(context, command.draft, &before),
        change,
        problems,
        decision,
    };
    Ok((member, submission))
}
