//! Rows of `rate_limits`: how many times something was done in its current window.

use chrono::{DateTime, Utc};
use diesel::{
    prelude::*,
    sql_types::{Array, Bytea, Double, Integer, Nullable, Timestamptz},
};

/// One count to make: the bucket, its window's length, and the address it is about, if any.
pub struct Hit {
    pub bucket: Vec<u8>,
    pub window_seconds: f64,
    pub subject: Option<Vec<u8>>,
}

/// Counts one more time in each bucket and returns, in the order given, each count and when its
/// window ends. A window that has ended starts again at 1. One statement: concurrent counts on a
/// bucket queue on its row, so none is lost, whichever server process makes it; the rows are
/// taken in one order, so two statements counting the same buckets never deadlock.
pub fn hit(
    conn: &mut PgConnection,
    hits: &[Hit],
    now: DateTime<Utc>,
) -> QueryResult<Vec<(i32, DateTime<Utc>)>> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Bytea)]
        bucket: Vec<u8>,
        #[diesel(sql_type = Integer)]
        hits: i32,
        #[diesel(sql_type = Timestamptz)]
        window_end: DateTime<Utc>,
    }
    let rows: Vec<Row> = super::Prepared(
        diesel::sql_query(
            "INSERT INTO rate_limits (bucket, window_end, hits, subject) \
             SELECT bucket, $4 + make_interval(secs => seconds), 1, subject \
             FROM unnest($1::bytea[], $2::float8[], $3::bytea[]) AS t(bucket, seconds, subject) \
             ORDER BY bucket \
             ON CONFLICT (bucket) DO UPDATE SET \
               hits = CASE WHEN rate_limits.window_end <= $4 THEN 1 ELSE rate_limits.hits + 1 END, \
               window_end = CASE WHEN rate_limits.window_end <= $4 \
                            THEN EXCLUDED.window_end ELSE rate_limits.window_end END, \
               subject = EXCLUDED.subject \
             RETURNING bucket, hits, window_end",
        )
        .bind::<Array<Bytea>, _>(hits.iter().map(|hit| &hit.bucket).collect::<Vec<_>>())
        .bind::<Array<Double>, _>(
            hits.iter()
                .map(|hit| hit.window_seconds)
                .collect::<Vec<_>>(),
        )
        .bind::<Array<Nullable<Bytea>>, _>(
            hits.iter()
                .map(|hit| hit.subject.as_ref())
                .collect::<Vec<_>>(),
        )
        .bind::<Timestamptz, _>(now),
    )
    .load(conn)?;
    Ok(hits
        .iter()
        .map(|hit| {
            rows.iter()
                .find(|row| row.bucket == hit.bucket)
                .map_or((0, now), |row| (row.hits, row.window_end))
        })
        .collect())
}

/// Takes back one count from each bucket: a try that turned out not to be what is limited (a
/// correct password, when failures are what counts).
pub fn take_back(conn: &mut PgConnection, buckets: &[Vec<u8>]) -> QueryResult<usize> {
    diesel::sql_query("UPDATE rate_limits SET hits = hits - 1 WHERE bucket = ANY($1) AND hits > 0")
        .bind::<Array<Bytea>, _>(buckets)
        .execute(conn)
}

/// Forgets every count about one address.
pub fn forget_subject(conn: &mut PgConnection, subject: &[u8]) -> QueryResult<usize> {
    diesel::sql_query("DELETE FROM rate_limits WHERE subject = $1")
        .bind::<Bytea, _>(subject)
        .execute(conn)
}

/// Forgets windows that have ended: they only take room.
pub fn delete_ended(conn: &mut PgConnection, now: DateTime<Utc>) -> QueryResult<usize> {
    diesel::sql_query("DELETE FROM rate_limits WHERE window_end <= $1")
        .bind::<Timestamptz, _>(now)
        .execute(conn)
}
