//! Rows of `rate_limits`: how many times something was done in its current window.

use chrono::{DateTime, Utc};
use diesel::{
    prelude::*,
    sql_types::{Bytea, Double, Integer, Timestamptz},
};

#[derive(QueryableByName)]
struct Counted {
    #[diesel(sql_type = Integer)]
    hits: i32,
    #[diesel(sql_type = Timestamptz)]
    window_end: DateTime<Utc>,
}

/// Counts one more time in `bucket` and returns the count and when its window ends. A window
/// that has ended starts again at 1. One statement: concurrent counts on one bucket queue on
/// its row, so none is lost, whichever server process makes it.
pub fn hit(
    conn: &mut PgConnection,
    bucket: &[u8],
    window_seconds: f64,
) -> QueryResult<(i32, DateTime<Utc>)> {
    let counted: Counted = super::Prepared(
        diesel::sql_query(
            "INSERT INTO rate_limits (bucket, window_end, hits) \
         VALUES ($1, now() + make_interval(secs => $2), 1) \
         ON CONFLICT (bucket) DO UPDATE SET \
           hits = CASE WHEN rate_limits.window_end <= now() THEN 1 ELSE rate_limits.hits + 1 END, \
           window_end = CASE WHEN rate_limits.window_end <= now() \
                        THEN EXCLUDED.window_end ELSE rate_limits.window_end END \
         RETURNING hits, window_end",
        )
        .bind::<Bytea, _>(bucket)
        .bind::<Double, _>(window_seconds),
    )
    .get_result(conn)?;
    Ok((counted.hits, counted.window_end))
}

/// Forgets windows that have ended: they only take room.
pub fn delete_ended(conn: &mut PgConnection) -> QueryResult<usize> {
    diesel::sql_query("DELETE FROM rate_limits WHERE window_end <= now()").execute(conn)
}
