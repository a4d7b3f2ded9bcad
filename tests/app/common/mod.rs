//! Test harness: each test gets its own database, a real server on a free port, a real SMTP
//! sink, and an HTTP client that keeps cookies like a browser.
#![allow(dead_code)]

pub mod log_scan;
pub mod smtp;

use std::{collections::HashMap, sync::Arc};

use account_sharing::{config::Settings, startup::Application};
use diesel::{Connection, PgConnection, RunQueryDsl, sql_types::BigInt};
use reqwest::{Client, Response, StatusCode, redirect::Policy};
use scraper::{Html, Selector};
use smtp::{ReceivedMail, SmtpSink};

pub const PASSWORD: &str = "a long enough passphrase";

/// A database of its own, dropped (connections and all) when the test ends.
pub struct TestDatabase {
    pub name: String,
    pub url: String,
    admin_url: String,
}

impl TestDatabase {
    fn create() -> TestDatabase {
        let admin_url = std::env::var("TEST_DATABASE_URL")
            .expect("TEST_DATABASE_URL is not set: run the tests with `./dev test`, which starts PostgreSQL for them");
        let name = format!(
            "t_{}",
            account_sharing::secrets::random_token()
                .to_lowercase()
                .replace(['-', '_'], "")[..24]
                .to_owned()
        );
        let mut admin = PgConnection::establish(&admin_url).expect("connect to the test cluster");
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .unwrap();
        let (server, _) = admin_url.rsplit_once('/').unwrap();
        TestDatabase {
            url: format!("{server}/{name}"),
            name,
            admin_url,
        }
    }

    /// A database something else made on the test cluster (a restore), dropped like the
    /// test's own when done.
    pub fn adopt(name: &str) -> TestDatabase {
        let admin_url = std::env::var("TEST_DATABASE_URL").unwrap();
        let (server, _) = admin_url.rsplit_once('/').unwrap();
        TestDatabase {
            url: format!("{server}/{name}"),
            name: name.to_owned(),
            admin_url,
        }
    }

    /// Drops the database under the running server, as an outage would.
    pub fn drop_now(&self) {
        let mut admin = PgConnection::establish(&self.admin_url).unwrap();
        diesel::sql_query(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ))
        .execute(&mut admin)
        .unwrap();
    }
}

impl TestDatabase {
    /// Accounts whose usage kept on their row (issue 20), people whose second-factor flag (kept
    /// by triggers, for the gate) and members whose grouped grants (kept by triggers, for the
    /// sharing page) differ from a recount, in one snapshot; none when the database is already
    /// gone.
    fn kept_counts_drift(&self) -> Vec<String> {
        #[derive(diesel::QueryableByName)]
        struct Drift {
            #[diesel(sql_type = diesel::sql_types::Text)]
            line: String,
        }
        let Ok(mut conn) = PgConnection::establish(&self.url) else {
            return Vec::new();
        };
        diesel::sql_query(
            "SELECT format('account %s keeps %s seats and %s advanced, counts %s and %s', \
                    a.id, a.seats_used, a.advanced_used, c.seats, c.advanced) AS line \
             FROM accounts a, LATERAL (SELECT \
                 (SELECT count(*) FROM members m WHERE m.master_account_id = a.id) AS seats, \
                 (SELECT count(DISTINCT g.member_id) FROM grants g WHERE g.master_account_id = a.id \
                  AND g.role IN ('developer', 'marketer', 'designer', 'custom')) AS advanced) c \
             WHERE (a.seats_used, a.advanced_used) <> (c.seats, c.advanced) \
             UNION ALL \
             SELECT format('person %s has_second_factor %s, counts otherwise', \
                    p.id, p.has_second_factor) \
             FROM people p \
             WHERE p.has_second_factor <> (EXISTS (SELECT 1 FROM totp_authenticators t \
                     WHERE t.person_id = p.id AND t.confirmed_at IS NOT NULL) \
                 OR EXISTS (SELECT 1 FROM passkeys k WHERE k.person_id = p.id)) \
             UNION ALL \
             SELECT format('member %s keeps access groups %s, grants say %s', \
                    m.id, m.access_groups, member_access_groups(m.id)) \
             FROM members m \
             WHERE m.access_groups::text <> member_access_groups(m.id)::text",
        )
        .load::<Drift>(&mut conn)
        .map(|rows| rows.into_iter().map(|row| row.line).collect())
        .unwrap_or_else(|error| vec![format!("the recount failed: {error}")])
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        // After every test's flows: what is kept on the account, person and member rows matches a
        // recount.
        let drift = if std::thread::panicking() {
            Vec::new()
        } else {
            self.kept_counts_drift()
        };
        self.drop_now();
        assert!(
            drift.is_empty(),
            "counts kept on the rows drifted from a recount: {drift:?}"
        );
        if !std::thread::panicking() {
            log_scan::assert_no_leaks();
        }
    }
}

#[derive(Clone)]
pub struct TestApp {
    pub base_url: String,
    pub client: Client,
    pub smtp: SmtpSink,
    pub db: Arc<TestDatabase>,
    pub settings: Settings,
}

/// 128 random bytes, base64: a session key of this test's own.
fn session_key() -> String {
    use base64::Engine;
    let key: Vec<u8> = (0..4)
        .flat_map(|_| {
            account_sharing::secrets::token_hash(&account_sharing::secrets::random_token())
        })
        .collect();
    base64::engine::general_purpose::STANDARD.encode(key)
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts the service with test settings, which `configure` may change (add or remove variables).
pub async fn spawn_app_with(configure: impl FnOnce(&mut HashMap<String, String>)) -> TestApp {
    let db = tokio::task::spawn_blocking(TestDatabase::create)
        .await
        .unwrap();
    spawn_app_on(db, configure).await
}

/// The service with test settings on `db`, a database of the test's.
pub async fn spawn_app_on(
    db: TestDatabase,
    configure: impl FnOnce(&mut HashMap<String, String>),
) -> TestApp {
    spawn_app_named(db, "127.0.0.1", configure).await
}

/// The service at `http://localhost:…`: a domain name, which passkeys need (browsers refuse
/// WebAuthn for an IP address), still on loopback.
pub async fn spawn_app_on_localhost(
    configure: impl FnOnce(&mut HashMap<String, String>),
) -> TestApp {
    let db = tokio::task::spawn_blocking(TestDatabase::create)
        .await
        .unwrap();
    spawn_app_named(db, "localhost", configure).await
}

async fn spawn_app_named(
    db: TestDatabase,
    host: &str,
    configure: impl FnOnce(&mut HashMap<String, String>),
) -> TestApp {
    log_scan::install();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{host}:{}", listener.local_addr().unwrap().port());
    let smtp = SmtpSink::start().await;
    let mut vars: HashMap<String, String> = [
        ("APP_ENV", "development".to_owned()),
        ("DATABASE_URL", db.url.clone()),
        ("BASE_URL", base_url.clone()),
        ("SMTP_URL", format!("smtp://127.0.0.1:{}", smtp.port)),
        (
            "MAIL_FROM",
            "Account sharing <no-reply@share.test>".to_owned(),
        ),
        ("SEED_DEMO", "false".to_owned()),
        // As in production: one key, so a second server process reads the first one's cookies.
        ("SESSION_KEY", session_key()),
        ("DATABASE_POOL_SIZE", "4".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    configure(&mut vars);
    let settings = Settings::from_lookup(|name| vars.get(name).cloned()).expect("test settings");
    let app = Application::build_with_listener(settings.clone(), listener)
        .await
        .expect("application starts");
    tokio::spawn(app.run_until_stopped());
    TestApp {
        base_url,
        client: browser(),
        smtp,
        db: Arc::new(db),
        settings,
    }
}

impl TestApp {
    /// A second server process on the same database, as behind a load balancer: its own port,
    /// workers and pool, sharing only PostgreSQL.
    pub async fn second_server(&self) -> TestApp {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base_url = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let app = Application::build_with_listener(self.settings.clone(), listener)
            .await
            .expect("the second server starts");
        tokio::spawn(app.run_until_stopped());
        TestApp {
            base_url,
            client: browser(),
            ..self.clone()
        }
    }
}

/// The service with its SMTP relay down: nothing listens on the returned port until a test starts
/// an `SmtpSink` there.
pub async fn spawn_app_with_relay_down() -> (TestApp, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let app = spawn_app_with(|vars| {
        vars.insert("SMTP_URL".into(), format!("smtp://127.0.0.1:{port}"));
    })
    .await;
    (app, port)
}

/// A port nothing listens on now, for a program a test starts (nginx, HAProxy, a provider…).
/// Taken below the kernel's ephemeral range (32768 and up), where no `:0` bind and no outgoing
/// connection of another test can land on it before the program binds it, and never the same
/// twice in this process. A port the OS gave out from its own range was once taken by a test's
/// SMTP sink in between, and HAProxy's front answered with its greeting.
pub fn free_port() -> u16 {
    use std::sync::atomic::{AtomicU16, Ordering};
    // Each test binary starts somewhere else in the range, so two suites running at once rarely
    // try the same ports.
    static NEXT: AtomicU16 = AtomicU16::new(0);
    let _ = NEXT.compare_exchange(
        0,
        20_000 + (std::process::id() % 600) as u16 * 20,
        Ordering::SeqCst,
        Ordering::SeqCst,
    );
    loop {
        let port = NEXT.fetch_add(1, Ordering::SeqCst);
        let port = if port >= 32_000 {
            NEXT.store(20_001, Ordering::SeqCst);
            20_000
        } else {
            port
        };
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

/// A Debian program a test runs (nginx, HAProxy, Prometheus) in a folder of its own: stopped
/// with SIGTERM when dropped, which ends its workers too (SIGKILL would orphan them), and its
/// folder removed.
pub struct Daemon {
    pub child: std::process::Child,
    pub dir: std::path::PathBuf,
}

impl Drop for Daemon {
    fn drop(&mut self) {
        // SAFETY: kill(2) on our own child's pid.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A client that keeps cookies and does not follow redirects, so tests see every 303.
pub fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .unwrap()
}

pub fn csrf_token(html: &str) -> String {
    let document = Html::parse_document(html);
    let selector = Selector::parse("input[name=csrf_token]").unwrap();
    document
        .select(&selector)
        .next()
        .and_then(|input| input.value().attr("value"))
        .expect("page has a CSRF token")
        .to_owned()
}

/// Texts of the elements matching a CSS selector.
pub fn texts(html: &str, selector: &str) -> Vec<String> {
    let document = Html::parse_document(html);
    let selector = Selector::parse(selector).unwrap();
    document
        .select(&selector)
        .map(|el| {
            el.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

pub fn attribute(html: &str, selector: &str, name: &str) -> Option<String> {
    let document = Html::parse_document(html);
    let selector = Selector::parse(selector).unwrap();
    document
        .select(&selector)
        .next()
        .and_then(|el| el.value().attr(name))
        .map(str::to_owned)
}

pub fn location(response: &Response) -> String {
    response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

#[derive(diesel::QueryableByName)]
struct Scalar {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Every table of the test's database, by name.
fn tables(conn: &mut PgConnection) -> Vec<String> {
    #[derive(diesel::QueryableByName)]
    struct Table {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    diesel::sql_query(
        "SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
    )
    .load::<Table>(conn)
    .unwrap()
    .into_iter()
    .map(|table| table.name)
    .collect()
}

impl TestApp {
    /// Someone else in another browser, on the same server.
    pub fn another_visitor(&self) -> TestApp {
        TestApp {
            client: browser(),
            ..self.clone()
        }
    }

    /// Someone else in another browser whose cookies the test can read from the jar, as the
    /// email platform's back end receives the session cookie.
    pub fn another_visitor_with_jar(&self) -> (TestApp, Arc<reqwest::cookie::Jar>) {
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let visitor = TestApp {
            client: Client::builder()
                .cookie_provider(jar.clone())
                .redirect(Policy::none())
                .build()
                .unwrap(),
            ..self.clone()
        };
        (visitor, jar)
    }

    /// The value of the cookie `name` this site set in `jar`, as the browser sends it.
    pub fn cookie_in(&self, jar: &reqwest::cookie::Jar, name: &str) -> Option<String> {
        use reqwest::cookie::CookieStore;
        let cookies = jar.cookies(&self.base_url.parse().unwrap())?;
        cookies
            .to_str()
            .unwrap()
            .split("; ")
            .find_map(|pair| pair.strip_prefix(&format!("{name}=")).map(str::to_owned))
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn get_html(&self, path: &str) -> (StatusCode, String) {
        let response = self.get(path).await;
        (response.status(), response.text().await.unwrap())
    }

    /// Posts exactly these fields, nothing added.
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.client
            .post(self.url(path))
            .form(fields)
            .send()
            .await
            .unwrap()
    }

    /// What a person does: opens `page`, fills in `fields` and sends the form to `action` with the
    /// page's CSRF token.
    pub async fn submit(&self, page: &str, action: &str, fields: &[(&str, &str)]) -> Response {
        let (_, html) = self.get_html(page).await;
        let token = csrf_token(&html);
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(action, &all).await
    }

    pub async fn sign_up(&self, email: &str, name: &str, password: &str, plan: &str) -> Response {
        self.submit(
            "/sign-up",
            "/sign-up",
            &[
                ("email", email),
                ("name", name),
                ("password", password),
                ("plan", plan),
            ],
        )
        .await
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> Response {
        self.submit(
            "/sign-in",
            "/sign-in",
            &[("email", email), ("password", password)],
        )
        .await
    }

    /// Follows a link from a mail (GET), then presses the page's button (POST).
    pub async fn verify_with_link(&self, link: &str) -> Response {
        let response = self.client.get(link).send().await.unwrap();
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "the link redirects to a clean URL"
        );
        self.submit("/verify-email", "/verify-email", &[]).await
    }

    /// Signs up and verifies the address from the mail, which signs in: an owner ready to work.
    pub async fn owner(&self, email: &str, plan: &str) {
        let before = self.smtp.received().len();
        assert_eq!(
            self.sign_up(email, "Olive Owner", PASSWORD, plan)
                .await
                .status(),
            StatusCode::OK
        );
        // The mail to this address: another test step's mail may arrive in between.
        let mail = loop {
            let received = self.smtp.wait_for(before + 1).await;
            if let Some(mail) = received[before..]
                .iter()
                .rev()
                .find(|mail| mail.envelope_to.iter().any(|to| to == email))
            {
                break mail.clone();
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        };
        let verified = self
            .verify_with_link(&mail.link_starting(&self.base_url).unwrap())
            .await;
        assert_eq!(location(&verified), "/accounts", "verifying signs in");
    }

    /// How forms name the master account owned by `email`.
    pub fn master_of(&self, email: &str) -> String {
        self.scalar(&format!(
            "SELECT a.id FROM accounts a JOIN people p ON p.id = a.owner_id WHERE p.email = '{email}'"
        ))
        .to_string()
    }

    /// How forms name the sub-account called `name` (`master:sub`).
    pub fn sub_account_value(&self, name: &str) -> String {
        let master = self.scalar(&format!(
            "SELECT master_account_id FROM sub_accounts WHERE name = '{name}'"
        ));
        let id = self.scalar(&format!(
            "SELECT id FROM sub_accounts WHERE name = '{name}'"
        ));
        format!("{master}:{id}")
    }

    /// Waits until the outbox has sent all it holds: mail a step queued (an acceptance tells the
    /// owner) is then no longer changing rows while a test compares the database.
    pub async fn outbox_settled(&self) {
        for _ in 0..400 {
            if self.scalar("SELECT count(*) FROM outbox WHERE status = 'pending'") == 0 {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("the outbox did not empty");
    }

    pub async fn mails_to(&self, address: &str, count: usize) -> Vec<ReceivedMail> {
        for _ in 0..200 {
            let mails: Vec<_> = self
                .smtp
                .received()
                .into_iter()
                .filter(|m| m.envelope_to.iter().any(|to| to == address))
                .collect();
            if mails.len() >= count {
                return mails;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("expected {count} messages to {address}");
    }

    pub fn connection(&self) -> PgConnection {
        PgConnection::establish(&self.db.url).expect("connect to the test database")
    }

    /// The value of a query that returns one integer, e.g. `SELECT count(*) FROM people`.
    pub fn scalar(&self, sql: &str) -> i64 {
        diesel::sql_query(format!("SELECT ({sql})::bigint AS n"))
            .get_result::<Scalar>(&mut self.connection())
            .unwrap()
            .n
    }

    /// Statements the service ran in this test's database, leaving out the mail and webhook
    /// workers' and the scheduler's: their polls, claims and sweeps, and what sending a queued
    /// mail does (minting a link, marking it sent), which happen when the worker gets to them.
    pub fn statements_so_far(&self) -> i64 {
        self.scalar(
            "SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements \
             WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) \
             AND query NOT ILIKE '%SKIP LOCKED%' AND query NOT ILIKE 'UPDATE \"outbox\"%' \
             AND query NOT ILIKE 'UPDATE \"webhook_deliveries\"%' \
             AND query NOT ILIKE '%\"access_ends_on\" < $%' \
             AND query NOT ILIKE '%pg_stat_statements%' \
             AND query NOT ILIKE 'UPDATE \"person_links\" SET \"token_hash\"%' \
             AND query NOT ILIKE 'UPDATE \"members\" SET \"token_hash\"%' \
             AND query NOT IN ('BEGIN', 'COMMIT', 'ROLLBACK') AND query NOT ILIKE 'SET %'",
        )
    }

    pub fn execute(&self, sql: &str) -> usize {
        diesel::sql_query(sql)
            .execute(&mut self.connection())
            .unwrap()
    }

    /// Deletes members behind the service's back (`condition` is SQL, or "true"), and recounts
    /// the usage the account rows keep, as the service does with every change of its own.
    pub fn delete_members_where(&self, condition: &str) -> usize {
        let deleted = self.execute(&format!("DELETE FROM members WHERE {condition}"));
        self.execute(
            "UPDATE accounts a SET \
                seats_used = (SELECT count(*) FROM members m WHERE m.master_account_id = a.id), \
                advanced_used = (SELECT count(DISTINCT g.member_id) FROM grants g \
                    WHERE g.master_account_id = a.id \
                      AND g.role IN ('developer', 'marketer', 'designer', 'custom'))",
        );
        deleted
    }

    /// Whether any row of any table holds `needle` in any column (checked as text).
    pub fn database_contains(&self, needle: &str) -> bool {
        let mut conn = self.connection();
        tables(&mut conn).iter().any(|table| {
            let sql = format!(
                "SELECT count(*)::bigint AS n FROM {table} t WHERE t::text LIKE '%' || $1 || '%' OR encode(convert_to(t::text, 'UTF8'), 'escape') LIKE '%' || $1 || '%'"
            );
            diesel::sql_query(sql).bind::<diesel::sql_types::Text, _>(needle).get_result::<Scalar>(&mut conn).unwrap().n > 0
        })
    }

    /// What every table holds: its row count, and a digest of its rows, so a request that
    /// changes nothing can be told from one that inserts, updates or deletes anywhere, sessions
    /// included (their idle limit moves at most once a minute).
    pub fn database_fingerprint(&self) -> Vec<(String, i64, String)> {
        #[derive(diesel::QueryableByName)]
        struct Table {
            #[diesel(sql_type = diesel::sql_types::Text)]
            name: String,
            #[diesel(sql_type = BigInt)]
            rows: i64,
            #[diesel(sql_type = diesel::sql_types::Text)]
            digest: String,
        }
        let mut conn = self.connection();
        let tables = tables(&mut conn);
        assert!(tables.len() >= 10, "every table of the schema: {tables:?}");
        tables
            .iter()
            .map(|name| {
                let sql = format!(
                    "SELECT '{name}' AS name, count(*)::bigint AS rows, coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') AS digest FROM {name} t"
                );
                let table = diesel::sql_query(sql).get_result::<Table>(&mut conn).unwrap();
                (table.name, table.rows, table.digest)
            })
            .collect()
    }

    /// Fails naming the tables whose rows differ from `before` (a `database_fingerprint`).
    #[track_caller]
    pub fn assert_unchanged_since(&self, before: &[(String, i64, String)], what: &str) {
        let after = self.database_fingerprint();
        let changed: Vec<_> = before
            .iter()
            .zip(&after)
            .filter(|(was, is)| was != is)
            .map(|(was, is)| format!("{}: {} rows, now {}", was.0, was.1, is.1))
            .collect();
        assert!(changed.is_empty(), "{what}: changed {changed:?}");
    }

    /// Adds an owner at real scale (SPEC S13) through the service layer, as `./dev seed` does.
    pub async fn seed(&self, shape: &account_sharing::services::seed::Shape) {
        let mut settings = self.settings.clone();
        account_sharing::services::seed::allow_seeding(&mut settings);
        let state = account_sharing::startup::state_without_server(settings)
            .await
            .expect("the test database");
        let seeded = account_sharing::services::seed::seed(&state, shape)
            .await
            .expect("seeding");
        assert!(seeded.created);
    }

    /// Runs the outbox's due messages now instead of waiting for a retry time to come.
    pub fn make_outbox_due(&self) {
        self.execute("UPDATE outbox SET next_attempt_at = now() WHERE status = 'pending'");
    }
}

/// What came of requests raced against each other.
pub struct Raced<T> {
    /// Each request's result, in the order given.
    pub results: Vec<T>,
    /// Whether every request was in flight at one moment: the last to leave left before the
    /// first came back. Otherwise they ran one after another, and raced nothing.
    pub together: bool,
    /// How long each took, in the order given.
    pub latencies: Vec<std::time::Duration>,
}

pub type Request<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send>>;

/// Sends `requests` together: each waits at a barrier until all are ready, then leaves.
pub async fn at_once<T: Send + 'static>(requests: Vec<Request<T>>) -> Raced<T> {
    let barrier = Arc::new(tokio::sync::Barrier::new(requests.len()));
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|request| {
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                let left = std::time::Instant::now();
                let result = request.await;
                (result, left, std::time::Instant::now())
            })
        })
        .collect();
    let mut timed = Vec::new();
    for task in tasks {
        timed.push(task.await.unwrap());
    }
    let last_left = timed.iter().map(|(_, left, _)| *left).max().unwrap();
    let first_back = timed.iter().map(|(_, _, back)| *back).min().unwrap();
    Raced {
        together: last_left < first_back,
        latencies: timed.iter().map(|(_, left, back)| *back - *left).collect(),
        results: timed.into_iter().map(|(result, ..)| result).collect(),
    }
}

pub fn percentile(samples: &mut [std::time::Duration], p: f64) -> std::time::Duration {
    samples.sort();
    samples[((samples.len() - 1) as f64 * p).round() as usize]
}
