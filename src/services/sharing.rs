//! Sharing an account: the overview, inviting, editing, deleting and re-sending (SPEC S6, S7,
//! S9). Every change locks the owner's account row first, so limits hold under concurrency.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::PgConnection;

use super::plan_of;
use crate::{
    db::{
        self,
        accounts::Account,
        members::{GrantRow, Member, NewGrant, NewMember},
        sub_accounts::SubAccount,
    },
    domain::{
        email::EmailAddress,
        invitation::AccessStatus,
        permission::{AccountKind, AreaSet, RestrictionSet},
        plan::{Limits, Plan},
        quota::{self, AdvancedSummary, QuotaError, Usage},
        role::{Grant, Role},
    },
    error::{AppError, AppResult},
    mail::{self, Envelope, InvitedAccess, Mail},
    messages,
    state::AppState,
};

/// How long after queueing an invitation mail a "Re-send" is taken for a repeated click.
const RESEND_GUARD: chrono::Duration = chrono::Duration::seconds(30);

/// One of the owner's accounts: the master account or a sub-account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccountRef {
    Master,
    Sub(i64),
}

impl AccountRef {
    pub fn kind(self) -> AccountKind {
        match self {
            AccountRef::Master => AccountKind::Master,
            AccountRef::Sub(_) => AccountKind::Sub,
        }
    }

    pub fn sub_account_id(self) -> Option<i64> {
        match self {
            AccountRef::Master => None,
            AccountRef::Sub(id) => Some(id),
        }
    }
}

/// The owner acting, and their master account.
#[derive(Clone)]
pub struct Owner {
    pub person_id: i64,
    pub email: String,
    pub name: String,
    pub account: Account,
}

/// Why an invitation or edit was refused; each has words in `messages`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    OwnAddress,
    AlreadyHasAccess,
    UnknownAccount,
    Quota(QuotaError),
}

/// What happened to the newest invitation mail of a Pending member (R33).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Queued,
    Sent,
    Failed,
}

pub struct MemberView {
    pub member: Member,
    pub name: Option<String>,
    pub last_sign_in_at: Option<DateTime<Utc>>,
    pub status: AccessStatus,
    pub grants: Vec<(AccountRef, Grant)>,
    pub delivery: Option<Delivery>,
}

pub struct Overview {
    pub plan: Plan,
    pub limits: Limits,
    pub usage: Usage,
    pub sub_accounts: Vec<SubAccount>,
    pub members: Vec<MemberView>,
}

fn premium_role_codes() -> Vec<&'static str> {
    Role::all()
        .filter(|role| role.is_premium())
        .map(Role::code)
        .collect()
}

fn grant_from_row(row: &GrantRow) -> Option<(AccountRef, Grant)> {
    let account = row
        .sub_account_id
        .map_or(AccountRef::Master, AccountRef::Sub);
    let role = Role::from_code(&row.role)?;
    Some((
        account,
        Grant {
            role,
            areas: AreaSet::from_bits(row.areas),
            restrictions: RestrictionSet::from_bits(row.restrictions),
        },
    ))
}

fn usage(conn: &mut PgConnection, account_id: i64, except: Option<i64>) -> AppResult<Usage> {
    let (seats, advanced) = db::members::usage(conn, account_id, &premium_role_codes(), except)?;
    Ok(Usage {
        seats: seats as u32,
        advanced_accesses: advanced as u32,
    })
}

/// Everything the sharing page shows, in one connection checkout and a fixed number of queries
/// whatever the number of people and sub-accounts.
pub async fn overview(state: &AppState, owner: &Owner) -> AppResult<Overview> {
    let account = owner.account.clone();
    state
        .db
        .run(move |conn| {
            let (plan, limits) = plan_of(&account);
            let sub_accounts = db::sub_accounts::list(conn, account.id)?;
            let mut grants: HashMap<i64, Vec<(AccountRef, Grant)>> = HashMap::new();
            for row in db::members::grants_of_account(conn, account.id)? {
                if let Some(grant) = grant_from_row(&row) {
                    grants.entry(row.member_id).or_default().push(grant);
                }
            }
            let deliveries = db::outbox::latest_status_by_member(conn, account.id)?;
            let now = Utc::now();
            let members = db::members::list(conn, account.id)?
                .into_iter()
                .map(|row| {
                    let status = AccessStatus::at(
                        row.member.accepted_at.is_some(),
                        row.member.invitation_expires_at,
                        now,
                    );
                    let delivery = match status {
                        AccessStatus::Active => None,
                        _ => deliveries
                            .get(&row.member.id)
                            .map(|status| match status.as_str() {
                                "sent" => Delivery::Sent,
                                "failed" => Delivery::Failed,
                                _ => Delivery::Queued,
                            }),
                    };
                    MemberView {
                        grants: grants.remove(&row.member.id).unwrap_or_default(),
                        name: row.name,
                        last_sign_in_at: row.last_sign_in_at,
                        status,
                        delivery,
                        member: row.member,
                    }
                })
                .collect();
            let usage = usage(conn, account.id, None)?;
            Ok(Overview {
                plan,
                limits,
                usage,
                sub_accounts,
                members,
            })
        })
        .await
}

/// What the invite and edit forms need: the sub-accounts, the plan's limits and current usage.
pub async fn form_context(
    state: &AppState,
    owner: &Owner,
) -> AppResult<(Vec<SubAccount>, Limits, Usage)> {
    let account = owner.account.clone();
    state
        .db
        .run(move |conn| {
            let (_, limits) = plan_of(&account);
            Ok((
                db::sub_accounts::list(conn, account.id)?,
                limits,
                usage(conn, account.id, None)?,
            ))
        })
        .await
}

/// Checks that every account named is the owner's, then the plan's limits. `except` is the
/// member being edited, whose own seat and grants do not count against them.
fn check(
    conn: &mut PgConnection,
    owner: &Owner,
    grants: &[(AccountRef, Grant)],
    before: Option<(i64, &[(AccountRef, Grant)])>,
) -> AppResult<Result<AdvancedSummary, Refusal>> {
    let own_sub_accounts: Vec<i64> = db::sub_accounts::list(conn, owner.account.id)?
        .iter()
        .map(|sub| sub.id)
        .collect();
    let all_known = grants.iter().all(|(account, _)| {
        account
            .sub_account_id()
            .is_none_or(|id| own_sub_accounts.contains(&id))
    });
    if !all_known {
        return Ok(Err(Refusal::UnknownAccount));
    }
    let (_, limits) = plan_of(&owner.account);
    let just_grants: Vec<Grant> = grants.iter().map(|(_, grant)| *grant).collect();
    let checked = match before {
        None => quota::check_invitation(limits, usage(conn, owner.account.id, None)?, &just_grants),
        Some((member_id, before)) => quota::check_edit(
            limits,
            usage(conn, owner.account.id, Some(member_id))?,
            before,
            grants,
        ),
    };
    Ok(checked.map_err(Refusal::Quota))
}

fn new_grants(
    account_id: i64,
    member_id: i64,
    grants: &[(AccountRef, Grant)],
) -> Vec<NewGrant<'static>> {
    grants
        .iter()
        .map(|(account, grant)| NewGrant {
            master_account_id: account_id,
            member_id,
            sub_account_id: account.sub_account_id(),
            role: grant.role.code(),
            areas: grant.areas.bits(),
            restrictions: grant.restrictions.bits(),
        })
        .collect()
}

/// The lines of an invitation mail: each account by name with its role.
fn invited_accesses(
    conn: &mut PgConnection,
    account_id: i64,
    grants: &[(AccountRef, Grant)],
) -> AppResult<Vec<InvitedAccess>> {
    let names: HashMap<i64, String> = db::sub_accounts::list(conn, account_id)?
        .into_iter()
        .map(|sub| (sub.id, sub.name))
        .collect();
    Ok(grants
        .iter()
        .map(|(account, grant)| InvitedAccess {
            account: match account {
                AccountRef::Master => messages::MASTER_ACCOUNT.to_owned(),
                AccountRef::Sub(id) => names.get(id).cloned().unwrap_or_default(),
            },
            role: messages::role_name(grant.role).to_owned(),
        })
        .collect())
}

/// What sending would do, without sending: for the check shown before an invitation that uses
/// an advanced access.
pub async fn preview(
    state: &AppState,
    owner: &Owner,
    email: EmailAddress,
    grants: Vec<(AccountRef, Grant)>,
) -> AppResult<Result<AdvancedSummary, Refusal>> {
    let owner = owner.clone();
    state
        .db
        .run(move |conn| {
            let result = match refusal_for_address(conn, &owner, &email)? {
                Some(refusal) => Err(refusal),
                None => check(conn, &owner, &grants, None)?,
            };
            Ok(result)
        })
        .await
}

fn refusal_for_address(
    conn: &mut PgConnection,
    owner: &Owner,
    email: &EmailAddress,
) -> AppResult<Option<Refusal>> {
    if email.as_str() == owner.email {
        return Ok(Some(Refusal::OwnAddress));
    }
    if db::members::find_by_email(conn, owner.account.id, email.as_str())?.is_some() {
        return Ok(Some(Refusal::AlreadyHasAccess));
    }
    Ok(None)
}

/// Invites `email` to the accounts in `grants`: the member, their grants and the invitation mail
/// in one transaction, under the account's lock.
pub async fn invite(
    state: &AppState,
    owner: &Owner,
    email: EmailAddress,
    grants: Vec<(AccountRef, Grant)>,
) -> AppResult<Result<AdvancedSummary, Refusal>> {
    let owner = owner.clone();
    let ttl = state.settings.invitation_link_ttl;
    let result = state
        .db
        .transaction(move |conn| {
            let owner = Owner {
                account: db::members::lock_account(conn, owner.account.id)?,
                ..owner
            };
            if let Some(refusal) = refusal_for_address(conn, &owner, &email)? {
                return Ok(Err(refusal));
            }
            let summary = match check(conn, &owner, &grants, None)? {
                Ok(summary) => summary,
                Err(refusal) => return Ok(Err(refusal)),
            };
            let new = NewMember {
                master_account_id: owner.account.id,
                email: email.as_str(),
                invited_by: owner.person_id,
                invitation_expires_at: Utc::now() + ttl,
            };
            let member = db::members::insert(conn, &new)?;
            db::members::insert_grants(conn, &new_grants(owner.account.id, member.id, &grants))?;
            queue_invitation(conn, &owner, &member, &grants)?;
            Ok(Ok(summary))
        })
        .await?;
    state.outbox.wake();
    Ok(result)
}

fn queue_invitation(
    conn: &mut PgConnection,
    owner: &Owner,
    member: &Member,
    grants: &[(AccountRef, Grant)],
) -> AppResult<()> {
    let mail = Mail::Invitation {
        member_id: member.id,
        token_version: member.token_version,
        inviter_name: owner.name.clone(),
        inviter_email: owner.email.clone(),
        accesses: invited_accesses(conn, owner.account.id, grants)?,
    };
    let envelope = Envelope {
        recipient: &member.email,
        master_account_id: Some(owner.account.id),
        member_id: Some(member.id),
    };
    mail::enqueue(conn, &envelope, &mail)
}

/// A member with their grants, for the edit form; another owner's member is not found (R12).
pub async fn member(
    state: &AppState,
    owner: &Owner,
    member_id: i64,
) -> AppResult<(Member, Vec<(AccountRef, Grant)>)> {
    let account_id = owner.account.id;
    state
        .db
        .run(move |conn| {
            let member =
                db::members::find(conn, account_id, member_id)?.ok_or(AppError::NotFound)?;
            let grants = db::members::grants_of_member(conn, account_id, member_id)?
                .iter()
                .filter_map(grant_from_row)
                .collect();
            Ok((member, grants))
        })
        .await
}

/// "Update access": replaces the member's grants, with the same checks as inviting.
pub async fn edit(
    state: &AppState,
    owner: &Owner,
    member_id: i64,
    grants: Vec<(AccountRef, Grant)>,
) -> AppResult<Result<AdvancedSummary, Refusal>> {
    let owner = owner.clone();
    state
        .db
        .transaction(move |conn| {
            let owner = Owner {
                account: db::members::lock_account(conn, owner.account.id)?,
                ..owner
            };
            db::members::find(conn, owner.account.id, member_id)?.ok_or(AppError::NotFound)?;
            let before: Vec<(AccountRef, Grant)> =
                db::members::grants_of_member(conn, owner.account.id, member_id)?
                    .iter()
                    .filter_map(grant_from_row)
                    .collect();
            let summary = match check(conn, &owner, &grants, Some((member_id, &before)))? {
                Ok(summary) => summary,
                Err(refusal) => return Ok(Err(refusal)),
            };
            db::members::replace_grants(
                conn,
                owner.account.id,
                member_id,
                &new_grants(owner.account.id, member_id, &grants),
            )?;
            Ok(Ok(summary))
        })
        .await
}

/// "Delete access": the member and their grants go; a Pending link dies with them (R9), and the
/// person's next request no longer reaches the account (R15).
pub async fn delete(state: &AppState, owner: &Owner, member_id: i64) -> AppResult<Member> {
    let account_id = owner.account.id;
    state
        .db
        .transaction(move |conn| {
            db::members::lock_account(conn, account_id)?;
            db::members::delete(conn, account_id, member_id)?.ok_or(AppError::NotFound)
        })
        .await
}

/// "Re-send invitation": the old link stops working now, the expiry starts again, and a new
/// mail is queued; only the link it carries will work (R5). `None` if the person has accepted.
pub async fn resend(state: &AppState, owner: &Owner, member_id: i64) -> AppResult<Option<Member>> {
    let owner = owner.clone();
    let ttl = state.settings.invitation_link_ttl;
    let resent = state
        .db
        .transaction(move |conn| {
            db::members::lock_account(conn, owner.account.id)?;
            let member =
                db::members::find(conn, owner.account.id, member_id)?.ok_or(AppError::NotFound)?;
            // A double click, or a second click while the first mail is still on its way, sends
            // nothing more (UX.md rule 11: duplicate invitations from double clicks).
            let just_queued = Utc::now() - RESEND_GUARD;
            if member.accepted_at.is_none()
                && db::outbox::has_fresh_pending_for_member(conn, member_id, just_queued)?
            {
                return Ok(Some(member));
            }
            let Some(version) =
                db::members::retire_link(conn, owner.account.id, member_id, Utc::now() + ttl)?
            else {
                return Ok(None);
            };
            let member = Member {
                token_version: version,
                ..member
            };
            let grants: Vec<(AccountRef, Grant)> =
                db::members::grants_of_member(conn, owner.account.id, member_id)?
                    .iter()
                    .filter_map(grant_from_row)
                    .collect();
            queue_invitation(conn, &owner, &member, &grants)?;
            Ok(Some(member))
        })
        .await?;
    state.outbox.wake();
    Ok(resent)
}

/// An owner's accounts as shared with someone: what My account lists for them.
pub struct SharedWithMe {
    pub owner_name: String,
    pub owner_email: String,
    /// Each account by name with the role held there.
    pub accesses: Vec<(String, Role)>,
}

/// The accounts shared with a person, in three queries whatever their number.
pub async fn shared_with(state: &AppState, person_id: i64) -> AppResult<Vec<SharedWithMe>> {
    state
        .db
        .run(move |conn| {
            let memberships = db::members::memberships_of(conn, person_id)?;
            let ids: Vec<i64> = memberships.iter().map(|(member, _, _)| member.id).collect();
            let mut accesses: HashMap<i64, Vec<(String, Role)>> = HashMap::new();
            for (grant, sub_account_name) in db::members::grants_with_names(conn, &ids)? {
                if let Some(role) = Role::from_code(&grant.role) {
                    let account =
                        sub_account_name.unwrap_or_else(|| messages::MASTER_ACCOUNT.to_owned());
                    accesses
                        .entry(grant.member_id)
                        .or_default()
                        .push((account, role));
                }
            }
            Ok(memberships
                .into_iter()
                .map(|(member, owner_name, owner_email)| SharedWithMe {
                    owner_name,
                    owner_email,
                    accesses: accesses.remove(&member.id).unwrap_or_default(),
                })
                .collect())
        })
        .await
}

/// The accounts shared with a person, one entry per account, for the switcher.
pub async fn shared_with_keys(
    state: &AppState,
    person_id: i64,
) -> AppResult<Vec<super::workspace::ReachableAccount>> {
    state
        .db
        .run(move |conn| {
            let memberships = db::members::memberships_of(conn, person_id)?;
            let owners: HashMap<i64, (i64, String)> = memberships
                .iter()
                .map(|(member, name, _)| (member.id, (member.master_account_id, name.clone())))
                .collect();
            let ids: Vec<i64> = owners.keys().copied().collect();
            Ok(db::members::grants_with_names(conn, &ids)?
                .into_iter()
                .filter_map(|(grant, sub_account_name)| {
                    let (master, owner_name) = owners.get(&grant.member_id)?.clone();
                    Some(super::workspace::ReachableAccount {
                        key: super::workspace::AccountKey {
                            master,
                            sub: grant.sub_account_id,
                        },
                        name: sub_account_name
                            .unwrap_or_else(|| messages::MASTER_ACCOUNT.to_owned()),
                        owner_name,
                        own: false,
                        role: Role::from_code(&grant.role),
                    })
                })
                .collect())
        })
        .await
}
