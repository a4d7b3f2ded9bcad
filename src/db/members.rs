//! Rows of `members` (one per person with access to an owner's accounts) and `grants` (what they
//! may do in each account). Every query names the master account (R12).

use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;

use super::schema::{grants, members};
use crate::domain::{
    ids::{AccountRef, MasterAccountId, MemberId, PersonId, SubAccountId},
    invitation::AccessStatus,
    permission::{AreaSet, RestrictionSet},
    role::{Grant, Role},
};

#[derive(Debug, Clone, Queryable, QueryableByName, Selectable)]
#[diesel(table_name = members)]
pub struct Member {
    pub id: i64,
    pub master_account_id: i64,
    pub email: String,
    pub person_id: Option<i64>,
    /// Who invited them; `None` once that login is removed (the audit log keeps who it was).
    pub invited_by: Option<i64>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub token_version: i32,
    pub invitation_expires_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub locale: String,
    /// Their last request inside this owner's accounts, to within 5 minutes.
    pub last_activity_at: Option<DateTime<Utc>>,
    /// The last day of their access, when it ends on a date.
    pub access_ends_on: Option<NaiveDate>,
}

impl Member {
    pub fn member_id(&self) -> MemberId {
        MemberId(self.id)
    }
}

#[derive(Insertable)]
#[diesel(table_name = members)]
pub struct NewMember<'a> {
    pub master_account_id: i64,
    pub email: &'a str,
    pub invited_by: i64,
    pub invitation_expires_at: DateTime<Utc>,
    /// The inviting owner's language: the invitation's, until the person has a login.
    pub locale: &'a str,
    pub access_ends_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = grants)]
pub struct GrantRow {
    pub id: i64,
    pub member_id: i64,
    pub sub_account_id: Option<i64>,
    pub role: String,
    pub areas: i64,
    pub restrictions: i64,
}

impl GrantRow {
    /// The grant as the product's rules see it, on its account of `master`; `None` for a role
    /// code that is no longer in the catalogue.
    pub fn access(&self, master: MasterAccountId) -> Option<(AccountRef, Grant)> {
        let account = match self.sub_account_id {
            None => AccountRef::master(master),
            Some(sub) => AccountRef::sub(master, SubAccountId(sub)),
        };
        let grant = Grant {
            role: Role::from_code(&self.role)?,
            areas: AreaSet::from_bits(self.areas),
            restrictions: RestrictionSet::from_bits(self.restrictions),
        };
        Some((account, grant))
    }
}

#[derive(Insertable)]
#[diesel(table_name = grants)]
pub struct NewGrant<'a> {
    pub master_account_id: i64,
    pub member_id: i64,
    pub sub_account_id: Option<i64>,
    pub role: &'a str,
    pub areas: i64,
    pub restrictions: i64,
}

/// A member with what we know of the person once they have a login.
#[derive(Debug, Clone)]
pub struct MemberWithPerson {
    pub member: Member,
    pub name: Option<String>,
    pub last_sign_in_at: Option<DateTime<Utc>>,
    /// Their login has a second factor turned on (issue 22).
    pub two_factor: bool,
}

/// Takes the account's row lock and returns the row as it is now: every change to who has access,
/// and every change of plan, goes through it, so counting and inserting cannot interleave with
/// another request doing the same (R28). The plan must be read from this row, not from one read
/// before the lock, which a concurrent plan change may have made stale.
pub fn lock_account(
    conn: &mut PgConnection,
    master: MasterAccountId,
) -> QueryResult<super::accounts::Account> {
    use super::{accounts::Account, schema::accounts};
    accounts::table
        .find(master.0)
        .select(Account::as_select())
        // NO KEY UPDATE still queues every writer of this account's sharing behind the first,
        // which is what the limits need, but lets a concurrent transaction insert rows that
        // reference the account (an outbox row's foreign key takes a KEY SHARE lock). FOR UPDATE
        // blocked those, and a decline or an acceptance queuing its notice while holding the
        // invitation's row deadlocked with a Delete access waiting for that row.
        .for_no_key_update()
        .first(conn)
}

pub fn insert(conn: &mut PgConnection, member: &NewMember) -> QueryResult<Member> {
    diesel::insert_into(members::table)
        .values(member)
        .returning(Member::as_returning())
        .get_result(conn)
}

/// A member who has access from the start, without an invitation: the previous owner after an
/// ownership transfer.
pub fn insert_accepted(
    conn: &mut PgConnection,
    member: &NewMember,
    person_id: i64,
    now: DateTime<Utc>,
) -> QueryResult<Member> {
    let inserted = insert(conn, member)?;
    diesel::update(members::table.find(inserted.id))
        .set((
            members::person_id.eq(person_id),
            members::accepted_at.eq(now),
        ))
        .returning(Member::as_returning())
        .get_result(conn)
}

/// Grants for one member; a member is inserted with their grants in the same transaction, and
/// this recounts the account's usage for both.
pub fn insert_grants(conn: &mut PgConnection, rows: &[NewGrant]) -> QueryResult<usize> {
    let inserted = diesel::insert_into(grants::table)
        .values(rows)
        .execute(conn)?;
    if let Some(row) = rows.first() {
        refresh_usage(conn, MasterAccountId(row.master_account_id))?;
    }
    Ok(inserted)
}

/// Recounts the seats and advanced accesses kept on the account's row. Callers hold the
/// account's row lock (`lock_account`), which every change to who has access takes first: no
/// other change to this account's members can be under way, and this statement's snapshot,
/// taken after the lock, sees every committed one.
pub fn refresh_usage(conn: &mut PgConnection, master: MasterAccountId) -> QueryResult<usize> {
    use diesel::sql_types::{Array, BigInt, Text};
    let premium: Vec<&str> = crate::domain::role::Role::all()
        .filter(|role| role.is_premium())
        .map(crate::domain::role::Role::code)
        .collect();
    super::Prepared(
        diesel::sql_query(
            "UPDATE accounts SET \
                seats_used = (SELECT count(*) FROM members m WHERE m.master_account_id = $1), \
                advanced_used = (SELECT count(DISTINCT g.member_id) FROM grants g \
                                 WHERE g.master_account_id = $1 AND g.role = ANY($2)) \
             WHERE id = $1",
        )
        .bind::<BigInt, _>(master.0)
        .bind::<Array<Text>, _>(premium),
    )
    .execute(conn)
}

pub fn replace_grants(
    conn: &mut PgConnection,
    master: MasterAccountId,
    member: MemberId,
    rows: &[NewGrant],
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::delete(
        grants::table
            .filter(grants::master_account_id.eq(master.0))
            .filter(grants::member_id.eq(member.0)),
    )
    .execute(conn)?;
    diesel::update(members::table.find(member.0))
        .set(members::updated_at.eq(now))
        .execute(conn)?;
    let inserted = insert_grants(conn, rows)?;
    if rows.is_empty() {
        refresh_usage(conn, master)?;
    }
    Ok(inserted)
}

pub fn find(
    conn: &mut PgConnection,
    master: MasterAccountId,
    id: MemberId,
) -> QueryResult<Option<Member>> {
    members::table
        .filter(members::master_account_id.eq(master.0))
        .filter(members::id.eq(id.0))
        .select(Member::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_email(
    conn: &mut PgConnection,
    master: MasterAccountId,
    email: &str,
) -> QueryResult<Option<Member>> {
    members::table
        .filter(members::master_account_id.eq(master.0))
        .filter(members::email.eq(email))
        .select(Member::as_select())
        .first(conn)
        .optional()
}

/// The member row of the owner's account whose address is `email`, or whose login has that
/// address now: someone who accepted under an address they have since changed still has access.
pub fn find_by_address_or_login(
    conn: &mut PgConnection,
    master: MasterAccountId,
    email: &str,
) -> QueryResult<Option<Member>> {
    use super::schema::people;
    let login = people::table
        .filter(people::email.eq(email))
        .select(people::id.nullable());
    members::table
        .filter(members::master_account_id.eq(master.0))
        .filter(
            members::email
                .eq(email)
                .or(members::person_id.eq_any(login)),
        )
        .select(Member::as_select())
        .first(conn)
        .optional()
}

/// Of `emails`, those that already have access to the owner's account: as a member's address,
/// or as the address of a login that holds a member row (as `find_by_address_or_login`, for a
/// whole batch in one statement).
pub fn addresses_with_access(
    conn: &mut PgConnection,
    master: MasterAccountId,
    emails: &[&str],
) -> QueryResult<Vec<String>> {
    use super::schema::people;
    let by_address = members::table
        .filter(members::master_account_id.eq(master.0))
        .filter(members::email.eq_any(emails))
        .select(members::email);
    let by_login = people::table
        .inner_join(members::table.on(members::person_id.eq(people::id.nullable())))
        .filter(members::master_account_id.eq(master.0))
        .filter(people::email.eq_any(emails))
        .select(people::email);
    by_address.union(by_login).load(conn)
}

/// The member row a login already has in the owner's account, if any.
pub fn find_by_person(
    conn: &mut PgConnection,
    master: MasterAccountId,
    person_id: i64,
) -> QueryResult<Option<Member>> {
    members::table
        .filter(members::master_account_id.eq(master.0))
        .filter(members::person_id.eq(person_id))
        .select(Member::as_select())
        .first(conn)
        .optional()
}

/// Which people a page of the sharing table shows.
#[derive(Debug, Clone, Default)]
pub struct PeopleQuery<'a> {
    /// Part of the email address or the name, matched case-insensitively.
    pub search: Option<&'a str>,
    pub status: Option<AccessStatus>,
    /// Nobody but the owner, who is not a member: the "Owner" filter.
    pub owner_only: bool,
    /// Someone holding this role on at least one account.
    pub role: Option<&'a str>,
    /// Most recently active first (never active last), instead of in the order invited.
    pub by_activity: bool,
    pub limit: i64,
    pub offset: i64,
    /// Keyset paging for the API: members after this id, in the order invited.
    pub after: Option<i64>,
    /// This member only (the API's one person).
    pub only: Option<i64>,
}

impl PeopleQuery<'_> {
    /// The status filter as `SHARING_PAGES` take it.
    pub(super) fn status_code(&self) -> Option<&'static str> {
        self.status.map(|status| match status {
            AccessStatus::Active => "active",
            AccessStatus::Pending => "pending",
            AccessStatus::Expired => "expired",
        })
    }
}

pub fn grants_of_member(
    conn: &mut PgConnection,
    master: MasterAccountId,
    member: MemberId,
) -> QueryResult<Vec<GrantRow>> {
    grants::table
        .filter(grants::master_account_id.eq(master.0))
        .filter(grants::member_id.eq(member.0))
        .order(grants::sub_account_id.nullable().asc().nulls_first())
        .select(GrantRow::as_select())
        .load(conn)
}

/// A member of the owner's account as the edit form shows them: the member, their grants (the
/// master account's first, then by sub-account, as `grants_of_member`) and the owner's
/// sub-accounts (by name, as `sub_accounts::list`), in one statement.
pub struct MemberToEdit {
    pub member: Member,
    pub grants: Vec<GrantRow>,
    pub sub_accounts: super::sub_accounts::Names,
}

pub fn find_to_edit(
    conn: &mut PgConnection,
    master: MasterAccountId,
    id: MemberId,
) -> QueryResult<Option<MemberToEdit>> {
    use diesel::sql_types::{BigInt, Text};

    #[derive(QueryableByName)]
    struct Row {
        #[diesel(embed)]
        member: Member,
        #[diesel(sql_type = Text)]
        grants: String,
        #[diesel(sql_type = Text)]
        sub_accounts: String,
    }
    let row = super::Prepared(
        diesel::sql_query(
            "SELECT m.*, \
                (SELECT coalesce(json_agg(json_build_array( \
                        g.id, g.sub_account_id, g.role, g.areas, g.restrictions) \
                     ORDER BY g.sub_account_id NULLS FIRST), '[]') \
                 FROM grants g \
                 WHERE g.master_account_id = m.master_account_id AND g.member_id = m.id)::text \
                 AS grants, \
                (SELECT coalesce(json_agg(json_build_array(s.id, s.name) ORDER BY s.name, s.id), '[]') \
                 FROM sub_accounts s WHERE s.master_account_id = m.master_account_id)::text \
                 AS sub_accounts \
             FROM members m WHERE m.master_account_id = $1 AND m.id = $2",
        )
        .bind::<BigInt, _>(master.0)
        .bind::<BigInt, _>(id.0),
    )
    .get_result::<Row>(conn)
    .optional()?;
    let Some(row) = row else { return Ok(None) };
    let grants: Vec<(i64, Option<i64>, String, i64, i64)> = super::from_json(&row.grants)?;
    Ok(Some(MemberToEdit {
        grants: grants
            .into_iter()
            .map(
                |(grant_id, sub_account_id, role, areas, restrictions)| GrantRow {
                    id: grant_id,
                    member_id: row.member.id,
                    sub_account_id,
                    role,
                    areas,
                    restrictions,
                },
            )
            .collect(),
        sub_accounts: super::from_json(&row.sub_accounts)?,
        member: row.member,
    }))
}

/// Seats and advanced accesses in use, leaving out `except` (the person being edited), in one
/// statement.
pub fn usage(
    conn: &mut PgConnection,
    master: MasterAccountId,
    premium_roles: &[&str],
    except: Option<MemberId>,
) -> QueryResult<(i64, i64)> {
    let except = except.map_or(0, |id| id.0);
    let seats = members::table
        .filter(members::master_account_id.eq(master.0))
        .filter(members::id.ne(except))
        .count()
        .single_value();
    let advanced = grants::table
        .filter(grants::master_account_id.eq(master.0))
        .filter(grants::member_id.ne(except))
        .filter(grants::role.eq_any(premium_roles.to_vec()))
        .select(diesel::dsl::count(grants::member_id).aggregate_distinct())
        .single_value();
    let (seats, advanced): (Option<i64>, Option<i64>) =
        diesel::select((seats, advanced)).get_result(conn)?;
    Ok((seats.unwrap_or(0), advanced.unwrap_or(0)))
}

pub fn delete(
    conn: &mut PgConnection,
    master: MasterAccountId,
    id: MemberId,
) -> QueryResult<Option<Member>> {
    let deleted = diesel::delete(
        members::table
            .filter(members::master_account_id.eq(master.0))
            .filter(members::id.eq(id.0)),
    )
    .returning(Member::as_returning())
    .get_result(conn)
    .optional()?;
    if deleted.is_some() {
        refresh_usage(conn, master)?;
    }
    Ok(deleted)
}

/// Sets or clears the last day of a member's access. A new date earns a new warning.
pub fn set_access_end(
    conn: &mut PgConnection,
    master: MasterAccountId,
    id: MemberId,
    ends_on: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::update(
        members::table
            .filter(members::master_account_id.eq(master.0))
            .filter(members::id.eq(id.0))
            .filter(members::access_ends_on.is_distinct_from(ends_on)),
    )
    .set((
        members::access_ends_on.eq(ends_on),
        members::access_end_warned_at.eq(None::<DateTime<Utc>>),
        members::updated_at.eq(now),
    ))
    .execute(conn)
}

/// Members whose access ended before `today`, as (account, member) ids: on the partial index.
pub fn ended_access(
    conn: &mut PgConnection,
    today: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<(i64, i64)>> {
    members::table
        .filter(members::access_ends_on.lt(today))
        .select((members::master_account_id, members::id))
        .order(members::access_ends_on)
        .limit(limit)
        .load(conn)
}

/// Deletes a member whose access ended before `today`, if it still has: of several workers, one
/// does it.
pub fn delete_ended(
    conn: &mut PgConnection,
    master: MasterAccountId,
    id: MemberId,
    today: NaiveDate,
) -> QueryResult<Option<Member>> {
    let deleted = diesel::delete(
        members::table
            .filter(members::master_account_id.eq(master.0))
            .filter(members::id.eq(id.0))
            .filter(members::access_ends_on.lt(today)),
    )
    .returning(Member::as_returning())
    .get_result(conn)
    .optional()?;
    if deleted.is_some() {
        refresh_usage(conn, master)?;
    }
    Ok(deleted)
}

/// Marks as warned, and returns, up to `limit` people with access whose last day is on or before
/// `warn_until` and who have not been warned. Run it in a transaction: the rows stay locked until
/// the warnings are queued, so each goes out once, however many workers run.
pub fn take_due_warnings(
    conn: &mut PgConnection,
    warn_until: NaiveDate,
    now: DateTime<Utc>,
    limit: i64,
) -> QueryResult<Vec<Member>> {
    let due: Vec<i64> = members::table
        .filter(members::access_ends_on.le(warn_until))
        .filter(members::access_end_warned_at.is_null())
        .filter(members::accepted_at.is_not_null())
        .select(members::id)
        .limit(limit)
        .for_update()
        .skip_locked()
        .load(conn)?;
    if due.is_empty() {
        return Ok(Vec::new());
    }
    diesel::update(members::table.filter(members::id.eq_any(due)))
        .set(members::access_end_warned_at.eq(now))
        .returning(Member::as_returning())
        .get_results(conn)
}

/// Kills the current link at once and retires any invitation mail still queued, so only the
/// mail queued next, carrying the returned version, can mint a link (R5). `None` when the member
/// is gone or has already accepted.
pub fn retire_link(
    conn: &mut PgConnection,
    master: MasterAccountId,
    id: MemberId,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> QueryResult<Option<i32>> {
    diesel::update(
        members::table
            .filter(members::master_account_id.eq(master.0))
            .filter(members::id.eq(id.0))
            .filter(members::accepted_at.is_null()),
    )
    .set((
        members::token_hash.eq(None::<Vec<u8>>),
        members::token_version.eq(members::token_version + 1),
        members::invitation_expires_at.eq(expires_at),
        members::updated_at.eq(now),
    ))
    .returning(members::token_version)
    .get_result(conn)
    .optional()
}

/// Stores the hash of a freshly minted link if the mail is still the newest for a member who has
/// not accepted; false means the mail has lost its purpose (R32).
pub fn set_token(
    conn: &mut PgConnection,
    id: i64,
    version: i32,
    token_hash: &[u8],
    expires_at: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::update(
        members::table
            .filter(members::id.eq(id))
            .filter(members::token_version.eq(version))
            .filter(members::accepted_at.is_null()),
    )
    .set((
        members::token_hash.eq(token_hash),
        members::invitation_expires_at.eq(expires_at),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// The member a link belongs to, live or not: to tell a used or expired link from one that never
/// existed (or was replaced by a re-send, or deleted), for the audit log.
pub fn find_by_token(conn: &mut PgConnection, token_hash: &[u8]) -> QueryResult<Option<Member>> {
    members::table
        .filter(members::token_hash.eq(token_hash))
        .select(Member::as_select())
        .first(conn)
        .optional()
}

/// The member a live link belongs to: not accepted, not expired, not replaced, not deleted.
pub fn find_by_live_token(
    conn: &mut PgConnection,
    token_hash: &[u8],
    now: DateTime<Utc>,
) -> QueryResult<Option<Member>> {
    live_token(conn, token_hash, false, now)
}

/// The same, locking the row until the transaction ends, so a deletion or another accept waits.
pub fn lock_by_live_token(
    conn: &mut PgConnection,
    token_hash: &[u8],
    now: DateTime<Utc>,
) -> QueryResult<Option<Member>> {
    live_token(conn, token_hash, true, now)
}

fn live_token(
    conn: &mut PgConnection,
    token_hash: &[u8],
    lock: bool,
    now: DateTime<Utc>,
) -> QueryResult<Option<Member>> {
    let query = members::table
        .filter(members::token_hash.eq(token_hash))
        .filter(members::accepted_at.is_null())
        .filter(members::invitation_expires_at.gt(now))
        .select(Member::as_select());
    if lock {
        query.for_update().first(conn).optional()
    } else {
        query.first(conn).optional()
    }
}

/// Uses the link up, in one conditional statement: of any number of concurrent accepts, and of
/// an accept racing a deletion, at most one finds the row (R4, R30).
pub fn accept(
    conn: &mut PgConnection,
    token_hash: &[u8],
    person_id: i64,
    email: &str,
    now: DateTime<Utc>,
) -> QueryResult<Option<Member>> {
    diesel::update(
        members::table
            .filter(members::token_hash.eq(token_hash))
            .filter(members::accepted_at.is_null())
            .filter(members::invitation_expires_at.gt(now))
            .filter(members::email.eq(email)),
    )
    .set((
        members::accepted_at.eq(now),
        members::person_id.eq(person_id),
        members::updated_at.eq(now),
    ))
    .returning(Member::as_returning())
    .get_result(conn)
    .optional()
}

/// The grant of an accepted member on one account (the master account when `sub_account_id` is
/// None), if they have one there.
pub fn accepted_grant(
    conn: &mut PgConnection,
    person_id: i64,
    master_account_id: i64,
    sub_account_id: Option<i64>,
) -> QueryResult<Option<GrantRow>> {
    let query = grants::table
        .inner_join(members::table.on(members::id.eq(grants::member_id)))
        .filter(members::person_id.eq(person_id))
        .filter(members::accepted_at.is_not_null())
        .filter(grants::master_account_id.eq(master_account_id))
        .select(GrantRow::as_select())
        .into_boxed();
    let query = match sub_account_id {
        Some(id) => query.filter(grants::sub_account_id.eq(id)),
        None => query.filter(grants::sub_account_id.is_null()),
    };
    query.first(conn).optional()
}

/// How many people hold at least one advanced restriction.
pub fn count_people_with_restrictions(
    conn: &mut PgConnection,
    master_account_id: i64,
) -> QueryResult<i64> {
    grants::table
        .filter(grants::master_account_id.eq(master_account_id))
        .filter(grants::restrictions.ne(0))
        .select(diesel::dsl::count(grants::member_id).aggregate_distinct())
        .get_result(conn)
}

/// The members holding any restriction, in the account's order.
pub fn members_with_restrictions(
    conn: &mut PgConnection,
    master_account_id: i64,
) -> QueryResult<Vec<i64>> {
    grants::table
        .filter(grants::master_account_id.eq(master_account_id))
        .filter(grants::restrictions.ne(0))
        .select(grants::member_id)
        .distinct()
        .order(grants::member_id)
        .load(conn)
}

/// "Downgrade anyway": restrictions go, roles stay (S11).
pub fn clear_restrictions(conn: &mut PgConnection, master_account_id: i64) -> QueryResult<usize> {
    diesel::update(
        grants::table
            .filter(grants::master_account_id.eq(master_account_id))
            .filter(grants::restrictions.ne(0)),
    )
    .set(grants::restrictions.eq(0))
    .execute(conn)
}

/// The addresses of the people holding a premium role, for "what to reduce".
pub fn emails_with_premium_roles(
    conn: &mut PgConnection,
    master_account_id: i64,
    premium_roles: &[&str],
) -> QueryResult<Vec<String>> {
    members::table
        .inner_join(grants::table.on(grants::member_id.eq(members::id)))
        .filter(members::master_account_id.eq(master_account_id))
        .filter(grants::role.eq_any(premium_roles))
        .select(members::email)
        .distinct()
        .order(members::email)
        .load(conn)
}

/// Where a person stands in one account, as one row: the account's owner, the sub-account's name
/// (when one was asked for and it is this master account's), and the person's accepted grant there
/// if they have one.
#[derive(Debug, QueryableByName)]
pub struct StandingRow {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub owner_id: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub owner_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub owner_email: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub sub_account_name: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    pub grant_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    pub member_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub role: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    pub areas: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    pub restrictions: Option<i64>,
    /// The owner requires a second factor of everyone with access, and this person, not the
    /// owner, has none turned on.
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub second_factor_missing: bool,
}

impl StandingRow {
    /// The person's grant on the account asked for, if they hold one.
    pub fn grant(&self, sub_account_id: Option<i64>) -> Option<GrantRow> {
        Some(GrantRow {
            id: self.grant_id?,
            member_id: self.member_id?,
            sub_account_id,
            role: self.role.clone()?,
            areas: self.areas?,
            restrictions: self.restrictions?,
        })
    }
}

/// How often a person's last activity in an account is written down: at most this often, so
/// that most page views write nothing.
pub const ACTIVITY_GRANULARITY: chrono::Duration = chrono::Duration::minutes(5);

/// `StandingRow` for `person_id` on the master account `master_account_id`, or on its
/// sub-account `sub_account_id`: one statement. `None` when the master account does not exist.
/// The same statement records the person's activity there, as of `now`, when they can reach the
/// account and the last record is older than `ACTIVITY_GRANULARITY`. An access whose last day
/// (UTC) is before `now`'s gives no standing, whether or not the sweep has removed it yet.
pub fn standing(
    conn: &mut PgConnection,
    person_id: i64,
    master_account_id: i64,
    sub_account_id: Option<i64>,
    now: DateTime<Utc>,
) -> QueryResult<Option<StandingRow>> {
    use diesel::sql_types::{BigInt, Nullable, Timestamptz};
    super::Prepared(
        diesel::sql_query(
            "WITH active AS ( \
             UPDATE members m SET last_activity_at = $4 \
             WHERE m.person_id = $1 AND m.master_account_id = $2 AND m.accepted_at IS NOT NULL \
               AND (m.access_ends_on IS NULL OR m.access_ends_on >= $6) \
               AND (m.last_activity_at IS NULL OR m.last_activity_at < $5) \
               AND EXISTS (SELECT 1 FROM grants g WHERE g.member_id = m.id \
                           AND g.sub_account_id IS NOT DISTINCT FROM $3) \
         ) \
         SELECT a.owner_id, o.display_name AS owner_name, o.email AS owner_email, \
                s.name AS sub_account_name, g.id AS grant_id, g.member_id, g.role, g.areas, \
                g.restrictions, \
                (a.require_two_factor_since IS NOT NULL AND a.owner_id <> $1 AND NOT EXISTS ( \
                    SELECT 1 FROM people p WHERE p.id = $1 AND p.has_second_factor)) \
                    AS second_factor_missing \
         FROM accounts a \
         JOIN people o ON o.id = a.owner_id \
         LEFT JOIN sub_accounts s ON s.master_account_id = a.id AND s.id = $3 \
         LEFT JOIN LATERAL ( \
             SELECT g.id, g.member_id, g.role, g.areas, g.restrictions \
             FROM grants g JOIN members m ON m.id = g.member_id \
             WHERE m.person_id = $1 AND m.accepted_at IS NOT NULL \
               AND (m.access_ends_on IS NULL OR m.access_ends_on >= $6) \
               AND g.master_account_id = a.id AND g.sub_account_id IS NOT DISTINCT FROM $3 \
             LIMIT 1 \
         ) g ON true \
         WHERE a.id = $2",
        )
        .bind::<BigInt, _>(person_id)
        .bind::<BigInt, _>(master_account_id)
        .bind::<Nullable<BigInt>, _>(sub_account_id)
        .bind::<Timestamptz, _>(now)
        .bind::<Timestamptz, _>(now - ACTIVITY_GRANULARITY)
        .bind::<diesel::sql_types::Date, _>(now.date_naive()),
    )
    .get_result(conn)
    .optional()
}

/// What the sharing page shows, read in one statement: the owner's sub-accounts, and one page of
/// the people matching the query, each with their accesses and the status of their newest
/// invitation mail. The seats and advanced accesses in use are on the account's row.
pub struct SharingPage {
    /// (id, name), by name.
    pub sub_accounts: Vec<(i64, String)>,
    pub members: Vec<PagedMember>,
    /// How many people match the query, whatever the page.
    pub matching: i64,
}

pub struct PagedMember {
    pub person: MemberWithPerson,
    /// The member's identical grants, one group each.
    pub accesses: Vec<AccessRows>,
    /// The outbox status of their newest invitation mail.
    pub delivery: Option<String>,
}

/// Grants with the same role, areas and restrictions, with the accounts they are on: a person
/// with Manager on 101 accounts is two of these (Billing is on the master account only), not
/// 101 rows. Kept on the member's row (`members.access_groups`) by triggers on `grants`.
#[derive(serde::Deserialize)]
pub struct AccessRows {
    pub role: String,
    pub areas: i64,
    pub restrictions: i64,
    pub on_master: bool,
    /// By id.
    pub sub_accounts: Vec<i64>,
}

#[derive(QueryableByName)]
pub(super) struct SharingPageRow {
    /// On the first row only: the same on every row cost more to decode than the rest together.
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Array<diesel::sql_types::BigInt>>)]
    sub_account_ids: Option<Vec<i64>>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Array<diesel::sql_types::Text>>)]
    sub_account_names: Option<Vec<String>>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    email: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    person_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    invited_by: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>)]
    accepted_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    token_version: Option<i32>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>)]
    invitation_expires_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>)]
    created_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    locale: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>)]
    last_activity_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Date>)]
    access_ends_on: Option<NaiveDate>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    display_name: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>)]
    last_sign_in_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Bool>)]
    two_factor: Option<bool>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    matching: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    delivery: Option<String>,
    /// `AccessRows` as a JSON array.
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    access_groups: Option<String>,
}

/// The one statement behind the sharing page: the sub-accounts (on the first row), then one row
/// per person of the page, with their grants grouped as kept on their row. The sub-accounts come
/// first, joined to the page, so that a page with nobody on it still brings them.
///
/// Written for its generic plan (`db::connect`), which knows no parameter: the person of each of
/// the page's rows is found by key (`LATERAL ... LIMIT 1`), and the search by name looks them
/// up only when there is a search. Joined to every member instead, the plan guessed one member
/// per account and scanned the people once per member: 56 ms for 1,000 people instead of 3.
/// The count of everyone matching (`count(*) OVER ()`) holds every matching row until the last:
/// narrow ones (`chosen`: id and sort key), then the page's 50 read by key. With the whole row
/// held, the generic plan took 1.27 ms for the first page of 1,000 people, now 0.85.
///
/// Unfiltered, as the page first opens, nothing needs counting or sorting: everyone matches,
/// and the account's row keeps how many they are (`seats_used`, `refresh_usage`); the page's
/// rows are the first of an index in the order shown (`UNFILTERED_CHOICE`).
const SHARING_PAGE_CHOICE: &str = "\
WITH chosen AS ( \
    SELECT m.id, count(*) OVER () AS matching, \
           CASE WHEN $8 THEN m.last_activity_at END AS activity \
    FROM members m \
    WHERE m.master_account_id = $1 \
      AND ($2::text IS NULL OR m.email ILIKE $2 OR EXISTS ( \
           SELECT 1 FROM people p WHERE p.id = m.person_id AND p.display_name ILIKE $2)) \
      AND ($3::text IS NULL \
           OR ($3 = 'active' AND m.accepted_at IS NOT NULL) \
           OR ($3 = 'pending' AND m.accepted_at IS NULL AND m.invitation_expires_at > $9) \
           OR ($3 = 'expired' AND m.accepted_at IS NULL AND m.invitation_expires_at <= $9)) \
      AND NOT $4 \
      AND ($5::text IS NULL OR EXISTS ( \
           SELECT 1 FROM grants g WHERE g.member_id = m.id AND g.role = $5)) \
      AND ($10::bigint IS NULL OR m.id > $10) \
      AND ($11::bigint IS NULL OR m.id = $11) \
    ORDER BY activity DESC NULLS LAST, m.id LIMIT $6 OFFSET $7 \
)";

/// `chosen` when nothing filters the page: `{activity}` is the sort key (when sorting by
/// activity) or NULL, `{order}` the order of the index that serves it (migration
/// `000032_members_in_page_order`).
const UNFILTERED_CHOICE: &str = "\
WITH chosen AS ( \
    SELECT m.id, (SELECT a.seats_used FROM accounts a WHERE a.id = $1)::int8 AS matching, \
           {activity} AS activity \
    FROM members m \
    WHERE m.master_account_id = $1 \
    ORDER BY {order} LIMIT $6 OFFSET $7 \
)";

/// The page's rows, after `chosen`.
const SHARING_PAGE_ROWS: &str = "\
, page AS ( \
    SELECT chosen.id, chosen.matching, chosen.activity, m.email, m.person_id, m.invited_by, \
           m.accepted_at, m.token_version, m.invitation_expires_at, m.created_at, m.locale, \
           m.last_activity_at, m.access_ends_on, m.access_groups \
    FROM chosen CROSS JOIN LATERAL (SELECT * FROM members m WHERE m.id = chosen.id LIMIT 1) m \
) ";

/// The statement's result, after the page's rows: its columns, and then where they come from.
const SHARING_PAGE_RESULT: &str = "\
SELECT page.id, page.matching, page.email, page.person_id, page.invited_by, page.accepted_at, \
    page.token_version, page.invitation_expires_at, page.created_at, page.locale, \
    page.last_activity_at, page.access_ends_on, person.display_name, person.last_sign_in_at, \
    person.two_factor, page.access_groups::text AS access_groups, \
    CASE WHEN row_number() OVER in_order = 1 THEN subs.ids END AS sub_account_ids, \
    CASE WHEN row_number() OVER in_order = 1 THEN subs.names END AS sub_account_names, \
    CASE WHEN page.accepted_at IS NULL THEN ( \
        SELECT o.status FROM outbox o WHERE o.member_id = page.id ORDER BY o.id DESC LIMIT 1) \
    END AS delivery \
FROM (SELECT coalesce(array_agg(s.id ORDER BY s.name, s.id), '{}') AS ids, \
             coalesce(array_agg(s.name ORDER BY s.name, s.id), '{}') AS names \
      FROM sub_accounts s WHERE s.master_account_id = $1) subs \
LEFT JOIN page ON true \
LEFT JOIN LATERAL ( \
    SELECT p.display_name, p.last_sign_in_at, p.has_second_factor AS two_factor \
    FROM people p WHERE p.id = page.person_id LIMIT 1 \
) person ON true \
WINDOW in_order AS (ORDER BY page.activity DESC NULLS LAST, page.id) \
ORDER BY page.activity DESC NULLS LAST, page.id";

/// The sharing page's three texts: filtered, then unfiltered in the order invited, then
/// unfiltered by activity.
static SHARING_PAGES: LazyLock<[String; 3]> = LazyLock::new(|| {
    sharing_page_choices().map(|choice| format!("{choice}{SHARING_PAGE_ROWS}{SHARING_PAGE_RESULT}"))
});

/// `chosen`, in the order of `SHARING_PAGES`.
fn sharing_page_choices() -> [String; 3] {
    let unfiltered = |activity: &str, order: &str| {
        UNFILTERED_CHOICE
            .replace("{activity}", activity)
            .replace("{order}", order)
    };
    [
        SHARING_PAGE_CHOICE.to_owned(),
        unfiltered("NULL::timestamptz", "m.id"),
        unfiltered(
            "m.last_activity_at",
            "m.last_activity_at DESC NULLS LAST, m.id",
        ),
    ]
}

/// `SHARING_PAGES` after other common table expressions (`before`, from `WITH` on), with the
/// master account read from them (`master`, an expression in place of `$1`), and `columns`
/// (expression, name) before the page's own, on the first row only: the session's statement
/// with the page in it (`sessions::load_with_sharing_page`). `$1` is then free for `before`.
pub(super) fn sharing_pages_after(
    before: &str,
    master: &str,
    columns: &[(&str, &str)],
) -> [String; 3] {
    let first_row_only = columns
        .iter()
        .map(|(expression, name)| {
            format!("CASE WHEN row_number() OVER in_order = 1 THEN {expression} END AS {name}, ")
        })
        .collect::<String>();
    let result = SHARING_PAGE_RESULT.replacen("SELECT ", &format!("SELECT {first_row_only}"), 1);
    sharing_page_choices().map(|choice| {
        let page = format!("{choice}{SHARING_PAGE_ROWS}{result}");
        let page = page.strip_prefix("WITH ").unwrap_or(&page);
        format!("{before}, {}", replace_parameter(page, "$1", master))
    })
}

/// `text` with the parameter `name` (`$1`, not `$10`) replaced by `expression`.
fn replace_parameter(text: &str, name: &str, expression: &str) -> String {
    let mut replaced = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(name) {
        let after = &rest[at + name.len()..];
        replaced.push_str(&rest[..at]);
        if after.starts_with(|c: char| c.is_ascii_digit()) {
            replaced.push_str(name);
        } else {
            replaced.push_str(expression);
        }
        rest = after;
    }
    replaced.push_str(rest);
    replaced
}

/// `statement` (one of `SHARING_PAGES`, or of the texts `sharing_pages_after` made) with `query`
/// and `now` bound as its parameters $2 to $11, in the order the texts use them: after $1 (the
/// master account, or what `before` binds in its place).
macro_rules! bind_sharing_page {
    ($statement:expr, $query:expr, $now:expr) => {{
        use diesel::sql_types::{BigInt, Bool, Nullable, Text, Timestamptz};
        let query: &$crate::db::members::PeopleQuery = $query;
        $statement
            .bind::<Nullable<Text>, _>(query.search.map($crate::db::like_pattern))
            .bind::<Nullable<Text>, _>(query.status_code())
            .bind::<Bool, _>(query.owner_only)
            .bind::<Nullable<Text>, _>(query.role)
            .bind::<BigInt, _>(query.limit)
            .bind::<BigInt, _>(query.offset)
            .bind::<Bool, _>(query.by_activity)
            .bind::<Timestamptz, _>($now)
            .bind::<Nullable<BigInt>, _>(query.after)
            .bind::<Nullable<BigInt>, _>(query.only)
    }};
}
pub(super) use bind_sharing_page;

/// Which of `SHARING_PAGES` answers `query`.
pub(super) fn page_text(query: &PeopleQuery) -> usize {
    let filtered = query.search.is_some()
        || query.status.is_some()
        || query.owner_only
        || query.role.is_some()
        || query.after.is_some()
        || query.only.is_some();
    match (filtered, query.by_activity) {
        (true, _) => 0,
        (false, false) => 1,
        (false, true) => 2,
    }
}

pub fn sharing_page(
    conn: &mut PgConnection,
    master: MasterAccountId,
    query: &PeopleQuery,
    now: DateTime<Utc>,
) -> QueryResult<SharingPage> {
    let rows: Vec<SharingPageRow> = super::Prepared(bind_sharing_page!(
        diesel::sql_query(&SHARING_PAGES[page_text(query)])
            .bind::<diesel::sql_types::BigInt, _>(master.0),
        query,
        now
    ))
    .load(conn)?;
    page_of_rows(master, rows)
}

/// The page the rows of one of `SHARING_PAGES` hold: the sub-accounts on the first row (there
/// always is one), and then one person per row.
pub(super) fn page_of_rows(
    master: MasterAccountId,
    rows: Vec<SharingPageRow>,
) -> QueryResult<SharingPage> {
    let mut rows = rows.into_iter();
    let first = rows.next().ok_or(diesel::result::Error::NotFound)?;
    let mut page = SharingPage {
        sub_accounts: (first
            .sub_account_ids
            .clone()
            .unwrap_or_default()
            .into_iter())
        .zip(first.sub_account_names.clone().unwrap_or_default())
        .collect(),
        members: Vec::new(),
        matching: first.matching.unwrap_or(0),
    };
    for row in std::iter::once(first).chain(rows) {
        let Some(member_id) = row.id else { continue };
        let missing = || diesel::result::Error::NotFound;
        page.members.push(PagedMember {
            person: MemberWithPerson {
                member: Member {
                    id: member_id,
                    master_account_id: master.0,
                    email: row.email.ok_or_else(missing)?,
                    person_id: row.person_id,
                    invited_by: row.invited_by,
                    accepted_at: row.accepted_at,
                    token_version: row.token_version.ok_or_else(missing)?,
                    invitation_expires_at: row.invitation_expires_at.ok_or_else(missing)?,
                    created_at: row.created_at.ok_or_else(missing)?,
                    locale: row.locale.ok_or_else(missing)?,
                    last_activity_at: row.last_activity_at,
                    access_ends_on: row.access_ends_on,
                },
                name: row.display_name,
                last_sign_in_at: row.last_sign_in_at,
                two_factor: row.two_factor.unwrap_or(false),
            },
            accesses: super::from_json(row.access_groups.as_deref().ok_or_else(missing)?)?,
            delivery: row.delivery,
        });
    }
    Ok(page)
}

/// One account a person can reach: a sub-account of their own (`own`), or an account shared with
/// them, with the owner and the person's grant there.
#[derive(Debug, QueryableByName, serde::Deserialize)]
pub struct ReachableRow {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub own: bool,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub master_account_id: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    pub sub_account_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub sub_account_name: Option<String>,
    /// Own sub-accounts only.
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub api_key_hint: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>)]
    pub created_at: Option<DateTime<Utc>>,
    /// Shared accounts only, as the grant's fields.
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub owner_name: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub owner_email: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    pub grant_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    pub member_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub role: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    pub areas: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    pub restrictions: Option<i64>,
}

impl ReachableRow {
    pub fn grant(&self) -> Option<GrantRow> {
        Some(GrantRow {
            id: self.grant_id?,
            member_id: self.member_id?,
            sub_account_id: self.sub_account_id,
            role: self.role.clone()?,
            areas: self.areas?,
            restrictions: self.restrictions?,
        })
    }
}

/// The text of `reachable`'s statement, with its parameters $1 (the person), $2 (the master
/// account they act on) and $3 (today), for statements that read it beside another list.
macro_rules! reachable_sql {
    () => {
        "SELECT * FROM ( \
         SELECT true AS own, a.id AS master_account_id, NULL::bigint AS sub_account_id, \
                NULL::text AS sub_account_name, NULL::text AS api_key_hint, \
                NULL::timestamptz AS created_at, \
                NULL::text AS owner_name, NULL::text AS owner_email, NULL::bigint AS grant_id, \
                NULL::bigint AS member_id, NULL::text AS role, NULL::bigint AS areas, \
                NULL::bigint AS restrictions, 0::bigint AS shared_order \
         FROM accounts a WHERE a.owner_id = $1 \
         UNION ALL \
         SELECT true, s.master_account_id, s.id, s.name, s.api_key_hint, s.created_at, \
                NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 \
         FROM sub_accounts s JOIN accounts a ON a.id = s.master_account_id \
         WHERE a.owner_id = $1 \
         UNION ALL \
         SELECT false, m.master_account_id, g.sub_account_id, s.name, NULL, NULL, \
                o.display_name, o.email, g.id, g.member_id, g.role, g.areas, g.restrictions, m.id \
         FROM grants g \
         JOIN members m ON m.id = g.member_id \
         JOIN accounts a ON a.id = m.master_account_id \
         JOIN people o ON o.id = a.owner_id \
         LEFT JOIN sub_accounts s ON s.id = g.sub_account_id \
         WHERE m.person_id = $1 AND m.accepted_at IS NOT NULL \
           AND (m.access_ends_on IS NULL OR m.access_ends_on >= $3) \
         ) reachable \
         ORDER BY own DESC, \
                  CASE WHEN own THEN master_account_id IS NOT DISTINCT FROM $2 END DESC, \
                  CASE WHEN own THEN master_account_id END, \
                  CASE WHEN own THEN sub_account_id IS NOT NULL END, shared_order, \
                  CASE WHEN own THEN sub_account_name END, sub_account_id NULLS FIRST"
    };
}
pub(crate) use reachable_sql;

/// Every account a person can reach, in one statement: the master accounts they own, each with
/// its sub-accounts by name (`own_master`, the one they act on, first), then each account shared
/// with them, accepted and not past its last day as of `today`, grouped by owner in the order
/// they were shared.
pub fn reachable(
    conn: &mut PgConnection,
    person: PersonId,
    own_master: Option<MasterAccountId>,
    today: NaiveDate,
) -> QueryResult<Vec<ReachableRow>> {
    use diesel::sql_types::{BigInt, Date, Nullable};
    super::Prepared(
        diesel::sql_query(reachable_sql!())
            .bind::<BigInt, _>(person.0)
            .bind::<Nullable<BigInt>, _>(own_master.map(|master| master.0))
            .bind::<Date, _>(today),
    )
    .load(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parameter_is_replaced_where_it_stands_alone() {
        assert_eq!(
            replace_parameter("a = $1 AND b = $10 AND (c = $1)", "$1", "(x)"),
            "a = (x) AND b = $10 AND (c = (x))"
        );
        assert_eq!(replace_parameter("$1", "$1", "m"), "m");
    }

    #[test]
    fn the_pages_after_the_session_read_the_master_account_from_it() {
        let before = "WITH me AS (SELECT $1 AS master)";
        let texts = sharing_pages_after(before, "(m)", &[("x", "y")]);
        for (text, alone) in texts.iter().zip(SHARING_PAGES.iter()) {
            let page = text.strip_prefix(before).expect("the page follows");
            for standing_alone in ["$1 ", "$1)", "$1,", "$1:"] {
                assert!(!page.contains(standing_alone), "{page}");
            }
            let masters = alone.matches("$1").count()
                - alone.matches("$10").count()
                - alone.matches("$11").count();
            assert_eq!(page.matches("(m)").count(), masters);
            assert!(
                page.contains("SELECT CASE WHEN row_number() OVER in_order = 1 THEN x END AS y, ")
            );
        }
    }
}
