//! The gate's one statement (INTEGRATION.md S15, S16): for each question "may this person, or
//! the person of this session, act on this account?", who they are and where they stand there.
//! Forward auth asks one question; the check API up to a hundred, with its service token checked
//! in the same statement.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::{prelude::*, sql_types};

/// One question: by person (the check API) or by the hash of a session's key.
#[derive(Debug, Clone)]
pub struct Question {
    pub person_id: Option<i64>,
    pub session_hash: Option<Vec<u8>>,
    pub master_account_id: i64,
    pub sub_account_id: Option<i64>,
}

/// What the database knows for one question, in the order asked.
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
    /// The master account exists and, when a sub-account was named, it is one of its own.
    #[diesel(sql_type = sql_types::Bool)]
    pub account_found: bool,
    #[diesel(sql_type = sql_types::Bool)]
    pub owner: bool,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Text>)]
    pub role: Option<String>,
    #[diesel(sql_type = sql_types::Nullable<sql_types::BigInt>)]
    pub areas: Option<i64>,
    #[diesel(sql_type = sql_types::Nullable<sql_types::BigInt>)]
    pub restrictions: Option<i64>,
}

/// The moments the statement compares with, all from one clock reading.
#[derive(Debug, Clone, Copy)]
pub struct Moments {
    pub now: DateTime<Utc>,
    /// Sessions created before this are past their absolute limit.
    pub sessions_born_after: DateTime<Utc>,
    /// A live session's idle limit moves out to here...
    pub extend_sessions_to: DateTime<Utc>,
    /// ...when it ends before this: at most one write per session in a few minutes.
    pub extend_sessions_ending_before: DateTime<Utc>,
    /// A person's last activity in an account is written when older than this.
    pub activity_older_than: DateTime<Utc>,
    /// A service token's last use is written when older than this.
    pub token_use_older_than: DateTime<Utc>,
}

impl Moments {
    fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }
}

// A data-modifying WITH runs once whether or not the outer query reads it; each writes only when
// its record is older than its granularity, so a stream of checks writes next to nothing. With a
// service token named ($5) and not live, `q` is empty: nothing is read and nothing written.
const CHECK: &str = "\
WITH q AS ( \
    SELECT * FROM unnest($1::int8[], $2::bytea[], $3::int8[], $4::int8[]) \
        WITH ORDINALITY AS q(person_id, session_hash, master, sub, i) \
    WHERE $5::bytea IS NULL OR EXISTS ( \
        SELECT 1 FROM service_tokens t WHERE t.token_hash = $5 AND t.revoked_at IS NULL) \
), used AS ( \
    UPDATE service_tokens SET last_used_at = $6 \
    WHERE token_hash = $5 AND revoked_at IS NULL \
      AND (last_used_at IS NULL OR last_used_at < $7) \
), live AS ( \
    SELECT q.i, s.key_hash, s.person_id, s.expires_at \
    FROM q JOIN sessions s ON s.key_hash = q.session_hash \
    WHERE s.expires_at > $6 AND s.created_at > $8 AND s.person_id IS NOT NULL \
), extended AS ( \
    UPDATE sessions SET expires_at = $9 \
    WHERE key_hash IN (SELECT key_hash FROM live WHERE expires_at < $10) \
), seen AS ( \
    SELECT q.i, p.id AS person_id, p.email, p.display_name, \
           (a.id IS NOT NULL AND (q.sub IS NULL OR sa.id IS NOT NULL)) AS account_found, \
           COALESCE(a.owner_id = p.id, false) AS owner, \
           g.member_id, g.role, g.areas, g.restrictions \
    FROM q \
    LEFT JOIN live ON live.i = q.i \
    LEFT JOIN people p ON p.id = CASE WHEN q.session_hash IS NULL THEN q.person_id \
                                      ELSE live.person_id END \
    LEFT JOIN accounts a ON a.id = q.master \
    LEFT JOIN sub_accounts sa ON q.sub IS NOT NULL AND sa.id = q.sub \
                             AND sa.master_account_id = a.id \
    LEFT JOIN LATERAL ( \
        SELECT g.member_id, g.role, g.areas, g.restrictions \
        FROM grants g JOIN members m ON m.id = g.member_id \
        WHERE m.person_id = p.id AND m.accepted_at IS NOT NULL \
          AND (m.access_ends_on IS NULL OR m.access_ends_on >= $11) \
          AND g.master_account_id = a.id AND g.sub_account_id IS NOT DISTINCT FROM q.sub \
        LIMIT 1 \
    ) g ON true \
), active AS ( \
    UPDATE members m SET last_activity_at = $6 \
    WHERE m.id IN (SELECT member_id FROM seen) \
      AND (m.last_activity_at IS NULL OR m.last_activity_at < $12) \
) \
SELECT person_id, email, display_name, account_found, owner, role, areas, restrictions \
FROM seen ORDER BY i";

/// Answers every question in one statement, in the order asked; an empty list when
/// `service_token_hash` names no live token.
pub fn check(
    conn: &mut PgConnection,
    service_token_hash: Option<&[u8]>,
    questions: &[Question],
    moments: Moments,
) -> QueryResult<Vec<Answer>> {
    use sql_types::{Array, BigInt, Bytea, Date, Nullable, Timestamptz};
    let persons: Vec<Option<i64>> = questions.iter().map(|q| q.person_id).collect();
    let sessions: Vec<Option<Vec<u8>>> = questions.iter().map(|q| q.session_hash.clone()).collect();
    let masters: Vec<i64> = questions.iter().map(|q| q.master_account_id).collect();
    let subs: Vec<Option<i64>> = questions.iter().map(|q| q.sub_account_id).collect();
    super::Prepared(
        diesel::sql_query(CHECK)
            .bind::<Array<Nullable<BigInt>>, _>(persons)
            .bind::<Array<Nullable<Bytea>>, _>(sessions)
            .bind::<Array<BigInt>, _>(masters)
            .bind::<Array<Nullable<BigInt>>, _>(subs)
            .bind::<Nullable<Bytea>, _>(service_token_hash)
            .bind::<Timestamptz, _>(moments.now)
            .bind::<Timestamptz, _>(moments.token_use_older_than)
            .bind::<Timestamptz, _>(moments.sessions_born_after)
            .bind::<Timestamptz, _>(moments.extend_sessions_to)
            .bind::<Timestamptz, _>(moments.extend_sessions_ending_before)
            .bind::<Date, _>(moments.today())
            .bind::<Timestamptz, _>(moments.activity_older_than),
    )
    .load(conn)
}
