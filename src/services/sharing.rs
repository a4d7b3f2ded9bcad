//! Sharing an account: the overview, inviting, editing, deleting and re-sending (SPEC S6, S7,
//! S9, S13). Each submission of the invite or edit form is one call and one transaction: the
//! form's button is applied, and a send is decided under the account's lock, so limits hold
//! under concurrency and nothing is written unless it is sent.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::PgConnection;

use super::{
    audit::{self, Target},
    limits::{self, Limited},
    plan_of, premium_role_codes, usage_of,
};
use crate::{
    config::Rates,
    db::{
        self,
        accounts::Account,
        members::{Member, NewGrant, NewMember, PeopleQuery},
    },
    domain::{
        access_draft::{
            AccessDraft, Change, DraftAction, DraftRow, Forgery, OwnerAccounts, Problem,
            fingerprint,
        },
        audit::{Action, State},
        email::{EmailAddress, EmailError},
        ids::{AccountRef, MasterAccountId, MemberId, PersonId, SubAccountId},
        invitation::AccessStatus,
        permission::{AreaSet, RestrictionSet},
        plan::{Limits, Plan},
        quota::{self, AdvancedSummary, PremiumRoles, QuotaError, Usage},
        role::{Grant, Role},
    },
    error::{AppError, AppResult},
    i18n::Locale,
    mail::{self, Envelope, Mail, OfferedAccess},
    messages,
    state::AppState,
};

/// The grants of one person, each with its account.
type Grants = Vec<(AccountRef, Grant)>;

/// How long after queueing an invitation mail a "Re-send" is taken for a repeated click.
const RESEND_GUARD: chrono::Duration = chrono::Duration::seconds(30);

/// People per page of the sharing table (S13).
pub const PAGE_SIZE: u32 = 50;

/// The owner acting, and their master account.
#[derive(Clone)]
pub struct Owner {
    pub person_id: PersonId,
    pub email: String,
    pub name: String,
    /// The language the owner is using: invitations to people without a login go out in it.
    pub locale: Locale,
    /// Sharing sends mail in the owner's name: it needs an address proven theirs.
    pub verified: bool,
    pub account: Account,
    /// Where the request came from, for the audit log.
    pub ip: Option<std::net::IpAddr>,
}

impl Owner {
    pub fn master(&self) -> MasterAccountId {
        self.account.master_id()
    }

    /// Refuses what sends mail in the owner's name (inviting, re-sending, editing) until their
    /// address is verified: a sign-up must not mail strangers under any name it likes.
    fn may_send_mail(&self) -> AppResult<()> {
        if self.verified {
            Ok(())
        } else {
            Err(AppError::AddressNotVerified)
        }
    }
}

/// Why an invitation or edit was refused; each has words in `messages`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    OwnAddress,
    AlreadyHasAccess,
    Quota(QuotaError),
}

/// What happened to the newest invitation mail of a Pending member (R33).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Queued,
    Sent,
    Failed,
}

/// What every sharing page needs: the owner's accounts, their plan, and what is used of it.
pub struct SharingContext {
    pub accounts: OwnerAccounts,
    pub plan: Plan,
    pub limits: Limits,
    /// Everyone with access, whatever a page shows.
    pub usage: Usage,
}

/// The owner's accounts, with the sub-accounts' names: one statement.
pub(crate) fn owner_accounts(
    conn: &mut PgConnection,
    master: MasterAccountId,
) -> AppResult<OwnerAccounts> {
    let sub_accounts = db::sub_accounts::list(conn, master)?
        .into_iter()
        .map(|sub| (SubAccountId(sub.id), sub.name))
        .collect();
    Ok(OwnerAccounts {
        master,
        sub_accounts,
    })
}

/// Two statements: the sub-accounts, and the usage, leaving out `except` (someone being edited,
/// whose own seat and grants do not count against them).
fn load_context(
    conn: &mut PgConnection,
    account: &Account,
    except: Option<MemberId>,
) -> AppResult<SharingContext> {
    let (plan, limits) = plan_of(account);
    Ok(SharingContext {
        accounts: owner_accounts(conn, account.master_id())?,
        plan,
        limits,
        usage: usage_of(conn, account.master_id(), except)?,
    })
}

pub(crate) fn grants_of(
    conn: &mut PgConnection,
    master: MasterAccountId,
    member: MemberId,
) -> AppResult<Grants> {
    Ok(db::members::grants_of_member(conn, master, member)?
        .iter()
        .filter_map(|row| row.access(master))
        .collect())
}

// ---------------------------------------------------------------------------------------------
// The sharing page

/// Which status the sharing table shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Owner,
    Member(AccessStatus),
}

/// The sharing table's search, filters and page (S13), as its query string says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeopleFilter {
    pub search: Option<String>,
    pub status: Option<StatusFilter>,
    pub role: Option<Role>,
    /// Most recently active first, instead of in the order invited.
    pub by_activity: bool,
    /// From 1.
    pub page: u32,
}

impl PeopleFilter {
    pub fn is_active(&self) -> bool {
        self.search.is_some() || self.status.is_some() || self.role.is_some()
    }

    /// Whether the owner's own row matches: owners hold no role and have no invitation.
    fn shows_owner(&self, owner: &Owner) -> bool {
        let status_ok = matches!(self.status, None | Some(StatusFilter::Owner));
        let search_ok = self.search.as_deref().is_none_or(|search| {
            let search = search.to_lowercase();
            owner.email.to_lowercase().contains(&search)
                || owner.name.to_lowercase().contains(&search)
        });
        status_ok && search_ok && self.role.is_none()
    }
}

pub struct MemberView {
    pub member: Member,
    pub name: Option<String>,
    pub last_sign_in_at: Option<DateTime<Utc>>,
    pub status: AccessStatus,
    pub grants: Grants,
    pub delivery: Option<Delivery>,
}

pub struct Overview {
    pub context: SharingContext,
    pub owner_shown: bool,
    /// This page of the people matching the filter.
    pub members: Vec<MemberView>,
    /// How many people match the filter, the owner left out.
    pub matching: u32,
}

pub enum OverviewOutcome {
    Shown(Overview),
    /// A page past the last one: this is the last.
    NoSuchPage {
        last: u32,
    },
}

/// One page of the sharing table, in a fixed number of statements whatever the number of
/// people and accounts: the sub-accounts, the usage, the page of people (with the count of all
/// that match), their grants, and their newest invitation mails.
pub async fn overview(
    state: &AppState,
    owner: &Owner,
    filter: PeopleFilter,
) -> AppResult<OverviewOutcome> {
    let owner = owner.clone();
    let (limit, offset) = (
        i64::from(PAGE_SIZE),
        i64::from(filter.page.saturating_sub(1)) * i64::from(PAGE_SIZE),
    );
    let now = state.settings.clock.now();
    state
        .db
        .run(move |conn| people(conn, &owner, &filter, limit, offset, now))
        .await
}

/// More people than any plan lets an owner share with: an export holds everyone.
const EXPORT_LIMIT: i64 = 100_000;

/// Everyone matching the filter, for the CSV export, in the same one statement as a page.
pub async fn everyone(
    state: &AppState,
    owner: &Owner,
    filter: PeopleFilter,
) -> AppResult<Overview> {
    let owner = owner.clone();
    let filter = PeopleFilter { page: 1, ..filter };
    let now = state.settings.clock.now();
    let outcome = state
        .db
        .run(move |conn| people(conn, &owner, &filter, EXPORT_LIMIT, 0, now))
        .await?;
    match outcome {
        OverviewOutcome::Shown(overview) => Ok(overview),
        OverviewOutcome::NoSuchPage { .. } => Err(AppError::NotFound),
    }
}

fn people(
    conn: &mut diesel::PgConnection,
    owner: &Owner,
    filter: &PeopleFilter,
    limit: i64,
    offset: i64,
    now: DateTime<Utc>,
) -> AppResult<OverviewOutcome> {
    let master = owner.master();
    let role_code = filter.role.map(Role::code);
    let query = PeopleQuery {
        search: filter.search.as_deref(),
        status: match filter.status {
            Some(StatusFilter::Member(status)) => Some(status),
            _ => None,
        },
        owner_only: filter.status == Some(StatusFilter::Owner),
        role: role_code,
        by_activity: filter.by_activity,
        limit,
        offset,
    };
    let page = db::members::sharing_page(conn, master, &premium_role_codes(), &query, now)?;
    if page.members.is_empty() && filter.page > 1 {
        // An empty page counts nobody: the first one says how many match.
        let first = PeopleQuery {
            limit: 1,
            offset: 0,
            ..query
        };
        let matching =
            db::members::sharing_page(conn, master, &premium_role_codes(), &first, now)?.matching;
        let last = (matching.max(1) as u32).div_ceil(PAGE_SIZE);
        return Ok(OverviewOutcome::NoSuchPage { last });
    }
    let (plan, limits) = plan_of(&owner.account);
    let context = SharingContext {
        accounts: OwnerAccounts {
            master,
            sub_accounts: page
                .sub_accounts
                .into_iter()
                .map(|(id, name)| (SubAccountId(id), name))
                .collect(),
        },
        plan,
        limits,
        usage: Usage {
            seats: page.seats as u32,
            advanced_accesses: page.advanced as u32,
        },
    };
    let members = page
        .members
        .into_iter()
        .map(|paged| {
            let row = paged.person;
            let status = AccessStatus::at(
                row.member.accepted_at.is_some(),
                row.member.invitation_expires_at,
                now,
            );
            let delivery = match status {
                AccessStatus::Active => None,
                _ => match paged.delivery.as_deref() {
                    Some("sent") => Some(Delivery::Sent),
                    Some("failed") => Some(Delivery::Failed),
                    Some("pending") => Some(Delivery::Queued),
                    // Cancelled: the mail lost its purpose; nothing to report.
                    _ => None,
                },
            };
            MemberView {
                grants: paged
                    .grants
                    .iter()
                    .filter_map(|grant| grant.access(master))
                    .collect(),
                name: row.name,
                last_sign_in_at: row.last_sign_in_at,
                status,
                delivery,
                member: row.member,
            }
        })
        .collect();
    Ok(OverviewOutcome::Shown(Overview {
        owner_shown: filter.page <= 1 && filter.shows_owner(owner),
        context,
        members,
        matching: page.matching as u32,
    }))
}

// ---------------------------------------------------------------------------------------------
// The invite and edit forms

/// The form as it is to be shown.
pub struct AccessForm {
    pub context: SharingContext,
    pub draft: AccessDraft,
    /// Whether the premium roles can be offered, and if not why.
    pub premium: PremiumRoles,
    /// The roles the person holds now (edit only): kept even where the plan would no longer
    /// offer them (S11).
    pub kept: Vec<(AccountRef, Role)>,
}

/// What the check step before sending shows (S5, S13).
#[derive(Debug, Clone)]
pub struct Check {
    /// Who the access goes to: one address, or every address of a batch.
    pub recipients: Vec<String>,
    pub grants: Grants,
    /// "Copy to all below" filled the sub-account rows from the master account's.
    pub copied: Option<(AreaSet, RestrictionSet, usize)>,
    pub advanced: AdvancedSummary,
    /// What the check's own "Send" button carries back.
    pub fingerprint: String,
}

impl Check {
    /// Whether sending must wait for the check step's own Send: something is worth checking
    /// (an advanced access taken, boxes copied, several people invited at once), and what was
    /// confirmed is not what would be sent.
    fn awaits(&self, confirmation: Option<&str>) -> bool {
        let needed =
            self.advanced.takes_a_new_one || self.copied.is_some() || self.recipients.len() > 1;
        needed && confirmation != Some(self.fingerprint.as_str())
    }
}

pub enum Decision {
    /// Shown again: after a button other than send, or with problems to fix.
    Shown,
    CheckFirst(Check),
    Refused(Refusal),
    Done,
}

pub struct Submission {
    pub form: AccessForm,
    pub change: Option<Change>,
    pub problems: Vec<Problem>,
    pub decision: Decision,
}

impl Submission {
    /// A form as first shown, nothing submitted yet.
    pub fn shown(form: AccessForm) -> Submission {
        Submission {
            form,
            change: None,
            problems: Vec::new(),
            decision: Decision::Shown,
        }
    }

    /// The invite or batch form after a submission: nobody's grants are kept, as nobody is
    /// being edited.
    fn of_invite_form(
        context: SharingContext,
        draft: AccessDraft,
        change: Option<Change>,
        problems: Vec<Problem>,
        decision: Decision,
    ) -> Submission {
        Submission {
            form: AccessForm {
                premium: quota::premium_roles(context.limits, context.usage, false),
                draft,
                context,
                kept: Vec::new(),
            },
            change,
            problems,
            decision,
        }
    }
}

/// The form's fields as the handler parsed them.
pub struct FormCommand {
    pub draft: AccessDraft,
    pub action: DraftAction,
    /// The fingerprint a check step's "Send" carried, if that is the button pressed.
    pub confirmation: Option<String>,
}

fn refused_draft(forgery: Forgery) -> AppError {
    match forgery {
        Forgery::UnknownAccount => AppError::NotFound,
        Forgery::Malformed => AppError::BadRequest(messages::BAD_FORM),
    }
}

/// Applies the form's button to the draft. `None` when something must be fixed first or the
/// button was not send; otherwise the grants asked for.
fn apply_button(
    context: &SharingContext,
    command: &mut FormCommand,
    problems: &mut Vec<Problem>,
) -> AppResult<(Option<Change>, Option<Grants>)> {
    let (change, found) = command
        .draft
        .apply(command.action, &context.accounts)
        .map_err(refused_draft)?;
    problems.extend(found);
    if command.action != DraftAction::Send {
        return Ok((change, None));
    }
    match command.draft.grants() {
        Ok(grants) if problems.is_empty() => Ok((change, Some(grants))),
        Ok(_) => Ok((change, None)),
        Err(found) => {
            problems.extend(found);
            Ok((change, None))
        }
    }
}

fn check_for(
    recipients: Vec<String>,
    draft: &AccessDraft,
    grants: Grants,
    advanced: AdvancedSummary,
) -> Check {
    let copied = draft
        .copies_to_all_below()
        .then(|| draft.rows.first())
        .flatten()
        .filter(|_| draft.rows.len() > 1)
        .map(|master| (master.areas, master.restrictions, draft.rows.len() - 1));
    Check {
        fingerprint: fingerprint(&recipients.join("\n"), &grants),
        recipients,
        grants,
        copied,
        advanced,
    }
}

/// The invite form as first shown: the account asked for (as "Share it" after creating a
/// sub-account asks) when it is one of the owner's; else the master account's row when there is
/// nothing else to share, an empty list to add accounts to otherwise.
pub async fn invite_form(
    state: &AppState,
    owner: &Owner,
    start_with: Option<AccountRef>,
) -> AppResult<AccessForm> {
    let account = owner.account.clone();
    state
        .db
        .run(move |conn| {
            let context = load_context(conn, &account, None)?;
            let asked = start_with.filter(|account| context.accounts.knows(*account));
            let rows = match asked {
                Some(account) => vec![DraftRow::new(account)],
                None if context.accounts.sub_accounts.is_empty() => {
                    vec![DraftRow::new(AccountRef::master(context.accounts.master))]
                }
                None => Vec::new(),
            };
            Ok(AccessForm {
                premium: quota::premium_roles(context.limits, context.usage, false),
                draft: AccessDraft {
                    rows,
                    copy_to_all_below: false,
                },
                context,
                kept: Vec::new(),
            })
        })
        .await
}

/// One submission of the invite form: the button applied, and for "Send invitation" the whole
/// decision taken under the account's lock. The member, their grants and the invitation mail are
/// written together, or nothing is.
pub async fn submit_invitation(
    state: &AppState,
    owner: &Owner,
    email: Option<EmailAddress>,
    access_ends_on: Option<NaiveDate>,
    mut command: FormCommand,
) -> AppResult<Submission> {
    let owner = owner.clone();
    let ttl = state.settings.invitation_link_ttl;
    let rates = state.settings.rates;
    let now = state.settings.clock.now();
    let submission = state
        .db
        .transaction(move |conn| {
            let sending = command.action == DraftAction::Send;
            let account = if sending {
                owner.may_send_mail()?;
                db::members::lock_account(conn, owner.master())?
            } else {
                owner.account.clone()
            };
            let context = load_context(conn, &account, None)?;
            let mut problems = Vec::new();
            let (change, grants) = apply_button(&context, &mut command, &mut problems)?;
            let decision = match (grants, &email) {
                (Some(grants), Some(email)) => {
                    let sending = Sending {
                        now,
                        ttl,
                        rates: &rates,
                        access_ends_on,
                    };
                    decide_invitation(conn, &owner, &context, email, &command, grants, sending)?
                }
                _ => Decision::Shown,
            };
            Ok(Submission::of_invite_form(
                context,
                command.draft,
                change,
                problems,
                decision,
            ))
        })
        .await?;
    if matches!(submission.decision, Decision::Done) {
        state.outbox.wake();
    }
    Ok(submission)
}

/// What sending an invitation needs from the settings.
struct Sending<'a> {
    /// The clock's time for the whole use case.
    now: DateTime<Utc>,
    ttl: std::time::Duration,
    rates: &'a Rates,
    access_ends_on: Option<NaiveDate>,
}

fn decide_invitation(
    conn: &mut PgConnection,
    owner: &Owner,
    context: &SharingContext,
    email: &EmailAddress,
    command: &FormCommand,
    grants: Grants,
    sending: Sending,
) -> AppResult<Decision> {
    let advanced = match refusal_for(conn, owner, context, email, &grants)? {
        Ok(advanced) => advanced,
        Err(refusal) => return Ok(Decision::Refused(refusal)),
    };
    let check = check_for(
        vec![email.as_str().to_owned()],
        &command.draft,
        grants,
        advanced,
    );
    if check.awaits(command.confirmation.as_deref()) {
        return Ok(Decision::CheckFirst(check));
    }
    invite_one(conn, owner, context, email, &check.grants, &sending)?;
    Ok(Decision::Done)
}

/// Why `email` cannot be invited with `grants` now, or what it takes of the advanced accesses.
fn refusal_for(
    conn: &mut PgConnection,
    owner: &Owner,
    context: &SharingContext,
    email: &EmailAddress,
    grants: &[(AccountRef, Grant)],
) -> AppResult<Result<AdvancedSummary, Refusal>> {
    if email.as_str() == owner.email {
        return Ok(Err(Refusal::OwnAddress));
    }
    if db::members::find_by_address_or_login(conn, owner.master(), email.as_str())?.is_some() {
        return Ok(Err(Refusal::AlreadyHasAccess));
    }
    let just_grants: Vec<Grant> = grants.iter().map(|(_, grant)| *grant).collect();
    Ok(
        quota::check_invitation(context.limits, context.usage, &just_grants)
            .map_err(Refusal::Quota),
    )
}

/// Writes one invitation: the member, their grants, the mail and the audit record, counted
/// against the owner's hourly limit. Nothing of it stays if anything fails.
fn invite_one(
    conn: &mut PgConnection,
    owner: &Owner,
    context: &SharingContext,
    email: &EmailAddress,
    grants: &[(AccountRef, Grant)],
    sending: &Sending,
) -> AppResult<()> {
    // Counted in this transaction: an invitation refused for any reason is not counted.
    let owner_key = owner.person_id.to_string();
    limits::count(
        conn,
        sending.rates,
        Limited::InvitationsPerOwner,
        &owner_key,
        sending.now,
    )?;
    let new = NewMember {
        master_account_id: owner.master().0,
        email: email.as_str(),
        invited_by: owner.person_id.0,
        invitation_expires_at: sending.now + sending.ttl,
        locale: owner.locale.code(),
        access_ends_on: sending.access_ends_on,
    };
    let member = db::members::insert(conn, &new)?;
    db::members::insert_grants(conn, &new_grants(member.member_id(), grants))?;
    queue_invitation(conn, owner, &context.accounts, &member, grants)?;
    audit::record(
        conn,
        owner.master(),
        &owner.actor(),
        Action::InvitationSent,
        Some(Target::member(&member)),
        None,
        Some(access_state(
            &context.accounts,
            grants,
            sending.access_ends_on,
        )),
    )?;
    Ok(())
}

/// What became of one address of a batch ("Invite several people").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchOutcome {
    Invited,
    Refused(Refusal),
    Invalid(EmailError),
    /// The same address earlier in the list.
    ListedTwice,
}

/// One submission of the batch form: like `submit_invitation`, but for up to
/// `MAX_ADDRESSES_AT_ONCE` addresses with the same access, decided in one transaction under the
/// account's lock, in the order given, each counted against the limits as it is invited. Each
/// address is invited whole or not at all; the outcomes say which.
pub async fn submit_batch(
    state: &AppState,
    owner: &Owner,
    addresses: Vec<(String, Result<EmailAddress, EmailError>)>,
    access_ends_on: Option<NaiveDate>,
    mut command: FormCommand,
) -> AppResult<(Submission, Vec<(String, BatchOutcome)>)> {
    let owner = owner.clone();
    let ttl = state.settings.invitation_link_ttl;
    let rates = state.settings.rates;
    let now = state.settings.clock.now();
    let (submission, outcomes) = state
        .db
        .transaction(move |conn| {
            let sending = command.action == DraftAction::Send && !addresses.is_empty();
            let account = if sending {
                owner.may_send_mail()?;
                db::members::lock_account(conn, owner.master())?
            } else {
                owner.account.clone()
            };
            let mut context = load_context(conn, &account, None)?;
            let mut problems = Vec::new();
            let (change, grants) = apply_button(&context, &mut command, &mut problems)?;
            let mut outcomes = Vec::new();
            let decision = match grants {
                Some(grants) if sending => {
                    let check = batch_check(&context, &command, &addresses, &grants);
                    if let Some(check) = check {
                        Decision::CheckFirst(check)
                    } else {
                        let sending = Sending {
                            now,
                            ttl,
                            rates: &rates,
                            access_ends_on,
                        };
                        outcomes =
                            invite_each(conn, &owner, &mut context, addresses, &grants, &sending)?;
                        Decision::Done
                    }
                }
                _ => Decision::Shown,
            };
            let submission =
                Submission::of_invite_form(context, command.draft, change, problems, decision);
            Ok((submission, outcomes))
        })
        .await?;
    if matches!(submission.decision, Decision::Done) {
        state.outbox.wake();
    }
    Ok((submission, outcomes))
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
    .filter(|check| check.awaits(command.confirmation.as_deref()))
}

/// Decides each address in turn, the usage counted again after each invitation so the plan's
/// limits hold across the batch.
fn invite_each(
    conn: &mut PgConnection,
    owner: &Owner,
    context: &mut SharingContext,
    addresses: Vec<(String, Result<EmailAddress, EmailError>)>,
    grants: &[(AccountRef, Grant)],
    sending: &Sending,
) -> AppResult<Vec<(String, BatchOutcome)>> {
    let mut seen = Vec::new();
    let mut outcomes = Vec::new();
    for (typed, parsed) in addresses {
        let outcome = match parsed {
            Err(error) => BatchOutcome::Invalid(error),
            Ok(email) if seen.contains(&email) => BatchOutcome::ListedTwice,
            Ok(email) => {
                let outcome = match refusal_for(conn, owner, context, &email, grants)? {
                    Err(refusal) => BatchOutcome::Refused(refusal),
                    Ok(_) => {
                        invite_one(conn, owner, context, &email, grants, sending)?;
                        context.usage = usage_of(conn, owner.master(), None)?;
                        BatchOutcome::Invited
                    }
                };
                seen.push(email);
                outcome
            }
        };
        outcomes.push((typed, outcome));
    }
    Ok(outcomes)
}

/// Accesses as the audit log records them, with the sub-accounts' names of the moment.
pub(crate) fn access_state(
    accounts: &OwnerAccounts,
    grants: &[(AccountRef, Grant)],
    until: Option<NaiveDate>,
) -> State {
    State::access(
        grants,
        |sub| accounts.sub_account_name(sub).map(str::to_owned),
        until,
    )
}

pub(crate) fn new_grants(
    member: MemberId,
    grants: &[(AccountRef, Grant)],
) -> Vec<NewGrant<'static>> {
    grants
        .iter()
        .map(|(account, grant)| NewGrant {
            master_account_id: account.master.0,
            member_id: member.0,
            sub_account_id: account.sub.map(|sub| sub.0),
            role: grant.role.code(),
            areas: grant.areas.bits(),
            restrictions: grant.restrictions.bits(),
        })
        .collect()
}

/// Accesses as a mail carries them: enough to word them when it is sent.
fn offered(accounts: &OwnerAccounts, grants: &[(AccountRef, Grant)]) -> Vec<OfferedAccess> {
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

fn queue_invitation(
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

/// The edit form as first shown: the member's grants, one row each.
pub async fn edit_form(
    state: &AppState,
    owner: &Owner,
    member_id: MemberId,
) -> AppResult<(Member, AccessForm)> {
    let account = owner.account.clone();
    state
        .db
        .run(move |conn| {
            let (member, before) = member_of(conn, account.master_id(), member_id)?;
            let context = load_context(conn, &account, Some(member_id))?;
            let mut draft = AccessDraft {
                rows: before
                    .iter()
                    .map(|(account, grant)| DraftRow::from_grant(*account, *grant))
                    .collect(),
                copy_to_all_below: false,
            };
            draft.copy_to_all_below = draft.looks_copied();
            Ok((member, edit_form_of(context, draft, &before)))
        })
        .await
}

/// One submission of the edit form ("Update access"), with the same checks as inviting.
/// The usage in the returned form leaves the member out: their own seat and grants do not count
/// against them.
pub async fn submit_edit(
    state: &AppState,
    owner: &Owner,
    member_id: MemberId,
    access_ends_on: Option<NaiveDate>,
    mut command: FormCommand,
) -> AppResult<(Member, Submission)> {
    let now = state.settings.clock.now();
    let owner = owner.clone();
    let edited = state
        .db
        .transaction(move |conn| {
            let sending = command.action == DraftAction::Send;
            let account = if sending {
                owner.may_send_mail()?;
                db::members::lock_account(conn, owner.master())?
            } else {
                owner.account.clone()
            };
            let (member, before) = member_of(conn, account.master_id(), member_id)?;
            let context = load_context(conn, &account, Some(member_id))?;
            let mut problems = Vec::new();
            let (change, grants) = apply_button(&context, &mut command, &mut problems)?;
            let decision = match grants {
                Some(grants) => {
                    match quota::check_edit(context.limits, context.usage, &before, &grants) {
                        Err(refusal) => Decision::Refused(Refusal::Quota(refusal)),
                        Ok(advanced) => {
                            let check = check_for(
                                vec![member.email.clone()],
                                &command.draft,
                                grants,
                                advanced,
                            );
                            if check.awaits(command.confirmation.as_deref()) {
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
                                tell_member(conn, &owner, &member, notice)?;
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
                    }
                }
                None => Decision::Shown,
            };
            let submission = Submission {
                form: edit_form_of(context, command.draft, &before),
                change,
                problems,
                decision,
            };
            Ok((member, submission))
        })
        .await;
    state.outbox.wake();
    edited
}

enum Notice {
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
fn tell_member(
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

// ---------------------------------------------------------------------------------------------
// Manage: one person

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
        .transaction(move |conn| {
            let master = owner.master();
            db::members::lock_account(conn, master)?;
            let grants = grants_of(conn, master, member_id)?;
            let member = db::members::delete(conn, master, member_id)?.ok_or(AppError::NotFound)?;
            tell_member(conn, &owner, &member, Notice::Removed)?;
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
        })
        .await;
    state.outbox.wake();
    deleted
}

/// "Re-send invitation": the old link stops working now, the expiry starts again, and a new
/// mail is queued; only the link it carries will work (R5). The flag is false when the person
/// has accepted, and there is nothing to re-send.
pub async fn resend(
    state: &AppState,
    owner: &Owner,
    member_id: MemberId,
) -> AppResult<(Member, bool)> {
    owner.may_send_mail()?;
    let owner = owner.clone();
    let ttl = state.settings.invitation_link_ttl;
    let rates = state.settings.rates;
    let now = state.settings.clock.now();
    let resent = state
        .db
        .transaction(move |conn| {
            let account = db::members::lock_account(conn, owner.master())?;
            let master = account.master_id();
            let member = db::members::find(conn, master, member_id)?.ok_or(AppError::NotFound)?;
            // A double click, or a second click while the first mail is still on its way, sends
            // nothing more (UX.md rule 11: duplicate invitations from double clicks).
            let just_queued = now - RESEND_GUARD;
            if member.accepted_at.is_none()
                && db::outbox::has_fresh_pending_for_member(conn, member_id, just_queued)?
            {
                return Ok((member, true));
            }
            if member.accepted_at.is_none() {
                let person = member_id.to_string();
                limits::count(conn, &rates, Limited::ResendPerPerson, &person, now)?;
            }
            let Some(version) = db::members::retire_link(conn, master, member_id, now + ttl, now)?
            else {
                return Ok((member, false));
            };
            let member = Member {
                token_version: version,
                ..member
            };
            let grants = grants_of(conn, master, member_id)?;
            let accounts = owner_accounts(conn, master)?;
            queue_invitation(conn, &owner, &accounts, &member, &grants)?;
            audit::record(
                conn,
                master,
                &owner.actor(),
                Action::InvitationResent,
                Some(Target::member(&member)),
                None,
                None,
            )?;
            Ok((member, true))
        })
        .await?;
    state.outbox.wake();
    Ok(resent)
}

// ---------------------------------------------------------------------------------------------
// Accounts shared with a person

/// One account shared with a person, for the switcher and My account.
pub struct SharedAccount {
    pub account: AccountRef,
    /// The sub-account's name; `None` for the master account.
    pub sub_account_name: Option<String>,
    pub owner_name: String,
    pub owner_email: String,
    pub role: Role,
}

impl SharedAccount {
    /// The account a `reachable` row shares, `None` for one of the person's own or a role no
    /// longer in the catalogue.
    pub fn from_row(row: &db::members::ReachableRow) -> Option<SharedAccount> {
        let (account, granted) = row
            .grant()?
            .access(MasterAccountId(row.master_account_id))?;
        Some(SharedAccount {
            account,
            sub_account_name: row.sub_account_name.clone(),
            owner_name: row.owner_name.clone()?,
            owner_email: row.owner_email.clone()?,
            role: granted.role,
        })
    }
}
