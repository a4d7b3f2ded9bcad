//! Thin diesel layer: connection pool, embedded migrations, row structs and queries. No rules.

pub mod accounts;
pub mod audit;
pub mod gate;
pub mod members;
pub mod outbox;
pub mod ownership;
pub mod passkeys;
pub mod people;
pub mod person_links;
pub mod personal_tokens;
pub mod rate_limits;
pub mod schema;
pub mod scim;
pub mod service_tokens;
pub mod sessions;
pub mod sso;
pub mod sub_accounts;
pub mod two_factor;
pub mod verifications;
pub mod webhooks;

use std::{sync::Arc, time::Duration};

use tokio::sync::Semaphore;

use diesel::{
    PgConnection, QueryResult,
    pg::Pg,
    query_builder::{AstPass, Query, QueryFragment, QueryId},
    query_dsl::RunQueryDsl,
    r2d2::{ConnectionManager, Pool},
};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::{AppError, AppResult};

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

pub type PgPool = Pool<ConnectionManager<PgConnection>>;

/// Opens the pool. A dead connection fails one request instead of costing a `SELECT 1` on every
/// checkout (STACK.md measured 30% of throughput); r2d2 replaces broken connections itself.
/// Without `prepared_statements`, each statement goes as an unnamed one, as PgBouncer in
/// transaction mode needs.
pub fn connect(
    database_url: &str,
    size: u32,
    prepared_statements: bool,
) -> Result<PgPool, r2d2::Error> {
    Pool::builder()
        .max_size(size)
        .test_on_check_out(false)
        .connection_timeout(Duration::from_secs(5))
        .connection_customizer(Box::new(NewConnection {
            prepared_statements,
        }))
        .build(ConnectionManager::new(database_url))
}

/// What each new connection is set up with, once.
#[derive(Debug)]
struct NewConnection {
    prepared_statements: bool,
}

impl r2d2::CustomizeConnection<PgConnection, diesel::r2d2::Error> for NewConnection {
    fn on_acquire(&self, conn: &mut PgConnection) -> Result<(), diesel::r2d2::Error> {
        use diesel::connection::{CacheSize, Connection, SimpleConnection};
        if !self.prepared_statements {
            conn.set_prepared_statement_cache_size(CacheSize::Disabled);
            return Ok(());
        }
        // A prepared statement is planned once, for any parameters. Left to choose, PostgreSQL
        // planned the sharing page's statement afresh on every request, 0.3 to 1 ms each time,
        // because its first custom plans looked cheaper than the generic one (README.md,
        // "Performance"). The statements are written so their generic plans hold for every
        // owner's size.
        conn.batch_execute("SET plan_cache_mode = force_generic_plan")
            .map_err(diesel::r2d2::Error::QueryError)
    }
}

/// A hand-written statement kept in the connection's prepared statement cache, so PostgreSQL
/// parses and plans it once per connection instead of on every request (the sharing page's
/// statement takes 2 ms to plan). Diesel never caches `sql_query`, because its text could be
/// built at run time: wrap only a text made of constants (a `const`, or one of a few texts joined
/// from `const` pieces), whose values all go as bind parameters.
/// With DATABASE_PREPARED_STATEMENTS=false the cache is off, and this runs unnamed like the rest.
#[derive(Debug, Clone, Copy)]
pub struct Prepared<Q>(pub Q);

impl<Q: QueryFragment<Pg>> QueryFragment<Pg> for Prepared<Q> {
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.0.walk_ast(pass)
    }

    fn is_safe_to_cache_prepared(&self, _backend: &Pg) -> QueryResult<bool> {
        Ok(true)
    }
}

impl<Q: Query> Query for Prepared<Q> {
    type SqlType = Q::SqlType;
}

/// Cached by its text and bind types, as diesel does for any query without a static id.
impl<Q> QueryId for Prepared<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q, Conn> RunQueryDsl<Conn> for Prepared<Q> {}

/// Rows a statement read as JSON (`json_agg`), to have two lists in one round trip.
pub fn from_json<T: serde::de::DeserializeOwned>(json: &str) -> QueryResult<T> {
    serde_json::from_str(json).map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))
}

/// `%text%` for ILIKE, with the pattern's own characters escaped: what a person typed is looked
/// for as typed, anywhere in the value.
pub fn like_pattern(text: &str) -> String {
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

pub fn run_migrations(pool: &PgPool) -> anyhow::Result<()> {
    let mut conn = pool.get()?;
    conn.run_pending_migrations(MIGRATIONS)
        .map_err(|e| anyhow::anyhow!("migrations failed: {e}"))?;
    Ok(())
}

/// A connection whose server went away would fail the next request too: marked broken, the
/// pool drops it instead of lending it again, and opens a new one (to the new primary).
fn discard_if_lost<T>(conn: &mut PgConnection, result: &AppResult<T>) {
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    if let Err(AppError::Unavailable(_)) = result {
        AnsiTransactionManager::transaction_manager_status_mut(conn).set_in_error();
    }
}

/// Runs diesel code on the blocking thread pool with one pooled connection, which is returned
/// before the future completes: no connection is ever held across an `.await`.
///
/// Work waits for a free connection here, as a task, rather than on a blocking thread: otherwise
/// 64 concurrent requests start 64 threads that mostly sleep in the pool's queue, each costing
/// memory (glibc gives each its own malloc arena) and a context switch.
#[derive(Clone)]
pub struct Db {
    pool: PgPool,
    connections: Arc<Semaphore>,
    /// How long work waited for a connection (`/metrics`).
    pool_wait: prometheus::Histogram,
}

impl Db {
    pub fn new(pool: PgPool) -> Self {
        let connections = Arc::new(Semaphore::new(pool.max_size() as usize));
        Db {
            pool,
            connections,
            pool_wait: crate::metrics::pool_wait_histogram(),
        }
    }

    pub fn pool_wait(&self) -> &prometheus::Histogram {
        &self.pool_wait
    }

    /// The connections the pool holds, and how many of them are idle.
    pub fn pool_state(&self) -> (u32, u32) {
        let state = self.pool.state();
        (state.connections, state.idle_connections)
    }

    pub async fn run<T, F>(&self, work: F) -> AppResult<T>
    where
        F: FnOnce(&mut PgConnection) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        let waiting = self.pool_wait.start_timer();
        let _turn = self.connections.acquire().await;
        actix_web::web::block(move || {
            let mut conn = pool.get()?;
            waiting.observe_duration();
            let result = work(&mut conn);
            discard_if_lost(&mut conn, &result);
            result
        })
        .await?
    }

    /// Runs a read on the calling thread when a connection is free at once, else as [`Db::run`]
    /// does. For the reads of the gate, of the session and of the pages, which take no lock and
    /// so finish in a few milliseconds at most: the hop to the blocking pool and back (two
    /// thread wake-ups) cost more than such a read. Forward auth went from 0.57x to 0.62x the
    /// reference (105 to 85 µs of server CPU per check); the sharing page of 20 x 15 from 2,410
    /// to 2,600 requests per second. Never waiting here for a connection keeps a worker thread
    /// from sleeping in the pool's queue while requests pile up behind it. Writes stay on the
    /// blocking pool: one waiting on a row lock would stall every request of its worker.
    pub async fn read<T, F>(&self, work: F) -> AppResult<T>
    where
        F: FnOnce(&mut PgConnection) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        if let Ok(_turn) = self.connections.try_acquire()
            && let Some(mut conn) = self.pool.try_get()
        {
            self.pool_wait.observe(0.0);
            let result = work(&mut conn);
            discard_if_lost(&mut conn, &result);
            return result;
        }
        self.run(work).await
    }

    /// One use case, one transaction: everything `work` writes commits together or not at all.
    pub async fn transaction<T, F>(&self, work: F) -> AppResult<T>
    where
        F: FnOnce(&mut PgConnection) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        self.run(|conn| diesel::Connection::transaction::<T, AppError, _>(conn, work))
            .await
    }

    /// For /health: a short wait, so a dead database answers 503 quickly instead of hanging.
    pub async fn ping(&self) -> bool {
        use diesel::RunQueryDsl;
        self.probe(|conn| diesel::sql_query("SELECT 1").execute(conn).is_ok())
            .await
    }

    /// For /health/ready: the database answers, and every migration this build carries has
    /// been applied to it (a process of a newer build waits for its migrations).
    pub async fn ready(&self) -> bool {
        self.probe(|conn| matches!(conn.has_pending_migration(MIGRATIONS), Ok(false)))
            .await
    }

    /// `check` on a connection, with a short wait for one: false when none comes.
    async fn probe(&self, check: fn(&mut PgConnection) -> bool) -> bool {
        const PATIENCE: Duration = Duration::from_secs(2);
        let pool = self.pool.clone();
        let Ok(_turn) = tokio::time::timeout(PATIENCE, self.connections.acquire()).await else {
            return false;
        };
        actix_web::web::block(move || {
            let mut conn = pool.get_timeout(PATIENCE).ok()?;
            Some(check(&mut conn))
        })
        .await
        .ok()
        .flatten()
        .unwrap_or(false)
    }
}
