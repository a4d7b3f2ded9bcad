//! More than one server: two real server processes (the built binary, run twice) on one
//! database, driven over HTTP as a load balancer would spread one person's requests.

use std::{process::Stdio, time::Duration};

use reqwest::StatusCode;

use crate::{
    common::{
        PASSWORD, Request, TestApp, at_once, csrf_token, free_port, smtp::SmtpSink, spawn_app_with,
        texts,
    },
    sharing::{invitation_link, invite_manager, open_link},
};

/// A server process of the built binary, stopped when dropped.
pub struct Process {
    pub child: tokio::process::Child,
    pub base_url: String,
}

/// Starts the binary with the test app's settings (same database, relay, session key), on a
/// port of its own.
async fn start_process(app: &TestApp, smtp_port: u16) -> Process {
    start_process_with(app, smtp_port, free_port(), &[], Stdio::null()).await
}

/// The binary on `port`, with `env` added to the test app's settings and its log to `log`.
pub async fn start_process_with(
    app: &TestApp,
    smtp_port: u16,
    port: u16,
    env: &[(&str, &str)],
    log: Stdio,
) -> Process {
    use base64::Engine;
    let key = base64::engine::general_purpose::STANDARD.encode(
        app.settings
            .session_key
            .as_ref()
            .expect("the tests set a key"),
    );
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_account-sharing"));
    command
        .env_clear()
        .env("APP_ENV", "development")
        .env("SEED_DEMO", "false")
        .env("DATABASE_URL", &app.db.url)
        .env("DATABASE_POOL_SIZE", "4")
        .env("BIND_ADDRESS", format!("127.0.0.1:{port}"))
        .env("BASE_URL", &app.base_url)
        .env("SMTP_URL", format!("smtp://127.0.0.1:{smtp_port}"))
        .env("MAIL_FROM", "Account sharing <no-reply@share.test>")
        .env("SESSION_KEY", key)
        .env("RATE_SIGN_UP_PER_IP", "1000/1h")
        .env("RATE_INVITATIONS_PER_OWNER", "100000/1d")
        .env("RUST_LOG", "warn")
        .envs(env.iter().copied())
        .stdout(log)
        .stderr(Stdio::null())
        .kill_on_drop(true);
    let child = command.spawn().expect("the server binary starts");
    let base_url = format!("http://127.0.0.1:{port}");
    for _ in 0..200 {
        if let Ok(response) = reqwest::get(format!("{base_url}/health")).await
            && response.status() == StatusCode::OK
        {
            return Process { child, base_url };
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server process did not answer /health");
}

impl Process {
    /// SIGTERM, as systemd or an orchestrator stops it; the exit status once it has exited.
    pub async fn terminate(self) -> std::process::ExitStatus {
        let pid = self.child.id().expect("still running") as i32;
        // SAFETY: kill(2) on our own child's pid.
        unsafe {
            libc::kill(pid, libc::SIGTERM);
        }
        self.exited().await
    }

    /// The exit status, once the process has exited on its own.
    pub async fn exited(mut self) -> std::process::ExitStatus {
        tokio::time::timeout(Duration::from_secs(30), self.child.wait())
            .await
            .expect("the process exits within its shutdown time")
            .unwrap()
    }
}

/// `visitor` talking to `base_url` instead of the in-process server: same cookies.
pub fn through_url(visitor: &TestApp, base_url: &str) -> TestApp {
    TestApp {
        base_url: base_url.to_owned(),
        ..visitor.clone()
    }
}

/// `visitor` talking to `process` instead of the in-process server: same cookies.
fn through(visitor: &TestApp, process: &Process) -> TestApp {
    through_url(visitor, &process.base_url)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_server_processes_share_sessions_limits_mail_and_access() {
    // The in-process server prepares the database and reads it for the test. Its outbox worker
    // shares the queue with the two processes' and the same relay: three workers in all.
    let relay = SmtpSink::start().await;
    let app = spawn_app_with(|vars| {
        vars.insert(
            "SMTP_URL".into(),
            format!("smtp://127.0.0.1:{}", relay.port),
        );
    })
    .await;
    let (one, two) = (
        start_process(&app, relay.port).await,
        start_process(&app, relay.port).await,
    );
    let owner = through(&app, &one);
    owner
        .sign_up("olive@example.com", "Olive", PASSWORD, "crystal-premium")
        .await;
    let verification = relay.wait_for(1).await.pop().unwrap();
    owner
        .verify_with_link(
            &verification
                .link_starting(&app.base_url)
                .unwrap()
                .replace(&app.base_url, &one.base_url),
        )
        .await;

    // A session made on one process continues on the other.
    let (status, page) = through(&owner, &two).get_html("/account").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&page, "h1"), ["My account"]);

    // 50 invitations at once for the last seat, half to each process: exactly one gets in.
    for i in 0..4 {
        invite_manager(&through(&owner, &one), &format!("seat{i}@example.com")).await;
    }
    let token = csrf_token(&through(&owner, &two).get_html("/sharing").await.1);
    let master = app.master_of("olive@example.com");
    let requests: Vec<Request<StatusCode>> = (0..50)
        .map(|i| {
            let process = if i % 2 == 0 { &one } else { &two };
            let (client, url) = (
                owner.client.clone(),
                format!("{}/sharing/invite", process.base_url),
            );
            let fields = vec![
                ("csrf_token", token.clone()),
                ("email", format!("race{i}@example.com")),
                ("account_0", master.clone()),
                ("role_0", "manager".to_owned()),
                ("action", "send".to_owned()),
            ];
            Box::pin(async move {
                client
                    .post(url)
                    .form(&fields)
                    .send()
                    .await
                    .unwrap()
                    .status()
            }) as Request<StatusCode>
        })
        .collect();
    let raced = at_once(requests).await;
    let admitted = raced
        .results
        .iter()
        .filter(|status| **status == StatusCode::SEE_OTHER)
        .count();
    assert_eq!(admitted, 1, "{:?}", raced.results);
    assert!(raced.results.iter().all(|status| !status.is_server_error()));
    assert_eq!(app.scalar("SELECT count(*) FROM members"), 5);

    // With a slow relay, the workers share the queue and send each message once.
    relay.slow_down(Duration::from_millis(150));
    let before = relay.received().len();
    for i in 0..12 {
        let visitor = through(&app.another_visitor(), if i % 2 == 0 { &one } else { &two });
        visitor
            .sign_up(&format!("new{i}@example.com"), "New", PASSWORD, "free")
            .await;
    }
    let received = relay.wait_for(before + 12).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let received = if relay.received().len() > received.len() {
        relay.received()
    } else {
        received
    };
    for i in 0..12 {
        let address = format!("new{i}@example.com");
        let copies = received
            .iter()
            .filter(|mail| mail.envelope_to.contains(&address))
            .count();
        assert_eq!(copies, 1, "{address}");
    }

    // Delete access on one process: the person's next request on the other sees it.
    relay.slow_down(Duration::ZERO);
    // Mail to the processes' relay, read as the tests read mail.
    let mail = TestApp {
        smtp: relay.clone(),
        ..app.clone()
    };
    let seat = invitation_link(&mail, "seat0@example.com", 1)
        .await
        .replace(&app.base_url, &two.base_url);
    let person = through(&app.another_visitor(), &two);
    open_link(&person, &seat).await;
    let response = person
        .submit(
            "/invitations/accept",
            "/invitations/accept/new-login",
            &[("name", "Seat"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let home = format!("/accounts/{master}");
    assert_eq!(person.get(&home).await.status(), StatusCode::OK);
    let id = app.scalar("SELECT id FROM members WHERE email = 'seat0@example.com'");
    let response = through(&owner, &one)
        .submit(
            &format!("/sharing/people/{id}/delete"),
            &format!("/sharing/people/{id}/delete"),
            &[],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(person.get(&home).await.status(), StatusCode::NOT_FOUND);
    println!(
        "Two server processes: a session made on one continued on the other; 50 invitations at once for the last seat, 25 to each, 1 admitted; 12 mails through a relay taking 150 ms each, with three workers on the queue, each sent once; a deletion on one seen by the next request on the other"
    );
}

/// The service behind PgBouncer in transaction mode, as `./dev test` starts it: each transaction
/// may land on another server connection, so no prepared statement can be kept.
async fn app_behind_pgbouncer() -> TestApp {
    let bouncer = std::env::var("TEST_PGBOUNCER_URL").expect(
        "TEST_PGBOUNCER_URL is not set: run the tests with `./dev test`, which starts PgBouncer",
    );
    spawn_app_with(move |vars| {
        let direct = vars["DATABASE_URL"].clone();
        let (_, database) = direct.rsplit_once('/').unwrap();
        vars.insert("DATABASE_URL".into(), format!("{bouncer}/{database}"));
        vars.insert("DATABASE_PREPARED_STATEMENTS".into(), "false".into());
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sharing_works_end_to_end_behind_pgbouncer_in_transaction_mode() {
    let app = app_behind_pgbouncer().await;
    assert!(
        app.settings
            .database_url
            .contains(&std::env::var("TEST_PGBOUNCER_URL").unwrap())
    );
    // Sign up and verify, invite, accept with a new login, edit, delete.
    app.owner("pat@example.com", "gold-premium").await;
    let master = app.master_of("pat@example.com");
    invite_manager(&app, "quinn@example.com").await;
    let link = invitation_link(&app, "quinn@example.com", 1).await;
    let person = app.another_visitor();
    let (status, _) = open_link(&person, &link).await;
    assert_eq!(status, StatusCode::OK);
    let response = person
        .submit(
            "/invitations/accept",
            "/invitations/accept/new-login",
            &[("name", "Quinn"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let home = format!("/accounts/{master}");
    assert_eq!(person.get(&home).await.status(), StatusCode::OK);
    let id = app.scalar("SELECT id FROM members");
    let edit = format!("/sharing/people/{id}/edit");
    let response = app
        .submit(
            &edit,
            &edit,
            &[
                ("account_0", &master),
                ("role_0", "accountant"),
                ("action", "send"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.scalar("SELECT count(*) FROM grants WHERE role = 'accountant'"),
        1
    );
    let delete = format!("/sharing/people/{id}/delete");
    let response = app.submit(&delete, &delete, &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(person.get(&home).await.status(), StatusCode::NOT_FOUND);
    // Pages keep working through it: every statement went as an unnamed one.
    let (status, _) = app.get_html("/sharing").await;
    assert_eq!(status, StatusCode::OK);
}
