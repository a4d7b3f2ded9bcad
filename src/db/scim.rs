//! Rows of SCIM provisioning (issue 22): an owner's settings and tokens, and each SCIM User with
//! the access it stands for.

use chrono::{DateTime, Utc};
use diesel::{dsl::sql, prelude::*, sql_types::Bool};

use super::{
    accounts::Account,
    people::Person,
    schema::{
        accounts, people, scim_group_members, scim_groups, scim_settings, scim_tokens, scim_users,
    },
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = scim_settings)]
pub struct Settings {
    pub master_account_id: i64,
    pub role: String,
    pub all_sub_accounts: bool,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable, serde::Deserialize)]
#[diesel(table_name = scim_tokens)]
pub struct Token {
    pub id: i64,
    pub master_account_id: i64,
    pub name: String,
    pub hint: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = scim_users)]
pub struct User {
    pub id: String,
    pub master_account_id: i64,
    pub user_name: String,
    pub external_id: Option<String>,
    pub emails: serde_json::Value,
    pub active: Option<bool>,
    pub member_id: Option<i64>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a User is written with.
pub struct UserValues<'a> {
    pub user_name: &'a str,
    pub external_id: Option<&'a str>,
    pub emails: serde_json::Value,
    pub active: Option<bool>,
    pub member_id: Option<i64>,
}

pub fn settings(conn: &mut PgConnection, master: i64) -> QueryResult<Option<Settings>> {
    scim_settings::table
        .find(master)
        .select(Settings::as_select())
        .first(conn)
        .optional()
}

pub fn save_settings(
    conn: &mut PgConnection,
    master: i64,
    role: &str,
    all_sub_accounts: bool,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::insert_into(scim_settings::table)
        .values((
            scim_settings::master_account_id.eq(master),
            scim_settings::role.eq(role),
            scim_settings::all_sub_accounts.eq(all_sub_accounts),
            scim_settings::updated_at.eq(now),
        ))
        .on_conflict(scim_settings::master_account_id)
        .do_update()
        .set((
            scim_settings::role.eq(role),
            scim_settings::all_sub_accounts.eq(all_sub_accounts),
            scim_settings::updated_at.eq(now),
        ))
        .execute(conn)
}

/// What the Provisioning page shows, in one statement: the settings, the live tokens (oldest
/// first), how many Users there are, and the Groups.
#[derive(Debug, QueryableByName)]
pub struct Overview {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub role: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Bool>)]
    pub all_sub_accounts: Option<bool>,
    #[diesel(sql_type = diesel::sql_types::Jsonb)]
    pub tokens: serde_json::Value,
    #[diesel(sql_type = diesel::sql_types::Int8)]
    pub users: i64,
    /// The Groups by name: id, display_name, role, all_sub_accounts, members.
    #[diesel(sql_type = diesel::sql_types::Jsonb)]
    pub groups: serde_json::Value,
}

/// A Group as the Provisioning page lists it.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct GroupLine {
    pub id: String,
    pub display_name: String,
    pub role: Option<String>,
    pub all_sub_accounts: bool,
    pub members: i64,
}

pub fn overview(conn: &mut PgConnection, master: i64) -> QueryResult<Overview> {
    diesel::sql_query(
        "SELECT s.role, s.all_sub_accounts, \
            COALESCE((SELECT jsonb_agg(to_jsonb(t) - 'token_hash' ORDER BY t.id) \
                      FROM scim_tokens t \
                      WHERE t.master_account_id = $1 AND t.revoked_at IS NULL), '[]') AS tokens, \
            (SELECT count(*) FROM scim_users u WHERE u.master_account_id = $1) AS users, \
            COALESCE((SELECT jsonb_agg(jsonb_build_object('id', g.id, \
                          'display_name', g.display_name, 'role', g.role, \
                          'all_sub_accounts', g.all_sub_accounts, \
                          'members', (SELECT count(*) FROM scim_group_members m \
                                      WHERE m.group_id = g.id)) \
                        ORDER BY lower(g.display_name), g.id) \
                      FROM scim_groups g WHERE g.master_account_id = $1), '[]') AS groups \
         FROM (SELECT $1::int8 AS id) a \
         LEFT JOIN scim_settings s ON s.master_account_id = a.id",
    )
    .bind::<diesel::sql_types::Int8, _>(master)
    .get_result(conn)
}

/// The live token with this hash, its account and the account's owner: one statement.
pub fn holder(
    conn: &mut PgConnection,
    token_hash: &[u8],
) -> QueryResult<Option<(Token, Account, Person)>> {
    scim_tokens::table
        .inner_join(accounts::table.inner_join(people::table))
        .filter(scim_tokens::token_hash.eq(token_hash))
        .filter(scim_tokens::revoked_at.is_null())
        .select((
            Token::as_select(),
            Account::as_select(),
            Person::as_select(),
        ))
        .first(conn)
        .optional()
}

/// Notes the token's use, at most once a minute, so that a busy provider costs no write a
/// request.
pub fn mark_used(conn: &mut PgConnection, id: i64, now: DateTime<Utc>) -> QueryResult<usize> {
    diesel::update(
        scim_tokens::table.filter(scim_tokens::id.eq(id)).filter(
            scim_tokens::last_used_at
                .is_null()
                .or(scim_tokens::last_used_at.lt(now - chrono::Duration::minutes(1))),
        ),
    )
    .set(scim_tokens::last_used_at.eq(now))
    .execute(conn)
}

pub fn insert_token(
    conn: &mut PgConnection,
    master: i64,
    name: &str,
    token_hash: &[u8],
    hint: &str,
    now: DateTime<Utc>,
) -> QueryResult<Token> {
    diesel::insert_into(scim_tokens::table)
        .values((
            scim_tokens::master_account_id.eq(master),
            scim_tokens::name.eq(name),
            scim_tokens::token_hash.eq(token_hash),
            scim_tokens::hint.eq(hint),
            scim_tokens::created_at.eq(now),
        ))
        .returning(Token::as_returning())
        .get_result(conn)
}

/// The account's live tokens, oldest first.
pub fn live_tokens(conn: &mut PgConnection, master: i64) -> QueryResult<Vec<Token>> {
    scim_tokens::table
        .filter(scim_tokens::master_account_id.eq(master))
        .filter(scim_tokens::revoked_at.is_null())
        .order(scim_tokens::id)
        .select(Token::as_select())
        .load(conn)
}

/// Revokes the account's live token `id`; whether there was one.
pub fn revoke_token(
    conn: &mut PgConnection,
    master: i64,
    id: i64,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::update(
        scim_tokens::table
            .filter(scim_tokens::master_account_id.eq(master))
            .filter(scim_tokens::id.eq(id))
            .filter(scim_tokens::revoked_at.is_null()),
    )
    .set(scim_tokens::revoked_at.eq(now))
    .execute(conn)
    .map(|n| n > 0)
}

/// Revokes every live token of the account: its owner changed.
pub fn revoke_all_tokens(
    conn: &mut PgConnection,
    master: i64,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::update(
        scim_tokens::table
            .filter(scim_tokens::master_account_id.eq(master))
            .filter(scim_tokens::revoked_at.is_null()),
    )
    .set(scim_tokens::revoked_at.eq(now))
    .execute(conn)
}

/// Which Users a list holds.
pub enum UserFilter<'a> {
    All,
    UserName(&'a str),
    ExternalId(&'a str),
    Id(&'a str),
    Email(&'a str),
    /// Nothing matches: the filter names what Users do not have.
    Nothing,
}

/// One page of the account's Users in creation order, and how many match in all.
pub fn users(
    conn: &mut PgConnection,
    master: i64,
    filter: &UserFilter<'_>,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<User>, i64)> {
    let filtered = || {
        let query = scim_users::table
            .filter(scim_users::master_account_id.eq(master))
            .into_boxed();
        match *filter {
            UserFilter::All => query,
            UserFilter::UserName(name) => query.filter(
                sql::<Bool>("lower(scim_users.user_name) = lower(")
                    .bind::<diesel::sql_types::Text, _>(name.to_owned())
                    .sql(")"),
            ),
            UserFilter::ExternalId(id) => query.filter(scim_users::external_id.eq(id.to_owned())),
            UserFilter::Id(id) => query.filter(scim_users::id.eq(id.to_owned())),
            UserFilter::Email(address) => query.filter(
                sql::<Bool>(
                    "EXISTS (SELECT 1 FROM jsonb_array_elements(scim_users.emails) e \
                     WHERE lower(e->>'value') = lower(",
                )
                .bind::<diesel::sql_types::Text, _>(address.to_owned())
                .sql("))"),
            ),
            UserFilter::Nothing => query.filter(sql::<Bool>("false")),
        }
    };
    let total = filtered().count().get_result(conn)?;
    let page = if limit == 0 {
        Vec::new()
    } else {
        filtered()
            .order((scim_users::created_at, scim_users::id))
            .offset(offset)
            .limit(limit)
            .select(User::as_select())
            .load(conn)?
    };
    Ok((page, total))
}

pub fn find_user(conn: &mut PgConnection, master: i64, id: &str) -> QueryResult<Option<User>> {
    scim_users::table
        .filter(scim_users::master_account_id.eq(master))
        .filter(scim_users::id.eq(id))
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// The account's User with this userName, compared without case: one statement, by the unique
/// index on `lower(user_name)`.
pub fn user_named(
    conn: &mut PgConnection,
    master: i64,
    user_name: &str,
) -> QueryResult<Option<User>> {
    scim_users::table
        .filter(scim_users::master_account_id.eq(master))
        .filter(
            sql::<Bool>("lower(scim_users.user_name) = lower(")
                .bind::<diesel::sql_types::Text, _>(user_name.to_owned())
                .sql(")"),
        )
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// The account's Group with this name, compared without case.
pub fn group_named(
    conn: &mut PgConnection,
    master: i64,
    display_name: &str,
) -> QueryResult<Option<Group>> {
    scim_groups::table
        .filter(scim_groups::master_account_id.eq(master))
        .filter(
            sql::<Bool>("lower(scim_groups.display_name) = lower(")
                .bind::<diesel::sql_types::Text, _>(display_name.to_owned())
                .sql(")"),
        )
        .select(Group::as_select())
        .first(conn)
        .optional()
}

pub fn insert_user(
    conn: &mut PgConnection,
    master: i64,
    values: &UserValues<'_>,
    now: DateTime<Utc>,
) -> QueryResult<User> {
    diesel::insert_into(scim_users::table)
        .values((
            scim_users::master_account_id.eq(master),
            scim_users::user_name.eq(values.user_name),
            scim_users::external_id.eq(values.external_id),
            scim_users::emails.eq(&values.emails),
            scim_users::active.eq(values.active),
            scim_users::member_id.eq(values.member_id),
            scim_users::created_at.eq(now),
            scim_users::updated_at.eq(now),
        ))
        .returning(User::as_returning())
        .get_result(conn)
}

/// Writes the User anew, one version further.
pub fn update_user(
    conn: &mut PgConnection,
    master: i64,
    id: &str,
    values: &UserValues<'_>,
    now: DateTime<Utc>,
) -> QueryResult<User> {
    diesel::update(
        scim_users::table
            .filter(scim_users::master_account_id.eq(master))
            .filter(scim_users::id.eq(id)),
    )
    .set((
        scim_users::external_id.eq(values.external_id),
        scim_users::emails.eq(&values.emails),
        scim_users::active.eq(values.active),
        scim_users::member_id.eq(values.member_id),
        scim_users::version.eq(scim_users::version + 1),
        scim_users::updated_at.eq(now),
    ))
    .returning(User::as_returning())
    .get_result(conn)
}

pub fn delete_user(conn: &mut PgConnection, master: i64, id: &str) -> QueryResult<usize> {
    diesel::delete(
        scim_users::table
            .filter(scim_users::master_account_id.eq(master))
            .filter(scim_users::id.eq(id)),
    )
    .execute(conn)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = scim_groups)]
pub struct Group {
    pub id: String,
    pub master_account_id: i64,
    pub display_name: String,
    pub external_id: Option<String>,
    pub role: Option<String>,
    pub all_sub_accounts: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Which Groups a list holds.
pub enum GroupFilter<'a> {
    All,
    DisplayName(&'a str),
    ExternalId(&'a str),
    Id(&'a str),
    /// Nothing matches: the filter names what Groups do not have.
    Nothing,
}

/// One page of the account's Groups in creation order, and how many match in all.
pub fn groups(
    conn: &mut PgConnection,
    master: i64,
    filter: &GroupFilter<'_>,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<Group>, i64)> {
    let filtered = || {
        let query = scim_groups::table
            .filter(scim_groups::master_account_id.eq(master))
            .into_boxed();
        match *filter {
            GroupFilter::All => query,
            GroupFilter::DisplayName(name) => query.filter(
                sql::<Bool>("lower(scim_groups.display_name) = lower(")
                    .bind::<diesel::sql_types::Text, _>(name.to_owned())
                    .sql(")"),
            ),
            GroupFilter::ExternalId(id) => query.filter(scim_groups::external_id.eq(id.to_owned())),
            GroupFilter::Id(id) => query.filter(scim_groups::id.eq(id.to_owned())),
            GroupFilter::Nothing => query.filter(sql::<Bool>("false")),
        }
    };
    let total = filtered().count().get_result(conn)?;
    let page = if limit == 0 {
        Vec::new()
    } else {
        filtered()
            .order((scim_groups::created_at, scim_groups::id))
            .offset(offset)
            .limit(limit)
            .select(Group::as_select())
            .load(conn)?
    };
    Ok((page, total))
}

/// The members of each of `groups`, as (group, user) ids in the order they were added.
pub fn members_of(
    conn: &mut PgConnection,
    groups: &[String],
) -> QueryResult<Vec<(String, String)>> {
    scim_group_members::table
        .filter(scim_group_members::group_id.eq_any(groups))
        .order((scim_group_members::group_id, scim_group_members::user_id))
        .select((scim_group_members::group_id, scim_group_members::user_id))
        .load(conn)
}

pub fn find_group(conn: &mut PgConnection, master: i64, id: &str) -> QueryResult<Option<Group>> {
    scim_groups::table
        .filter(scim_groups::master_account_id.eq(master))
        .filter(scim_groups::id.eq(id))
        .select(Group::as_select())
        .first(conn)
        .optional()
}

/// Of `ids`, those that are Users of the account.
pub fn users_among(
    conn: &mut PgConnection,
    master: i64,
    ids: &[String],
) -> QueryResult<Vec<String>> {
    scim_users::table
        .filter(scim_users::master_account_id.eq(master))
        .filter(scim_users::id.eq_any(ids))
        .select(scim_users::id)
        .load(conn)
}

/// The account's Users among `ids`.
pub fn users_among_rows(
    conn: &mut PgConnection,
    master: i64,
    ids: &[String],
) -> QueryResult<Vec<User>> {
    scim_users::table
        .filter(scim_users::master_account_id.eq(master))
        .filter(scim_users::id.eq_any(ids))
        .select(User::as_select())
        .load(conn)
}

pub fn insert_group(
    conn: &mut PgConnection,
    master: i64,
    display_name: &str,
    external_id: Option<&str>,
    now: DateTime<Utc>,
) -> QueryResult<Group> {
    diesel::insert_into(scim_groups::table)
        .values((
            scim_groups::master_account_id.eq(master),
            scim_groups::display_name.eq(display_name),
            scim_groups::external_id.eq(external_id),
            scim_groups::created_at.eq(now),
            scim_groups::updated_at.eq(now),
        ))
        .returning(Group::as_returning())
        .get_result(conn)
}

/// Writes the Group's name anew, one version further.
pub fn update_group(
    conn: &mut PgConnection,
    master: i64,
    id: &str,
    display_name: &str,
    external_id: Option<&str>,
    now: DateTime<Utc>,
) -> QueryResult<Group> {
    diesel::update(
        scim_groups::table
            .filter(scim_groups::master_account_id.eq(master))
            .filter(scim_groups::id.eq(id)),
    )
    .set((
        scim_groups::display_name.eq(display_name),
        scim_groups::external_id.eq(external_id),
        scim_groups::version.eq(scim_groups::version + 1),
        scim_groups::updated_at.eq(now),
    ))
    .returning(Group::as_returning())
    .get_result(conn)
}

/// The Group's members become `users`.
pub fn set_members(conn: &mut PgConnection, group: &str, users: &[String]) -> QueryResult<()> {
    diesel::delete(scim_group_members::table.filter(scim_group_members::group_id.eq(group)))
        .execute(conn)?;
    let rows: Vec<_> = users
        .iter()
        .map(|user| {
            (
                scim_group_members::group_id.eq(group),
                scim_group_members::user_id.eq(user),
            )
        })
        .collect();
    diesel::insert_into(scim_group_members::table)
        .values(&rows)
        .execute(conn)?;
    Ok(())
}

pub fn delete_group(conn: &mut PgConnection, master: i64, id: &str) -> QueryResult<usize> {
    diesel::delete(
        scim_groups::table
            .filter(scim_groups::master_account_id.eq(master))
            .filter(scim_groups::id.eq(id)),
    )
    .execute(conn)
}

/// Maps the Group to an access (`None`: its members keep the default one).
pub fn map_group(
    conn: &mut PgConnection,
    master: i64,
    id: &str,
    role: Option<&str>,
    all_sub_accounts: bool,
) -> QueryResult<bool> {
    diesel::update(
        scim_groups::table
            .filter(scim_groups::master_account_id.eq(master))
            .filter(scim_groups::id.eq(id)),
    )
    .set((
        scim_groups::role.eq(role),
        scim_groups::all_sub_accounts.eq(all_sub_accounts),
        scim_groups::version.eq(scim_groups::version + 1),
    ))
    .execute(conn)
    .map(|n| n > 0)
}

/// For each of `users` in a mapped Group, the access of the first such Group by name.
pub fn mapped_access(
    conn: &mut PgConnection,
    users: &[String],
) -> QueryResult<Vec<(String, String, bool)>> {
    scim_group_members::table
        .inner_join(scim_groups::table)
        .filter(scim_group_members::user_id.eq_any(users))
        .filter(scim_groups::role.is_not_null())
        .order((
            scim_group_members::user_id,
            sql::<diesel::sql_types::Text>("lower(scim_groups.display_name)"),
            scim_groups::id,
        ))
        .select((
            scim_group_members::user_id,
            scim_groups::role.assume_not_null(),
            scim_groups::all_sub_accounts,
        ))
        .distinct_on(scim_group_members::user_id)
        .load(conn)
}
