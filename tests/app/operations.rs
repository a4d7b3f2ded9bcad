//! Operating the service (issue 21): the probes, `/metrics` scraped by Debian's Prometheus,
//! JSON log lines with a request id, and stopping on SIGTERM without failing a request or losing
//! a mail, as a rolling restart behind Debian's HAProxy does it.

use std::{
    io::Write,
    path::PathBuf,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use reqwest::StatusCode;

use crate::{
    common::{Daemon, PASSWORD, TestApp, free_port, smtp::SmtpSink, spawn_app, spawn_app_with},
    processes::{start_process_with, through_url},
    sharing::{invitation_link, invite_manager, open_link},
};

fn scratch_dir(what: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("{what}-{}-{}", std::process::id(), free_port()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn wait_for_port(port: u16, what: &str) {
    for _ in 0..400 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("{what} did not start on {port}");
}

#[tokio::test]
async fn the_probes_say_live_and_ready_and_ready_waits_for_migrations() {
    let app = spawn_app().await;
    for path in ["/health", "/health/live", "/health/ready"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.text().await.unwrap(), "ok\n");
    }
    // A migration of this build not applied (as when a newer build starts on an older
    // database): alive, not ready.
    let newest = app.scalar("SELECT max(version::int8) FROM __diesel_schema_migrations");
    app.execute(&format!(
        "DELETE FROM __diesel_schema_migrations WHERE version = '{newest}'"
    ));
    assert_eq!(app.get("/health/live").await.status(), StatusCode::OK);
    let response = app.get("/health/ready").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(response.text().await.unwrap().contains("migrations"));
    app.execute(&format!(
        "INSERT INTO __diesel_schema_migrations (version) VALUES ('{newest}')"
    ));
    assert_eq!(app.get("/health/ready").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn metrics_are_served_only_on_their_own_address_or_with_the_token() {
    // Neither METRICS_BIND nor METRICS_TOKEN: no such page.
    let app = spawn_app().await;
    assert_eq!(app.get("/metrics").await.status(), StatusCode::NOT_FOUND);

    let token = "a-metrics-token-of-at-least-32-characters";
    let app = spawn_app_with(|vars| {
        vars.insert("METRICS_TOKEN".into(), token.into());
    })
    .await;
    let url = app.url("/metrics");
    let client = reqwest::Client::new();
    for presented in [None, Some("Bearer wrong"), Some(token)] {
        let mut request = client.get(&url);
        if let Some(value) = presented {
            request = request.header("Authorization", value);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{presented:?}");
        assert!(response.headers().contains_key("www-authenticate"));
    }
    let response = client.get(&url).bearer_auth(token).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    for series in [
        "http_requests_total{method=\"GET\",route=\"/metrics\",status=\"401\"} 3",
        "db_pool_connections ",
        "outbox_pending{kind=\"mail\"} 0",
        "build_info{version=",
    ] {
        assert!(text.contains(series), "{series} in\n{text}");
    }
}

/// Prometheus's answer to an instant query: the value of each series found.
async fn query(prometheus: u16, expression: &str) -> Vec<f64> {
    let response = reqwest::Client::new()
        .get(format!(
            "http://127.0.0.1:{prometheus}/api/v1/query?query={}",
            form_urlencoded::byte_serialize(expression.as_bytes()).collect::<String>()
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let response: serde_json::Value = serde_json::from_str(&response).unwrap();
    assert_eq!(response["status"], "success", "{response}");
    response["data"]["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|series| series["value"][1].as_str().unwrap().parse().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn debians_prometheus_scrapes_what_a_flow_did() {
    let metrics_port = free_port();
    let app = spawn_app_with(|vars| {
        vars.insert("METRICS_BIND".into(), format!("127.0.0.1:{metrics_port}"));
    })
    .await;
    // The flow: an owner signs up (a session, a mail), tries a wrong password until the limit
    // refuses, and invites a Manager (a mail).
    app.owner("olga@example.com", "essential").await;
    let stranger = app.another_visitor();
    let mut refused = false;
    for _ in 0..12 {
        let response = stranger
            .sign_in("olga@example.com", "not her password")
            .await;
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            refused = true;
            break;
        }
    }
    assert!(refused, "the sign-in limit refuses");
    invite_manager(&app, "max@example.com").await;
    app.mails_to("max@example.com", 1).await;

    let scraped = reqwest::get(format!("http://127.0.0.1:{metrics_port}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // promtool's own check of the exposition format and its naming rules.
    let mut promtool = Command::new("/usr/bin/promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("Debian's prometheus package, which ./dev test installs, has promtool");
    promtool
        .stdin
        .take()
        .unwrap()
        .write_all(scraped.as_bytes())
        .unwrap();
    let checked = promtool.wait_with_output().unwrap();
    assert!(
        checked.status.success(),
        "promtool check metrics: {}{}",
        String::from_utf8_lossy(&checked.stdout),
        String::from_utf8_lossy(&checked.stderr)
    );

    let dir = scratch_dir("prometheus");
    let prometheus_port = free_port();
    std::fs::write(
        dir.join("prometheus.yml"),
        format!(
            "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: sharing\n    \
             static_configs:\n      - targets: ['127.0.0.1:{metrics_port}']\n"
        ),
    )
    .unwrap();
    let child = Command::new("/usr/bin/prometheus")
        .arg(format!(
            "--config.file={}",
            dir.join("prometheus.yml").display()
        ))
        .arg(format!(
            "--storage.tsdb.path={}",
            dir.join("data").display()
        ))
        .arg(format!("--web.listen-address=127.0.0.1:{prometheus_port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("Debian's prometheus, which ./dev test installs");
    let _prometheus = Daemon { child, dir };
    wait_for_port(prometheus_port, "prometheus").await;

    let expressions = [
        "sessions_created_total",
        "outbox_mail_attempts_total{outcome=\"sent\"}",
        "rate_limit_refusals_total{limit=\"password-failures/client\"}",
        "http_requests_total{route=\"/sharing/invite\",method=\"POST\",status=\"303\"}",
    ];
    let started = Instant::now();
    let mut found = Vec::new();
    while started.elapsed() < Duration::from_secs(60) {
        found.clear();
        for expression in expressions {
            found.push(query(prometheus_port, expression).await);
        }
        if found
            .iter()
            .all(|values| values.first().is_some_and(|v| *v >= 1.0))
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    for (expression, values) in expressions.iter().zip(&found) {
        assert!(
            values.first().is_some_and(|v| *v >= 1.0),
            "Prometheus has {expression} at {values:?}"
        );
    }
    // Two mails went out: Olga's verification and Max's invitation.
    assert_eq!(found[1], [2.0]);
    println!(
        "Prometheus scraped /metrics on METRICS_BIND and answered: {}; promtool check metrics passed",
        expressions
            .iter()
            .zip(&found)
            .map(|(e, v)| format!("{e} = {}", v[0]))
            .collect::<Vec<_>>()
            .join(", ")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_log_lines_carry_the_request_id_and_the_trace_and_sigterm_exits_0() {
    let app = spawn_app().await;
    let port = free_port();
    let mut process = start_process_with(
        &app,
        app.smtp.port,
        port,
        &[
            ("LOG_FORMAT", "json"),
            ("RUST_LOG", "info"),
            ("TRUSTED_PROXIES", "127.0.0.1/32"),
        ],
        Stdio::piped(),
    )
    .await;
    let mut log = process.child.stdout.take().unwrap();
    let log = tokio::spawn(async move {
        use tokio::io::AsyncReadExt;
        let mut text = String::new();
        log.read_to_string(&mut text).await.unwrap();
        text
    });
    let client = reqwest::Client::new();
    let trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    // From a trusted proxy, its id is kept and returned.
    let response = client
        .get(format!("{}/health/live", process.base_url))
        .header("X-Request-Id", "proxy-id-42")
        .header("traceparent", trace)
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "proxy-id-42");
    // An id that is no id: a new one.
    let response = client
        .get(format!("{}/health/live", process.base_url))
        .header("X-Request-Id", "two words")
        .send()
        .await
        .unwrap();
    let fresh = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(fresh.len(), 32);

    let status = process.terminate().await;
    assert!(status.success(), "exit status {status:?} after SIGTERM");
    let text = log.await.unwrap();
    {
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
            .collect();
        let request = lines
            .iter()
            .find(|line| line["span"]["request_id"] == "proxy-id-42")
            .unwrap_or_else(|| panic!("a line with the proxy's request id in\n{text}"));
        assert_eq!(
            request["span"]["trace_id"],
            "4bf92f3577b34da6a3ce929d0e0e4736"
        );
        assert_eq!(request["span"]["parent_id"], "00f067aa0ba902b7");
        assert_eq!(request["path"], "/health/live");
        assert_eq!(request["status"], 200);
        assert!(
            lines
                .iter()
                .any(|line| line["span"]["request_id"] == fresh.as_str())
        );
        println!(
            "LOG_FORMAT=json: {} lines, each one JSON object; the proxy's X-Request-Id and traceparent in the request's line; exit 0 after SIGTERM. The line:\n{request}",
            lines.len()
        );
    }

    // From anyone else, a request id sent is replaced.
    let response = reqwest::Client::new()
        .get(app.url("/health/live"))
        .header("X-Request-Id", "planted-id")
        .send()
        .await
        .unwrap();
    assert_ne!(response.headers()["x-request-id"], "planted-id");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_a_request_in_flight_then_refuses_new_connections() {
    use diesel::RunQueryDsl;
    let app = spawn_app().await;
    app.owner("stella@example.com", "essential").await;
    let port = free_port();
    let process = start_process_with(&app, app.smtp.port, port, &[], Stdio::null()).await;
    // The owner's next page waits for the sessions table, which the test holds locked: a
    // request in flight, as a slow database makes one.
    let mut lock = app.connection();
    diesel::sql_query("BEGIN").execute(&mut lock).unwrap();
    diesel::sql_query("LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE")
        .execute(&mut lock)
        .unwrap();
    let owner = through_url(&app, &process.base_url);
    let in_flight = tokio::spawn(async move { owner.get_html("/sharing").await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let pid = process.child.id().unwrap() as i32;
    // SAFETY: kill(2) on our own child's pid.
    unsafe { libc::kill(pid, libc::SIGTERM) };
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
        "a stopping server accepts no new connection"
    );
    assert!(!in_flight.is_finished());
    diesel::sql_query("COMMIT").execute(&mut lock).unwrap();
    let (status, page) = in_flight.await.unwrap();
    assert_eq!(status, StatusCode::OK, "the request in flight was answered");
    assert!(page.contains("</html>"));
    let status = process.exited().await;
    assert!(status.success(), "exit status {status:?}");
}

/// wrk's summary: requests, non-2xx-or-3xx answers and socket errors.
fn wrk_summary(output: &str) -> (u64, u64, String) {
    let requests = output
        .lines()
        .find(|line| line.contains("requests in"))
        .and_then(|line| line.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let non_2xx = output
        .lines()
        .find(|line| line.contains("Non-2xx or 3xx responses"))
        .and_then(|line| line.rsplit(' ').next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    let socket_errors = output
        .lines()
        .find(|line| line.contains("Socket errors"))
        .unwrap_or("")
        .trim()
        .to_owned();
    (requests, non_2xx, socket_errors)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rolling_restart_behind_haproxy_fails_no_request_and_sends_each_mail_once() {
    let relay = SmtpSink::start().await;
    let app = spawn_app_with(|vars| {
        vars.insert(
            "SMTP_URL".into(),
            format!("smtp://127.0.0.1:{}", relay.port),
        );
        vars.insert("RATE_SIGN_UP_PER_IP".into(), "1000/1h".into());
    })
    .await;
    let (port_one, port_two, front) = (free_port(), free_port(), free_port());
    let env = [
        ("SHUTDOWN_SECONDS", "10"),
        ("TRUSTED_PROXIES", "127.0.0.1/32"),
    ];
    let start = |port| start_process_with(&app, relay.port, port, &env, Stdio::null());
    let (one, two) = (start(port_one).await, start(port_two).await);

    let config =
        std::fs::read_to_string(format!("{}/deploy/haproxy.cfg", env!("CARGO_MANIFEST_DIR")))
            .unwrap()
            .replace("127.0.0.1:8000", &format!("127.0.0.1:{front}"))
            .replace("127.0.0.1:8080", &format!("127.0.0.1:{port_one}"))
            .replace("127.0.0.1:8081", &format!("127.0.0.1:{port_two}"));
    let dir = scratch_dir("haproxy");
    std::fs::write(dir.join("haproxy.cfg"), config).unwrap();
    let child = Command::new("/usr/sbin/haproxy")
        .args(["-db", "-f"])
        .arg(dir.join("haproxy.cfg"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("Debian's haproxy, which ./dev test installs");
    let _haproxy = Daemon { child, dir };
    wait_for_port(front, "haproxy").await;
    let front_url = format!("http://127.0.0.1:{front}");

    // An owner whose sharing page is what the load asks for.
    let (owner, jar) = app.another_visitor_with_jar();
    let owner = TestApp {
        smtp: relay.clone(),
        ..owner
    };
    owner.owner("rosa@example.com", "essential").await;
    let owner = through_url(&owner, &front_url);
    let cookie_name = app.settings.session_cookie_name();
    let cookie = app
        .cookie_in(&jar, cookie_name)
        .expect("the owner is signed in");
    assert_eq!(owner.get("/sharing").await.status(), StatusCode::OK);

    // Load: wrk on the sharing page for 20 s, and a sign-up (each mailing once: 200, "check your
    // mail") every 300 ms.
    let wrk = tokio::process::Command::new("/usr/bin/wrk")
        .args(["-t2", "-c16", "-d20s", "--latency", "-H"])
        .arg(format!("Cookie: {cookie_name}={cookie}"))
        .arg(format!("{front_url}/sharing"))
        .output();
    let sign_ups = {
        let app = app.clone();
        let front_url = front_url.clone();
        tokio::spawn(async move {
            let mut statuses = Vec::new();
            for i in 0..50 {
                let visitor = through_url(&app.another_visitor(), &front_url);
                let response = visitor
                    .sign_up(&format!("roll{i}@example.com"), "Roll", PASSWORD, "free")
                    .await;
                statuses.push(response.status());
                tokio::time::sleep(Duration::from_millis(300)).await;
            }
            statuses
        })
    };

    // The rolling restart: each process stopped with SIGTERM, started again, and given
    // traffic back once HAProxy sees it ready, one after the other.
    let mut exits = Vec::new();
    let mut restarted = Vec::new();
    tokio::time::sleep(Duration::from_secs(3)).await;
    for (process, port) in [(one, port_one), (two, port_two)] {
        let stopping = Instant::now();
        exits.push(process.terminate().await);
        let stopped_in = stopping.elapsed();
        let again = start(port).await;
        // HAProxy's check: rise 2 at 500 ms.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        restarted.push((again, stopped_in));
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    let wrk = wrk.await.expect("wrk, which ./dev test installs");
    let output = String::from_utf8_lossy(&wrk.stdout).into_owned();
    let (requests, non_2xx, socket_errors) = wrk_summary(&output);
    let statuses = sign_ups.await.unwrap();

    for status in &exits {
        assert!(
            status.success(),
            "a process exited with {status:?} after SIGTERM"
        );
    }
    assert!(requests > 100, "wrk made {requests} requests:\n{output}");
    assert_eq!(non_2xx, 0, "failed answers during the restart:\n{output}");
    assert!(socket_errors.is_empty(), "{socket_errors}\n{output}");
    let failed: Vec<_> = statuses.iter().filter(|s| **s != StatusCode::OK).collect();
    assert!(failed.is_empty(), "sign-ups answered {failed:?}");

    // Each sign-up's mail sent once: none lost in a stopping worker, none sent twice.
    let expected = 1 + statuses.len();
    relay.wait_for(expected).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let received = relay.received();
    for i in 0..statuses.len() {
        let address = format!("roll{i}@example.com");
        let copies = received
            .iter()
            .filter(|mail| mail.envelope_to.contains(&address))
            .count();
        assert_eq!(copies, 1, "{address} got {copies} mails");
    }
    assert_eq!(received.len(), expected);
    assert_eq!(
        app.scalar("SELECT count(*) FROM outbox WHERE status <> 'sent'"),
        0
    );
    println!(
        "Rolling restart behind HAProxy under wrk (-c16, 20 s): {requests} requests, 0 failed; {} sign-ups, each answered 200 and mailed exactly once ({expected} mails); both processes exited 0 after SIGTERM, in {:?} and {:?}",
        statuses.len(),
        restarted[0].1,
        restarted[1].1,
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_mid_flow_restores_every_row_and_its_links_work_until_they_expire() {
    let app = spawn_app().await;
    app.owner("bea@example.com", "essential").await;
    // Mid-flow: Max is invited, the link is in his mailbox, he has not answered yet.
    invite_manager(&app, "max@example.com").await;
    let link = invitation_link(&app, "max@example.com", 1).await;
    app.outbox_settled().await;
    let dir = scratch_dir("backup");
    let file = dir.join("mid-flow.dump");
    // The README's commands, as an operator types them, with DATABASE_URL set.
    let dev = |args: &[&str]| {
        Command::new(format!("{}/dev", env!("CARGO_MANIFEST_DIR")))
            .args(args)
            .env("DATABASE_URL", &app.db.url)
            .output()
            .unwrap()
    };
    let file_arg = file.to_str().unwrap();
    let before = app.database_fingerprint();
    let backup = dev(&["backup", file_arg]);
    assert!(
        backup.status.success(),
        "{}",
        String::from_utf8_lossy(&backup.stderr)
    );
    // The flow goes on after the backup: another invitation the backup does not hold.
    invite_manager(&app, "nina@example.com").await;

    let name = format!("r_{}", &app.db.name[2..]);
    let restore = dev(&["restore", file_arg, &name]);
    assert!(
        restore.status.success(),
        "{}",
        String::from_utf8_lossy(&restore.stderr)
    );
    // Restoring never overwrites: the same name again is refused.
    assert!(!dev(&["restore", file_arg, &name]).status.success());

    let restored = crate::common::spawn_app_on(crate::common::TestDatabase::adopt(&name), |vars| {
        vars.insert(
            "SMTP_URL".into(),
            format!("smtp://127.0.0.1:{}", app.smtp.port),
        );
    })
    .await;
    let after = restored.database_fingerprint();
    let differing: Vec<_> = before
        .iter()
        .zip(&after)
        .filter(|(a, b)| a != b)
        .map(|(a, _)| a.0.clone())
        .collect();
    assert_eq!(before.len(), after.len());
    assert!(
        differing.is_empty(),
        "tables that differ after the restore: {differing:?}"
    );
    assert_eq!(
        restored.scalar("SELECT count(*) FROM members WHERE email = 'nina@example.com'"),
        0
    );

    // Max's link, issued before the backup, works on the restored service (its links are
    // built from the old server's BASE_URL, as the mailbox has them)...
    let link = link.replace(&app.base_url, &restored.base_url);
    let (status, page) = open_link(&restored.another_visitor(), &link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("invited you to their email account"),
        "{page}"
    );
    // ...until it expires.
    restored
        .settings
        .clock
        .advance(restored.settings.invitation_link_ttl + Duration::from_secs(60));
    let (_, page) = open_link(&restored.another_visitor(), &link).await;
    assert!(
        page.contains("This invitation link does not work"),
        "{page}"
    );
    assert_eq!(
        restored.scalar(
            "SELECT count(*) FROM audit_events WHERE action = 'accept_refused_expired' \
             AND target_email = 'max@example.com'"
        ),
        1
    );
    let size = std::fs::metadata(&file).unwrap().len();
    let _ = std::fs::remove_dir_all(&dir);
    println!(
        "Backup mid-flow ({size} bytes, pg_dump custom format) restored into a new database: {} tables, every fingerprint equal; the invitation link issued before it opened on the restored service, and was refused once expired",
        after.len()
    );
}

#[test]
fn the_systemd_unit_verifies_and_is_hardened() {
    let analyze = std::path::Path::new("/usr/bin/systemd-analyze");
    if !analyze.exists() {
        println!("systemd-analyze is not installed here: the unit was not checked");
        return;
    }
    let unit = std::fs::read_to_string(format!(
        "{}/deploy/account-sharing.service",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    assert!(unit.contains("ExecStart=/usr/local/bin/account-sharing serve"));
    // verify checks that ExecStart is there: the binary this suite built stands in for it.
    let dir = scratch_dir("systemd");
    let path = dir.join("account-sharing.service");
    std::fs::write(
        &path,
        unit.replace(
            "/usr/local/bin/account-sharing",
            env!("CARGO_BIN_EXE_account-sharing"),
        ),
    )
    .unwrap();
    let verified = Command::new(analyze)
        .arg("verify")
        .arg(&path)
        .output()
        .unwrap();
    // A value systemd cannot parse is only a warning on stderr, with status 0: both count.
    let complaints = String::from_utf8_lossy(&verified.stderr).into_owned();
    assert!(
        verified.status.success() && complaints.trim().is_empty(),
        "systemd-analyze verify: {complaints}"
    );
    let security = Command::new(analyze)
        .args(["security", "--offline=yes", "--no-pager"])
        .arg(&path)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&security.stdout).into_owned();
    let exposure: f64 = report
        .lines()
        .find_map(|line| {
            line.split("Overall exposure level for account-sharing.service: ")
                .nth(1)
        })
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("an exposure level in\n{report}"));
    let _ = std::fs::remove_dir_all(&dir);
    assert!(exposure <= 2.0, "exposure {exposure}:\n{report}");
    println!(
        "deploy/account-sharing.service: systemd-analyze verify clean, exposure {exposure} (OK)"
    );
}

#[test]
fn the_containerfile_copies_what_the_build_reads_and_runs_as_no_root() {
    let root = env!("CARGO_MANIFEST_DIR");
    let containerfile = std::fs::read_to_string(format!("{root}/deploy/Containerfile")).unwrap();
    let mut copied = Vec::new();
    for line in containerfile.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.first() == Some(&"COPY") && !words[1].starts_with("--from") {
            copied.extend(words[1..words.len() - 1].iter().map(|w| w.to_string()));
        }
    }
    for source in &copied {
        assert!(
            std::path::Path::new(root).join(source).exists(),
            "the Containerfile copies {source}, which is not in the repository"
        );
    }
    // Everything the binary compiles in: the crate, its lock, and every folder an include_str!
    // or a template reads.
    for needed in [
        "Cargo.toml",
        "Cargo.lock",
        "src",
        "templates",
        "static",
        "locales",
        "migrations",
        "examples",
    ] {
        assert!(
            copied.iter().any(|c| c == needed),
            "the Containerfile does not copy {needed}"
        );
    }
    let user = containerfile
        .lines()
        .rev()
        .find_map(|line| line.strip_prefix("USER "))
        .expect("the image names its user");
    let uid = user.split(':').next().unwrap().trim();
    assert!(!matches!(uid, "0" | "root"), "the image runs as {uid}");
    assert!(containerfile.contains("--locked"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_that_cannot_be_read_is_not_a_sign_out() {
    let app = spawn_app().await;
    app.owner("sol@example.com", "essential").await;
    assert_eq!(app.get("/account").await.status(), StatusCode::OK);
    // The sessions cannot be read for a moment, as during a failover.
    app.execute("ALTER TABLE sessions RENAME TO sessions_away");
    let response = app.get("/account").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(response.headers().contains_key("retry-after"));
    // A form sent meanwhile is refused with "try again", not taken for a forgery or a sign-out.
    let response = app
        .post_raw("/sign-out", &[("csrf_token", "whatever")])
        .await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    // Public pages still serve, and write nothing over the session they could not read.
    assert_eq!(app.get("/sign-in").await.status(), StatusCode::OK);
    app.execute("ALTER TABLE sessions_away RENAME TO sessions");
    let (status, html) = app.get_html("/account").await;
    assert_eq!(status, StatusCode::OK, "still signed in: {html}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitation_link_is_not_called_dead_while_the_sessions_cannot_be_read() {
    let app = spawn_app().await;
    app.owner("sol@example.com", "essential").await;
    invite_manager(&app, "ina@example.com").await;
    let link = invitation_link(&app, "ina@example.com", 1).await;
    let visitor = app.another_visitor();
    // A session to lose: the invitee has looked at the link once already.
    let (status, _) = open_link(&visitor, &link).await;
    assert_eq!(status, StatusCode::OK);
    app.execute("ALTER TABLE sessions RENAME TO sessions_away");
    // Opened again meanwhile: the token cannot be kept in a session that was not read.
    let response = visitor.client.get(&link).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    // The page it leads to cannot know whether the session holds a token: "try again", never
    // "this link is no longer valid" (the failover drill met exactly that).
    let response = visitor.get("/invitations/accept").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(response.headers().contains_key("retry-after"));
    app.execute("ALTER TABLE sessions_away RENAME TO sessions");
    let (status, html) = visitor.get_html("/invitations/accept").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the invitation is still there: {html}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_whose_token_cannot_be_kept_answers_try_again() {
    let app = spawn_app().await;
    app.owner("sol@example.com", "essential").await;
    for email in ["ina@example.com", "ivo@example.com"] {
        invite_manager(&app, email).await;
    }
    let first = invitation_link(&app, "ina@example.com", 1).await;
    let second = invitation_link(&app, "ivo@example.com", 1).await;
    let visitor = app.another_visitor();
    let (status, _) = open_link(&visitor, &first).await;
    assert_eq!(status, StatusCode::OK);
    // The session reads well, but writing the new token loses the connection, as a pooled
    // connection left over from before a failover does.
    app.execute(
        "CREATE FUNCTION lose_the_connection() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN RAISE EXCEPTION 'terminating connection: a failover, as this test plays it'; END $$",
    );
    app.execute(
        "CREATE TRIGGER lose_the_connection BEFORE UPDATE ON sessions FOR EACH ROW \
         WHEN (NEW.state->>'invitation_token_hash' IS DISTINCT FROM \
               OLD.state->>'invitation_token_hash') \
         EXECUTE FUNCTION lose_the_connection()",
    );
    let response = visitor.client.get(&second).send().await.unwrap();
    assert_eq!(
        response.status(),
        StatusCode::SERVICE_UNAVAILABLE,
        "not a redirect to a page that shows another invitation, or calls this one dead"
    );
    assert!(response.headers().contains_key("retry-after"));
    app.execute("DROP TRIGGER lose_the_connection ON sessions");
    let (status, html) = open_link(&visitor, &second).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        crate::common::texts(&html, "main strong").contains(&"ivo@example.com".to_owned()),
        "{html}"
    );
}
