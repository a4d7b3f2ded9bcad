//! The failover drill (issue 21), run by `./dev drill failover` against the cluster of
//! `./dev cluster`: Patroni, etcd, two PostgreSQL nodes with synchronous replication, HAProxy in
//! front. Two server processes invite, accept and edit while the primary is killed with
//! SIGKILL, Patroni and all, as a dying machine goes. Afterwards every request that was answered
//! as done is in the database, and every invitation was mailed exactly once.

use std::{
    process::Stdio,
    sync::Arc,
    time::{Duration, Instant},
};

use reqwest::StatusCode;
use tokio::sync::Mutex;

use crate::{
    common::{PASSWORD, TestApp, attribute, free_port, smtp::SmtpSink, spawn_app_with},
    processes::{Process, start_process_with, through_url},
    sharing::{invitation_link, invite_manager, open_link, own_master},
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Invite,
    Accept,
    Edit,
}

#[derive(Debug)]
struct Done {
    kind: Kind,
    email: String,
    status: StatusCode,
}

/// The node Patroni calls the primary now: its REST port answers 200 on /primary.
async fn primary(dir: &str) -> Option<(usize, u32)> {
    for node in 1..=2 {
        let config = std::fs::read_to_string(format!("{dir}/node{node}.yml")).ok()?;
        let api = config
            .lines()
            .find_map(|line| line.trim().strip_prefix("listen: 127.0.0.1:"))?
            .to_owned();
        let answered = reqwest::get(format!("http://127.0.0.1:{api}/primary")).await;
        if answered.is_ok_and(|r| r.status() == StatusCode::OK) {
            let patroni: u32 = std::fs::read_to_string(format!("{dir}/node{node}.pid"))
                .ok()?
                .trim()
                .parse()
                .ok()?;
            return Some((node, patroni));
        }
    }
    None
}

/// SIGKILL to the node's Patroni, its postmaster and every backend: nothing gets to say goodbye.
fn kill_node(dir: &str, node: usize, patroni: u32) {
    let postmaster: i32 = std::fs::read_to_string(format!("{dir}/node{node}/data/postmaster.pid"))
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    // SAFETY: kill(2) on processes this drill's cluster started.
    unsafe {
        libc::kill(patroni as i32, libc::SIGKILL);
        libc::kill(postmaster, libc::SIGKILL);
    }
    let _ = std::process::Command::new("pkill")
        .args(["-9", "-P", &postmaster.to_string()])
        .status();
}

/// Whether a read-write connection through HAProxy works now.
fn primary_answers(url: &str) -> bool {
    use diesel::{Connection, PgConnection, RunQueryDsl};
    let Ok(mut conn) = PgConnection::establish(&format!("{url}?connect_timeout=1")) else {
        return false;
    };
    diesel::sql_query("CREATE TEMP TABLE drill_probe (x int)")
        .execute(&mut conn)
        .is_ok()
}

/// A person filling in a form during the failover: the page may itself be a 503, which is then
/// what they get. Otherwise the form's answer.
async fn attempt(
    visitor: &TestApp,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let (status, html) = visitor.get_html(page).await;
    let Some(token) = attribute(&html, "form[method=post] input[name=csrf_token]", "value")
        .filter(|_| status == StatusCode::OK)
    else {
        return (status, html);
    };
    let mut all = vec![("csrf_token", token.as_str())];
    all.extend_from_slice(fields);
    let response = visitor.post_raw(action, &all).await;
    if response.status() == StatusCode::SEE_OTHER
        && crate::common::location(&response).starts_with("/sign-in")
    {
        // The failover taken for a sign-out: the form is lost. Never acceptable.
        panic!("{action} answered with a redirect to sign in");
    }
    (response.status(), response.text().await.unwrap())
}

async fn invite(owner: &TestApp, email: &str, master: &str) -> StatusCode {
    let fields = [
        ("email", email),
        ("account_0", master),
        ("role_0", "manager"),
        ("action", "send"),
    ];
    attempt(owner, "/sharing/invite", "/sharing/invite", &fields)
        .await
        .0
}

async fn edit_to_accountant(owner: &TestApp, id: i64, master: &str) -> StatusCode {
    let path = format!("/sharing/people/{id}/edit");
    let fields = [
        ("account_0", master),
        ("role_0", "accountant"),
        ("action", "send"),
    ];
    let (status, html) = attempt(owner, &path, &path, &fields).await;
    // A check step: confirm it, as the owner would.
    let confirmed = attribute(&html, "#check button[value^=confirm]", "value");
    match confirmed.filter(|_| status == StatusCode::OK) {
        None => status,
        Some(confirmed) => {
            let mut fields = fields.to_vec();
            fields.pop();
            fields.push(("action", &confirmed));
            attempt(owner, &path, &path, &fields).await.0
        }
    }
}

async fn accept(visitor: TestApp, link: &str) -> StatusCode {
    let (status, _) = open_link(&visitor, link).await;
    if status != StatusCode::OK {
        return status;
    }
    attempt(
        &visitor,
        "/invitations/accept",
        "/invitations/accept/new-login",
        &[("name", "Drill"), ("password", PASSWORD)],
    )
    .await
    .0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "a drill: ./dev drill failover starts the Patroni cluster it needs and runs it"]
async fn failover_drill_loses_nothing_and_mails_each_invitation_once() {
    let dir = std::env::var("CLUSTER_DIR").expect("run by ./dev drill failover");
    let relay = SmtpSink::start().await;
    let app = spawn_app_with(|vars| {
        vars.insert(
            "SMTP_URL".into(),
            format!("smtp://127.0.0.1:{}", relay.port),
        );
        vars.insert("RATE_INVITATIONS_PER_OWNER".into(), "100000/1d".into());
        vars.insert("RATE_ACCEPT_PER_IP".into(), "100000/1h".into());
    })
    .await;
    let mail = TestApp {
        smtp: relay.clone(),
        ..app.clone()
    };
    mail.owner("drill@example.com", "essential").await;
    app.execute(
        "UPDATE accounts SET plan = 'enterprise', enterprise_seats = 1000, enterprise_advanced = 1000",
    );
    let master = own_master(&mail).await;
    // Before the drill: 30 people whose invitations the drill accepts, 30 it edits.
    for i in 0..30 {
        invite_manager(&mail, &format!("accept{i}@example.com")).await;
        invite_manager(&mail, &format!("edit{i}@example.com")).await;
    }
    let mut links = Vec::new();
    for i in 0..30 {
        links.push(invitation_link(&mail, &format!("accept{i}@example.com"), 1).await);
    }

    let env = [
        ("RATE_INVITATIONS_PER_OWNER", "100000/1d"),
        ("RATE_ACCEPT_PER_IP", "100000/1h"),
        ("DATABASE_POOL_SIZE", "4"),
    ];
    // Each process's log beside the cluster's, for when an answer is not what it should be.
    let log = |n| Stdio::from(std::fs::File::create(format!("{dir}/process{n}.log")).unwrap());
    let processes: Vec<Process> = vec![
        start_process_with(&mail, relay.port, free_port(), &env, log(1)).await,
        start_process_with(&mail, relay.port, free_port(), &env, log(2)).await,
    ];
    let urls: Vec<String> = processes.iter().map(|p| p.base_url.clone()).collect();

    // 200 operations: 140 invitations, 30 accepts, 30 edits, four at a time, half on each
    // process.
    let mut work: Vec<(Kind, usize)> = (0..140).map(|i| (Kind::Invite, i)).collect();
    for i in 0..30 {
        work.insert(i * 6 + 1, (Kind::Accept, i));
        work.insert(i * 6 + 3, (Kind::Edit, i));
    }
    let queue = Arc::new(Mutex::new(work.into_iter()));
    let done = Arc::new(Mutex::new(Vec::<Done>::new()));
    let ids: Vec<i64> = (0..30)
        .map(|i| {
            app.scalar(&format!(
                "SELECT id FROM members WHERE email = 'edit{i}@example.com'"
            ))
        })
        .collect();
    let started = Instant::now();
    let mut workers = Vec::new();
    for worker in 0..4 {
        let (queue, done, links, ids) = (queue.clone(), done.clone(), links.clone(), ids.clone());
        let owner = through_url(&mail, &urls[worker % 2]);
        let master = master.clone();
        workers.push(tokio::spawn(async move {
            loop {
                let Some((kind, i)) = queue.lock().await.next() else {
                    break;
                };
                let (email, status) = match kind {
                    Kind::Invite => {
                        let email = format!("new{i}@example.com");
                        let status = invite(&owner, &email, &master).await;
                        (email, status)
                    }
                    Kind::Accept => {
                        let link = links[i].replace(&owner.settings.base_url, &owner.base_url);
                        let visitor = owner.another_visitor();
                        (
                            format!("accept{i}@example.com"),
                            accept(visitor, &link).await,
                        )
                    }
                    Kind::Edit => (
                        format!("edit{i}@example.com"),
                        edit_to_accountant(&owner, ids[i], &master).await,
                    ),
                };
                done.lock().await.push(Done {
                    kind,
                    email,
                    status,
                });
                // About 20 operations a second in all, so the drill spans the failover.
                tokio::time::sleep(Duration::from_millis(150)).await;
            }
        }));
    }

    // The primary dies three seconds in.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (node, patroni) = primary(&dir).await.expect("a primary before the drill");
    let finished_before = done.lock().await.len();
    let killed = Instant::now();
    kill_node(&dir, node, patroni);
    let database = app.db.url.clone();
    let without_primary = tokio::task::spawn_blocking(move || {
        while !primary_answers(&database) {
            std::thread::sleep(Duration::from_millis(100));
        }
        killed.elapsed()
    })
    .await
    .unwrap();
    for worker in workers {
        worker.await.unwrap();
    }
    let elapsed = started.elapsed();
    let done = std::mem::take(&mut *done.lock().await);
    assert_eq!(done.len(), 200);

    // What was answered as done is there.
    let mut refused = 0;
    let mut confirmed = 0;
    for op in &done {
        let success = op.status.is_success() || op.status == StatusCode::SEE_OTHER;
        assert!(
            success || op.status == StatusCode::SERVICE_UNAVAILABLE,
            "{op:?}: only 2xx, 303 or a 503 that says to try again; the processes logged:\n{}",
            (1..=2)
                .map(|n| std::fs::read_to_string(format!("{dir}/process{n}.log"))
                    .unwrap_or_default())
                .collect::<Vec<_>>()
                .join("\n")
        );
        if !success {
            refused += 1;
            continue;
        }
        confirmed += 1;
        let found = match op.kind {
            Kind::Invite => app.scalar(&format!(
                "SELECT count(*) FROM members WHERE email = '{}'",
                op.email
            )),
            Kind::Accept => app.scalar(&format!(
                "SELECT count(*) FROM members WHERE email = '{}' AND accepted_at IS NOT NULL",
                op.email
            )),
            Kind::Edit => app.scalar(&format!(
                "SELECT count(*) FROM members m JOIN grants g ON g.member_id = m.id \
                 WHERE m.email = '{}' AND g.role = 'accountant'",
                op.email
            )),
        };
        assert_eq!(
            found, 1,
            "{op:?} was answered as done but is not in the database"
        );
    }

    // Every invitation in the database (answered or not) mailed exactly once, once the outbox
    // has drained: a claim cut off by the failover comes back when its lease ends.
    let draining = Instant::now();
    while app.scalar("SELECT count(*) FROM outbox WHERE status = 'pending'") > 0 {
        assert!(
            draining.elapsed() < Duration::from_secs(420),
            "the outbox did not drain"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let drained_in = draining.elapsed();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let received = relay.received();
    let invited: Vec<String> = {
        #[derive(diesel::QueryableByName)]
        struct Email {
            #[diesel(sql_type = diesel::sql_types::Text)]
            email: String,
        }
        use diesel::RunQueryDsl;
        diesel::sql_query("SELECT email FROM members WHERE email LIKE 'new%'")
            .load::<Email>(&mut app.connection())
            .unwrap()
            .into_iter()
            .map(|row| row.email)
            .collect()
    };
    let mut duplicated = 0;
    let mut lost = 0;
    for email in &invited {
        let copies = received
            .iter()
            .filter(|mail| mail.envelope_to.iter().any(|to| to == email))
            .count();
        match copies {
            1 => {}
            0 => lost += 1,
            _ => duplicated += 1,
        }
    }
    assert_eq!(
        app.scalar("SELECT count(*) FROM outbox WHERE status <> 'sent'"),
        0,
        "every mail sent, none failed"
    );
    drop(processes);
    println!(
        "Failover drill: node{node} (the primary) killed with SIGKILL after {finished_before} operations; \
         {:.1} s without a primary; 200 operations from two processes in {:.1} s: {confirmed} answered \
         as done, all in the database; {refused} refused with 503 (try again), 0 with 500; \
         {} invitations in the database, each mailed once: {lost} lost, {duplicated} duplicated; \
         outbox drained {:.1} s after the last operation",
        without_primary.as_secs_f64(),
        elapsed.as_secs_f64(),
        invited.len(),
        drained_in.as_secs_f64(),
    );
    assert_eq!((lost, duplicated), (0, 0));
}
