//! The mail sharing sends: the invitation, and a word to a person whose access changed or went.

use chrono::NaiveDate;
use diesel::PgConnection;

use crate::{
    db::{self, members::Member},
    domain::{access_draft::OwnerAccounts, ids::AccountRef, role::Grant},
    error::AppResult,
    i18n::Locale,
    mail::{self, Envelope, Mail, OfferedAccess},
    services::owner::Owner,
};

/// Accesses as a mail carries them: enough to word them when it is sent.
pub(super) fn offered(
    accounts: &OwnerAccounts,
    grants: &[(AccountRef, Grant)],
) -> Vec<OfferedAccess> {
    grants
        .iter()
        .map(|(account, grant)| OfferedAccess {
            sub_account: account.sub.map(|sub| {
                let name = accounts.sub_account_name(sub).unwrap_or_default();
                (sub.0, name.to_owned())
            }),
            role: grant.role.code().to_owned(),
            areas: grant.areas.bits(),
            restrictions: grant.restrictions.bits(),
        })
        .collect()
}

/// Queues the invitation mail to `member`, with the link of their current token version.
pub(super) fn queue_invitation(
    conn: &mut PgConnection,
    owner: &Owner,
    accounts: &OwnerAccounts,
    member: &Member,
    grants: &[(AccountRef, Grant)],
) -> AppResult<()> {
    let offered = offered(accounts, grants);
    let mail = Mail::Invitation {
        member_id: member.id,
        token_version: member.token_version,
        inviter_name: owner.name.clone(),
        inviter_email: owner.email.clone(),
        offered,
        owner_sub_accounts: accounts.sub_accounts.len() as u32,
        accesses: Vec::new(),
    };
    let envelope = Envelope {
        recipient: &member.email,
        master_account_id: Some(owner.master().0),
        member_id: Some(member.id),
        locale: Locale::from_code(&member.locale).unwrap_or(owner.locale),
    };
    mail::enqueue(conn, &envelope, &mail)
}

pub(super) enum Notice {
    /// The accesses before and after, and the last day now set, if any.
    Changed {
        before: Vec<OfferedAccess>,
        after: Vec<OfferedAccess>,
        ends_on: Option<NaiveDate>,
        sub_accounts: u32,
    },
    Removed,
}

/// A person with access hears that the owner changed or deleted it, unless they switched that
/// mail off. Nobody is told about an invitation they have not accepted.
pub(super) fn tell_member(
    conn: &mut diesel::PgConnection,
    owner: &Owner,
    member: &Member,
    notice: Notice,
) -> AppResult<()> {
    let Some(person_id) = member.person_id.filter(|_| member.accepted_at.is_some()) else {
        return Ok(());
    };
    let Some(person) = db::people::find_by_id(conn, person_id)? else {
        return Ok(());
    };
    let (wanted, mail) = match notice {
        Notice::Changed {
            before,
            after,
            ends_on,
            sub_accounts,
        } => (
            person.notify_access_changed,
            Mail::AccessChanged {
                name: person.display_name,
                owner_name: owner.name.clone(),
                owner_email: owner.email.clone(),
                before,
                after,
                ends_on,
                owner_sub_accounts: sub_accounts,
            },
        ),
        Notice::Removed => (
            person.notify_access_removed,
            Mail::AccessRemoved {
                name: person.display_name,
                owner_name: owner.name.clone(),
                owner_email: owner.email.clone(),
            },
        ),
    };
    if !wanted {
        return Ok(());
    }
    let envelope = Envelope {
        recipient: &person.email,
        master_account_id: Some(owner.master().0),
        member_id: None,
        locale: owner.locale,
    };
    mail::enqueue(conn, &envelope, &mail)
}
