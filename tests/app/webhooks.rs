//! Webhooks (issue 19; INTEGRATION.md S17), against a real HTTP receiver on loopback that
//! checks every signature with its own HMAC code: retries with one webhook-id, failure shown
//! with Re-send, two server processes delivering each event once, and the SSRF guard.

use std::{
    collections::VecDeque,
    sync::{Arc, Mutex},
    time::Duration,
};

use base64::{Engine, engine::general_purpose::STANDARD};
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use sha2::Sha256;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::{
    common::{TestApp, attribute, spawn_app, spawn_app_with, texts},
    sharing::invite_manager,
};

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Received {
    id: String,
    timestamp: i64,
    signature: String,
    body: String,
    answered: u16,
}

/// An HTTP/1.1 receiver on 127.0.0.1: answers each POST with the next status of its script
/// (200 once the script is spent) and keeps what it got.
#[derive(Clone)]
struct Receiver {
    port: u16,
    script: Arc<Mutex<VecDeque<u16>>>,
    always: Arc<Mutex<Option<u16>>>,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    async fn start() -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let receiver = Receiver {
            port: listener.local_addr().unwrap().port(),
            script: Default::default(),
            always: Default::default(),
            received: Default::default(),
        };
        let serving = receiver.clone();
        tokio::spawn(async move {
            loop {
                let Ok((mut stream, _)) = listener.accept().await else {
                    return;
                };
                let serving = serving.clone();
                tokio::spawn(async move {
                    let mut raw = Vec::new();
                    let mut buffer = [0u8; 4096];
                    let (head, body) = loop {
                        let n = stream.read(&mut buffer).await.unwrap_or(0);
                        if n == 0 {
                            return;
                        }
                        raw.extend_from_slice(&buffer[..n]);
                        let text = String::from_utf8_lossy(&raw).into_owned();
                        if let Some((head, body)) = text.split_once("\r\n\r\n") {
                            let length = header(head, "content-length")
                                .and_then(|v| v.parse::<usize>().ok())
                                .unwrap_or(0);
                            if body.len() >= length {
                                break (head.to_owned(), body[..length].to_owned());
                            }
                        }
                    };
                    let status = serving.next_status();
                    serving.received.lock().unwrap().push(Received {
                        id: header(&head, "webhook-id").unwrap_or_default(),
                        timestamp: header(&head, "webhook-timestamp")
                            .and_then(|t| t.parse().ok())
                            .unwrap_or(0),
                        signature: header(&head, "webhook-signature").unwrap_or_default(),
                        body,
                        answered: status,
                    });
                    let answer = format!(
                        "HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                    );
                    let _ = stream.write_all(answer.as_bytes()).await;
                });
            }
        });
        receiver
    }

    fn next_status(&self) -> u16 {
        if let Some(status) = *self.always.lock().unwrap() {
            return status;
        }
        self.script.lock().unwrap().pop_front().unwrap_or(200)
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hooks/sharing", self.port)
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

fn header(head: &str, name: &str) -> Option<String> {
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim()
            .eq_ignore_ascii_case(name)
            .then(|| value.trim().to_owned())
    })
}

/// Standard Webhooks 1.0, written here from the specification and not taken from the service:
/// base64 HMAC-SHA256 of `id.timestamp.body` under the secret's decoded bytes.
fn signed_by(secret: &str, message: &Received) -> bool {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").expect("a whsec_ secret"))
        .unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{}.{}.{}", message.id, message.timestamp, message.body).as_bytes());
    let expected = STANDARD.encode(mac.finalize().into_bytes());
    message
        .signature
        .split(' ')
        .any(|sig| sig.strip_prefix("v1,") == Some(expected.as_str()))
}

async fn webhook_app() -> TestApp {
    spawn_app_with(|vars| {
        vars.insert("WEBHOOK_ALLOW_PRIVATE".into(), "true".into());
    })
    .await
}

/// Adds the receiver on the webhooks page; the secret shown once.
async fn add_endpoint(app: &TestApp, url: &str) -> String {
    let response = app
        .submit("/sharing/webhooks", "/sharing/webhooks", &[("url", url)])
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let html = response.text().await.unwrap();
    attribute(&html, "#secret", "value").expect("the secret is shown once")
}

/// Makes every pending delivery due now, as time passing would.
fn due_now(app: &TestApp) {
    app.execute(
        "UPDATE webhook_deliveries SET next_attempt_at = now() - interval '1 second' WHERE status = 'pending'",
    );
}

/// Waits until `done` holds, moving retries forward meanwhile.
async fn until(app: &TestApp, what: &str, done: impl Fn() -> bool) {
    for _ in 0..400 {
        if done() {
            return;
        }
        due_now(app);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("waited too long for {what}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_500s_then_a_200_deliver_one_event_under_one_webhook_id() {
    let app = webhook_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    let receiver = Receiver::start().await;
    receiver
        .script
        .lock()
        .unwrap()
        .extend([500, 500, 500, 500, 500]);
    let secret = add_endpoint(&app, &receiver.url()).await;
    assert!(secret.starts_with("whsec_"), "{secret}");
    let (_, page) = app.get_html("/sharing/webhooks").await;
    assert!(!page.contains(&secret), "the secret is never shown again");

    invite_manager(&app, "ann@example.com").await;
    until(&app, "the sixth attempt", || receiver.received().len() >= 6).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let got = receiver.received();
    assert_eq!(got.len(), 6, "no attempt after the 200: {got:?}");
    assert!(got.iter().all(|m| m.id == got[0].id), "one webhook-id");
    assert!(got[0].id.starts_with("msg_"));
    assert!(got.iter().all(|m| signed_by(&secret, m)), "{got:?}");
    assert_eq!(
        got.iter().map(|m| m.answered).collect::<Vec<_>>(),
        [500, 500, 500, 500, 500, 200]
    );
    let body: serde_json::Value = serde_json::from_str(&got[0].body).unwrap();
    assert_eq!(body["type"], "person.invited");
    assert_eq!(body["data"]["person"]["email"], "ann@example.com");
    assert_eq!(body["data"]["account"], app.master_of("olive@example.com"));
    assert!(body["timestamp"].is_string());
    assert_eq!(
        app.scalar(
            "SELECT count(*) FROM webhook_deliveries WHERE status = 'delivered' AND attempts = 6"
        ),
        1
    );
    let id = app.scalar("SELECT id FROM webhook_endpoints");
    let (_, log) = app.get_html(&format!("/sharing/webhooks/{id}")).await;
    assert_eq!(texts(&log, "tbody .tag"), ["Delivered"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endpoint_down_for_the_whole_window_fails_is_shown_and_re_sends() {
    let app = webhook_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    let receiver = Receiver::start().await;
    *receiver.always.lock().unwrap() = Some(503);
    let secret = add_endpoint(&app, &receiver.url()).await;
    invite_manager(&app, "ann@example.com").await;
    until(&app, "the delivery to fail", || {
        app.scalar("SELECT count(*) FROM webhook_deliveries WHERE status = 'failed'") == 1
    })
    .await;
    assert_eq!(receiver.received().len(), 8, "the first try and 7 retries");
    let id = app.scalar("SELECT id FROM webhook_endpoints");
    let (_, list) = app.get_html("/sharing/webhooks").await;
    assert_eq!(
        texts(&list, "tbody .tag--red"),
        ["1"],
        "the failure is shown"
    );
    let (_, log) = app.get_html(&format!("/sharing/webhooks/{id}")).await;
    assert_eq!(texts(&log, "tbody .tag"), ["Failed"]);
    assert!(log.contains("answered 503"));

    *receiver.always.lock().unwrap() = None;
    let delivery = app.scalar("SELECT id FROM webhook_deliveries");
    let path = format!("/sharing/webhooks/{id}");
    let response = app
        .submit(&path, &format!("{path}/deliveries/{delivery}/resend"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    until(&app, "the re-sent delivery", || {
        receiver.received().len() == 9
    })
    .await;
    let got = receiver.received();
    assert_eq!(got[8].answered, 200);
    assert_eq!(got[8].id, got[0].id, "the same webhook-id");
    assert!(signed_by(&secret, &got[8]));
    until(&app, "the delivered status", || {
        app.scalar("SELECT count(*) FROM webhook_deliveries WHERE status = 'delivered'") == 1
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_server_processes_deliver_each_event_once() {
    let app = webhook_app().await;
    let _second = app.second_server().await;
    app.owner("olive@example.com", "gold-premium").await;
    let receiver = Receiver::start().await;
    let secret = add_endpoint(&app, &receiver.url()).await;
    for i in 0..12 {
        invite_manager(&app, &format!("p{i}@example.com")).await;
    }
    // No retries here, so nothing is made due early: a claimed delivery keeps its lease.
    for _ in 0..200 {
        if receiver.received().len() >= 12 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let got = receiver.received();
    let mut ids: Vec<&str> = got.iter().map(|m| m.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(got.len(), 12, "each event once: {got:?}");
    assert_eq!(ids.len(), 12);
    assert!(got.iter().all(|m| signed_by(&secret, m)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_targets_are_refused_at_registration_and_at_delivery() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    let receiver = Receiver::start().await;
    let refusals = [
        (receiver.url(), "The address must start with https://"),
        (
            format!("https://127.0.0.1:{}/hooks", receiver.port),
            "This address is, or leads to, a private or internal network: use a public address",
        ),
        (
            "https://10.0.0.1/hooks".to_owned(),
            "This address is, or leads to, a private or internal network: use a public address",
        ),
        (
            "https://localhost/hooks".to_owned(),
            "This address is, or leads to, a private or internal network: use a public address",
        ),
        (
            "https://[::ffff:10.0.0.1]/hooks".to_owned(),
            "This address is, or leads to, a private or internal network: use a public address",
        ),
    ];
    for (url, said) in refusals {
        let response = app
            .submit("/sharing/webhooks", "/sharing/webhooks", &[("url", &url)])
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{url}");
        let html = response.text().await.unwrap();
        assert_eq!(texts(&html, ".error-summary a"), [said], "{url}");
        assert!(html.contains(&url), "the form keeps what was typed");
    }
    // A name that resolves to a loopback or private address: this machine's own name.
    let host = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    let host = host.trim();
    let resolved = std::net::ToSocketAddrs::to_socket_addrs(&(host, 443))
        .map(|addresses| addresses.collect::<Vec<_>>())
        .unwrap_or_default();
    if !host.is_empty()
        && !resolved.is_empty()
        && resolved.iter().all(|a| {
            a.ip().is_loopback()
                || match a.ip() {
                    std::net::IpAddr::V4(v4) => v4.is_private() || v4.is_link_local(),
                    std::net::IpAddr::V6(_) => false,
                }
        })
    {
        let url = format!("https://{host}/hooks");
        let response = app
            .submit("/sharing/webhooks", "/sharing/webhooks", &[("url", &url)])
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{url} {resolved:?}"
        );
    }
    assert_eq!(app.scalar("SELECT count(*) FROM webhook_endpoints"), 0);

    // An endpoint whose name came to point inside after it was added: refused at delivery,
    // nothing sent, the delivery failed and shown.
    let master = app.master_of("olive@example.com");
    app.execute(&format!(
        "INSERT INTO webhook_endpoints (master_account_id, url, secret, created_at) \
         VALUES ({master}, 'https://127.0.0.1:{}/hooks', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', now())",
        receiver.port
    ));
    invite_manager(&app, "ann@example.com").await;
    until(&app, "the refused delivery to fail", || {
        app.scalar("SELECT count(*) FROM webhook_deliveries WHERE status = 'failed'") == 1
    })
    .await;
    assert!(receiver.received().is_empty(), "nothing reached loopback");
    assert_eq!(
        app.scalar("SELECT count(*) FROM webhook_deliveries WHERE last_error LIKE 'refused%'"),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_recipe_verifies_a_real_delivery_and_refuses_a_forged_one() {
    let app = webhook_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    let receiver = Receiver::start().await;
    let secret = add_endpoint(&app, &receiver.url()).await;
    invite_manager(&app, "ann@example.com").await;
    until(&app, "the delivery", || !receiver.received().is_empty()).await;
    let message = receiver.received().remove(0);

    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let recipe = readme
        .split("```python\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("README.md has the Python recipe");
    let run = |body: &str| {
        let script = format!(
            "{recipe}\nimport sys, json\nh = json.loads(sys.argv[2])\nprint(verify(sys.argv[1], h, sys.argv[3].encode()))\n"
        );
        let headers = serde_json::json!({
            "webhook-id": message.id,
            "webhook-timestamp": message.timestamp.to_string(),
            "webhook-signature": message.signature,
        });
        let output = std::process::Command::new("python3")
            .args(["-c", &script, &secret, &headers.to_string(), body])
            .output()
            .expect("python3");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    };
    assert_eq!(run(&message.body), "True");
    assert_eq!(run(&message.body.replace("ann@", "eve@")), "False");
}
