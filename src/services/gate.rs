//! The gate the email platform asks (INTEGRATION.md S15, S16): who is this, and what may they do
//! on this account? Forward auth asks about a session, the check API about a person or a
//! session; both get their answers from one statement per request and the permissions from
//! `Standing::permissions`, the function the pages use.

use chrono::Duration;

use crate::{
    db::{
        self,
        gate::{Granularity, Uses},
        members::ACTIVITY_GRANULARITY,
    },
    domain::{
        access::Standing,
        ids::AccountRef,
        permission::{AreaSet, RestrictionSet},
        role::{Grant, Role},
        vocabulary::PermissionSet,
    },
    error::AppResult,
    state::AppState,
};

/// A service token's last use is written down at most this often.
const TOKEN_USE_GRANULARITY: Duration = Duration::minutes(1);

/// Whom a question is about.
#[derive(Debug, Clone)]
pub enum Subject {
    Person(i64),
    /// The hash of a session's key, as the session cookie carries it once decrypted; `None`
    /// for a cookie that does not decrypt, which is nobody.
    Session(Option<Vec<u8>>),
}

#[derive(Debug, Clone)]
pub struct Question {
    pub subject: Subject,
    pub account: AccountRef,
}

/// Someone who can reach the account asked about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admitted {
    pub person_id: i64,
    pub email: String,
    pub name: String,
    pub account: AccountRef,
    /// `None` for the account's owner.
    pub role: Option<Role>,
    pub permissions: PermissionSet,
}

impl Admitted {
    /// `owner`, or the role's code: `X-Sharing-Role`.
    pub fn role_code(&self) -> &'static str {
        self.role.map_or("owner", Role::code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// No such person, or no live signed-in session.
    Nobody,
    /// The account does not exist, or this person has no access to it: the same answer, so that
    /// nobody learns which accounts exist.
    NoAccess,
    /// Has access, but the owner requires a second factor and this person has none turned on:
    /// refused, with that reason, until they set one up.
    SecondFactorRequired,
    Admitted(Admitted),
}

/// Answers `questions` in order, all in one statement; `None` when `service_token_hash` names no
/// live token (checked in the same statement: nothing is then written, and no answer given).
/// What the read finds out of date is written afterwards in one statement: at most every few
/// minutes for a session, a person in an account, or a token.
pub async fn ask(
    state: &AppState,
    service_token_hash: Option<Vec<u8>>,
    questions: Vec<Question>,
) -> AppResult<Option<Vec<Verdict>>> {
    let settings = &state.settings;
    let now = settings.clock.now();
    let idle = Duration::from_std(settings.session_idle_timeout).unwrap_or_default();
    let absolute = Duration::from_std(settings.session_absolute_timeout).unwrap_or_default();
    let born_after = now - absolute;
    let granularity = Granularity {
        now,
        extend_sessions_to: now + idle,
        // Moving the idle limit out only when it has come 5 minutes nearer keeps a stream of
        // checks from writing; a session then ends between 25 and 30 minutes after its last use.
        extend_sessions_ending_before: now + idle - ACTIVITY_GRANULARITY,
        activity_older_than: now - ACTIVITY_GRANULARITY,
        token_use_older_than: now - TOKEN_USE_GRANULARITY,
    };
    let rows: Vec<db::gate::Question> = questions
        .iter()
        .map(|question| {
            let (person_id, session_hash) = match &question.subject {
                Subject::Person(id) => (Some(*id), None),
                // An empty hash matches no session.
                Subject::Session(hash) => (None, Some(hash.clone().unwrap_or_default())),
            };
            db::gate::Question {
                person_id,
                session_hash,
                master_account_id: question.account.master.0,
                sub_account_id: question.account.sub.map(|sub| sub.0),
            }
        })
        .collect();
    let answers = state
        .db
        .read(move |conn| {
            let token = service_token_hash.as_deref();
            let answers = match rows.as_slice() {
                [row] => vec![db::gate::ask(conn, token, row, now, born_after)?],
                rows => db::gate::ask_batch(conn, token, rows, now, born_after)?,
            };
            let mut uses = Uses::default();
            if token.is_some() {
                // The token is on every answer, or on none.
                let Some((id, used_at)) = answers
                    .first()
                    .and_then(|answer| Some((answer.token_id?, answer.token_used_at)))
                else {
                    return Ok(None);
                };
                if used_at.is_none_or(|at| at < granularity.token_use_older_than) {
                    uses.token = Some(id);
                }
            }
            for (row, answer) in rows.iter().zip(&answers) {
                if let (Some(hash), Some(expires_at)) =
                    (&row.session_hash, answer.session_expires_at)
                    && expires_at < granularity.extend_sessions_ending_before
                {
                    uses.sessions.push(hash.clone());
                }
                if let Some(member) = answer.member_id
                    && answer
                        .last_activity_at
                        .is_none_or(|at| at < granularity.activity_older_than)
                {
                    uses.members.push(member);
                }
            }
            if !uses.is_empty() {
                db::gate::record(conn, &uses, granularity)?;
            }
            Ok(Some(answers))
        })
        .await?;
    Ok(answers.map(|answers| {
        answers
            .into_iter()
            .zip(&questions)
            .map(|(answer, question)| verdict(answer, question.account))
            .collect()
    }))
}

fn verdict(answer: db::gate::Answer, account: AccountRef) -> Verdict {
    let (Some(person_id), Some(email), Some(name)) =
        (answer.person_id, answer.email, answer.display_name)
    else {
        return Verdict::Nobody;
    };
    if !answer.account_found {
        return Verdict::NoAccess;
    }
    let standing = if answer.owner {
        Standing::Owner
    } else {
        match (
            answer.role.as_deref().and_then(Role::from_code),
            answer.areas,
            answer.restrictions,
        ) {
            (Some(role), Some(areas), Some(restrictions)) => Standing::Member(Grant {
                role,
                areas: AreaSet::from_bits(areas),
                restrictions: RestrictionSet::from_bits(restrictions),
            }),
            _ => return Verdict::NoAccess,
        }
    };
    if answer.second_factor_missing {
        return Verdict::SecondFactorRequired;
    }
    Verdict::Admitted(Admitted {
        person_id,
        email,
        name,
        account,
        role: match standing {
            Standing::Owner => None,
            Standing::Member(grant) => Some(grant.role),
        },
        permissions: standing.permissions(account.kind()),
    })
}
