//! SCIM 2.0 provisioning (issue 22): an owner's identity provider creates, changes and removes
//! the people with access to the owner's accounts. A User that is active holds an invitation
//! with the owner's chosen default access; made inactive or deleted, that access goes. Every
//! change goes through the sharing services the pages use (quotas under the account's lock,
//! the invitation and removal mail, the audit log naming the token), in one transaction with
//! the User's own record.

use std::net::IpAddr;

use chrono::Utc;
use diesel::PgConnection;

use crate::{
    db::{
        self,
        scim::{GroupFilter, UserFilter, UserValues},
    },
    domain::{
        access_draft::{AccessDraft, DraftRow},
        ids::{AccountRef, MasterAccountId, MemberId},
        role::Role,
        scim::{Email, Filter, GroupFields, Invalid, ScimType, UserFields},
    },
    error::{AppError, AppResult},
    i18n::Locale,
    messages, secrets,
    services::{
        owner::{Owner, owner_accounts},
        sharing::{self, Decision, FormCommand, Refusal},
    },
    state::AppState,
};

/// What every SCIM token starts with, so that secret scanners recognise a leaked one.
pub const PREFIX: &str = "asc_";
/// Live SCIM tokens an owner may hold at once: one per provider, with room to rotate.
pub const MAX_LIVE: usize = 5;
/// Users and Groups one owner may have: inactive Users and Groups cost no seat, so these are
/// what keeps a runaway provider from filling the database.
pub const MAX_USERS: i64 = 10_000;
pub const MAX_GROUPS: i64 = 1_000;

fn too_many(what: &str, most: i64) -> Refused {
    Refused::NotAllowed(format!(
        "An owner can have at most {most} {what}: remove some first"
    ))
}

/// The identity provider acting, as the owner of the account its token belongs to.
#[derive(Clone)]
pub struct Provider {
    pub owner: Owner,
}

/// A User as the protocol shows it.
#[derive(Debug, Clone)]
pub struct UserView {
    pub id: String,
    pub fields: UserFields,
    pub created: chrono::DateTime<Utc>,
    pub last_modified: chrono::DateTime<Utc>,
    /// The weak ETag: changes whenever what is shown does.
    pub version: String,
}

/// Why a change was not made; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    Invalid(Invalid),
    NotFound,
    /// `If-Match` named another version.
    Stale,
    /// Another User has this userName, or the address has access already.
    Taken(String),
    /// The plan or the owner's settings do not allow it, in words.
    NotAllowed(String),
}

impl From<Invalid> for Refused {
    fn from(invalid: Invalid) -> Refused {
        Refused::Invalid(invalid)
    }
}

pub type Outcome<T> = AppResult<Result<T, Refused>>;

/// One SCIM change: one transaction under the account's lock, so quotas, names and ETags hold
/// against concurrent requests; then the outbox is woken for whatever mail it queued.
async fn write<T, F>(state: &AppState, owner: &Owner, work: F) -> AppResult<T>
where
    F: FnOnce(&mut PgConnection, &Owner, MasterAccountId) -> AppResult<T> + Send + 'static,
    T: Send + 'static,
{
    let owner = owner.clone();
    let done = state
        .db
        .transaction(move |conn| {
            let master = owner.master();
            db::members::lock_account(conn, master)?;
            work(conn, &owner, master)
        })
        .await?;
    state.outbox.wake();
    Ok(done)
}

/// Runs `write` under a savepoint: a refusal it returns undoes whatever it wrote before it
/// refused (a Group's new members, the first of its members' edits), as a failure would.
fn all_or_nothing<T>(
    conn: &mut PgConnection,
    write: impl FnOnce(&mut PgConnection) -> Outcome<T>,
) -> Outcome<T> {
    enum Undo {
        Refused(Refused),
        Failed(AppError),
    }
    impl From<diesel::result::Error> for Undo {
        fn from(error: diesel::result::Error) -> Undo {
            Undo::Failed(error.into())
        }
    }
    let done = diesel::Connection::transaction::<T, Undo, _>(conn, |conn| match write(conn) {
        Ok(Ok(done)) => Ok(done),
        Ok(Err(refused)) => Err(Undo::Refused(refused)),
        Err(failed) => Err(Undo::Failed(failed)),
    });
    match done {
        Ok(done) => Ok(Ok(done)),
        Err(Undo::Refused(refused)) => Ok(Err(refused)),
        Err(Undo::Failed(failed)) => Err(failed),
    }
}

/// The hash a presented token is looked up by; `None` for what cannot be one.
pub fn hash_of_presented(token: &str) -> Option<Vec<u8>> {
    secrets::presented_hash(token, PREFIX)
}

/// Who a presented token acts for, while it is live.
pub async fn provider(
    state: &AppState,
    token_hash: Vec<u8>,
    ip: IpAddr,
) -> AppResult<Option<Provider>> {
    let now = state.settings.clock.now();
    let found = state
        .db
        .run(move |conn| {
            let found = db::scim::holder(conn, &token_hash)?;
            if let Some((token, ..)) = &found {
                db::scim::mark_used(conn, token.id, now)?;
            }
            Ok(found)
        })
        .await?;
    Ok(found.map(|(token, account, person)| {
        let locale = person
            .locale
            .as_deref()
            .and_then(Locale::from_code)
            .unwrap_or(Locale::En);
        Provider {
            owner: Owner {
                token: Some(format!("SCIM {} ({})", token.name, token.hint)),
                ..Owner::of(person, account, locale, Some(ip))
            },
        }
    }))
}

fn view(user: db::scim::User) -> UserView {
    let emails: Vec<Email> = serde_json::from_value(user.emails).unwrap_or_default();
    // Delete access on the sharing page, a declined invitation: the User stays, inactive.
    let ended_elsewhere = user.member_id.is_none() && user.active != Some(false);
    UserView {
        version: format!(
            "W/\"{}{}\"",
            user.version,
            if ended_elsewhere { "e" } else { "" }
        ),
        fields: UserFields {
            user_name: user.user_name,
            external_id: user.external_id,
            emails,
            active: if ended_elsewhere {
                Some(false)
            } else {
                user.active
            },
        },
        id: user.id,
        created: user.created_at,
        last_modified: user.updated_at,
    }
}

/// One page of Users, `start` counted from 0, and how many match in all.
pub async fn list(
    state: &AppState,
    provider: &Provider,
    filter: Option<Filter>,
    start: i64,
    count: i64,
) -> AppResult<(Vec<UserView>, i64)> {
    let master = provider.owner.master().0;
    let (users, total) = state
        .db
        .run(move |conn| {
            let filter = match &filter {
                None => UserFilter::All,
                Some(Filter::UserName(name)) => UserFilter::UserName(name),
                Some(Filter::ExternalId(id)) => UserFilter::ExternalId(id),
                Some(Filter::Id(id)) => UserFilter::Id(id),
                Some(Filter::Email(address)) => UserFilter::Email(address),
                Some(Filter::DisplayName(_)) => UserFilter::Nothing,
            };
            Ok(db::scim::users(conn, master, &filter, start, count)?)
        })
        .await?;
    Ok((users.into_iter().map(view).collect(), total))
}

pub async fn get(state: &AppState, provider: &Provider, id: String) -> AppResult<Option<UserView>> {
    let master = provider.owner.master().0;
    let user = state
        .db
        .run(move |conn| Ok(db::scim::find_user(conn, master, &id)?))
        .await?;
    Ok(user.map(view))
}

/// A new User; when active, invited with the default access.
pub async fn create(
    state: &AppState,
    provider: &Provider,
    fields: UserFields,
) -> Outcome<UserView> {
    let settings = state.settings.clone();
    let now = settings.clock.now();
    write(state, &provider.owner, move |conn, owner, master| {
        if db::scim::user_named(conn, master.0, &fields.user_name)?.is_some() {
            return Ok(Err(Refused::Taken(format!(
                "A User with userName {:?} exists already",
                fields.user_name
            ))));
        }
        let (_, users) = db::scim::users(conn, master.0, &UserFilter::All, 0, 0)?;
        if users >= MAX_USERS {
            return Ok(Err(too_many("Users", MAX_USERS)));
        }
        let member_id = if fields.is_active() {
            match invite(conn, owner, &settings, &fields, None)? {
                Ok(member) => Some(member.0),
                Err(refused) => return Ok(Err(refused)),
            }
        } else {
            None
        };
        let user = db::scim::insert_user(conn, master.0, &values(&fields, member_id), now)?;
        Ok(Ok(view(user)))
    })
    .await
}

/// How a User's fields are to change.
pub enum Change {
    /// PUT: the whole User as sent.
    Replace(UserFields),
    /// PATCH: the operations of the body.
    Patch(serde_json::Value),
}

/// The User changed as asked, its access following `active`, unless `if_match` names another
/// version.
pub async fn change(
    state: &AppState,
    provider: &Provider,
    id: String,
    change: Change,
    if_match: Option<String>,
) -> Outcome<UserView> {
    let settings = state.settings.clone();
    let now = settings.clock.now();
    write(state, &provider.owner, move |conn, owner, master| {
        let Some(user) = db::scim::find_user(conn, master.0, &id)? else {
            return Ok(Err(Refused::NotFound));
        };
        let member_id = user.member_id;
        let current = view(user);
        if !matches(if_match.as_deref(), &current.version) {
            return Ok(Err(Refused::Stale));
        }
        let fields = match change {
            Change::Replace(fields) => fields,
            Change::Patch(body) => match crate::domain::scim::patched(&current.fields, &body) {
                Ok(fields) => fields,
                Err(invalid) => return Ok(Err(invalid.into())),
            },
        };
        if !fields
            .user_name
            .eq_ignore_ascii_case(&current.fields.user_name)
        {
            return Ok(Err(Refused::Invalid(Invalid {
                kind: ScimType::Mutability,
                detail: "userName cannot change: remove the User and create it again".into(),
            })));
        }
        let member_id = match (fields.is_active(), member_id) {
            (true, None) => match invite(conn, owner, &settings, &fields, Some(&current.id))? {
                Ok(member) => Some(member.0),
                Err(refused) => return Ok(Err(refused)),
            },
            (false, Some(member)) => {
                sharing::delete_within(conn, owner, MemberId(member))?;
                None
            }
            (_, kept) => kept,
        };
        let user = db::scim::update_user(
            conn,
            master.0,
            &current.id,
            &values(&fields, member_id),
            now,
        )?;
        Ok(Ok(view(user)))
    })
    .await
}

/// The User goes, and the access it stands for with it.
pub async fn delete(
    state: &AppState,
    provider: &Provider,
    id: String,
    if_match: Option<String>,
) -> Outcome<()> {
    write(state, &provider.owner, move |conn, owner, master| {
        let Some(user) = db::scim::find_user(conn, master.0, &id)? else {
            return Ok(Err(Refused::NotFound));
        };
        let member_id = user.member_id;
        if !matches(if_match.as_deref(), &view(user).version) {
            return Ok(Err(Refused::Stale));
        }
        if let Some(member) = member_id {
            sharing::delete_within(conn, owner, MemberId(member))?;
        }
        db::scim::delete_user(conn, master.0, &id)?;
        Ok(Ok(()))
    })
    .await
}

/// Whether `if_match` (absent, `*`, or a list of tags) lets a change to `version` through.
/// Tags compare weakly: `W/` is not part of what is compared (RFC 9110 8.8.3.2).
fn matches(if_match: Option<&str>, version: &str) -> bool {
    let Some(if_match) = if_match else {
        return true;
    };
    let bare = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    if_match
        .split(',')
        .any(|tag| tag.trim() == "*" || bare(tag) == bare(version))
}

fn values(fields: &UserFields, member_id: Option<i64>) -> UserValues<'_> {
    UserValues {
        user_name: &fields.user_name,
        external_id: fields.external_id.as_deref(),
        emails: serde_json::to_value(&fields.emails).unwrap_or_default(),
        active: fields.active,
        member_id,
    }
}

/// Invites the User's address with the access its Groups map to, else the owner's default
/// access, as "Share your account" would.
fn invite(
    conn: &mut PgConnection,
    owner: &Owner,
    settings: &crate::config::Settings,
    fields: &UserFields,
    user: Option<&str>,
) -> AppResult<Result<MemberId, Refused>> {
    let address = match fields.address() {
        Ok(address) => address,
        Err(invalid) => return Ok(Err(invalid.into())),
    };
    let mapped = match user {
        Some(user) => db::scim::mapped_access(conn, &[user.to_owned()])?
            .pop()
            .and_then(|(_, role, all)| Role::from_code(&role).map(|role| (role, all))),
        None => None,
    };
    let Some((role, all_sub_accounts)) = mapped.or(default_access(conn, owner)?) else {
        return Ok(Err(no_default_access()));
    };
    let draft = access_draft(conn, owner, role, all_sub_accounts)?;
    if owner.may_send_mail().is_err() {
        return Ok(Err(Refused::NotAllowed(
            "The owner's address is not verified: no invitation can go out in their name yet"
                .into(),
        )));
    }
    let l = Locale::En;
    let submission = sharing::invite_within(
        conn,
        owner,
        settings,
        &address,
        FormCommand::from_api(draft),
    )?;
    let refused = match submission.decision {
        Decision::Done => {
            let member =
                db::members::find_by_address_or_login(conn, owner.master(), address.as_str())?
                    .ok_or_else(|| {
                        AppError::Internal(anyhow::anyhow!("an invitation just made is missing"))
                    })?;
            return Ok(Ok(member.member_id()));
        }
        Decision::Refused(Refusal::OwnAddress) => Refused::Invalid(Invalid::value(
            "This is the owner's own address: an owner cannot be invited to their account",
        )),
        Decision::Refused(Refusal::AlreadyHasAccess) => {
            Refused::Taken(messages::already_has_access(l, address.as_str()))
        }
        Decision::Refused(Refusal::Quota(refusal)) => {
            Refused::NotAllowed(messages::quota_refusal(l, refusal))
        }
        Decision::Shown | Decision::CheckFirst(_) => Refused::NotAllowed(
            "The default access cannot be given on the owner's accounts as they are now: choose it again on the Provisioning page".into(),
        ),
    };
    Ok(Err(refused))
}

fn no_default_access() -> Refused {
    Refused::NotAllowed(
        "The owner has not chosen the access provisioned people get (Share your account → Provisioning)".into(),
    )
}

/// The owner's default access: a role, and whether on every sub-account too.
fn default_access(conn: &mut PgConnection, owner: &Owner) -> AppResult<Option<(Role, bool)>> {
    Ok(
        db::scim::settings(conn, owner.master().0)?.and_then(|settings| {
            Role::from_code(&settings.role).map(|role| (role, settings.all_sub_accounts))
        }),
    )
}

/// `role` as the invite form's draft: on the master account, and on each sub-account where it
/// opens something when `all_sub_accounts`.
fn access_draft(
    conn: &mut PgConnection,
    owner: &Owner,
    role: Role,
    all_sub_accounts: bool,
) -> AppResult<AccessDraft> {
    let master = owner.master();
    let accounts = owner_accounts(conn, master)?;
    let subs = accounts
        .sub_accounts
        .iter()
        .filter(|_| all_sub_accounts)
        .map(|(sub, _)| AccountRef::sub(master, *sub));
    let rows = std::iter::once(AccountRef::master(master))
        .chain(subs)
        .filter(|account| !role.areas_on(account.kind()).is_empty())
        .map(|account| DraftRow {
            role: Some(role),
            ..DraftRow::new(account)
        })
        .collect();
    Ok(AccessDraft {
        rows,
        copy_to_all_below: false,
    })
}

/// Brings the access of each of `users` that has one to what its Groups map to (the first
/// mapped Group by name), else the default access: through the edit use case, so the person is
/// told and the audit log records it. Nothing is written for a User whose access already is so.
fn reconcile(
    conn: &mut PgConnection,
    owner: &Owner,
    now: chrono::DateTime<Utc>,
    users: &[String],
) -> AppResult<Result<(), Refused>> {
    let master = owner.master();
    let mapped = db::scim::mapped_access(conn, users)?;
    let default = default_access(conn, owner)?;
    for user in db::scim::users_among_rows(conn, master.0, users)? {
        let Some(member_id) = user.member_id.map(MemberId) else {
            continue;
        };
        let wanted = mapped
            .iter()
            .find(|(id, ..)| *id == user.id)
            .and_then(|(_, role, all)| Role::from_code(role).map(|role| (role, *all)))
            .or(default);
        let Some((role, all_sub_accounts)) = wanted else {
            return Ok(Err(no_default_access()));
        };
        let draft = access_draft(conn, owner, role, all_sub_accounts)?;
        let held = crate::services::owner::grants_of(conn, master, member_id)?;
        let same = held.len() == draft.rows.len()
            && draft.rows.iter().all(|row| {
                held.iter()
                    .any(|(account, grant)| *account == row.account && Some(grant.role) == row.role)
            });
        if same {
            continue;
        }
        let Some(member) = db::members::find(conn, master, member_id)? else {
            continue;
        };
        let (_, submission) = sharing::edit_within(
            conn,
            owner,
            member_id,
            member.access_ends_on,
            FormCommand::from_api(draft),
            now,
        )?;
        match submission.decision {
            Decision::Done => {}
            Decision::Refused(Refusal::Quota(refusal)) => {
                return Ok(Err(Refused::NotAllowed(format!(
                    "{}: {}",
                    member.email,
                    messages::quota_refusal(Locale::En, refusal)
                ))));
            }
            _ => {
                return Ok(Err(Refused::NotAllowed(format!(
                    "{}: the Group's access cannot be given on the owner's accounts as they are now",
                    member.email
                ))));
            }
        }
    }
    Ok(Ok(()))
}

/// A Group as the protocol shows it.
#[derive(Debug, Clone)]
pub struct GroupView {
    pub id: String,
    pub fields: GroupFields,
    pub created: chrono::DateTime<Utc>,
    pub last_modified: chrono::DateTime<Utc>,
    pub version: String,
}

fn group_view(group: db::scim::Group, members: Vec<String>) -> GroupView {
    GroupView {
        version: format!("W/\"{}\"", group.version),
        fields: GroupFields {
            display_name: group.display_name,
            external_id: group.external_id,
            members,
        },
        id: group.id,
        created: group.created_at,
        last_modified: group.updated_at,
    }
}

/// Groups with their members, in the order given.
fn with_members(
    conn: &mut PgConnection,
    groups: Vec<db::scim::Group>,
) -> AppResult<Vec<GroupView>> {
    let ids: Vec<String> = groups.iter().map(|group| group.id.clone()).collect();
    let members = db::scim::members_of(conn, &ids)?;
    Ok(groups
        .into_iter()
        .map(|group| {
            let mine = members
                .iter()
                .filter(|(id, _)| *id == group.id)
                .map(|(_, user)| user.clone())
                .collect();
            group_view(group, mine)
        })
        .collect())
}

/// One page of Groups, `start` counted from 0, and how many match in all.
pub async fn list_groups(
    state: &AppState,
    provider: &Provider,
    filter: Option<Filter>,
    start: i64,
    count: i64,
) -> AppResult<(Vec<GroupView>, i64)> {
    let master = provider.owner.master().0;
    state
        .db
        .run(move |conn| {
            let filter = match &filter {
                None => GroupFilter::All,
                Some(Filter::DisplayName(name)) => GroupFilter::DisplayName(name),
                Some(Filter::ExternalId(id)) => GroupFilter::ExternalId(id),
                Some(Filter::Id(id)) => GroupFilter::Id(id),
                Some(_) => GroupFilter::Nothing,
            };
            let (groups, total) = db::scim::groups(conn, master, &filter, start, count)?;
            Ok((with_members(conn, groups)?, total))
        })
        .await
}

pub async fn get_group(
    state: &AppState,
    provider: &Provider,
    id: String,
) -> AppResult<Option<GroupView>> {
    let master = provider.owner.master().0;
    state
        .db
        .run(move |conn| {
            let Some(group) = db::scim::find_group(conn, master, &id)? else {
                return Ok(None);
            };
            Ok(with_members(conn, vec![group])?.pop())
        })
        .await
}

/// Why `fields` cannot be a Group of the account now: a name taken by another, or a member
/// that is not one of its Users.
fn group_refusal(
    conn: &mut PgConnection,
    master: i64,
    fields: &GroupFields,
    except: Option<&str>,
) -> AppResult<Option<Refused>> {
    let named = db::scim::group_named(conn, master, &fields.display_name)?;
    if named.is_some_and(|group| Some(group.id.as_str()) != except) {
        return Ok(Some(Refused::Taken(format!(
            "A Group named {:?} exists already",
            fields.display_name
        ))));
    }
    let known = db::scim::users_among(conn, master, &fields.members)?;
    if let Some(unknown) = fields.members.iter().find(|id| !known.contains(id)) {
        return Ok(Some(Refused::Invalid(Invalid::value(format!(
            "members: {unknown:?} is not a User here"
        )))));
    }
    Ok(None)
}

/// A new Group; its members' accesses follow it once the owner maps it.
pub async fn create_group(
    state: &AppState,
    provider: &Provider,
    fields: GroupFields,
) -> Outcome<GroupView> {
    let now = state.settings.clock.now();
    write(state, &provider.owner, move |conn, _, master| {
        if let Some(refused) = group_refusal(conn, master.0, &fields, None)? {
            return Ok(Err(refused));
        }
        let (_, groups) = db::scim::groups(conn, master.0, &GroupFilter::All, 0, 0)?;
        if groups >= MAX_GROUPS {
            return Ok(Err(too_many("Groups", MAX_GROUPS)));
        }
        let group = db::scim::insert_group(
            conn,
            master.0,
            &fields.display_name,
            fields.external_id.as_deref(),
            now,
        )?;
        db::scim::set_members(conn, &group.id, &fields.members)?;
        Ok(Ok(group_view(group, fields.members)))
    })
    .await
}

/// How a Group is to change.
pub enum GroupChange {
    Replace(GroupFields),
    Patch(serde_json::Value),
}

/// The Group changed as asked; members who joined or left get the access that now applies to
/// them, in the same transaction.
pub async fn change_group(
    state: &AppState,
    provider: &Provider,
    id: String,
    change: GroupChange,
    if_match: Option<String>,
) -> Outcome<GroupView> {
    let now = state.settings.clock.now();
    write(state, &provider.owner, move |conn, owner, master| {
        let Some(group) = db::scim::find_group(conn, master.0, &id)? else {
            return Ok(Err(Refused::NotFound));
        };
        let current = with_members(conn, vec![group])?.remove(0);
        if !matches(if_match.as_deref(), &current.version) {
            return Ok(Err(Refused::Stale));
        }
        let fields = match change {
            GroupChange::Replace(fields) => fields,
            GroupChange::Patch(body) => {
                match crate::domain::scim::patched_group(&current.fields, &body) {
                    Ok(fields) => fields,
                    Err(invalid) => return Ok(Err(invalid.into())),
                }
            }
        };
        if let Some(refused) = group_refusal(conn, master.0, &fields, Some(&current.id))? {
            return Ok(Err(refused));
        }
        all_or_nothing(conn, |conn| {
            let group = db::scim::update_group(
                conn,
                master.0,
                &current.id,
                &fields.display_name,
                fields.external_id.as_deref(),
                now,
            )?;
            db::scim::set_members(conn, &group.id, &fields.members)?;
            let renamed = current.fields.display_name != fields.display_name;
            if group.role.is_some() || renamed {
                // A new name can change which mapped Group comes first for every member;
                // otherwise only those who joined or left are concerned.
                let affected: Vec<String> = current
                    .fields
                    .members
                    .iter()
                    .chain(&fields.members)
                    .filter(|user| {
                        renamed
                            || current.fields.members.contains(user)
                                != fields.members.contains(user)
                    })
                    .cloned()
                    .collect();
                if let Err(refused) = reconcile(conn, owner, now, &affected)? {
                    return Ok(Err(refused));
                }
            }
            Ok(Ok(group_view(group, fields.members)))
        })
    })
    .await
}

/// The Group goes; its members get the access that now applies to them.
pub async fn delete_group(
    state: &AppState,
    provider: &Provider,
    id: String,
    if_match: Option<String>,
) -> Outcome<()> {
    let now = state.settings.clock.now();
    write(state, &provider.owner, move |conn, owner, master| {
        let Some(group) = db::scim::find_group(conn, master.0, &id)? else {
            return Ok(Err(Refused::NotFound));
        };
        let mapped = group.role.is_some();
        let current = with_members(conn, vec![group])?.remove(0);
        if !matches(if_match.as_deref(), &current.version) {
            return Ok(Err(Refused::Stale));
        }
        all_or_nothing(conn, |conn| {
            db::scim::delete_group(conn, master.0, &id)?;
            if mapped {
                return reconcile(conn, owner, now, &current.fields.members);
            }
            Ok(Ok(()))
        })
    })
    .await
}

/// The owner maps a Group to an access (`None`: its members keep the default access); its
/// members' accesses follow at once.
pub async fn map_group(
    state: &AppState,
    owner: &Owner,
    id: String,
    access: Option<(Role, bool)>,
) -> AppResult<Result<(), Refused>> {
    let now = state.settings.clock.now();
    write(state, owner, move |conn, owner, master| {
        let Some(group) = db::scim::find_group(conn, master.0, &id)? else {
            return Err(AppError::NotFound);
        };
        let (role, all) = access.map_or((None, false), |(role, all)| (Some(role.code()), all));
        all_or_nothing(conn, |conn| {
            db::scim::map_group(conn, master.0, &group.id, role, all)?;
            let members: Vec<String> = db::scim::members_of(conn, std::slice::from_ref(&group.id))?
                .into_iter()
                .map(|(_, user)| user)
                .collect();
            reconcile(conn, owner, now, &members)
        })
    })
    .await
}

/// What the Provisioning page shows.
pub struct Provisioning {
    pub settings: Option<(Role, bool)>,
    pub tokens: Vec<db::scim::Token>,
    pub users: i64,
    pub groups: Vec<db::scim::GroupLine>,
}

pub async fn provisioning(state: &AppState, owner: &Owner) -> AppResult<Provisioning> {
    let master = owner.master().0;
    let overview = state
        .db
        .run(move |conn| Ok(db::scim::overview(conn, master)?))
        .await?;
    let settings = overview
        .role
        .as_deref()
        .and_then(Role::from_code)
        .map(|role| (role, overview.all_sub_accounts.unwrap_or(false)));
    let unreadable = |e| AppError::Internal(anyhow::anyhow!("SCIM overview unreadable: {e}"));
    Ok(Provisioning {
        settings,
        tokens: serde_json::from_value(overview.tokens).map_err(unreadable)?,
        users: overview.users,
        groups: serde_json::from_value(overview.groups).map_err(unreadable)?,
    })
}

/// The default access chosen on the page. The owner's Custom and premium choices are held to the
/// plan when each person is invited, as on the invite form.
pub async fn save_settings(
    state: &AppState,
    owner: &Owner,
    role: Role,
    all_sub_accounts: bool,
) -> AppResult<()> {
    let master = owner.master().0;
    let now = state.settings.clock.now();
    state
        .db
        .run(move |conn| {
            db::scim::save_settings(conn, master, role.code(), all_sub_accounts, now)?;
            Ok(())
        })
        .await
}

/// Why no token was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MintRefusal {
    NoDefaultAccess,
    TooMany,
}

/// A new token, shown once: the owner gives it to their identity provider.
pub async fn create_token(
    state: &AppState,
    owner: &Owner,
    name: String,
) -> AppResult<Result<String, MintRefusal>> {
    let token = format!("{PREFIX}{}", secrets::random_token());
    let hash = secrets::token_hash(&token);
    let hint = format!("{}…", &token[..PREFIX.len() + 4]);
    let master = owner.master();
    let now = state.settings.clock.now();
    let made = state
        .db
        .transaction(move |conn| {
            db::members::lock_account(conn, master)?;
            if db::scim::settings(conn, master.0)?.is_none() {
                return Ok(Err(MintRefusal::NoDefaultAccess));
            }
            if db::scim::live_tokens(conn, master.0)?.len() >= MAX_LIVE {
                return Ok(Err(MintRefusal::TooMany));
            }
            db::scim::insert_token(conn, master.0, &name, &hash, &hint, now)?;
            Ok(Ok(()))
        })
        .await?;
    Ok(made.map(|()| token))
}

/// Revokes the owner's token `id`; `NotFound` when it is not theirs or not live.
pub async fn revoke_token(state: &AppState, owner: &Owner, id: i64) -> AppResult<()> {
    let master = owner.master().0;
    let now = state.settings.clock.now();
    let revoked = state
        .db
        .run(move |conn| Ok(db::scim::revoke_token(conn, master, id, now)?))
        .await?;
    if revoked {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}
