//! Rows of `members` (one per person with access to an owner's accounts) and `grants` (what they
//! may do in each account). Every query names the master account (R12).

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::{grants, members, people};
use crate::domain::{
    ids::{AccountRef, MasterAccountId, MemberId, PersonId, SubAccountId},
    invitation::AccessStatus,
    permission::{AreaSet, RestrictionSet},
    role::{Grant, Role},
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = members)]
pub struct Member {
    pub id: i64,
    pub master_account_id: i64,
    pub email: String,
    pub person_id: Option<i64>,
    pub invited_by: i64,
    pub accepted_at: Option<DateTime<Utc>>,
    pub token_version: i32,
    pub invitation_expires_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
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
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = grants)]
pub struct GrantRow {
    pub id: i64,
    pub member_id: i64,
    pub sub_account_id: Option<i64>,
    pub role: String,
    pub areas: i16,
    pub restrictions: i16,
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
    pub areas: i16,
    pub restrictions: i16,
}

/// A member with what we know of the person once they have a login.
#[derive(Debug, Clone)]
pub struct MemberWithPerson {
    pub member: Member,
    pub name: Option<String>,
    pub last_sign_in_at: Option<DateTime<Utc>>,
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
        .for_update()
        .first(conn)
}

pub fn insert(conn: &mut PgConnection, member: &NewMember) -> QueryResult<Member> {
    diesel::insert_into(members::table)
        .values(member)
        .returning(Member::as_returning())
        .get_result(conn)
}

pub fn insert_grants(conn: &mut PgConnection, rows: &[NewGrant]) -> QueryResult<usize> {
    diesel::insert_into(grants::table)
        .values(rows)
        .execute(conn)
}

pub fn replace_grants(
    conn: &mut PgConnection,
    master: MasterAccountId,
    member: MemberId,
    rows: &[NewGrant],
) -> QueryResult<usize> {
    diesel::delete(
        grants::table
            .filter(grants::master_account_id.eq(master.0))
            .filter(grants::member_id.eq(member.0)),
    )
    .execute(conn)?;
    diesel::update(members::table.find(member.0))
        .set(members::updated_at.eq(diesel::dsl::now))
        .execute(conn)?;
    insert_grants(conn, rows)
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
    pub limit: i64,
    pub offset: i64,
}

/// `%`, `_` and `\` typed by a person are searched for as themselves.
fn like_pattern(text: &str) -> String {
    let mut pattern = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// A member, their name and last sign-in once known, and how many people match in all.
type PageRow = (Member, Option<String>, Option<DateTime<Utc>>, i64);

/// One page of the people matching `query`, oldest first, with names once known, and how many
/// match in all: one statement, whatever the number of people.
pub fn page(
    conn: &mut PgConnection,
    master: MasterAccountId,
    query: &PeopleQuery,
) -> QueryResult<(Vec<MemberWithPerson>, i64)> {
    use diesel::dsl::{exists, not, sql};
    let mut rows = members::table
        .left_join(people::table.on(members::person_id.eq(people::id.nullable())))
        .filter(members::master_account_id.eq(master.0))
        .into_boxed();
    if let Some(search) = query.search {
        let pattern = like_pattern(search);
        rows = rows.filter(
            members::email
                .ilike(pattern.clone())
                .or(people::display_name.nullable().ilike(pattern)),
        );
    }
    let pending = members::accepted_at
        .is_null()
        .and(members::invitation_expires_at.gt(diesel::dsl::now));
    rows = match query.status {
        None => rows,
        Some(AccessStatus::Active) => rows.filter(members::accepted_at.is_not_null()),
        Some(AccessStatus::Pending) => rows.filter(pending),
        Some(AccessStatus::Expired) => rows
            .filter(members::accepted_at.is_null())
            .filter(not(members::invitation_expires_at.gt(diesel::dsl::now))),
    };
    if query.owner_only {
        rows = rows.filter(sql::<diesel::sql_types::Bool>("false"));
    }
    if let Some(role) = query.role {
        rows = rows.filter(exists(
            grants::table
                .filter(grants::member_id.eq(members::id))
                .filter(grants::role.eq(role.to_owned())),
        ));
    }
    let found: Vec<PageRow> = rows
        .order(members::id)
        .limit(query.limit)
        .offset(query.offset)
        .select((
            Member::as_select(),
            people::display_name.nullable(),
            people::last_sign_in_at.nullable(),
            // Counted before LIMIT: how many match in all, in the same statement.
            sql::<diesel::sql_types::BigInt>("count(*) OVER ()"),
        ))
        .load(conn)?;
    let matching = found.first().map_or(0, |row| row.3);
    let members = found
        .into_iter()
        .map(|(member, name, last_sign_in_at, _)| MemberWithPerson {
            member,
            name,
            last_sign_in_at,
        })
        .collect();
    Ok((members, matching))
}

/// The grants of some of the account's members.
pub fn grants_of_members(
    conn: &mut PgConnection,
    master: MasterAccountId,
    member_ids: &[i64],
) -> QueryResult<Vec<GrantRow>> {
    grants::table
        .filter(grants::master_account_id.eq(master.0))
        .filter(grants::member_id.eq_any(member_ids))
        .order((
            grants::member_id,
            grants::sub_account_id.nullable().asc().nulls_first(),
        ))
        .select(GrantRow::as_select())
        .load(conn)
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
    diesel::delete(
        members::table
            .filter(members::master_account_id.eq(master.0))
            .filter(members::id.eq(id.0)),
    )
    .returning(Member::as_returning())
    .get_result(conn)
    .optional()
}

/// Kills the current link at once and retires any invitation mail still queued, so only the
/// mail queued next, carrying the returned version, can mint a link (R5). `None` when the member
/// is gone or has already accepted.
pub fn retire_link(
    conn: &mut PgConnection,
    master: MasterAccountId,
    id: MemberId,
    expires_at: DateTime<Utc>,
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
        members::updated_at.eq(diesel::dsl::now),
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

/// The member a live link belongs to: not accepted, not expired, not replaced, not deleted.
pub fn find_by_live_token(
    conn: &mut PgConnection,
    token_hash: &[u8],
) -> QueryResult<Option<Member>> {
    live_token(conn, token_hash, false)
}

/// The same, locking the row until the transaction ends, so a deletion or another accept waits.
pub fn lock_by_live_token(
    conn: &mut PgConnection,
    token_hash: &[u8],
) -> QueryResult<Option<Member>> {
    live_token(conn, token_hash, true)
}

fn live_token(
    conn: &mut PgConnection,
    token_hash: &[u8],
    lock: bool,
) -> QueryResult<Option<Member>> {
    let query = members::table
        .filter(members::token_hash.eq(token_hash))
        .filter(members::accepted_at.is_null())
        .filter(members::invitation_expires_at.gt(diesel::dsl::now))
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
) -> QueryResult<Option<Member>> {
    diesel::update(
        members::table
            .filter(members::token_hash.eq(token_hash))
            .filter(members::accepted_at.is_null())
            .filter(members::invitation_expires_at.gt(diesel::dsl::now))
            .filter(members::email.eq(email)),
    )
    .set((
        members::accepted_at.eq(diesel::dsl::now),
        members::person_id.eq(person_id),
        members::token_hash.eq(None::<Vec<u8>>),
        members::updated_at.eq(diesel::dsl::now),
    ))
    .returning(Member::as_returning())
    .get_result(conn)
    .optional()
}

/// The accepted memberships of a person, with each owner's name and email, oldest first.
pub fn memberships_of(
    conn: &mut PgConnection,
    person: PersonId,
) -> QueryResult<Vec<(Member, String, String)>> {
    use super::schema::accounts;
    members::table
        .inner_join(accounts::table.on(accounts::id.eq(members::master_account_id)))
        .inner_join(people::table.on(people::id.eq(accounts::owner_id)))
        .filter(members::person_id.eq(person.0))
        .filter(members::accepted_at.is_not_null())
        .order(members::id)
        .select((Member::as_select(), people::display_name, people::email))
        .load(conn)
}

/// The grants of several members at once, with the names of the sub-accounts they point to.
pub fn grants_with_names(
    conn: &mut PgConnection,
    member_ids: &[i64],
) -> QueryResult<Vec<(GrantRow, Option<String>)>> {
    use super::schema::sub_accounts;
    grants::table
        .left_join(sub_accounts::table.on(sub_accounts::id.nullable().eq(grants::sub_account_id)))
        .filter(grants::member_id.eq_any(member_ids))
        .order((
            grants::member_id,
            grants::sub_account_id.nullable().asc().nulls_first(),
        ))
        .select((GrantRow::as_select(), sub_accounts::name.nullable()))
        .load(conn)
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
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::SmallInt>)]
    pub areas: Option<i16>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::SmallInt>)]
    pub restrictions: Option<i16>,
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

/// `StandingRow` for `person_id` on the master account `master_account_id`, or on its
/// sub-account `sub_account_id`: one statement. `None` when the master account does not exist.
pub fn standing(
    conn: &mut PgConnection,
    person_id: i64,
    master_account_id: i64,
    sub_account_id: Option<i64>,
) -> QueryResult<Option<StandingRow>> {
    use diesel::sql_types::{BigInt, Nullable};
    diesel::sql_query(
        "SELECT a.owner_id, o.display_name AS owner_name, o.email AS owner_email, \
                s.name AS sub_account_name, g.id AS grant_id, g.member_id, g.role, g.areas, \
                g.restrictions \
         FROM accounts a \
         JOIN people o ON o.id = a.owner_id \
         LEFT JOIN sub_accounts s ON s.master_account_id = a.id AND s.id = $3 \
         LEFT JOIN LATERAL ( \
             SELECT g.id, g.member_id, g.role, g.areas, g.restrictions \
             FROM grants g JOIN members m ON m.id = g.member_id \
             WHERE m.person_id = $1 AND m.accepted_at IS NOT NULL \
               AND g.master_account_id = a.id AND g.sub_account_id IS NOT DISTINCT FROM $3 \
             LIMIT 1 \
         ) g ON true \
         WHERE a.id = $2",
    )
    .bind::<BigInt, _>(person_id)
    .bind::<BigInt, _>(master_account_id)
    .bind::<Nullable<BigInt>, _>(sub_account_id)
    .get_result(conn)
    .optional()
}
