//! Changing plan (SPEC S11), judged and applied under the same account lock as invitations, so a
//! downgrade and an invitation cannot both slip past the limits.

use diesel::PgConnection;

use super::{
    audit::{self, Target},
    owner::{self, Owner, plan_of, usage_of},
};
use crate::{
    db,
    domain::{
        audit::{Action, State},
        ids::MemberId,
        permission::RestrictionSet,
        plan::Plan,
        quota::{PlanChangeVerdict, Usage, judge_plan_change},
        role::Role,
    },
    error::{AppError, AppResult},
    state::AppState,
};

/// Where the account stands, for the plan page.
pub struct PlanState {
    pub plan: Plan,
    pub usage: Usage,
}

/// A refused or pending change, with what the owner needs to know to act on it.
pub struct Judgement {
    pub verdict: PlanChangeVerdict,
    /// People with a premium role, when advanced accesses must be reduced.
    pub premium_people: Vec<String>,
}

fn premium_codes() -> Vec<&'static str> {
    Role::all()
        .filter(|role| role.is_premium())
        .map(Role::code)
        .collect()
}

fn judge(conn: &mut PgConnection, owner: &Owner, target: Plan) -> AppResult<Judgement> {
    let (current, _) = plan_of(&owner.account);
    let usage = usage_of(conn, owner.account.master_id(), None)?;
    let restricted = db::members::count_people_with_restrictions(conn, owner.account.id)? as u32;
    let verdict = judge_plan_change(
        target.limits(None),
        target.is_premium(),
        current.is_premium(),
        usage,
        restricted,
    );
    let premium_people = match verdict {
        PlanChangeVerdict::ReduceFirst {
            advanced_accesses_over,
            ..
        } if advanced_accesses_over > 0 => {
            db::members::emails_with_premium_roles(conn, owner.account.id, &premium_codes())?
        }
        _ => Vec::new(),
    };
    Ok(Judgement {
        verdict,
        premium_people,
    })
}

pub async fn state(state: &AppState, owner: &Owner) -> AppResult<PlanState> {
    let account = owner.account.clone();
    state
        .db
        .run(move |conn| {
            let (plan, _) = plan_of(&account);
            Ok(PlanState {
                plan,
                usage: usage_of(conn, account.master_id(), None)?,
            })
        })
        .await
}

/// "Downgrade anyway" changes people's access: each gets an "access edited" record, before and
/// after, as if the owner had edited them one by one.
fn record_restrictions_removed(conn: &mut PgConnection, owner: &Owner) -> AppResult<()> {
    let master = owner.master();
    let accounts = owner::owner_accounts(conn, master)?;
    for id in db::members::members_with_restrictions(conn, master.0)? {
        let Some(member) = db::members::find(conn, master, MemberId(id))? else {
            continue;
        };
        let before = owner::grants_of(conn, master, MemberId(id))?;
        let after: Vec<_> = before
            .iter()
            .map(|(account, grant)| {
                let mut grant = *grant;
                grant.restrictions = RestrictionSet::NONE;
                (*account, grant)
            })
            .collect();
        audit::record(
            conn,
            master,
            &owner.actor(),
            Action::AccessEdited,
            Some(Target::member(&member)),
            Some(owner::access_state(
                &accounts,
                &before,
                member.access_ends_on,
            )),
            Some(owner::access_state(
                &accounts,
                &after,
                member.access_ends_on,
            )),
        )?;
    }
    Ok(())
}

/// Moves to `target` if it fits; with `remove_restrictions`, also when the only obstacle is
/// advanced restrictions, which are then removed ("Downgrade anyway"). Otherwise nothing changes
/// and the judgement says why.
pub async fn change(
    state: &AppState,
    owner: &Owner,
    target: Plan,
    remove_restrictions: bool,
) -> AppResult<Result<(), Judgement>> {
    // A sign-up that never proves its address is removed after a week, with its account; a
    // plan change would leave an audit record that nothing may delete.
    if !owner.verified {
        return Err(AppError::AddressNotVerified);
    }
    let owner = owner.clone();
    state
        .db
        .transaction(move |conn| {
            let owner = Owner {
                account: db::members::lock_account(conn, owner.master())?,
                ..owner
            };
            let judgement = judge(conn, &owner, target)?;
            match judgement.verdict {
                PlanChangeVerdict::Allowed => {}
                PlanChangeVerdict::RemovesRestrictions { .. } if remove_restrictions => {
                    record_restrictions_removed(conn, &owner)?;
                    db::members::clear_restrictions(conn, owner.account.id)?;
                }
                _ => return Ok(Err(judgement)),
            }
            db::accounts::set_plan(conn, owner.account.id, target.code())?;
            if owner.account.plan != target.code() {
                audit::record(
                    conn,
                    owner.master(),
                    &owner.actor(),
                    Action::PlanChanged,
                    None,
                    Some(State::Plan(owner.account.plan.clone())),
                    Some(State::Plan(target.code().to_owned())),
                )?;
            }
            Ok(Ok(()))
        })
        .await
}
