//! Data at real scale (SPEC S13), to try the pages and measure them: an agency with 20
//! sub-accounts and 15 people, each with access to all 21 accounts, and an Enterprise owner with
//! 100 sub-accounts and 1,000 people in every status. Everything goes through the services the
//! pages use (sub-accounts, invitations with their check step, accepting with a new login), so
//! the data is what real use would leave behind.

use crate::{
    db::{self, people::NewPerson},
    domain::{
        access_draft::{AccessDraft, DraftRow},
        email::EmailAddress,
        ids::{AccountRef, MasterAccountId, MemberId, SubAccountId},
        name::{DisplayName, SubAccountName},
        permission::{Area, AreaSet},
        plan::Plan,
        role::Role,
    },
    error::{AppError, AppResult},
    i18n::Locale,
    secrets,
    services::{
        invitations,
        owner::Owner,
        sharing::{self, Decision, FormCommand},
        sub_accounts,
    },
    state::AppState,
};

/// Every seeded login, owners included, signs in with this.
pub const SEED_PASSWORD: &str = "seed-password-2026";

/// The size and shape of one owner's data.
pub struct Shape {
    pub owner_email: &'static str,
    pub owner_name: &'static str,
    pub plan: Plan,
    pub sub_accounts: usize,
    pub people: usize,
    /// The Enterprise seats and advanced accesses the operator sets.
    pub enterprise_limits: Option<(i32, i32)>,
    /// Enterprise data spreads roles and statuses; the agency gives everyone all accounts.
    pub varied: bool,
}

/// 20 sub-accounts and 15 people, each with access to all 21 accounts (the issue's "what an
/// owner meets today"): Gold Premium, whose 2 advanced accesses go to a Custom role copied to all
/// below and to a Developer.
pub const AGENCY: Shape = Shape {
    owner_email: "agency@seed.example.com",
    owner_name: "Agency Owner",
    plan: Plan::GoldPremium,
    sub_accounts: 20,
    people: 15,
    enterprise_limits: None,
    varied: false,
};

/// 100 sub-accounts and 1,000 people: Pending, Active and Expired, every role.
pub const ENTERPRISE: Shape = Shape {
    owner_email: "enterprise@seed.example.com",
    owner_name: "Enterprise Owner",
    plan: Plan::Enterprise,
    sub_accounts: 100,
    people: 1000,
    enterprise_limits: Some((1100, 1100)),
    varied: true,
};

pub struct Seeded {
    pub owner_email: &'static str,
    pub master: MasterAccountId,
    pub sub_accounts: Vec<SubAccountId>,
    /// `None` when the owner already existed: nothing was added.
    pub created: bool,
}

fn row(account: AccountRef, role: Role) -> DraftRow {
    DraftRow {
        role: Some(role),
        ..DraftRow::new(account)
    }
}

/// The access person `i` is invited with.
fn access_for(
    shape: &Shape,
    i: usize,
    master: MasterAccountId,
    subs: &[SubAccountId],
) -> AccessDraft {
    let on_master = AccountRef::master(master);
    let sub = |n: usize| AccountRef::sub(master, subs[n % subs.len()]);
    let everywhere = |role: Role| -> Vec<DraftRow> {
        std::iter::once(row(on_master, role))
            .chain(subs.iter().map(|s| row(AccountRef::sub(master, *s), role)))
            .collect()
    };
    let custom_copied = || AccessDraft {
        rows: std::iter::once(DraftRow {
            areas: AreaSet::of(&[Area::Campaigns, Area::Statistics]),
            ..row(on_master, Role::Custom)
        })
        .chain(
            subs.iter()
                .map(|s| DraftRow::new(AccountRef::sub(master, *s))),
        )
        .collect(),
        copy_to_all_below: true,
    };
    let plain = |rows: Vec<DraftRow>| AccessDraft {
        rows,
        copy_to_all_below: false,
    };
    if !shape.varied {
        return match i {
            0 => custom_copied(),
            1 => plain(
                std::iter::once(row(on_master, Role::Accountant))
                    .chain(
                        subs.iter()
                            .map(|s| row(AccountRef::sub(master, *s), Role::Developer)),
                    )
                    .collect(),
            ),
            _ => plain(everywhere(Role::Manager)),
        };
    }
    match i % 10 {
        0 => plain(everywhere(Role::Manager)),
        1 => custom_copied(),
        2..=4 => plain(
            (0..3)
                .map(|n| row(sub(i * 7 + n), Role::Marketer))
                .collect(),
        ),
        5 | 6 => plain(vec![row(sub(i), Role::Developer)]),
        7 | 8 => plain(
            (0..5)
                .map(|n| row(sub(i * 3 + n), Role::Designer))
                .collect(),
        ),
        _ => plain(vec![row(on_master, Role::Accountant)]),
    }
}

/// The settings a seed runs with: the Enterprise owner creates 100 sub-accounts and invites 1,000
/// people in one go, as an operator's import would, far past the limits an owner clicking
/// through the pages gets.
pub fn allow_seeding(settings: &mut crate::config::Settings) {
    use crate::domain::limits::Rate;
    settings.rates.invitations_per_owner = Rate::per_minutes(100_000, 24 * 60);
    settings.rates.sub_accounts_per_owner = Rate::per_minutes(100_000, 60);
}

/// Creates the owner of `shape` with their sub-accounts and people, unless they exist.
pub async fn seed(state: &AppState, shape: &Shape) -> AppResult<Seeded> {
    let password_hash = actix_web::web::block(|| secrets::hash_password(SEED_PASSWORD)).await??;
    let owner = create_owner(state, shape, password_hash.clone()).await?;
    let Some(owner) = owner else {
        return existing(state, shape).await;
    };
    let master = owner.master();
    let mut subs = Vec::new();
    let width = shape.sub_accounts.to_string().len();
    for n in 1..=shape.sub_accounts {
        let name = SubAccountName::parse(&format!("Brand {n:0width$}"))
            .map_err(|e| AppError::Internal(anyhow::anyhow!("seed name: {e:?}")))?;
        let created = sub_accounts::create(state, owner.person_id, true, &owner.account, name)
            .await?
            .map_err(|_| AppError::Internal(anyhow::anyhow!("seed: sub-account name taken")))?;
        subs.push(SubAccountId(created.sub_account.id));
    }
    // The owner's address is made up too: no notice of each seeded acceptance is queued.
    set_notified_of_acceptances(state, owner.person_id.0, false).await?;
    let domain = shape.owner_email.split('@').next().unwrap_or("seed");
    for i in 0..shape.people {
        let email = format!("person{i:04}@{domain}.seed.example.com");
        invite(state, &owner, &email, access_for(shape, i, master, &subs)).await?;
        let status = if shape.varied {
            i % 3
        } else {
            [0, 0, 1][i % 3]
        };
        match status {
            0 => accept(state, master, &email, i, password_hash.clone()).await?,
            2 => expire(state, master, &email).await?,
            _ => {}
        }
    }
    set_notified_of_acceptances(state, owner.person_id.0, true).await?;
    // The addresses are made up: their invitation mails are not sent.
    state
        .db
        .run(move |conn| Ok(db::outbox::cancel_pending_of_account(conn, master)?))
        .await?;
    Ok(Seeded {
        owner_email: shape.owner_email,
        master,
        sub_accounts: subs,
        created: true,
    })
}

async fn create_owner(
    state: &AppState,
    shape: &Shape,
    password_hash: String,
) -> AppResult<Option<Owner>> {
    let now = state.settings.clock.now();
    let (email, name, plan, limits) = (
        shape.owner_email,
        shape.owner_name,
        shape.plan,
        shape.enterprise_limits,
    );
    state
        .db
        .transaction(move |conn| {
            let new = NewPerson {
                email,
                display_name: name,
                password_hash: &password_hash,
                locale: None,
            };
            let Some(person) = db::people::insert_if_new(conn, &new)? else {
                return Ok(None);
            };
            db::people::mark_verified(conn, person.id, now)?;
            let mut account = db::accounts::insert(
                conn,
                &db::accounts::NewAccount {
                    owner_id: person.id,
                    plan: plan.code(),
                },
            )?;
            if let Some((seats, advanced)) = limits {
                // As the operator does for an Enterprise account (README).
                db::accounts::set_enterprise_limits(conn, account.id, seats, advanced)?;
                account.enterprise_seats = Some(seats);
                account.enterprise_advanced = Some(advanced);
            }
            Ok(Some(Owner {
                person_id: person.person_id(),
                locale: Locale::En,
                verified: true,
                email: person.email,
                name: person.display_name,
                account,
                ip: None,
                token: None,
            }))
        })
        .await
}

async fn existing(state: &AppState, shape: &Shape) -> AppResult<Seeded> {
    let email = shape.owner_email;
    let (master, subs) = state
        .db
        .run(move |conn| {
            let person =
                db::people::find_by_email(conn, email)?.ok_or(diesel::result::Error::NotFound)?;
            let account = db::accounts::find_by_owner(conn, person.id)?
                .ok_or(diesel::result::Error::NotFound)?;
            let subs = db::sub_accounts::list(conn, account.master_id())?
                .into_iter()
                .map(|sub| SubAccountId(sub.id))
                .collect();
            Ok((account.master_id(), subs))
        })
        .await?;
    Ok(Seeded {
        owner_email: shape.owner_email,
        master,
        sub_accounts: subs,
        created: false,
    })
}

/// Sends the invite form as an owner would, confirming the check step when it comes.
async fn invite(state: &AppState, owner: &Owner, email: &str, draft: AccessDraft) -> AppResult<()> {
    let address = EmailAddress::parse(email)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("seed address: {e:?}")))?;
    let mut confirmation = None;
    for _ in 0..2 {
        let command = FormCommand {
            confirmation: confirmation.take(),
            ..FormCommand::send(draft.clone())
        };
        let submission =
            sharing::submit_invitation(state, owner, Some(address.clone()), None, command).await?;
        match submission.decision {
            Decision::Done => return Ok(()),
            Decision::CheckFirst(check) => confirmation = Some(check.fingerprint),
            Decision::Refused(refusal) => {
                return Err(AppError::Internal(anyhow::anyhow!(
                    "seed: invitation of {email} refused: {refusal:?}"
                )));
            }
            Decision::Shown => {
                return Err(AppError::Internal(anyhow::anyhow!(
                    "seed: invitation of {email} not sendable: {:?}",
                    submission.problems
                )));
            }
        }
    }
    Err(AppError::Internal(anyhow::anyhow!(
        "seed: invitation of {email} asked to be checked twice"
    )))
}

async fn member_id(state: &AppState, master: MasterAccountId, email: &str) -> AppResult<MemberId> {
    let email = email.to_owned();
    state
        .db
        .run(move |conn| {
            db::members::find_by_email(conn, master, &email)?
                .map(|member| member.member_id())
                .ok_or(AppError::NotFound)
        })
        .await
}

/// Mints the invitation's link as the mail worker does, and accepts it with a new login.
async fn accept(
    state: &AppState,
    master: MasterAccountId,
    email: &str,
    i: usize,
    password_hash: String,
) -> AppResult<()> {
    let member = member_id(state, master, email).await?;
    let token_hash = secrets::token_hash(&secrets::random_token());
    let expires_at = state.settings.clock.now() + state.settings.invitation_link_ttl;
    let minted = token_hash.clone();
    state
        .db
        .run(move |conn| {
            let version = db::members::find(conn, master, member)?
                .ok_or(AppError::NotFound)?
                .token_version;
            Ok(db::members::set_token(
                conn, member.0, version, &minted, expires_at,
            )?)
        })
        .await?;
    let name = DisplayName::parse(&format!("Person {i:04}"))
        .map_err(|e| AppError::Internal(anyhow::anyhow!("seed name: {e:?}")))?;
    invitations::accept_with_password_hash(state, token_hash, name, password_hash, None)
        .await?
        .map_err(|refusal| AppError::Internal(anyhow::anyhow!("seed accept: {refusal:?}")))?;
    Ok(())
}

/// An invitation whose week ran out before anyone accepted it.
async fn expire(state: &AppState, master: MasterAccountId, email: &str) -> AppResult<()> {
    let now = state.settings.clock.now();
    let member = member_id(state, master, email).await?;
    let expired = now - chrono::Duration::days(1);
    state
        .db
        .run(move |conn| {
            Ok(db::members::retire_link(
                conn, master, member, expired, now,
            )?)
        })
        .await?;
    Ok(())
}

async fn set_notified_of_acceptances(state: &AppState, person: i64, on: bool) -> AppResult<()> {
    state
        .db
        .run(move |conn| Ok(db::people::set_notified_of_acceptances(conn, person, on)?))
        .await?;
    Ok(())
}
