//! The gate's statements (INTEGRATION.md S15, S16). One read per question "may this person, or
//! the person of this session, act on this account?": who they are and where they stand, the
//! service token checked in the same read. What the reads find out of date (a session's idle
//! limit, a person's last activity, a token's last use) is written afterwards in one statement,
//! at most every few minutes: a stream of checks writes next to nothing.

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use diesel::{prelude::*, sql_types};

/// One question: by person (the check API) or by the hash of a session's key.
#[derive(Debug, Clone)]
pub struct Question {
    pub person_id: Option<i64>,
    pub session_hash: Option<Vec<u8>>,
    pub master_account_id: i64,
    pub sub_account_id: Option<i64>,
}

/// What the database knows for one question.
#[derive(Debug, Clone, QueryableByName)]
pub struct Answer {
    /// The person asked about, or the session's; `None` when there is no such person or no live
    /// signed-in session.
    #[diesel(sql_type = sql_types::Nullable<sql_types::BigInt>)]
    pub person_id: Option<i64>,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Text>)]
    pub email: Option<String>,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Text>)]
    pub display_name: Option<String>,
    /// When the live session asked about reaches its idle limit.
    #[diesel(sql_type = sql_types::Nullable<sql_types::Timestamptz>)]
    pub session_expires_at: Option<DateTime<Utc>>,
    /// The master account exists and, when a sub-account was named, it is one of its own.
    #[diesel(sql_type = sql_types::Bool)]
    pub account_found: bool,
    #[diesel(sql_type = sql_types::Bool)]
    pub owner: bool,
    #[diesel(sql_type = sql_types::Nullable<sql_types::BigInt>)]
    pub member_id: Option<i64>,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Timestamptz>)]
    pub last_activity_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Text>)]
    pub role: Option<String>,
    #[diesel(sql_type = sql_types::Nullable<sql_types::BigInt>)]
    pub areas: Option<i64>,
    #[diesel(sql_type = sql_types::Nullable<sql_types::BigInt>)]
    pub restrictions: Option<i64>,
    /// The owner requires a second factor of everyone with access, and this person, not the
    /// owner, has none turned on (issue 22).
    #[diesel(sql_type = sql_types::Bool)]
    pub second_factor_missing: bool,
    /// The live service token named, if one was.
    #[diesel(sql_type = sql_types::Nullable<sql_types::BigInt>)]
    pub token_id: Option<i64>,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Timestamptz>)]
    pub token_used_at: Option<DateTime<Utc>>,
}

// Nothing but equalities on unique keys (the member by account and person, the grant by member
// and sub-account, as their unique indexes have them), so PostgreSQL settles on one generic plan
// after its first few runs on a connection and stops planning: 0.3 ms a run otherwise, for
// 0.04 ms of work. Each question joins only the tables it needs (forward auth asks by session,
// about a master account, without a token: five of the eight), because starting a plan's
// nodes is most of what PostgreSQL spends on it; for the same reason whether a person has a
// second factor is a column of theirs, kept by triggers, not two subqueries. The texts are
// assembled from the fixed pieces below, never from a value: every value goes as a bind
// parameter, and a parameter a text does not use is still typed by its bind, which PostgreSQL
// accepts. Every piece reads the question from `q` (`person_id`, `session_hash`, `master`,
// `sub`): one question's `q` is a row of its parameters, which PostgreSQL folds into the plan
// as if they were written in place; a batch's is a row of the arrays it sends.
const TOKEN_COLUMNS: &str = "t.id AS token_id, t.last_used_at AS token_used_at";
const NO_TOKEN_COLUMNS: &str = "NULL::int8 AS token_id, NULL::timestamptz AS token_used_at";
const TOKEN_JOIN: &str =
    " LEFT JOIN service_tokens t ON t.token_hash = $8 AND t.revoked_at IS NULL";
const SESSION_JOIN: &str = " LEFT JOIN sessions s ON s.key_hash = q.session_hash \
     AND s.expires_at > $5 AND s.created_at > $6";
const SUB_ACCOUNT_JOIN: &str =
    " LEFT JOIN sub_accounts sa ON sa.id = q.sub AND sa.master_account_id = a.id";
const MEMBER_JOINS: &str = " LEFT JOIN members m ON m.master_account_id = a.id \
     AND m.person_id = p.id AND m.accepted_at IS NOT NULL \
     AND (m.access_ends_on IS NULL OR m.access_ends_on >= $7) \
     LEFT JOIN grants g ON g.member_id = m.id \
     AND coalesce(g.sub_account_id, 0) = coalesce(q.sub, 0)";
const SECOND_FACTOR_MISSING: &str = "COALESCE(a.require_two_factor_since IS NOT NULL \
     AND a.owner_id <> p.id AND NOT p.has_second_factor, false) AS second_factor_missing";

/// Whom the questions of one text are about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Subjects {
    People,
    Sessions,
    /// A batch: each question by person or by session.
    Either,
}

/// The columns and the joins of one answer (all of `Answer` but the token's), reading its
/// question from `q`; `about_sub_account` when `q.sub` may name one.
fn answer_text(subjects: Subjects, about_sub_account: bool) -> (String, String) {
    let session_column = if subjects == Subjects::People {
        "NULL::timestamptz"
    } else {
        "s.expires_at"
    };
    let account_found = if about_sub_account {
        "a.id IS NOT NULL AND (q.sub IS NULL OR sa.id IS NOT NULL)"
    } else {
        "a.id IS NOT NULL"
    };
    let subject_joins = match subjects {
        Subjects::People => " LEFT JOIN people p ON p.id = q.person_id".to_owned(),
        Subjects::Sessions => format!("{SESSION_JOIN} LEFT JOIN people p ON p.id = s.person_id"),
        Subjects::Either => {
            format!(
                "{SESSION_JOIN} LEFT JOIN people p ON p.id = coalesce(q.person_id, s.person_id)"
            )
        }
    };
    let columns = format!(
        "p.id AS person_id, p.email, p.display_name, {session_column} AS session_expires_at, \
         ({account_found}) AS account_found, COALESCE(a.owner_id = p.id, false) AS owner, \
         g.member_id, m.last_activity_at, g.role, g.areas, g.restrictions, \
         {SECOND_FACTOR_MISSING}"
    );
    let sub_account_join = if about_sub_account {
        SUB_ACCOUNT_JOIN
    } else {
        ""
    };
    let joins = format!(
        "{subject_joins} LEFT JOIN accounts a ON a.id = q.master{sub_account_join}{MEMBER_JOINS}"
    );
    (columns, joins)
}

/// The text for one question by session or by person, with or without a token to check, about a
/// sub-account or a master account.
fn ask_text(by_session: bool, with_token: bool, about_sub_account: bool) -> String {
    let subjects = if by_session {
        Subjects::Sessions
    } else {
        Subjects::People
    };
    let (columns, joins) = answer_text(subjects, about_sub_account);
    let (token_columns, token_join) = token(with_token);
    format!(
        "SELECT {columns}, {token_columns} FROM (SELECT $1::int8 AS person_id, \
         $2::bytea AS session_hash, $3::int8 AS master, $4::int8 AS sub) q{token_join}{joins}"
    )
}

/// The text for a batch of questions, each by person or by session, about any account, with or
/// without a token to check: the arrays `$1` to `$4` hold the questions' `q` columns, and the
/// answers come in their order. Each answer is planned as one question is, inside the loop over
/// the batch (OFFSET 0 keeps PostgreSQL from merging the two and scanning `people` whole for a
/// handful of rows).
fn ask_batch_text(with_token: bool) -> String {
    let (columns, joins) = answer_text(Subjects::Either, true);
    let (token_columns, token_join) = token(with_token);
    format!(
        "SELECT answer.*, {token_columns} \
         FROM unnest($1::int8[], $2::bytea[], $3::int8[], $4::int8[]) WITH ORDINALITY \
             AS q(person_id, session_hash, master, sub, n) \
         CROSS JOIN LATERAL (SELECT {columns} FROM (SELECT) one{joins} OFFSET 0) answer\
         {token_join} ORDER BY q.n"
    )
}

fn token(with_token: bool) -> (&'static str, &'static str) {
    if with_token {
        (TOKEN_COLUMNS, TOKEN_JOIN)
    } else {
        (NO_TOKEN_COLUMNS, "")
    }
}

/// The eight texts, by `by_session`, `with_token` and `about_sub_account` as bits 0, 1 and 2.
static ASK: LazyLock<[String; 8]> =
    LazyLock::new(|| std::array::from_fn(|i| ask_text(i & 1 != 0, i & 2 != 0, i & 4 != 0)));

/// The batch's two texts, without and with a token.
static ASK_BATCH: LazyLock<[String; 2]> =
    LazyLock::new(|| std::array::from_fn(|i| ask_batch_text(i == 1)));

/// Answers one question, reading and writing nothing else; with `service_token_hash`, also
/// whether it names a live token. A session is live at `now` when not idle past its limit and
/// created after `sessions_born_after`; an access counts until the end of its last day (UTC).
pub fn ask(
    conn: &mut PgConnection,
    service_token_hash: Option<&[u8]>,
    question: &Question,
    now: DateTime<Utc>,
    sessions_born_after: DateTime<Utc>,
) -> QueryResult<Answer> {
    use sql_types::{BigInt, Bytea, Date, Nullable, Timestamptz};
    let by_session = question.session_hash.is_some();
    let text = &ASK[usize::from(by_session)
        | usize::from(service_token_hash.is_some()) << 1
        | usize::from(question.sub_account_id.is_some()) << 2];
    super::Prepared(
        diesel::sql_query(text)
            .bind::<Nullable<BigInt>, _>(question.person_id)
            .bind::<Nullable<Bytea>, _>(question.session_hash.as_deref())
            .bind::<BigInt, _>(question.master_account_id)
            .bind::<Nullable<BigInt>, _>(question.sub_account_id)
            .bind::<Timestamptz, _>(now)
            .bind::<Timestamptz, _>(sessions_born_after)
            .bind::<Date, _>(now.date_naive())
            .bind::<Nullable<Bytea>, _>(service_token_hash),
    )
    .get_result(conn)
}

/// Answers `questions` in one statement, in their order, as `ask` answers each; the token, when
/// given, is on every answer.
pub fn ask_batch(
    conn: &mut PgConnection,
    service_token_hash: Option<&[u8]>,
    questions: &[Question],
    now: DateTime<Utc>,
    sessions_born_after: DateTime<Utc>,
) -> QueryResult<Vec<Answer>> {
    use sql_types::{Array, BigInt, Bytea, Date, Nullable, Timestamptz};
    let column = |of: fn(&Question) -> Option<i64>| questions.iter().map(of).collect::<Vec<_>>();
    let sessions: Vec<Option<&[u8]>> = questions
        .iter()
        .map(|question| question.session_hash.as_deref())
        .collect();
    super::Prepared(
        diesel::sql_query(&ASK_BATCH[usize::from(service_token_hash.is_some())])
            .bind::<Array<Nullable<BigInt>>, _>(column(|q| q.person_id))
            .bind::<Array<Nullable<Bytea>>, _>(sessions)
            .bind::<Array<Nullable<BigInt>>, _>(column(|q| Some(q.master_account_id)))
            .bind::<Array<Nullable<BigInt>>, _>(column(|q| q.sub_account_id))
            .bind::<Timestamptz, _>(now)
            .bind::<Timestamptz, _>(sessions_born_after)
            .bind::<Date, _>(now.date_naive())
            .bind::<Nullable<Bytea>, _>(service_token_hash),
    )
    .load(conn)
}

/// What the reads found out of date, to be written as of `now`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Uses {
    /// Sessions whose idle limit moves out to `extend_to`.
    pub sessions: Vec<Vec<u8>>,
    /// Members whose last activity is now.
    pub members: Vec<i64>,
    /// The service token last used now.
    pub token: Option<i64>,
}

impl Uses {
    pub fn is_empty(&self) -> bool {
        self.sessions.is_empty() && self.members.is_empty() && self.token.is_none()
    }
}

/// When each record counts as out of date, all from one clock reading.
#[derive(Debug, Clone, Copy)]
pub struct Granularity {
    pub now: DateTime<Utc>,
    /// A live session's idle limit moves out to here...
    pub extend_sessions_to: DateTime<Utc>,
    /// ...when it ends before this.
    pub extend_sessions_ending_before: DateTime<Utc>,
    /// A person's last activity in an account is written when older than this.
    pub activity_older_than: DateTime<Utc>,
    /// A service token's last use is written when older than this.
    pub token_use_older_than: DateTime<Utc>,
}

/// Records `uses` in one statement. Each row is written only while it is still out of date, so
/// two checks at once write it once, and a session that ended meanwhile stays ended.
pub fn record(conn: &mut PgConnection, uses: &Uses, at: Granularity) -> QueryResult<usize> {
    use sql_types::{Array, BigInt, Bytea, Nullable, Timestamptz};
    super::Prepared(
        diesel::sql_query(
            "WITH sessions_extended AS ( \
                 UPDATE sessions SET expires_at = $2 \
                 WHERE key_hash = ANY($1) AND expires_at > $3 AND expires_at < $4 \
             ), members_active AS ( \
                 UPDATE members SET last_activity_at = $3 \
                 WHERE id = ANY($5) AND (last_activity_at IS NULL OR last_activity_at < $6) \
             ) \
             UPDATE service_tokens SET last_used_at = $3 \
             WHERE id = $7 AND (last_used_at IS NULL OR last_used_at < $8)",
        )
        .bind::<Array<Bytea>, _>(&uses.sessions)
        .bind::<Timestamptz, _>(at.extend_sessions_to)
        .bind::<Timestamptz, _>(at.now)
        .bind::<Timestamptz, _>(at.extend_sessions_ending_before)
        .bind::<Array<BigInt>, _>(&uses.members)
        .bind::<Timestamptz, _>(at.activity_older_than)
        .bind::<Nullable<BigInt>, _>(uses.token)
        .bind::<Timestamptz, _>(at.token_use_older_than),
    )
    .execute(conn)
}
