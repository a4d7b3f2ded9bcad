//! "Invite several people" (SPEC S12): up to `MAX_ADDRESSES_AT_ONCE` addresses with the same
//! access, decided in one transaction under the account's lock, in the order given. The plan's
//! room is counted once for the whole batch; each address is invited whole or not at all, and
//! the outcomes say which.

use chrono::NaiveDate;
use diesel::PgConnection;

use super::{
    form::{self, Check, Decision, FormCommand, Opened, Refusal, Submission, check_for},
    invite::{Sending, invite_one},
};
use crate::{
    db,
    domain::{
        access_draft::DraftAction,
        email::{EmailAddress, EmailError},
        invitation::MAX_ADDRESSES_AT_ONCE,
        quota,
        role::Grant,
    },
    error::AppResult,
    services::owner::{Grants, Owner, SharingContext},
    state::AppState,
};

/// What became of one address of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchOutcome {
    Invited,
    Refused(Refusal),
    Invalid(EmailError),
    /// The same address earlier in the list.
    ListedTwice,
}

/// Why the list cannot be sent as it is: the form is shown again with it, nothing sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListProblem {
    NoAddress,
    /// More than `MAX_ADDRESSES_AT_ONCE`.
    TooMany {
        count: usize,
    },
}

pub struct BatchSubmission {
    pub submission: Submission,
    /// Set when "Send" was pressed with a list that cannot be sent.
    pub list_problem: Option<ListProblem>,
    /// One per address listed, in order, once the batch was sent.
    pub outcomes: Vec<(String, BatchOutcome)>,
}

fn list_problem(count: usize) -> Option<ListProblem> {
    match count {
        0 => Some(ListProblem::NoAddress),
        count if count > MAX_ADDRESSES_AT_ONCE => Some(ListProblem::TooMany { count }),
        _ => None,
    }
}

/// One submission of the batch form: like `submit_invitation`, for every address listed (as
/// typed, and as parsed).
pub async fn submit_batch(
    state: &AppState,
    owner: &Owner,
    addresses: Vec<(String, Result<EmailAddress, EmailError>)>,
    access_ends_on: Option<NaiveDate>,
    mut command: FormCommand,
) -> AppResult<BatchSubmission> {
    let list_problem = if command.action == DraftAction::Send {
        list_problem(addresses.len())
    } else {
        None
    };
    if list_problem.is_some() {
        command.action = DraftAction::Update;
        command.confirmation = None;
    }
    let owner = owner.clone();
    let sending = Sending::new(&state.settings, access_ends_on);
    let (submission, outcomes) = state
        .db
        .transaction(move |conn| {
            let Opened {
                context,
                change,
                problems,
                grants,
                ..
            } = form::open(conn, &owner, &mut command, None)?;
            let mut outcomes = Vec::new();
            let decision = match grants {
                Some(grants) => match batch_check(&context, &command, &addresses, &grants) {
                    Some(check) => Decision::CheckFirst(check),
                    None => {
                        outcomes =
                            invite_each(conn, &owner, &context, addresses, &grants, &sending)?;
                        Decision::Done
                    }
                },
                None => Decision::Shown,
            };
            let submission =
                Submission::of_invite_form(context, command.draft, change, problems, decision);
            Ok((submission, outcomes))
        })
        .await?;
    if matches!(submission.decision, Decision::Done) {
        state.outbox.wake();
    }
    Ok(BatchSubmission {
        submission,
        list_problem,
        outcomes,
    })
}

/// The batch's check step, when one is due: one for the whole batch, naming every address it
/// goes to. A batch the plan cannot take at all needs none: each address is refused, with why.
fn batch_check(
    context: &SharingContext,
    command: &FormCommand,
    addresses: &[(String, Result<EmailAddress, EmailError>)],
    grants: &Grants,
) -> Option<Check> {
    let everyone: Vec<String> = addresses.iter().map(|(typed, _)| typed.clone()).collect();
    let just_grants: Vec<Grant> = grants.iter().map(|(_, grant)| *grant).collect();
    let advanced = quota::check_invitation(context.limits, context.usage, &just_grants).ok()?;
    Some(check_for(
        everyone,
        &command.draft,
        grants.clone(),
        advanced,
    ))
    .filter(|check| check.awaits(command))
}

/// Decides each address in turn. What stands in the way is read once for the whole batch: the
/// addresses that already have access (one statement), and the room the plan has; past that
/// room, each address that could otherwise be invited is refused for the limit reached.
fn invite_each(
    conn: &mut PgConnection,
    owner: &Owner,
    context: &SharingContext,
    addresses: Vec<(String, Result<EmailAddress, EmailError>)>,
    grants: &Grants,
    sending: &Sending,
) -> AppResult<Vec<(String, BatchOutcome)>> {
    let parsed: Vec<&str> = addresses
        .iter()
        .filter_map(|(_, parsed)| parsed.as_ref().ok().map(EmailAddress::as_str))
        .collect();
    let with_access = db::members::addresses_with_access(conn, owner.master(), &parsed)?;
    let just_grants: Vec<Grant> = grants.iter().map(|(_, grant)| *grant).collect();
    let room = quota::room_for(context.limits, context.usage, &just_grants);
    let mut invited = 0;
    let mut seen = Vec::new();
    let mut outcomes = Vec::new();
    for (typed, parsed) in addresses {
        let outcome = match parsed {
            Err(error) => BatchOutcome::Invalid(error),
            Ok(email) if seen.contains(&email) => BatchOutcome::ListedTwice,
            Ok(email) => {
                let outcome = if email.as_str() == owner.email {
                    BatchOutcome::Refused(Refusal::OwnAddress)
                } else if with_access.iter().any(|taken| taken == email.as_str()) {
                    BatchOutcome::Refused(Refusal::AlreadyHasAccess)
                } else if invited == room.people {
                    BatchOutcome::Refused(Refusal::Quota(room.then))
                } else {
                    invite_one(conn, owner, context, &email, grants, sending)?;
                    invited += 1;
                    BatchOutcome::Invited
                };
                seen.push(email);
                outcome
            }
        };
        outcomes.push((typed, outcome));
    }
    Ok(outcomes)
}
