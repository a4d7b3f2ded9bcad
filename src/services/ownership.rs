//! Ownership transfer (SPEC S12): the owner offers the account to an Active person who has an
//! account of their own, confirming with their password; that person has 72 hours to accept.
//! Accepting swaps the owners in one transaction under the account's lock: the plan and the
//! sub-accounts stay with the account, and the previous owner keeps Manager on every account.
//! An access-only login cannot own an account until it sets up one of its own (My account).

use chrono::{DateTime, Duration, Utc};
use diesel::PgConnection;

use super::{
    audit::{self, Target},
    owner::{self, Actor, Owner},
};
use crate::{
    db::{self, members::NewMember, people::Person},
    domain::{
        audit::{Action, State},
        ids::{AccountRef, MasterAccountId, MemberId},
        permission::RestrictionSet,
        plan::Plan,
        role::{Grant, Role},
    },
    error::{AppError, AppResult},
    i18n::Locale,
    mail::{self, Envelope, Mail},
    state::AppState,
};

/// How long the chosen person has to accept.
pub const OFFER_LASTS: Duration = Duration::hours(72);

/// Why the owner's choice of a new owner was refused; each has words beside the address field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferRefusal {
    /// Not someone this account is shared with.
    NotAMember,
    /// Invited, but has not accepted yet.
    NotActive,
    /// An access-only login: it must set up an account of its own first.
    AccessOnly,
}

/// The account's pending offer, for the owner's page: to whom, and until when.
pub async fn pending(
    state: &AppState,
    owner: &Owner,
) -> AppResult<Option<(String, DateTime<Utc>)>> {
    let (master, now) = (owner.master(), state.settings.clock.now());
    state
        .db
        .run(move |conn| Ok(db::ownership::live_offer(conn, master.0, now)?))
        .await
}

/// Offers the account to the person with address `email`. The owner's password was checked by
/// the caller. Replaces an earlier offer.
pub async fn offer(
    state: &AppState,
    owner: &Owner,
    email: String,
) -> AppResult<Result<(), OfferRefusal>> {
    let now = state.settings.clock.now();
    let owner = owner.clone();
    let expires_at = state.settings.clock.now() + OFFER_LASTS;
    let offered = state
        .db
        .transaction(move |conn| {
            let master = owner.master();
            db::members::lock_account(conn, master)?;
            let Some(member) = db::members::find_by_email(conn, master, &email)? else {
                return Ok(Err(OfferRefusal::NotAMember));
            };
            let (Some(person_id), Some(_)) = (member.person_id, member.accepted_at) else {
                return Ok(Err(OfferRefusal::NotActive));
            };
            if db::accounts::find_by_owner(conn, person_id)?.is_none() {
                return Ok(Err(OfferRefusal::AccessOnly));
            }
            let person = db::people::find_by_id(conn, person_id)?.ok_or(AppError::NotFound)?;
            db::ownership::offer(conn, master.0, person_id, expires_at, now)?;
            let mail = Mail::OwnershipOffered {
                name: person.display_name.clone(),
                owner_name: owner.name.clone(),
                owner_email: owner.email.clone(),
                expires_at,
            };
            enqueue(conn, &person, master, &mail)?;
            Ok(Ok(()))
        })
        .await?;
    state.outbox.wake();
    Ok(offered)
}

/// Withdraws the account's offer. `false` when there was none.
pub async fn cancel(state: &AppState, owner: &Owner) -> AppResult<bool> {
    let master = owner.master();
    state
        .db
        .transaction(move |conn| {
            db::members::lock_account(conn, master)?;
            Ok(db::ownership::withdraw(conn, master.0)?)
        })
        .await
}

/// The offers waiting for a person.
pub async fn offers_to(state: &AppState, person: &Person) -> AppResult<Vec<db::ownership::Offer>> {
    let (person_id, now) = (person.id, state.settings.clock.now());
    state
        .db
        .run(move |conn| Ok(db::ownership::offers_to(conn, person_id, now)?))
        .await
}

/// Turns down an offer. Not found when there is none for this person.
pub async fn decline(state: &AppState, person: &Person, master: MasterAccountId) -> AppResult<()> {
    let (person_id, now) = (person.id, state.settings.clock.now());
    state
        .db
        .transaction(move |conn| {
            db::members::lock_account(conn, master)?;
            if db::ownership::take(conn, master.0, person_id, now)? {
                Ok(())
            } else {
                Err(AppError::NotFound)
            }
        })
        .await
}

/// Why accepting did not make the person the owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptRefusal {
    /// Their access to the account was deleted since the offer.
    NoLongerActive,
    /// They no longer own an account of their own.
    AccessOnly,
}

/// Accepts the offer of `master`: in one transaction, the person becomes its owner, the
/// previous owner becomes Manager on every account, and both are told. Not found when there is
/// no live offer for this person (expired, cancelled, or never made).
pub async fn accept(
    state: &AppState,
    person: &Person,
    master: MasterAccountId,
    ip: Option<std::net::IpAddr>,
) -> AppResult<Result<(), AcceptRefusal>> {
    let person = person.clone();
    let now = state.settings.clock.now();
    let accepted = state
        .db
        .transaction(move |conn| {
            // An account that does not exist is not found, as any offer that was never made.
            let account = db::members::lock_account(conn, master)?;
            if !db::ownership::take(conn, master.0, person.id, now)? {
                return Err(AppError::NotFound);
            }
            let member = db::members::find_by_email(conn, master, &person.email)?
                .filter(|member| member.person_id == Some(person.id));
            let Some(member) = member else {
                return Ok(Err(AcceptRefusal::NoLongerActive));
            };
            if db::accounts::find_by_owner(conn, person.id)?.is_none() {
                return Ok(Err(AcceptRefusal::AccessOnly));
            }
            let previous =
                db::people::find_by_id(conn, account.owner_id)?.ok_or(AppError::NotFound)?;
            db::members::delete(conn, master, member.member_id())?;
            let kept = keep_as_manager(conn, master, &person, &previous, now)?;
            db::accounts::set_owner(conn, master.0, person.id)?;
            // The previous owner's identity provider no longer speaks for the account.
            db::scim::revoke_all_tokens(conn, master.0, now)?;
            audit::record(
                conn,
                master,
                &Actor::person(person.person_id(), &person.email, ip),
                Action::OwnershipTransferred,
                Some(Target::member(&kept)),
                Some(State::Owner(previous.email.clone())),
                Some(State::Owner(person.email.clone())),
            )?;
            tell_both(conn, master, &person, &previous)?;
            Ok(Ok(()))
        })
        .await?;
    state.outbox.wake();
    Ok(accepted)
}

/// The previous owner stays on as Manager of the master account and every sub-account.
fn keep_as_manager(
    conn: &mut PgConnection,
    master: MasterAccountId,
    new_owner: &Person,
    previous: &Person,
    now: DateTime<Utc>,
) -> AppResult<db::members::Member> {
    let new = NewMember {
        master_account_id: master.0,
        email: &previous.email,
        invited_by: new_owner.id,
        invitation_expires_at: now,
        locale: previous.locale.as_deref().unwrap_or(Locale::En.code()),
        access_ends_on: None,
    };
    let member = db::members::insert_accepted(conn, &new, previous.id, now)?;
    let accounts = owner::owner_accounts(conn, master)?;
    let grants: Vec<(AccountRef, Grant)> = accounts
        .all()
        .map(|account| {
            let grant = Grant {
                role: Role::Manager,
                areas: Role::Manager.areas_on(account.kind()),
                restrictions: RestrictionSet::NONE,
            };
            (account, grant)
        })
        .collect();
    db::members::insert_grants(conn, &owner::new_grants(MemberId(member.id), &grants))?;
    Ok(member)
}

fn tell_both(
    conn: &mut PgConnection,
    master: MasterAccountId,
    new_owner: &Person,
    previous: &Person,
) -> AppResult<()> {
    for (to, other, received) in [(new_owner, previous, true), (previous, new_owner, false)] {
        let mail = Mail::OwnershipTransferred {
            name: to.display_name.clone(),
            received,
            other_name: other.display_name.clone(),
            other_email: other.email.clone(),
        };
        enqueue(conn, to, master, &mail)?;
    }
    Ok(())
}

fn enqueue(
    conn: &mut PgConnection,
    to: &Person,
    master: MasterAccountId,
    mail: &Mail,
) -> AppResult<()> {
    let envelope = Envelope {
        recipient: &to.email,
        master_account_id: Some(master.0),
        member_id: None,
        locale: to
            .locale
            .as_deref()
            .and_then(Locale::from_code)
            .unwrap_or(Locale::En),
    };
    mail::enqueue(conn, &envelope, mail)
}

/// "Set up an account of your own", for an access-only login: a master account on the Free plan,
/// which they can then upgrade, share, or receive others' accounts beside. `false` when they
/// already own one.
pub async fn set_up_own_account(state: &AppState, person: &Person) -> AppResult<bool> {
    let person_id = person.id;
    state
        .db
        .transaction(move |conn| {
            if db::accounts::find_by_owner(conn, person_id)?.is_some() {
                return Ok(false);
            }
            db::accounts::insert(
                conn,
                &db::accounts::NewAccount {
                    owner_id: person_id,
                    plan: Plan::Free.code(),
                },
            )?;
            Ok(true)
        })
        .await
}
