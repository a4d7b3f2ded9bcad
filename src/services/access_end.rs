//! Access that ends on a date (SPEC S12), kept by the scheduler: a week before the last day
//! the person is told, and once the day is over the access is removed, recorded in the audit
//! log and the person told. Each removal is its own transaction under the account's lock, as
//! Delete access is; several server processes share the work without doing any of it twice.

use chrono::{DateTime, Utc};
use diesel::PgConnection;

use super::{
    audit::{self, Target},
    owner::{self, Actor},
};
use crate::{
    db::{self, Db, members::Member},
    domain::{
        access_end,
        audit::Action,
        ids::{MasterAccountId, MemberId},
    },
    error::AppResult,
    i18n::Locale,
    mail::{self, Envelope, Mail},
};

/// People handled per round; the next round, two seconds on, takes the rest.
const BATCH: i64 = 50;

/// One round: removes access that has ended, then queues the week-before warnings due. Returns
/// how many mails it queued.
pub async fn sweep(db: &Db, now: DateTime<Utc>) -> AppResult<usize> {
    let today = now.date_naive();
    let ended = db
        .run(move |conn| Ok(db::members::ended_access(conn, today, BATCH)?))
        .await?;
    let mut queued = 0;
    for (master, member) in ended {
        let (master, member) = (MasterAccountId(master), MemberId(member));
        let told = db
            .transaction(move |conn| remove_ended(conn, master, member, today))
            .await?;
        queued += usize::from(told);
    }
    let warned = db
        .transaction(move |conn| {
            let due =
                db::members::take_due_warnings(conn, access_end::warn_until(today), now, BATCH)?;
            for member in &due {
                warn(conn, member)?;
            }
            Ok(due.len())
        })
        .await?;
    Ok(queued + warned)
}

/// Removes one member whose access has ended, if no one did in the meantime. `true` when the
/// person was told by mail.
fn remove_ended(
    conn: &mut PgConnection,
    master: MasterAccountId,
    member: MemberId,
    today: chrono::NaiveDate,
) -> AppResult<bool> {
    db::members::lock_account(conn, master)?;
    let grants = owner::grants_of(conn, master, member)?;
    let Some(removed) = db::members::delete_ended(conn, master, member, today)? else {
        return Ok(false);
    };
    let accounts = owner::owner_accounts(conn, master)?;
    let before = owner::access_state(&accounts, &grants, removed.access_ends_on);
    audit::record(
        conn,
        master,
        &Actor::default(),
        Action::AccessExpired,
        Some(Target::member(&removed)),
        Some(before),
        None,
    )?;
    tell(conn, &removed, |person, owner| {
        person.notify_access_removed.then(|| Mail::AccessEnded {
            name: person.display_name.clone(),
            owner_name: owner.display_name.clone(),
            owner_email: owner.email.clone(),
        })
    })
}

/// The week-before warning: it says what the owner set, so it is sent whatever the person's
/// notification choices.
fn warn(conn: &mut PgConnection, member: &Member) -> AppResult<bool> {
    let Some(last_day) = member.access_ends_on else {
        return Ok(false);
    };
    tell(conn, member, |person, owner| {
        Some(Mail::AccessEndingSoon {
            name: person.display_name.clone(),
            owner_name: owner.display_name.clone(),
            owner_email: owner.email.clone(),
            last_day,
        })
    })
}

/// Queues the mail `compose` makes for the person who accepted `member`, in their language.
fn tell(
    conn: &mut PgConnection,
    member: &Member,
    compose: impl FnOnce(&db::people::Person, &db::people::Person) -> Option<Mail>,
) -> AppResult<bool> {
    let Some(person_id) = member.person_id else {
        return Ok(false);
    };
    let account = db::accounts::find_by_id(conn, member.master_account_id)?;
    let (Some(person), Some(owner)) = (
        db::people::find_by_id(conn, person_id)?,
        db::people::find_by_id(conn, account.owner_id)?,
    ) else {
        return Ok(false);
    };
    let Some(mail) = compose(&person, &owner) else {
        return Ok(false);
    };
    let locale = person
        .locale
        .as_deref()
        .and_then(Locale::from_code)
        .or_else(|| Locale::from_code(&member.locale))
        .unwrap_or(Locale::En);
    let envelope = Envelope {
        recipient: &person.email,
        master_account_id: Some(member.master_account_id),
        member_id: None,
        locale,
    };
    mail::enqueue(conn, &envelope, &mail)?;
    Ok(true)
}
